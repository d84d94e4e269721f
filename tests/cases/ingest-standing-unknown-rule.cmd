# A standing exception in the ledger whose rule is no rule id (written by
# hand with sqlite3, or a damaged file): ingest refuses the ledger rather
# than read it as some other rule (it was once read as ENGAGE, excusing
# ENGAGE failures), and stores nothing.
cd "$TMPDIR_CASE" || exit 9
cat >standing.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<standing-exceptions version="1">
  <exception id="SX-2026-001" rule="TURNAROUND" subject="customer-email"
             requested-by="Ines Carvalho (SecCMOC)" approved-by="VP of Security"
             approved-at="2026-01-05T09:00:00Z">
    <justification>Per-customer mail merges need the data team.</justification>
  </exception>
</standing-exceptions>
XML
$SIRCOMM exceptions --db l.db --import standing.xml
sqlite3 l.db "UPDATE exceptions SET rule = 'NO-SUCH-RULE' WHERE id = 'SX-2026-001'"
$SIRCOMM ingest --db l.db "$OLDPWD/samples/s1-breach.xml"; echo "status $?"
sqlite3 l.db "SELECT count(*) FROM incidents"
