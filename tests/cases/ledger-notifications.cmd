# The ledger keeps the regulators' notifications, and the report gives the
# on-time share per regime and stage and every late notification with
# its reason (an exception's justification, or none recorded).  A ledger
# of schema version 2 (before notifications were kept) is migrated by the
# next ingest.
L="$TMPDIR_CASE/l.db"
$SIRCOMM ingest --quiet --db "$L" tests/audit/notify-sec-holiday.xml 2>/dev/null || echo "ingest failed"
sqlite3 "$L" "DROP TABLE notifications; DROP INDEX findings_notify; UPDATE meta SET value = '2' WHERE key = 'schema_version'"
for t in incidents no_comms first_draft turnaround responses failures exceptions; do
	sqlite3 "$L" "DROP TABLE rollup_$t"   # version 5's
done
$SIRCOMM ingest --quiet --db "$L" tests/audit/notify-*.xml 2>/dev/null || echo "ingest failed"
sqlite3 "$L" "SELECT value FROM meta WHERE key = 'schema_version'"
sqlite3 "$L" "SELECT incident_id, regime, stage, authority, coalesce(reference, '-') FROM notifications
              WHERE incident_id LIKE '%HIPAA%' ORDER BY seq"
$SIRCOMM report --db "$L" | sed -n '/^## Regulators/,/^## How/p'
