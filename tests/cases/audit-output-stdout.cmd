# -o - is standard output, as for other tools: no file named '-'.
cd "$TMPDIR_CASE"
$SIRCOMM audit -o - --format csv "$OLDPWD/samples/s1-breach.xml" | head -2; echo "audit $?"
$SIRCOMM audit -o - "$OLDPWD/samples/s1-breach.xml" "$OLDPWD/samples/s1-breach.xml" | grep -c '^SIRT-2026-0142'
ls
