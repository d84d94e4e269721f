# Two records, one bad: the good one is bundled, the bad one reported.
cd "$TMPDIR_CASE" && $SIRCOMM bundle -o . "$OLDPWD/samples/s2-no-turnaround.xml" "$OLDPWD/samples/invalid/bad-time.xml" 2>&1 | sed "s|$OLDPWD/||; s|^[0-9a-f]\{64\}|HASH|"; ls
