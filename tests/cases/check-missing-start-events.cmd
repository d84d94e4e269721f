# An in-scope record that shows the process ran but lacks the events its
# deadlines count from (severity-determined, comms-started): check warns
# at the line of the event that shows each one happened, naming the
# findings the audit fails as unproven; --strict refuses the record.
$SIRCOMM check tests/audit/missing-start-events.xml; echo "status $?"
$SIRCOMM check --strict --quiet tests/audit/missing-start-events.xml; echo "status $?"
