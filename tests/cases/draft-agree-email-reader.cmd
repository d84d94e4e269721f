# The customer email that told every reader the incident affected "your
# account" when it goes to all customers and its own text says "If your
# organization is affected" (s1-in-progress); with email-to="affected"
# it may say so.
cd "$TMPDIR_CASE"
run() { "$@" >o.txt 2>&1; s=$?; sed "s|$OLDPWD/||" o.txt; echo "status $s"; }
t="$OLDPWD/tests/fixtures/agree/email-reader"
run $SIRCOMM draft -o . --only customer-email --templates "$t" "$OLDPWD/samples/s1-in-progress.xml"
sed 's|<communication>|<communication email-to="affected">|' "$OLDPWD/samples/s1-in-progress.xml" > to-affected.xml
run $SIRCOMM draft -o . --only customer-email --templates "$t" to-affected.xml
