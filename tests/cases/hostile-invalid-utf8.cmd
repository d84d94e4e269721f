# Invalid UTF-8 in text: an error naming the line.
sed 's|<title>Job tokens|<title>Job \xff\xfe tokens|' samples/s2-no-turnaround.xml > "$TMPDIR_CASE/r.xml"
cd "$TMPDIR_CASE" && $SIRCOMM check r.xml
