# The ledger keeps the regulators' notifications, and the report gives the
# on-time share per regime and stage and every late notification with
# its reason (an exception's justification, or none recorded).  (The
# migration that added them, from schema version 2, is checked by
# tests/ledger-migrate.sh from a real version 1 ledger.)
L="$TMPDIR_CASE/l.db"
$SIRCOMM ingest --quiet --db "$L" tests/audit/notify-*.xml 2>/dev/null || echo "ingest failed"
sqlite3 "$L" "SELECT value FROM meta WHERE key = 'schema_version'"
sqlite3 "$L" "SELECT incident_id, regime, stage, authority, coalesce(reference, '-') FROM notifications
              WHERE incident_id LIKE '%HIPAA%' ORDER BY seq"
$SIRCOMM report --db "$L" | sed -n '/^## Regulators/,/^## How/p'
