# A process that misses the plan: exit status 1, the failures named.
sed 's|rule="TURNAROUND" subject="customer-email"|rule="TURNAROUND" subject="blog-post"|' samples/s1-missed-turnaround.xml > "$TMPDIR_CASE/r.xml"
$SIRCOMM audit "$TMPDIR_CASE/r.xml" > "$TMPDIR_CASE/out.txt"; echo "status $?"
grep -E '^(fail|excepted)' "$TMPDIR_CASE/out.txt" | cut -c1-160
grep '^exception' "$TMPDIR_CASE/out.txt"
