printf "not a key\n" > "$TMPDIR_CASE/k.sec"; $SIRCOMM bundle samples/s1-breach.xml -o "$TMPDIR_CASE" --sign "$TMPDIR_CASE/k.sec" 2>&1 | sed "s|$TMPDIR_CASE/||"; ls "$TMPDIR_CASE"
