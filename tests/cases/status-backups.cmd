$SIRCOMM status --at 2026-11-27T15:35:00Z samples/s1-in-progress.xml
