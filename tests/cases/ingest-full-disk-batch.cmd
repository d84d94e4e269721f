# The disk fills up during an ingest in batches: the incidents go in
# transactions of up to --batch records, and a transaction the disk
# cannot hold is not stored at all.  Every batch committed before it is
# kept whole, the summary counts only committed incidents, and the error
# names the incidents of the batch that did not go in.  Eight samples in
# one default batch fill a 250 KB disk: none of them goes in; in batches
# of three, the first goes in and the second does not.
cd "$TMPDIR_CASE"
full() {
	sh -c "trap '' XFSZ; ulimit -f $1; shift; exec \"\$@\"" sh "$@" >log 2>&1
	s=$?
	sed 's/in [0-9.]* s$/in T s/' log
	echo "status $s"
}
full 500 $SIRCOMM ingest -q -j 1 --db l.db "$OLDPWD"/samples/*.xml
$SIRCOMM query --db l.db "SELECT count(*) AS incidents FROM incidents"
full 500 $SIRCOMM ingest -q -j 1 --batch 3 --db l3.db "$OLDPWD"/samples/*.xml
$SIRCOMM query --db l3.db "SELECT id FROM incidents ORDER BY id"
$SIRCOMM query --db l3.db "PRAGMA integrity_check"
