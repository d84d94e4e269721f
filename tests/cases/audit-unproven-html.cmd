# The HTML report explains each unproven finding (see audit-unproven-text)
# in its list of failures and its table, and the timeline's caption says
# why there is no turnaround deadline to draw.
$SIRCOMM audit --format html tests/audit/missing-start-events.xml >"$TMPDIR_CASE/a.html"; echo "status $?"
grep -c 'cannot be proven' "$TMPDIR_CASE/a.html"
grep -o '<li><a href="#f-[0-9]*"><b>[A-Z-]*</b> [^<]*</a>: [^<]*cannot be proven[^<]*</li>' "$TMPDIR_CASE/a.html"
grep -o 'The record has no comms-started event[^.]*\.' "$TMPDIR_CASE/a.html"
