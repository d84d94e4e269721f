# The same report as JSON; python's json.tool must parse it.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2026-01-01 --to 2026-12-31 --format json >"$TMPDIR_CASE/r.json"; echo "status $?"
python3 -m json.tool "$TMPDIR_CASE/r.json"; echo "json.tool $?"
