# The social post that hedged, "Action may be needed on your side.",
# wherever the record had any customer action: for an incident with no
# action required (s1-breach) and for an urgent one (s1-rce-public) it
# contradicts the other drafts.  draft writes every other draft and exits
# 1; check and bundle refuse the set.
cd "$TMPDIR_CASE"
run() { "$@" >o.txt 2>&1; s=$?; sed "s|$OLDPWD/||" o.txt; echo "status $s"; }
t="$OLDPWD/tests/fixtures/agree/social-hedge"
run $SIRCOMM draft -o . --templates "$t" "$OLDPWD/samples/s1-breach.xml" "$OLDPWD/samples/s1-rce-public.xml"
ls SIRT-2026-0142/drafts | tr '\n' ' '; echo
run $SIRCOMM check --templates "$t" "$OLDPWD/samples/s1-breach.xml"
$SIRCOMM bundle -o . --templates "$t" "$OLDPWD/samples/s1-breach.xml" >/dev/null 2>&1; echo "bundle status $?"
