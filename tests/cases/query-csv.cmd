# CSV: RFC 4180 quoting, CRLF, NULL empty, '' as "", numbers as they are,
# text that a spreadsheet would run prefixed with '.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM query --db "$TMPDIR_CASE/l.db" --csv "SELECT id, title, user_count, -3 AS neg, '=HYPERLINK(\"x\")' AS f, '' AS empty, 'a, \"b\"' AS quoted FROM incidents ORDER BY id LIMIT 3"
