# The register's text table counts columns, not bytes: a requested-by in
# wide characters (two columns each) and one with an accent (one column,
# two bytes) keep every later column aligned with the header.
accent=$(printf 'Ren\303\251e of Security')
wide=$(printf '\346\203\205\345\240\261\343\202\273\343\202\255\343\203\245\343\203\252\343\203\206\343\202\243\350\262\254\344\273\273\350\200\205')
sed -e "s|requested-by=\"Security Incident Manager on Call\"|requested-by=\"$wide\"|" \
	-e "s|requested-by=\"VP of Security\"|requested-by=\"$accent\"|" \
	samples/s1-exceptions.xml >"$TMPDIR_CASE/w.xml"
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" "$TMPDIR_CASE/w.xml" 2>/dev/null || echo "ingest failed"
$SIRCOMM exceptions --db "$TMPDIR_CASE/l.db" --at 2026-06-01T00:00:00Z
