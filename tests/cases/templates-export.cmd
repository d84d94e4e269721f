# Export writes every built-in template; a second export refuses to
# overwrite without --force.
cd "$TMPDIR_CASE" && mkdir t && $SIRCOMM templates export t && ls t
$SIRCOMM templates export t; echo "status $?"
$SIRCOMM templates export t --force
