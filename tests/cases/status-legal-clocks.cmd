# The regulators' clocks come first in status, counting down, with the
# deadline at the offset the clock started from and in UTC; overdue ones
# in red.  At 00:00Z on 29 March: NIS2's early warning due in 9 h, GDPR
# Art. 33 and the NIS2 notification on 31 March, GDPR Art. 34 open
# without a fixed deadline, the NIS2 final report not started.  Later, on
# 1 April, the NIS2 final report counts down from the notification.
$SIRCOMM status --at 2026-03-29T00:00:00Z tests/audit/notify-gdpr-nis2.xml | sed -n '1,10p'
$SIRCOMM status --at 2026-03-31T09:10:00Z --color always tests/audit/notify-gdpr-nis2.xml | sed -n '4,8p' | cat -v
$SIRCOMM status --format json --at 2026-03-29T00:00:00Z tests/audit/notify-gdpr-nis2.xml | python3 -c '
import sys; sys.path.insert(0, "tests")
from status_json import load, show
show(load())'
# Out of the plan's scope (impact medium), the regulators' clocks still run.
$SIRCOMM status --at 2026-06-01T00:00:00Z tests/audit/notify-dora-backstop.xml | tail -4
# A record that states no regime: no section, an empty list.
$SIRCOMM status --at 2026-03-04T12:00:00Z samples/s1-silent-approver.xml | grep -c "Legal clocks"
$SIRCOMM status --format json --at 2026-03-04T12:00:00Z samples/s1-silent-approver.xml | grep '"legal_clocks"'
