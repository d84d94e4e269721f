# A media statement quoting the VP of Security needs Security's approval
# whether or not the record writes <security-quoted/>; a
# <security-quoted/> the quote does not bear out is a warning, which
# check --strict refuses.
cd "$TMPDIR_CASE"
run() { "$@" >o.txt 2>&1; s=$?; sed "s|$OLDPWD/||" o.txt; echo "status $s"; }
$SIRCOMM draft -o . --only approval-matrix "$OLDPWD/samples/s1-breach.xml" >/dev/null
grep '^media-statement,security' SIRT-2026-0142/drafts/approval-matrix.csv
sed 's|<facts>|<facts><security-quoted/>|; s|<quote by="VP of Security">|<quote by="Director of Corp Comms">|' "$OLDPWD/samples/s1-breach.xml" > quoted.xml
run $SIRCOMM check --strict quoted.xml
