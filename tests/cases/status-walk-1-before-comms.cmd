# One incident (tests/fixtures/status-walk.xml) followed with status at
# several instants.  09:00, before communications start: the header says
# what was known then (not yet resolved: the record ends resolved);
# updates due at 09:15 and 09:20; drafts, the cutoff, deployments and the
# engagements that count from comms start wait for it; DevRel, Marketing
# Ops and both companions are needed before the first deployment.
T=2026-05-12T09:00:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
