# 11:45, the review window (11:00 + 30 min) closed with Customer Success
# silent: engage its back-ups, by title, late (the window and the grace
# after it are over).  Investor Relations answered at 11:40, late: it
# gets no back-ups (its REVIEW-RESPONSE still fails).  The social post,
# due at 11:30, is overdue and still to draft.
T=2026-05-12T11:45:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
