# An incident still in progress (s1-in-progress: the record stops in the
# review round, no finding failed, 45 pending) is not a pass: the page's
# verdict says IN PROGRESS, in the pending colour, and the text, the
# Markdown and the JSON say the same.  Exit 0: nothing failed.
for f in html text md json; do
	$SIRCOMM audit --format $f samples/s1-in-progress.xml > "$TMPDIR_CASE/audit.$f"
	echo "$f: status $?"
done
grep -o '<div class="verdict[^"]*"><span>[^<]*</span><b>[^<]*</b><span>[^<]*</span>' "$TMPDIR_CASE/audit.html"
grep '^result: ' "$TMPDIR_CASE/audit.text"
grep '^| Result ' "$TMPDIR_CASE/audit.md"
grep -o '"result": .*' "$TMPDIR_CASE/audit.json"
