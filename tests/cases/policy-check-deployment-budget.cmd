# The turnaround includes the deployment time and the announced cutoff
# must leave it (CUTOFF): a deployment budget as long as the turnaround
# leaves no time for approvals, so every cutoff would fail.  A warning,
# not an error: the policy still loads.  A budget one second shorter is
# accepted silently.
sed 's|turnaround="PT6H" drafting="PT2H" deployment="PT1H"|turnaround="PT6H" drafting="PT2H" deployment="PT6H"|' policy/policy.xml > "$TMPDIR_CASE/p.xml"
sed 's|turnaround="PT6H" drafting="PT2H" deployment="PT1H"|turnaround="PT6H" drafting="PT2H" deployment="PT5H59M59S"|' policy/policy.xml > "$TMPDIR_CASE/q.xml"
cd "$TMPDIR_CASE" && $SIRCOMM policy check p.xml q.xml | sed 's/sha256 .*/sha256 .../'
