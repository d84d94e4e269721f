# A promised next public update in `status`: at 16:00 notice 2 (out at
# 14:52) promises the next update by 17:00 (tests/audit/next-update-kept.xml,
# seen before notice 3 went out), so publishing it is due next; at 17:30,
# with notice 3 still being drafted (next-update-overdue.xml), it is
# overdue and still due.
$SIRCOMM status --at 2026-03-04T16:00:00Z tests/audit/next-update-kept.xml | sed -n '/^Due next/,/^$/p'
$SIRCOMM status --format json --at 2026-03-04T17:30:00Z tests/audit/next-update-overdue.xml | python3 -c '
import sys; sys.path.insert(0, "tests")
from status_json import load, show
s = load()
assert [(o["rule"], o["subject"]) for o in s["overdue"] if o["rule"] == "NEXT-UPDATE"] == [("NEXT-UPDATE", "notice-2")]
ups = [(i["notice"], i["due"], i["overdue"]) for i in s["due_next"] if i["action"] == "publish-update"]
assert ups == [(2, "2026-03-04T17:00:00Z", True)], ups
show(s)'
