# 12:05, the final round was requested at 12:00: the review round is over,
# so Customer Success's silent review no longer calls for back-ups (it
# stays overdue); the four approver groups are awaited until 12:30.
T=2026-05-12T12:05:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
