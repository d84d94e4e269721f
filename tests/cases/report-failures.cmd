# Failures by rule, and the exceptions used: an incident's own and a
# standing one.  SIRT-2026-0901 and -0902 are the missed-turnaround sample
# with its exception moved to the blog post, so the customer email misses
# the turnaround: -0901 fails; -0902, ingested after a standing exception
# for TURNAROUND customer-email was imported, has it excused.
for id in 0901 0902; do
	sed -e 's|rule="TURNAROUND" subject="customer-email"|rule="TURNAROUND" subject="blog-post"|' \
	    -e "s|id=\"SIRT-2026-0188\"|id=\"SIRT-2026-$id\"|" samples/s1-missed-turnaround.xml >"$TMPDIR_CASE/$id.xml"
done
cat >"$TMPDIR_CASE/standing.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<standing-exceptions version="1">
  <exception id="STD-2026-001" rule="TURNAROUND" subject="customer-email"
             requested-by="Head of Communications" approved-by="VP of Security"
             approved-at="2026-01-05T09:00:00Z" expires="2027-01-01T00:00:00Z">
    <justification>Per-customer emails need a data extract that takes longer than the turnaround.</justification>
  </exception>
</standing-exceptions>
XML
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml "$TMPDIR_CASE/0901.xml" 2>/dev/null || echo "ingest failed"
$SIRCOMM exceptions --db "$TMPDIR_CASE/l.db" --import "$TMPDIR_CASE/standing.xml" >/dev/null || echo "import failed"
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" "$TMPDIR_CASE/0902.xml" 2>/dev/null || echo "ingest failed"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2026-04-01 --to 2026-04-30; echo "status $?"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2026-04-01 --to 2026-04-30 --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("failures_by_rule", json.dumps(r["failures_by_rule"]))
for x in r["exceptions_used"]:
    print("exceptions_used", json.dumps(x))'
