# The CSV report explains each unproven finding (see audit-unproven-text);
# the header and those rows are shown.
$SIRCOMM audit --format csv tests/audit/missing-start-events.xml >"$TMPDIR_CASE/a.csv"; echo "status $?"
sed -n 1p "$TMPDIR_CASE/a.csv"
grep 'cannot be proven' "$TMPDIR_CASE/a.csv"
