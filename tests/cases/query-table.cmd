# An aligned table: numbers right-aligned, NULL shown as NULL, long
# titles cut at 60 columns; control characters escaped, wide characters
# counted as two columns, BLOBs as hex.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM query --db "$TMPDIR_CASE/l.db" "SELECT id, severity, title, user_count, result FROM incidents ORDER BY id"
$SIRCOMM query --db "$TMPDIR_CASE/l.db" "SELECT 'a' || char(10) || 'b' || char(27) || '[31m' AS ctl, 'ｗｉｄｅ' AS wide, x'00ff' AS blob, NULL AS absent, 1.5 AS real;"
