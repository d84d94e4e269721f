# 11:20, mid-review (tests/fixtures/status-walk.xml): Legal, Customer
# Success and Investor Relations are awaited until 11:30; VP of Security,
# whose update cadence lapsed once (10:15, the update came at 10:25: it
# stays overdue), still owes its next update, at 11:50; the email and the
# FAQ are due by the 15:30 turnaround, quorum not reached yet.
T=2026-05-12T11:20:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
