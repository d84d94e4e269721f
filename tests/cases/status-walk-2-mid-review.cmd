# 11:20, mid-review (tests/fixtures/status-walk.xml): Legal, Customer
# Success and Investor Relations are awaited until 11:30; VP of Security,
# whose update cadence lapsed once (10:15, the update came at 10:25: it
# stays overdue), still owes its next update, at 11:50; the email and the
# FAQ are due by the 15:30 turnaround, quorum not reached yet.
T=2026-05-12T11:20:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
$SIRCOMM status --format json --at $T tests/fixtures/status-walk.xml | python3 -c '
import sys; sys.path.insert(0, "tests")
from status_json import load, show
s = load()
assert s["comms_started"] == "2026-05-12T09:30:00Z" and s["turnaround"] == "2026-05-12T15:30:00Z"
assert s["cutoff"] == "2026-05-12T14:30:00Z"
assert [(o["rule"], o["subject"]) for o in s["overdue"]] == [("UPDATE-CADENCE", "vp-security")]
answers = [(i["group"], i["approver"], i["round"], i["artifacts"], i["requested"], i["due"])
           for i in s["due_next"] if i["action"] == "answer"]
assert answers == [
    ("legal", "Senior Director of Legal, Privacy and Product", "review", ["customer-email", "support-faq"], "2026-05-12T11:00:00Z", "2026-05-12T11:30:00Z"),
    ("customer-success", "VP Customer Success", "review", ["customer-email"], "2026-05-12T11:00:00Z", "2026-05-12T11:30:00Z"),
    ("investor-relations", "VP of Investor Relations", "review", ["customer-email"], "2026-05-12T11:00:00Z", "2026-05-12T11:30:00Z")], answers
updates = {i["group"]: i["due"] for i in s["due_next"] if i["action"] == "update"}
assert updates == {"director-secops": "2026-05-12T11:45:00Z", "e-group": "2026-05-12T11:45:00Z",
                   "vp-security": "2026-05-12T11:50:00Z"}, updates
deploy = [(i["artifacts"], i["due"], i["limit"], i["quorum_at"]) for i in s["due_next"] if i["action"] == "deploy"]
assert deploy == [(["customer-email", "support-faq"], "2026-05-12T15:30:00Z", "TURNAROUND", None)], deploy
show(s)'
