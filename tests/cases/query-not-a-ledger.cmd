cd "$TMPDIR_CASE" || exit 9
echo "not a database" >notes.txt
$SIRCOMM query --db notes.txt "SELECT 1"
