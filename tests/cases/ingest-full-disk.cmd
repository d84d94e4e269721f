# The disk fills up during an ingest (the file size limit stands in for
# it): the ledger's fault, not the records', so exit 3 with the real
# reason (not "disk I/O error"), no record called bad, and the incidents
# committed before it kept whole (one transaction per incident here,
# --batch 1; ingest-full-disk-batch has the default batches; the limit
# lets two incidents in, with their rollups).  Then a
# disk too full to create the ledger at all: exit 3 as well.
cd "$TMPDIR_CASE"
full() {
	sh -c "trap '' XFSZ; ulimit -f $1; shift; exec \"\$@\"" sh "$@" >log 2>&1
	s=$?
	sed 's/in [0-9.]* s$/in T s/' log
	echo "status $s"
}
full 1200 $SIRCOMM ingest -q -j 1 --batch 1 --db l.db "$OLDPWD"/samples/*.xml
$SIRCOMM query --db l.db "SELECT id FROM incidents ORDER BY id"
full 64 $SIRCOMM ingest -q -j 1 --db new.db "$OLDPWD"/samples/s1-breach.xml
