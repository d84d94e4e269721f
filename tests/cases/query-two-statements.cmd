# The second statement never runs, even after a harmless first one.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM query --db "$TMPDIR_CASE/l.db" "SELECT 1; DELETE FROM incidents"
rc=$?
$SIRCOMM query --db "$TMPDIR_CASE/l.db" "SELECT count(*) AS incidents FROM incidents; -- trailing comments and ; are fine"
exit $rc
