# 14:30, resolved at 14:10 and past the record's last word (14:20): the
# header says resolved; nothing is due or owed any more, and no back-ups
# are asked for; the failures stay overdue (exit status 1).
T=2026-05-12T14:30:00Z
$SIRCOMM status --at $T tests/fixtures/status-walk.xml; echo "exit $?"
