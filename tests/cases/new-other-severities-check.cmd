for s in S2 S3 S4; do $SIRCOMM new --severity $s --at 2026-03-04T09:00:00-05:00 | $SIRCOMM check - || exit 1; done
