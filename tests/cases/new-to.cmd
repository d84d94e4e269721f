# new --to FILE writes the skeleton into a new file for sircomm log to
# add to; an existing file, a record already being kept, is never
# replaced.
cd "$TMPDIR_CASE" || exit 9
$SIRCOMM new --at 2026-03-04T09:12:00Z --id SIRT-2026-0207 --to r.xml; echo "status $?"
$SIRCOMM new --at 2026-03-04T09:12:00Z --id SIRT-2026-0207 | cmp - r.xml && echo "same as printed"
echo kept > k.xml
$SIRCOMM new --to k.xml; echo "status $?"
cat k.xml
$SIRCOMM new --to no-such-dir/r.xml; echo "status $?"
ls
