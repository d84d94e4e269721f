# 11:45, the review window (11:00 + 30 min) closed with Customer Success
# silent: engage its back-ups, by title, late (the window is over, and
# the built-in policy gives no grace after it).  Investor Relations answered at 11:40, late: it
# gets no back-ups (its REVIEW-RESPONSE still fails).  The social post,
# due at 11:30, is overdue and still to draft.
T=2026-05-12T11:45:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
$SIRCOMM status --format json --at $T tests/fixtures/status-walk.xml | python3 -c '
import sys; sys.path.insert(0, "tests")
from status_json import load, show
s = load()
assert [b["group"] for b in s["engage_backups"]] == ["customer-success"], s["engage_backups"]
b = s["engage_backups"][0]
assert (b["title"], b["round"], b["artifacts"], b["window_closed"], b["overdue"]) == (
    "Customer Success", "review", ["customer-email"], "2026-05-12T11:30:00Z", True), b
assert b["due"] <= "2026-05-12T11:45:00Z" and b["seconds_left"] < 0, b
assert b["backups"] == ["Senior Director, Customer Success Managers", "Director of Customer Success, Public Sector"]
assert ("REVIEW-RESPONSE", "investor-relations/customer-email") in [(o["rule"], o["subject"]) for o in s["overdue"]]
assert not [i for i in s["due_next"] if i["action"] == "answer"]
first = s["due_next"][0]
assert (first["action"], first["artifacts"], first["overdue"], first["seconds_left"]) == ("draft", ["social-post"], True, -900), first
show(s)'
