$SIRCOMM bundle samples/s1-breach.xml -o "$TMPDIR_CASE" --sign /nonexistent.sec; echo "status $?"; ls "$TMPDIR_CASE"
