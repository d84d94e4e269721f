# An organisation's notice-update.md without its Subject: line: check
# refuses the record whose notices need it, as draft would, naming the
# template; a record without notices does not use it.
mkdir "$TMPDIR_CASE/t"
printf 'Hello,\n\n{{{notice.changes}}}\n' > "$TMPDIR_CASE/t/notice-update.md"
$SIRCOMM check --templates "$TMPDIR_CASE/t" samples/s1-ongoing-notices.xml samples/s1-breach.xml >"$TMPDIR_CASE/out" 2>"$TMPDIR_CASE/err"
echo "exit $?"
sed "s|$TMPDIR_CASE|TMP|g" "$TMPDIR_CASE/out" "$TMPDIR_CASE/err"
