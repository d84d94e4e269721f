# A display zone named in the tz database follows the calendar: times
# in drafts, the email's Date header and status carry the offset in
# force at each instant, on both sides of a daylight-saving change, in
# both directions (Berlin falls back on 25 October 2026 at 01:00 UTC,
# New York springs forward on 8 March 2026 at 07:00 UTC).  A fixed
# offset stays what it says.
T=$TMPDIR_CASE
for zone in Europe/Berlin America/New_York; do
	$SIRCOMM policy export | sed "s|<display-zone name=\"UTC\" offset=\"+00:00\"/>|<display-zone name=\"$zone\"/>|" > "$T/policy.xml"
	case $zone in
	Europe/*) at=2026-10-25T00:40:00Z before=2026-10-25T00:59:00Z after=2026-10-25T01:01:00Z ;;
	*) at=2026-03-08T06:40:00Z before=2026-03-08T06:59:00Z after=2026-03-08T07:01:00Z ;;
	esac
	echo "== $zone"
	$SIRCOMM policy show --policy "$T/policy.xml" | grep 'Display time zone'
	rm -f "$T/r.xml"
	$SIRCOMM new --policy "$T/policy.xml" --at $at --id SIRT-2026-0300 --to "$T/r.xml" >/dev/null
	$SIRCOMM log --policy "$T/policy.xml" "$T/r.xml" draft-ready --at $after -A 'customer-email support-faq social-post' >/dev/null
	$SIRCOMM log --policy "$T/policy.xml" "$T/r.xml" deployed --at $after -A customer-email -c email >/dev/null
	$SIRCOMM status --policy "$T/policy.xml" --at $before "$T/r.xml" | sed -n 2p
	$SIRCOMM status --policy "$T/policy.xml" --at $after "$T/r.xml" | sed -n 2p
	$SIRCOMM draft --policy "$T/policy.xml" -o "$T" "$T/r.xml" 2>&1 >/dev/null | sed "s|$T/|TMP/|"
	grep '^Date:' "$T/SIRT-2026-0300/drafts/customer-email.eml"
	grep -E '^- 2026' "$T/SIRT-2026-0300/drafts/internal-update.md"
	grep -E '^\| (Director|Designated)' "$T/SIRT-2026-0300/drafts/engagement-plan.md" | cut -d'|' -f2,4
done
echo "== a fixed offset"
$SIRCOMM policy export | sed 's|<display-zone name="UTC" offset="+00:00"/>|<display-zone name="CET" offset="+01:00"/>|' > "$T/policy.xml"
$SIRCOMM status --policy "$T/policy.xml" --at 2026-03-08T07:01:00Z "$T/r.xml" | sed -n 2p
echo "== not a zone"
for z in Mars/Olympus ../../etc/passwd Europe; do
	$SIRCOMM policy export | sed "s|<display-zone name=\"UTC\" offset=\"+00:00\"/>|<display-zone name=\"$z\"/>|" > "$T/bad.xml"
	$SIRCOMM policy check "$T/bad.xml" 2>&1 | sed "s|$T|TMP|"
done
echo "== new and log stamp now in the display zone"
$SIRCOMM policy export | sed 's|<display-zone name="UTC" offset="+00:00"/>|<display-zone name="IST" offset="+05:30"/>|' > "$T/ist.xml"
$SIRCOMM new --policy "$T/ist.xml" --to "$T/now.xml" >/dev/null
grep -c 'at="[0-9T:-]*+05:30" type="detected"' "$T/now.xml"
$SIRCOMM log --policy "$T/ist.xml" "$T/now.xml" note -n "stamped now" | grep -c ' at [0-9T:-]*+05:30$'
echo "== log --at on the display zone's clock"
$SIRCOMM policy export | sed 's|<display-zone name="UTC" offset="+00:00"/>|<display-zone name="Europe/Berlin"/>|' > "$T/policy.xml"
rm -f "$T/r.xml"
$SIRCOMM new --policy "$T/policy.xml" --at 2026-10-24T20:00:00Z --id SIRT-2026-0301 --to "$T/r.xml" >/dev/null
for a in "2026-10-25 03:30" 2026-10-25T01:59:59 "2026-10-25 02:30" 2026-10-25T02:30:00 \
	"2026-03-29 02:30" 25:00 yesterday 2026-10-25T02:30:00+02:00; do
	$SIRCOMM log --policy "$T/policy.xml" "$T/r.xml" note --at "$a" -n "at $a" 2>&1 | sed "s|$T|TMP|"
done
$SIRCOMM log --policy "$T/ist.xml" "$T/now.xml" note --at 00:00 -n midnight | sed "s|$T|TMP|; s/ at [0-9-]*T/ at TODAY-T/"
