$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM query --db "$TMPDIR_CASE/l.db" "SELECT id FRM incidents"
