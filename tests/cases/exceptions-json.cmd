# JSON lists the findings each exception excused; checked to parse.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM exceptions --db "$TMPDIR_CASE/l.db" --at 2026-06-01T00:00:00Z --format json >"$TMPDIR_CASE/x.json"
rc=$?
cat "$TMPDIR_CASE/x.json"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMPDIR_CASE/x.json" || echo "not JSON"
exit $rc
