# The regulatory statement and the regulators' events: a good record
# loads; every mistake gets its line, and the record is refused.
cat > "$TMPDIR_CASE/good.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<incident id="REG-GOOD" version="1">
  <title>Regulatory statement</title>
  <severity>S2</severity>
  <impact>high</impact>
  <status>investigating</status>
  <scope users="some"/>
  <timeline>
    <event at="2026-03-04T10:00:00+01:00" type="aware" by="DPO"/>
    <event at="2026-03-04T11:00:00Z" type="material" regimes="sec"/>
    <event at="2026-03-05T10:00:00+01:00" type="notified" regime="gdpr" stage="authority"
           authority="CNIL" reference="2026-0042"/>
  </timeline>
  <regulatory>
    <regime id="gdpr" decided-by="Legal Counsel" decided-at="2026-03-04T12:00:00Z" stages="authority"/>
    <regime id="sec" decided-by="CLO"/>
  </regulatory>
</incident>
XML
sed -e 's|regimes="sec"|regimes="sec sox"|' \
    -e 's|stage="authority"$|stage="regulator"|' \
    -e 's|<regime id="sec" decided-by="CLO"/>|<regime id="sec" decided-by="CLO"/><regime id="gdpr" decided-by="CLO" stages="authority dpo"/><regime id="ccpa" decided-by="CLO"/>|' \
    -e 's|decided-at="2026-03-04T12:00:00Z"|decided-at="2026-03-04T12:00:00"|' \
    "$TMPDIR_CASE/good.xml" > "$TMPDIR_CASE/bad.xml"
sed -e 's|authority="CNIL" ||' -e 's|<regime id="gdpr" decided-by="Legal Counsel" decided-at="2026-03-04T12:00:00Z" stages="authority"/>||' \
    -e 's|type="aware" by="DPO"|type="aware" by="DPO" group="legal"|' \
    "$TMPDIR_CASE/good.xml" > "$TMPDIR_CASE/bad2.xml"
sed -e 's|regime="gdpr" stage="authority"|stage="authority"|' -e 's|stages="authority"|stages="data-subjects"|' \
    "$TMPDIR_CASE/good.xml" > "$TMPDIR_CASE/bad3.xml"
sed -e 's|stages="authority"|stages="data-subjects"|' "$TMPDIR_CASE/good.xml" > "$TMPDIR_CASE/warn.xml"
cd "$TMPDIR_CASE" && $SIRCOMM check good.xml bad.xml bad2.xml bad3.xml warn.xml; echo "status $?"
