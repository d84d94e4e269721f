# A bad record among many: the output file is not written, and no
# temporary is left behind.
cd "$TMPDIR_CASE" && $SIRCOMM audit --format json -o a.json "$OLDPWD/samples/s1-breach.xml" "$OLDPWD/samples/invalid/unknown-group.xml" 2>&1 | sed "s|$OLDPWD/||"; echo "status $?"; ls -A
