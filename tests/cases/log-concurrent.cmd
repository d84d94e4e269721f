# Eight sircomm log runs on one record at once take turns: every event
# is in the record afterwards, once, and it checks clean.
cd "$TMPDIR_CASE" || exit 9
$SIRCOMM new --at 2026-03-04T09:12:00Z --id SIRT-2026-0206 > r.xml
for i in 1 2 3 4 5 6 7 8; do
	$SIRCOMM log r.xml note --at 2026-03-04T10:0$i:00Z -n "note $i" >/dev/null &
done
wait
grep -c 'type="note"' r.xml
grep -o 'note [0-9]' r.xml | sort | tr '\n' ' '; echo
$SIRCOMM check r.xml
