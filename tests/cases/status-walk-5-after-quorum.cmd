# 12:45, after quorum: every approver group of the FAQ approved by 12:20,
# of the email by 12:40 (Customer Success through its back-up, engaged at
# 12:30): each is due an hour after its quorum (13:20, 13:40), before the
# 15:30 turnaround.  Before the first public release (the FAQ, published
# to Support, is not one) the social post must be drafted (the FAQ is) and
# DevRel and Marketing Ops engaged.  Security External Communications
# approved the final messaging at 12:35; the FYI groups are informed only
# at 13:00, so each is owed before the deployment.
T=2026-05-12T12:45:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
$SIRCOMM status --format json --at $T tests/fixtures/status-walk.xml | python3 -c '
import sys; sys.path.insert(0, "tests")
from status_json import load, show
s = load()
assert s["engage_backups"] == []
deploy = [(i["artifacts"], i["due"], i["limit"], i["quorum_at"]) for i in s["due_next"] if i["action"] == "deploy"]
assert deploy == [(["support-faq"], "2026-05-12T13:20:00Z", "DEPLOYMENT", "2026-05-12T12:20:00Z"),
                  (["customer-email"], "2026-05-12T13:40:00Z", "DEPLOYMENT", "2026-05-12T12:40:00Z")], deploy
before = [(i["action"], i["group"], i["artifacts"]) for i in s["before_public_release"]]
assert before == [("engage", "marketing-ops", []), ("engage", "devrel", []),
                  ("draft", None, ["social-post"])], before
# External Comms approved at 12:35; the FYI groups are not
# informed until 13:00: each is owed before the deployment.
fyi = [(i["action"], i["group"], i["artifacts"]) for i in s["before_deployment"]]
assert fyi == [("inform", "support", ["customer-email", "support-faq"]),
               ("inform", "corp-comms", ["customer-email", "support-faq"]),
               ("inform", "customer-success", ["support-faq"]),
               ("inform", "investor-relations", ["support-faq"])], fyi
vp = [i for i in s["due_next"] if i["action"] == "update" and i["group"] == "vp-security"]
assert [(i["due"], i["seconds_left"]) for i in vp] == [("2026-05-12T12:50:00Z", 300)], vp
show(s)'
