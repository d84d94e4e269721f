cd "$TMPDIR_CASE" || exit 9
$SIRCOMM ingest --quiet --db l.db "$OLDPWD"/samples/s1-breach.xml 2>/dev/null || echo "ingest failed"
sqlite3 l.db "UPDATE meta SET value='99' WHERE key='schema_version'"
$SIRCOMM query --db l.db "SELECT 1"
