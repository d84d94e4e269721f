# A policy that names no exception approvers lets no exception excuse a
# finding: loading it warns, and the record's exception is unauthorized.
sed '/<exception-approvers>/,/<\/exception-approvers>/d' policy/policy.xml > "$TMPDIR_CASE/p.xml"
cd "$TMPDIR_CASE" && $SIRCOMM policy check p.xml | sed 's/sha256 .*/sha256 .../'
$SIRCOMM policy show --policy p.xml | sed -n '/^## Exception approvers/,/^## Artifacts/p'
$SIRCOMM audit --policy p.xml "$OLDPWD/samples/s1-missed-turnaround.xml" 2>/dev/null | grep -E '^(fail|excepted) +TURNAROUND|^exception'
