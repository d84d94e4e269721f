# One incident (tests/fixtures/status-walk.xml) followed with status at
# several instants.  09:00, before communications start: the header says
# what was known then (not yet resolved: the record ends resolved);
# updates due at 09:15 and 09:20; drafts, the cutoff, deployments and the
# engagements that count from comms start wait for it; DevRel, Marketing
# Ops and both companions are needed before the first deployment.
T=2026-05-12T09:00:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
$SIRCOMM status --format json --at $T tests/fixtures/status-walk.xml | python3 -c '
import sys; sys.path.insert(0, "tests")
from status_json import load, show
s = load()
assert s["incident_status"] == "not yet resolved" and s["comms_started"] is None
assert s["turnaround"] is None and s["cutoff"] is None
assert s["overdue"] == [] and s["engage_backups"] == []
assert [(i["action"], i["group"], i["due"]) for i in s["due_next"]] == [
    ("update", "director-secops", "2026-05-12T09:15:00Z"),
    ("update", "vp-security", "2026-05-12T09:15:00Z"),
    ("update", "e-group", "2026-05-12T09:20:00Z")]
before = [(i["action"], i["group"], i["artifacts"]) for i in s["before_public_release"]]
assert before == [("engage", "marketing-ops", []), ("engage", "devrel", []),
                  ("draft", None, ["social-post", "support-faq"])], before
owed = {(i["action"], i["group"], i["after"]) for i in s["still_owed"]}
assert ("engage", "key-approvers", "comms-started") in owed
assert ("draft", None, "comms-started") in owed and ("deploy", None, "comms-started") in owed
assert ("announce-cutoff", None, None) in owed and ("post", None, "first-deployment") in owed
show(s)'
