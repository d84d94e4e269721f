# Only incidents whose communications started in the period count.
# 2026-03-01..2026-04-30 holds SIRT-2026-0142 (T0 2026-03-04T10:00Z),
# SIRT-2026-0151 (2026-03-05T15:05Z) and SIRT-2026-0188 (2026-04-14T08:40Z).
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2026-03-01 --to 2026-04-30; echo "status $?"
# Days are whole UTC days, both ends included.
for p in "2026-03-04 2026-03-04" "2026-03-05 2026-03-05" "2026-03-03 2026-03-03" "2026-03-04 2026-03-05"; do
	set -- $p
	printf '%s..%s: ' "$1" "$2"
	$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from "$1" --to "$2" --format csv | grep '^"totals","","incidents"'
done
# One side open.
printf 'from 2026-06-01: '
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2026-06-01 --format csv | grep -E '^"(period|totals)","","(to_epoch|incidents)"' | tr '\r\n' '  '; echo
printf 'to 2026-05-31: '
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --to 2026-05-31 --format csv | grep -E '^"(period|totals)","","(from_epoch|incidents)"' | tr '\r\n' '  '; echo
