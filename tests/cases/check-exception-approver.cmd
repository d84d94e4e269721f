# Only SIRT management approves exceptions: one approved by anyone else is
# reported when the record is read, and excuses nothing in the audit (the
# customer email's missed turnaround stays a failure: exit status 1).
sed -e 's|approved-by="VP of Security"|approved-by="Security Communications Manager on Call"|' \
    samples/s1-missed-turnaround.xml > "$TMPDIR_CASE/r.xml"
cd "$TMPDIR_CASE" && $SIRCOMM check r.xml; echo "status $?"
$SIRCOMM audit r.xml > out.txt 2>/dev/null; echo "status $?"
grep -E '^(fail|excepted) +TURNAROUND|^exception' out.txt
$SIRCOMM audit --format json r.xml 2>/dev/null | grep -o '"state": "[^"]*"'
$SIRCOMM audit --format md r.xml 2>/dev/null | grep '^| EX-'
