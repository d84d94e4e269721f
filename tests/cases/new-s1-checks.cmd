$SIRCOMM new --severity S1 --at 2026-03-04T09:00:00Z | $SIRCOMM check -
