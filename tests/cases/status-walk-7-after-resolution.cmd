# 14:30, resolved at 14:10 and past the record's last word (14:20): the
# header says resolved; nothing is due or owed any more, and no back-ups
# are asked for; the failures stay overdue (exit status 1).
T=2026-05-12T14:30:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
$SIRCOMM status --format json --at $T tests/fixtures/status-walk.xml | python3 -c '
import sys; sys.path.insert(0, "tests")
from status_json import load, show
s = load()
assert s["incident_status"] == "resolved"
assert s["engage_backups"] == [] and s["due_next"] == []
assert s["before_deployment"] == [] and s["before_public_release"] == [] and s["still_owed"] == []
assert len(s["overdue"]) == 4
show(s)'
