# A record below the plan's scope (s3-medium-out-of-scope: impact
# medium) was not audited against the plan: every finding is n/a, and
# the verdict says N/A, not PASS, in every format.  Exit 0.
for f in html text md json; do
	$SIRCOMM audit --format $f samples/s3-medium-out-of-scope.xml > "$TMPDIR_CASE/audit.$f"
	echo "$f: status $?"
done
grep -o '<div class="verdict[^"]*"><span>[^<]*</span><b>[^<]*</b><span>[^<]*</span>' "$TMPDIR_CASE/audit.html"
grep '^result: ' "$TMPDIR_CASE/audit.text"
grep '^| Result ' "$TMPDIR_CASE/audit.md"
grep -o '"result": .*' "$TMPDIR_CASE/audit.json"
