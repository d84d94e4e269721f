# 12:45, after quorum: every approver group of the FAQ approved by 12:20,
# of the email by 12:40 (Customer Success through its back-up, engaged at
# 12:30): each is due an hour after its quorum (13:20, 13:40), before the
# 15:30 turnaround.  Before the first deployment the social post must be
# drafted (the FAQ is) and DevRel and Marketing Ops engaged.
T=2026-05-12T12:45:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
