# 12:05, the final round was requested at 12:00: the review round is over,
# so Customer Success's silent review no longer calls for back-ups (it
# stays overdue); the four approver groups are awaited until 12:30.
T=2026-05-12T12:05:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
$SIRCOMM status --format json --at $T tests/fixtures/status-walk.xml | python3 -c '
import sys; sys.path.insert(0, "tests")
from status_json import load, show
s = load()
assert s["engage_backups"] == []
assert ("REVIEW-RESPONSE", "customer-success/customer-email") in [(o["rule"], o["subject"]) for o in s["overdue"]]
answers = [(i["group"], i["round"], i["due"]) for i in s["due_next"] if i["action"] == "answer"]
assert answers == [(g, "final", "2026-05-12T12:30:00Z") for g in
                   ("security", "legal", "customer-success", "investor-relations")], answers
show(s)'
