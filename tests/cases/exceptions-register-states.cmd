# The register shows every state from the samples: used (s1-missed-
# turnaround), retroactive, expired and unused (s1-exceptions), and the
# standing ones active and expired.
cd "$TMPDIR_CASE"
$SIRCOMM exceptions --db l.db --import "$OLDPWD/samples/standing/exceptions.xml" 2>&1
$SIRCOMM ingest -q --db l.db "$OLDPWD"/samples/*.xml 2>&1 | sed 's/in [0-9.]* s$/in T s/'
$SIRCOMM exceptions --db l.db --at 2026-06-01T00:00:00Z
