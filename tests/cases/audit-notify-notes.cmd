# What NOTIFY's notes say where the status alone would not: a GDPR
# notification after 72 hours that gives reasons for the delay (still a
# failure: an exception records counsel's view); business days counted
# past the years the holiday calendar lists (from Thursday 28 December
# 2028, day 2 is Monday 1 January 2029, New Year's Day, which the
# built-in calendar does not list: the note says to check the calendar);
# GDPR Art. 34 still open, with the time since awareness and no verdict.
cat > "$TMPDIR_CASE/r.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<incident id="NOTIFY-NOTES" version="1">
  <title>Notes of the regulators' clocks</title>
  <severity>S2</severity>
  <impact>high</impact>
  <status>investigating</status>
  <scope users="some"/>
  <timeline>
    <event at="2028-12-27T10:00:00+01:00" type="aware" regimes="gdpr"/>
    <event at="2028-12-28T15:00:00-05:00" type="material" regimes="sec"/>
    <event at="2028-12-30T18:00:00+01:00" type="notified" regime="gdpr" stage="authority"
           authority="supervisory authority">The forensic report that established which records were taken arrived on 30 December.</event>
  </timeline>
  <regulatory>
    <regime id="gdpr" decided-by="Legal Counsel"/>
    <regime id="sec" decided-by="CLO"/>
  </regulatory>
</incident>
XML
$SIRCOMM audit --at 2029-01-02T12:00:00Z "$TMPDIR_CASE/r.xml" | grep NOTIFY | sed 's/  */ /g'
echo "exit $?"
