$SIRCOMM status --at 2026-07-21T03:00:00Z samples/s3-medium-out-of-scope.xml
