# new prints only a skeleton that checks clean: a title of spaces alone
# (empty once trimmed), or holding U+FFFE (no XML character), would make
# one that check refuses, so new reads its skeleton back as check does
# and refuses instead, printing nothing.  (new once printed both.)
$SIRCOMM new --at 2026-03-04T09:00:00Z --title "   "; echo "status $?"
$SIRCOMM new --at 2026-03-04T09:00:00Z --title "$(printf 'Token \357\277\276 leak')"; echo "status $?"
$SIRCOMM new --at 2026-03-04T09:00:00Z --title "Token leak & <more>" | $SIRCOMM check -
