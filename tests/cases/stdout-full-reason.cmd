# Standard output on a full disk: the real reason, caught at the write
# that failed (query once said "Bad file descriptor", the errno of a later
# call), and exit 3 even when the run also found failures (audit once
# exited 1, as if its findings had been read).
$SIRCOMM ingest -q --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null
$SIRCOMM query --db "$TMPDIR_CASE/l.db" "SELECT * FROM findings" > /dev/full; echo "query $?"
$SIRCOMM audit samples/s1-exceptions.xml > /dev/full; echo "audit $?"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" > /dev/full; echo "report $?"
