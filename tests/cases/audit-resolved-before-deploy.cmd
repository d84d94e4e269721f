# Communications go on after the fix lands: as of 19:00 nothing has failed
# yet (posts and deployments still to come), though the incident resolved
# at 17:08.
$SIRCOMM audit --at 2026-03-05T19:00:00Z samples/s1-silent-approver.xml | tail -1
