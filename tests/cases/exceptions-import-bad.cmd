# An invalid standing file: every error with its line, exit 2, and the
# ledger keeps only what it had.
cd "$TMPDIR_CASE" || exit 9
cat >bad.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<standing-exceptions version="1">
  <exception id="SX-1" rule="TURNAROUND" subject="customer-email"
             requested-by="SecCMOC" approved-by="VP of Security"
             approved-at="2026-01-05T09:00:00Z">
    <justification>Fine on its own.</justification>
  </exception>
  <exception id="SX-2" rule="SPEED"
             requested-by="SecCMOC" approved-by="VP of Security"
             approved-at="2026-01-05T09:00:00">
    <justification>Unknown rule, time without an offset.</justification>
  </exception>
</standing-exceptions>
XML
$SIRCOMM ingest --quiet --db l.db "$OLDPWD"/samples/s1-missed-turnaround.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM exceptions --db l.db --import bad.xml
rc=$?
$SIRCOMM exceptions --db l.db --at 2026-06-01T00:00:00Z --format csv
exit $rc
