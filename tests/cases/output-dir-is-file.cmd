# -o naming an existing regular file: say it is not a directory (it once
# said "does not exist"), exit 3, and leave the file as it was.
echo keep > "$TMPDIR_CASE/out"
cd "$TMPDIR_CASE"
$SIRCOMM draft -o out "$OLDPWD/samples/s1-breach.xml"; echo "draft $?"
$SIRCOMM bundle -o out "$OLDPWD/samples/s1-breach.xml"; echo "bundle $?"
$SIRCOMM sample --count 1 -o out; echo "sample $?"
$SIRCOMM templates export out; echo "templates $?"
$SIRCOMM draft -o missing/x "$OLDPWD/samples/invalid/bad-severity.xml" 2>/dev/null; echo "draft $?"
cat out; ls
