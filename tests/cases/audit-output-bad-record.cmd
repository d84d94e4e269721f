# A bad record among many: the output file is not written, and no
# temporary is left behind.
cd "$TMPDIR_CASE" && $SIRCOMM audit --format json -o a.json "$OLDPWD/samples/s1-breach.xml" "$OLDPWD/samples/invalid/unknown-group.xml" 2>err.txt; echo "status $?"
sed "s|$OLDPWD/||" err.txt; rm err.txt; ls -A
