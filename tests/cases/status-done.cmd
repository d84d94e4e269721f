$SIRCOMM status --at 2026-03-04T13:30:00Z samples/s1-breach.xml
