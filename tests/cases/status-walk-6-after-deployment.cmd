# 13:15, both deployed at 13:05: nothing left to deploy or to prepare for
# a deployment; two awareness channels still to post to; the updates go
# on until the incident is resolved.
T=2026-05-12T13:15:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
