# A record that shows the process ran but lacks severity-determined and
# comms-started: what counts from them fails as unproven, and the text
# report says which event is missing and which event shows it happened.
# Only those findings are shown; the exit status is 1.
$SIRCOMM audit tests/audit/missing-start-events.xml >"$TMPDIR_CASE/a.txt"; echo "status $?"
grep -e 'cannot be proven' -e '^SCN-' "$TMPDIR_CASE/a.txt"
