# Text from the ledger is escaped in every format: a group name and an
# exception id with markup, quotes, a control character and invalid UTF-8,
# put where the report reads them (the rollups).
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
sqlite3 "$TMPDIR_CASE/l.db" "UPDATE rollup_responses SET grp = '<script>alert(1)</script> & \"q\" ''a'' |x|' || char(1) || CAST(X'FF' AS TEXT) WHERE grp = 'legal'; UPDATE rollup_exceptions SET exception = '=HYPERLINK(\"x\")<b>' || exception"
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
