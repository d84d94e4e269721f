# 13:15, both deployed at 13:05: nothing left to deploy or to prepare for
# a deployment; two awareness channels still to post to; the updates go
# on until the incident is resolved.
T=2026-05-12T13:15:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
$SIRCOMM status --format json --at $T tests/fixtures/status-walk.xml | python3 -c '
import sys; sys.path.insert(0, "tests")
from status_json import load, show
s = load()
assert s["engage_backups"] == [] and s["before_deployment"] == [] and s["before_public_release"] == []
assert sorted({i["action"] for i in s["due_next"]}) == ["update"], s["due_next"]
posts = [(i["channels"], i["after"]) for i in s["still_owed"] if i["action"] == "post"]
assert posts == [(["#social_media_action", "#customer-success"], None)], posts
show(s)'
