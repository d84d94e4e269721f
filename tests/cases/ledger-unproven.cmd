# The ledger keeps each unproven finding (see audit-unproven-text) as a
# failure with its deadline and no time met, and the report counts it
# among the failures; the record it keeps gives the notes again through
# sircomm audit.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" tests/audit/missing-start-events.xml 2>/dev/null; echo "ingest status $?"
$SIRCOMM query --db "$TMPDIR_CASE/l.db" --csv "SELECT rule, subject, status, datetime(due, 'unixepoch') AS due, datetime(met, 'unixepoch') AS met FROM findings WHERE status = 'fail' AND rule IN ('ENGAGE','DRAFTING','CUTOFF','TURNAROUND') ORDER BY seq" | tr -d "\r"
$SIRCOMM query --db "$TMPDIR_CASE/l.db" --csv "SELECT CAST(sqlar_uncompress(data, size) AS TEXT) FROM records" | python3 -c 'import csv, sys; sys.stdout.write(list(csv.reader(sys.stdin))[1][0])' > "$TMPDIR_CASE/r.xml"
cmp "$TMPDIR_CASE/r.xml" tests/audit/missing-start-events.xml && echo "the stored record is the record"
$SIRCOMM audit --at 2026-12-31T00:00:00Z "$TMPDIR_CASE/r.xml" | grep -c 'cannot be proven' 
$SIRCOMM query --db "$TMPDIR_CASE/l.db" "SELECT rule, count(*) AS failures FROM findings WHERE status = 'fail' AND rule IN ('ENGAGE','DRAFTING','CUTOFF','TURNAROUND') GROUP BY rule ORDER BY rule"
