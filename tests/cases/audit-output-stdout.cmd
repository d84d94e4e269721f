# -o - is standard output, as for other tools: no file named '-'.
cd "$TMPDIR_CASE"
$SIRCOMM audit -o - --format csv "$OLDPWD/samples/s1-breach.xml" | head -2; echo "audit $?"
$SIRCOMM audit -o - "$OLDPWD/samples/s1-breach.xml" "$OLDPWD/samples/s1-breach.xml" | grep -c '^SIRT-2026-0142'
ls
# Where a directory of files is written, '-' is refused: no directory
# named '-' either.
$SIRCOMM draft -o - "$OLDPWD/samples/s1-breach.xml"; echo "draft $?"
$SIRCOMM sample --count 1 -o -; echo "sample $?"
ls
