# Standing exceptions apply to an audit with --exceptions: the customer
# email's missed turnaround is excused by EX-STD-001 once the record's own
# exception names another artifact.
sed 's|rule="TURNAROUND" subject="customer-email"|rule="TURNAROUND" subject="blog-post"|' samples/s1-missed-turnaround.xml > "$TMPDIR_CASE/r.xml"
$SIRCOMM audit --exceptions tests/fixtures/standing.xml "$TMPDIR_CASE/r.xml" > "$TMPDIR_CASE/out"; echo "status $?"
grep -E '^(excepted|fail)|exception' "$TMPDIR_CASE/out" | cut -c1-120
