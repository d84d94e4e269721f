# Two standing exceptions, one expired by 2026-06-01: import (twice: the
# second replaces by id), then each filter as of 2026-06-01.  Then a
# re-ingest where the standing TURNAROUND customer-email exception excuses
# a failure: SIRT-2026-0188 with its own exception moved to blog-post.
cd "$TMPDIR_CASE" || exit 9
cat >standing.xml <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<standing-exceptions version="1">
  <exception id="SX-2026-001" rule="TURNAROUND" subject="customer-email"
             requested-by="Ines Carvalho (SecCMOC)" approved-by="VP of Security"
             approved-at="2026-01-05T09:00:00Z" expires="2027-01-01T00:00:00Z">
    <justification>Per-customer mail merges need the data team: the customer email may ship after the turnaround while the public notice goes out on time.</justification>
  </exception>
  <exception id="SX-2025-007" rule="QUORUM"
             requested-by="Ines Carvalho (SecCMOC)" approved-by="VP of Security"
             approved-at="2025-02-01T09:00:00+01:00" expires="2026-02-01T00:00:00Z">
    <justification>Investor Relations approval waived during the reorganisation.</justification>
    <compensating-controls>Investor Relations is briefed after deployment.</compensating-controls>
  </exception>
</standing-exceptions>
XML
$SIRCOMM ingest --quiet --db l.db "$OLDPWD"/samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM exceptions --db l.db --import standing.xml
$SIRCOMM exceptions --db l.db --import standing.xml
for f in --active --expired "--expiring 400d" "--expiring 30"; do
	echo "== $f"
	$SIRCOMM exceptions --db l.db --at 2026-06-01T00:00:00Z $f
done
sed 's/subject="customer-email"/subject="blog-post"/' "$OLDPWD/samples/s1-missed-turnaround.xml" >s1.xml
$SIRCOMM ingest --quiet --db l.db s1.xml 2>/dev/null || echo "ingest failed"
echo "== after re-ingesting SIRT-2026-0188"
$SIRCOMM exceptions --db l.db --at 2026-06-01T00:00:00Z
$SIRCOMM exceptions --db l.db --at 2026-06-01T00:00:00Z --format json --active
