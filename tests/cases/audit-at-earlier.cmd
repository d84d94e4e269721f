# As the process stood mid-review: pending findings, nothing failed yet.
$SIRCOMM audit --at 2026-03-04T11:30:00Z samples/s1-breach.xml | tail -1
# Later, the same record with nothing done after 11:30 would fail: move the
# horizon past the deadlines of a record that stops early.
$SIRCOMM audit --at 2026-11-28T00:00:00Z samples/s1-in-progress.xml > "$TMPDIR_CASE/late.txt"; echo "status $?"
tail -1 "$TMPDIR_CASE/late.txt"
