# A social post over X's limit is an error naming the count; it stops
# only itself: every other draft is written, the note names the one that
# is not, and the exit status is 1.
# (The title stays within its own limit of 256 bytes: 16 times 16 bytes,
# less the trailing space.)
cd "$TMPDIR_CASE"
t=$(printf 'Very long title %.0s' $(seq 1 16))
sed "s|<title>Token exposure</title>|<title>$t</title>|; s|?utm_source=email&amp;utm_medium=notice||" "$OLDPWD/tests/fixtures/tracking.xml" > long.xml
$SIRCOMM draft -o . long.xml; echo "status $?"; ls
ls SIRT-2026-0667/drafts | tr '\n' ' '; echo
