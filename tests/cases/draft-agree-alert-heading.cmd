# The security alert that opened with the heading "Action required" over
# the record's "No action is required ...": the heading contradicts its
# own text, and the alert is not written.
cd "$TMPDIR_CASE"
run() { "$@" >o.txt 2>&1; s=$?; sed "s|$OLDPWD/||" o.txt; echo "status $s"; }
run $SIRCOMM draft -o . --only security-alert,customer-email --templates "$OLDPWD/tests/fixtures/agree/alert-heading" "$OLDPWD/samples/s1-breach.xml"
ls SIRT-2026-0142/drafts
