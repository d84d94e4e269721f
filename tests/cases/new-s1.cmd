$SIRCOMM new --severity S1 --id SIRT-2026-0500 --title "Leaked tokens & keys" --at 2026-03-04T09:00:00+01:00
