# Text from a record cannot drive the terminal that shows the register:
# a bidirectional override (U+202E, which would show "gnp.exe" as
# "exe.png" and reorder the rest of the row) and a C1 control (U+009B,
# CSI) in an exception's requested-by print escaped, as `query` prints
# them; a tab (&#9;) still prints as a space.
hostile=$(printf 'Mallory\342\200\256gnp.exe\302\23331m\\&#9;red')
sed "s|requested-by=\"Security Incident Manager on Call\"|requested-by=\"$hostile\"|" \
	samples/s1-exceptions.xml >"$TMPDIR_CASE/h.xml"
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" "$TMPDIR_CASE/h.xml" 2>/dev/null || echo "ingest failed"
$SIRCOMM exceptions --db "$TMPDIR_CASE/l.db" --at 2026-06-01T00:00:00Z
