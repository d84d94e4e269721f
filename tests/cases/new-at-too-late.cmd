# new refuses an --at it cannot turn into a valid record: the skeleton's
# events run up to 30 minutes after --at (S2), or to the end of the
# turnaround (S1: 6 h 30 min), and every time must stay within the year
# 9999 in UTC and as written in --at's offset.  The latest --at that fits
# prints a skeleton that checks clean.  (new once printed skeletons with
# times in the year 10000, which check refused.)
cd "$TMPDIR_CASE" || exit 9
for a in 9999-12-31T23:59:59Z "9999-12-31T23:30:00Z --severity S2" \
	"9999-12-31T17:30:00Z --severity S1" "9999-12-31T23:30:00+05:00 --severity S2"; do
	$SIRCOMM new --at $a > out.xml; echo "new --at $a: status $?, $(wc -c < out.xml) bytes"
done
for a in "9999-12-31T23:29:59Z --severity S2" "9999-12-31T17:29:59Z --severity S1" \
	"9999-12-31T23:29:59+05:00 --severity S2" "9999-12-31T00:00:00-05:00 --severity S1"; do
	echo "new --at $a:"
	$SIRCOMM new --at $a | $SIRCOMM check -
done
rm -f out.xml
