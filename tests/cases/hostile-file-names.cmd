# File names with control characters (an escape sequence that would set
# the terminal's title and colour, a newline, a C1 CSI, invalid UTF-8)
# are printed escaped in every diagnostic and progress line, never raw.
cd "$TMPDIR_CASE"
evil=$(printf 'x\033]0;pwned\007\033[31m\nred\302\233\377.xml')
cp "$OLDPWD/samples/s1-breach.xml" "$evil"
$SIRCOMM check "$evil"; echo "check $?"
$SIRCOMM check "missing-$evil"; echo "check $?"
printf '<incident' > "bad-$evil"
$SIRCOMM audit "bad-$evil"; echo "audit $?"
mkdir out
$SIRCOMM draft -o "out" "$evil" | sed 's/ in .*//'; echo "draft $?"
$SIRCOMM draft -o "out-$evil" "$evil"; echo "draft $?"
$SIRCOMM audit "--$evil" "$evil"; echo "audit $?"
$SIRCOMM ingest -q --db "l-$evil.db" "$evil" 2>&1 | sed 's/in [0-9.]* s$/in T s/'
$SIRCOMM verify "$evil"; echo "verify $?"
