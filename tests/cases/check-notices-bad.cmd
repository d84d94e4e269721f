# Follow-up notices: a next update promised before the notice, one out
# of order, one after a draft.
$SIRCOMM check tests/fixtures/notices-bad.xml
