# A customer email that says "all of our customers" where the record's
# scope is some users.
cd "$TMPDIR_CASE"
run() { "$@" >o.txt 2>&1; s=$?; sed "s|$OLDPWD/||" o.txt; echo "status $s"; }
run $SIRCOMM draft -o . --only customer-email --templates "$OLDPWD/tests/fixtures/agree/population" "$OLDPWD/samples/s1-breach.xml"
