# Only a sircomm ledger will do; nothing is created or changed.
cd "$TMPDIR_CASE" || exit 9
echo "not a database" >notes.txt
$SIRCOMM report --db notes.txt; echo "status $?"
$SIRCOMM report --db missing.db; echo "status $?"
sqlite3 other.db "CREATE TABLE t (x)"
$SIRCOMM report --db other.db --format json; echo "status $?"
ls
