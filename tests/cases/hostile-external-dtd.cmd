# An external DTD is refused before parsing: nothing is fetched.
printf '<?xml version="1.0"?>\n<!DOCTYPE incident SYSTEM "http://198.51.100.7/evil.dtd">\n<incident id="X" version="1"/>\n' > "$TMPDIR_CASE/r.xml"
cd "$TMPDIR_CASE" && $SIRCOMM check r.xml
