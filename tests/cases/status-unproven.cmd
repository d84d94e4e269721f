# status on a record that shows communications started but lacks
# comms-started (and severity-determined): the deadlines say the
# turnaround cannot be proven, not that communications have not started,
# and each unproven obligation is shown with its explanation.
$SIRCOMM status --at 2026-03-04T18:00:00Z tests/audit/missing-start-events.xml >"$TMPDIR_CASE/s.txt"; echo "status $?"
grep -e 'comms-started' -e 'severity-determined' "$TMPDIR_CASE/s.txt"
