# Events listed out of time order: a warning, and the record still checks.
awk '/type="resolved"/ { held = $0; next } /<\/timeline>/ { print "    <event at=\"2026-03-04T08:00:00Z\" type=\"note\">late entry</event>" } { print }' samples/s3-medium-out-of-scope.xml > "$TMPDIR_CASE/rec.xml"
cd "$TMPDIR_CASE" && $SIRCOMM check rec.xml
