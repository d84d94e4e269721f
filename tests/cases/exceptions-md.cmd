$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM exceptions --db "$TMPDIR_CASE/l.db" --at 2026-06-01T00:00:00Z --format md
