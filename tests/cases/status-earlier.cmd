# Status as of a time early in the incident: the header says what was
# known then (not yet resolved; the record ends resolved), and groups not
# yet engaged owe no update (once listed as due 1970-01-01): their
# engagement is due instead, "then update every 30 min".  The second
# record was resolved at 09:28, before its last event: resolved at 10:00.
$SIRCOMM status --at 2026-03-04T09:40:00Z samples/s1-breach.xml; echo "status $?"
$SIRCOMM status --at 2026-04-14T10:00:00Z samples/s1-missed-turnaround.xml | sed -n 2p
# The HTML audit's header says the same at an earlier --at.
$SIRCOMM audit --format html --at 2026-03-04T09:40:00Z samples/s1-breach.xml | grep -o '<dt>Status</dt><dd>[^<]*'
