# The ledger keeps each unproven finding (see audit-unproven-text) as a
# failure with its note, and the report counts it among the failures.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" tests/audit/missing-start-events.xml 2>/dev/null; echo "ingest status $?"
$SIRCOMM query --db "$TMPDIR_CASE/l.db" --csv "SELECT rule, subject, status, note FROM findings WHERE note LIKE '%cannot be proven%' ORDER BY seq" | tr -d "\r"
$SIRCOMM query --db "$TMPDIR_CASE/l.db" "SELECT rule, count(*) AS failures FROM findings WHERE status = 'fail' AND rule IN ('ENGAGE','DRAFTING','CUTOFF','TURNAROUND') GROUP BY rule ORDER BY rule"
