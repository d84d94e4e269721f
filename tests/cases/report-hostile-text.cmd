# Text from the ledger is escaped in every format: a group name and an
# exception id with markup, quotes, a control character and invalid UTF-8.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
sqlite3 "$TMPDIR_CASE/l.db" "UPDATE metrics SET grp = '<script>alert(1)</script> & \"q\" ''a'' |x|' || char(1) || CAST(X'FF' AS TEXT) WHERE grp = 'legal'; UPDATE findings SET exception_id = '=HYPERLINK(\"x\")<b>' WHERE exception_id IS NOT NULL"
# The report reads the rollups: made again from the rows as changed, by
# the migration of a writer (import) after taking the ledger back to
# version 4, which had none.
for t in incidents no_comms first_draft turnaround responses failures exceptions; do
	sqlite3 "$TMPDIR_CASE/l.db" "DROP TABLE rollup_$t"
done
sqlite3 "$TMPDIR_CASE/l.db" "UPDATE meta SET value = '4' WHERE key = 'schema_version'"
$SIRCOMM exceptions --db "$TMPDIR_CASE/l.db" --import tests/fixtures/standing.xml >/dev/null || echo "import failed"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --format html >"$TMPDIR_CASE/r.html"; echo "status $?"
echo "<script: $(grep -c '<script' "$TMPDIR_CASE/r.html")"
grep -o -a '&lt;script&gt;[^<]*' "$TMPDIR_CASE/r.html" | sort | uniq -c
grep -o -a '=HYPERLINK([^<]*' "$TMPDIR_CASE/r.html"
python3 - "$TMPDIR_CASE/r.html" <<'PY'
import re, sys, xml.etree.ElementTree as ET
for svg in re.findall(r'<svg .*?</svg>', open(sys.argv[1], encoding='utf-8').read(), re.S):
    ET.fromstring(svg)
print('both charts are well-formed XML')
PY
$SIRCOMM report --db "$TMPDIR_CASE/l.db" | grep -a -E 'script|HYPERLINK'
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)
print([x["group"] for x in r["responses"] if "script" in x["group"]])
print([x["exception"] for x in r["exceptions_used"]])'
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --format csv | grep -a -E 'HYPERLINK|script' | grep -a -E '"(n|findings_excused)",'
