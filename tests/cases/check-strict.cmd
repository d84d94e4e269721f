sed 's/by="Senior Director of Legal, Privacy and Product"/by="General Counsel"/' samples/s1-breach.xml > "$TMPDIR_CASE/rec.xml"
cd "$TMPDIR_CASE" && $SIRCOMM check rec.xml && $SIRCOMM check --strict rec.xml
