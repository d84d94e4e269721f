# sircomm log adds each event after the last one not later than it, on
# its own line with its siblings' indentation, and changes no other byte
# of the file: the diff with the skeleton is the added lines only.  A
# late entry (an engagement logged after the fact) lands where it
# belongs in time; values are escaped; the result checks clean.
cd "$TMPDIR_CASE" || exit 9
$SIRCOMM new --at 2026-03-04T09:12:00Z --id SIRT-2026-0201 > skel.xml
cp skel.xml r.xml
$SIRCOMM log r.xml draft-ready --at 2026-03-04T10:30:00Z --artifacts "customer-email, support-faq social-post"
$SIRCOMM log r.xml engaged --at 2026-03-04T11:35:00+01:00 --group external-comms --by seccmoc
$SIRCOMM log r.xml review-requested --at 2026-03-04T10:40:00Z --round review -A customer-email -c '#sirt-comms'
$SIRCOMM log r.xml feedback --at 2026-03-04T10:55:00Z -g legal -b 'Legal Counsel' -A customer-email
$SIRCOMM log r.xml note --at now -n 'Ticket: "token" <visible> & logged' | sed 's/ at .*/ at NOW/'
$SIRCOMM log r.xml cutoff-announced --at 2026-03-04T10:41:00Z --cutoff 2026-03-04T15:42:00Z
echo "status $?"
diff skel.xml r.xml | sed 's/at="20[0-9-]*T[0-9:]*Z" type="note"/at="NOW" type="note"/'
$SIRCOMM check r.xml
