$SIRCOMM bundle samples/invalid/unknown-group.xml -o "$TMPDIR_CASE"; echo "status $?"; ls "$TMPDIR_CASE"
