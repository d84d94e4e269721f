# A stored record that no longer reads (a damaged file, a hand edit) is
# said so, never read as an empty timeline: sqlar_uncompress and the
# events view fail with a message and exit 2; the findings, which do not
# need the record, still read, with the damaged incident's notes NULL.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/s1-breach.xml samples/s2-no-turnaround.xml 2>/dev/null || echo "ingest failed"
sqlite3 "$TMPDIR_CASE/l.db" "UPDATE records SET data = x'78da0102' WHERE incident = (SELECT key FROM incidents WHERE id = 'SIRT-2026-0142')"
$SIRCOMM query --db "$TMPDIR_CASE/l.db" "SELECT length(sqlar_uncompress(r.data, r.size)) FROM records r JOIN incidents i ON i.key = r.incident WHERE i.id = 'SIRT-2026-0142'"; echo "status $?"
$SIRCOMM query --db "$TMPDIR_CASE/l.db" "SELECT count(*) FROM events WHERE incident_id = 'SIRT-2026-0142'"; echo "status $?"
$SIRCOMM query --db "$TMPDIR_CASE/l.db" "SELECT incident_id, count(*), count(note) FROM findings GROUP BY 1 ORDER BY 1"; echo "status $?"
