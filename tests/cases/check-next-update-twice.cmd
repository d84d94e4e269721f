# The first notice's promise of the next update may be written as
# <next-update at> or as <communication next-update>; written both ways
# with two times it is refused, since the drafts and the audit would
# each read a different promise.  Written both ways alike, it is one.
cd "$TMPDIR_CASE"
sed 's|<communication>|<communication next-update="2026-11-27T20:00:00Z">|' "$OLDPWD/samples/s1-in-progress.xml" > two.xml
$SIRCOMM check two.xml >log 2>&1; echo "status $?"; grep -v 'warning:' log
sed 's|<communication>|<communication next-update="2026-11-27T19:00:00Z">|' "$OLDPWD/samples/s1-in-progress.xml" > same.xml
$SIRCOMM check -q same.xml >/dev/null 2>&1; echo "status $?"
