# The Markdown report explains each unproven finding (see
# audit-unproven-text); only those rows are shown.
$SIRCOMM audit --format md tests/audit/missing-start-events.xml >"$TMPDIR_CASE/a.md"; echo "status $?"
grep 'cannot be proven' "$TMPDIR_CASE/a.md"
