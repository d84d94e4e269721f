# Ids that are device names or carry path separators are refused.
for id in CON 'aux.txt' 'a:b' '..' 'x/y' '.hidden'; do
	sed "s|<incident id=\"SIRT-2026-0203\"|<incident id=\"$id\"|" samples/s2-no-turnaround.xml > "$TMPDIR_CASE/r.xml"
	(cd "$TMPDIR_CASE" && $SIRCOMM check -q r.xml 2>&1 | head -1)
done
