# An exception whose subject can never match a finding of its rule is
# refused with its line and the subjects the rule's findings can have:
# TURNAROUND judges artifacts, not groups; Investor Relations only gets
# the social post for information, so it has no approval round to excuse.
sed -e 's|rule="TURNAROUND" subject="customer-email"|rule="TURNAROUND" subject="legal"|' \
    samples/s1-missed-turnaround.xml > "$TMPDIR_CASE/group.xml"
sed -e 's|rule="TURNAROUND" subject="customer-email"|rule="APPROVAL-RESPONSE" subject="investor-relations/social-post"|' \
    samples/s1-missed-turnaround.xml > "$TMPDIR_CASE/fyi.xml"
cd "$TMPDIR_CASE" && $SIRCOMM check group.xml fyi.xml; echo "status $?"
$SIRCOMM audit group.xml > /dev/null; echo "status $?"
