# Follow-up notices: the second out before the first (the first deployed
# event) and promising the next update before itself, one out of order,
# one after a draft.
$SIRCOMM check tests/fixtures/notices-bad.xml
