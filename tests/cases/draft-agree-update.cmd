# A media statement that promises the next update at another time than
# the record's <next-update at> (and, on a resolved incident with none,
# at any time).
cd "$TMPDIR_CASE"
run() { "$@" >o.txt 2>&1; s=$?; sed "s|$OLDPWD/||" o.txt; echo "status $s"; }
t="$OLDPWD/tests/fixtures/agree/update"
run $SIRCOMM draft -o . --only media-statement --templates "$t" "$OLDPWD/samples/s1-in-progress.xml"
run $SIRCOMM draft -o . --only media-statement --templates "$t" "$OLDPWD/samples/s1-breach.xml"
