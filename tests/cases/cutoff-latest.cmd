# Before a cutoff is announced, status and the approval matrix both name
# the latest cutoff the plan allows: T0 + 6 h less the 1 h deployment
# budget (the turnaround "includes ... 1 hour of deployment time"), not
# T0 + 6 h.  The in-progress sample started communications at 12:50Z.
sed '/type="cutoff-announced"/d' samples/s1-in-progress.xml >"$TMPDIR_CASE/r.xml"
$SIRCOMM status --at 2026-11-27T14:00:00Z "$TMPDIR_CASE/r.xml" | grep -i 'approval cutoff'
mkdir "$TMPDIR_CASE/out" && $SIRCOMM draft --only approval-matrix -o "$TMPDIR_CASE/out" "$TMPDIR_CASE/r.xml" >/dev/null &&
	grep 'Approval cutoff' "$TMPDIR_CASE/out/SIRT-2026-0302/drafts/approval-matrix.md"
