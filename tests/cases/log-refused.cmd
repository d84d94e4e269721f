# An event the record cannot hold, or that check would reject or warn
# about, is refused with exit status 2 and the file is left byte for
# byte as it was; so is a record that does not check clean itself.
cd "$TMPDIR_CASE" || exit 9
$SIRCOMM new --at 2026-03-04T09:12:00Z --id SIRT-2026-0202 > r.xml
cp r.xml before.xml
try() {
	echo "log $*"
	$SIRCOMM log r.xml "$@"
	echo "status $?"
	cmp -s before.xml r.xml || echo "r.xml CHANGED"
}
try approved --at 2026-03-04T11:00:00Z -g legal -A customer-email
try approved --at 2026-03-04T11:00:00Z -g legal -b 'General Counsel' -A customer-email
try engaged --at 2026-03-04T11:00:00Z -g no-such-group
try draft-ready --at 2026-03-04T11:00:00Z -A 'customer-email press-kit'
try draft-ready --at 2026-03-04T11:00:00Z -A customer-email,customer-email
try update --at 2026-03-04T11:00:00Z -g director-secops --cutoff 2026-03-04T15:00:00Z
try review-requested --at 2026-03-04T11:00:00Z --round third -A customer-email
try note --at 2026-03-04T11:00:00Z
try note --at 2026-03-04T11:00:00Z -n "$(printf 'bell \007')"
try posted --at 2026-03-04T11:00:00Z -c "$(printf 'two\nlines')"
try note --at 2026-03-04T11:00:00+25:00
try note --at 11h00
try resolved --at 2026-03-04T11:00:00Z -g legal
try bogus
try
try note extra
$SIRCOMM log - note; echo "status $?"
$SIRCOMM log missing.xml note; echo "status $?"
sed 's/<severity>S1/<severity>S9/' before.xml > bad.xml
$SIRCOMM log bad.xml note -n x; echo "status $?"
