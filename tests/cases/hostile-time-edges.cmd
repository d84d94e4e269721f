# Times at the edges: +14:00 and -12:00 offsets, a leap second, the year
# 9999; all accepted and audited.
sed 's|<event at="2026-05-20T12:00:00Z" type="resolved"|<event at="2026-12-31T23:59:60Z" type="note">leap second</event>\n    <event at="2027-01-01T13:59:59+14:00" type="note">Kiribati</event>\n    <event at="2026-12-31T11:59:59-12:00" type="note">Baker Island</event>\n    <event at="9999-12-31T23:59:59Z" type="note">the last second sircomm knows</event>\n    <event at="2026-05-20T12:00:00Z" type="resolved"|' samples/s2-no-turnaround.xml > "$TMPDIR_CASE/r.xml"
grep -c 'type="note"' "$TMPDIR_CASE/r.xml"
cd "$TMPDIR_CASE" && $SIRCOMM check -q r.xml && $SIRCOMM audit --format json r.xml | python3 -c "import json,sys; d=json.load(sys.stdin)[0]; print(d['audited_at'], d['summary']['result'])"
printf '%s\n' '<?xml version="1.0"?>' '<incident id="X" version="1"><title>t</title><severity>S1</severity><impact>high</impact><status>resolved</status><scope users="some"/><timeline><event at="10000-01-01T00:00:00Z" type="detected"/><event at="2026-03-04T09:00:00+24:00" type="detected"/></timeline></incident>' > bad.xml
$SIRCOMM check bad.xml
