#!/bin/sh
# ledger-readonly.sh SIRCOMM: the ledger read by someone who may not write
# it, as an auditor or a comms manager with read access only.  Readers
# (query, report, exceptions) leave nothing behind: no -wal or -shm file
# of theirs that would stop the owner's next ingest; they read a ledger
# in a directory they cannot write, with or without the write-ahead log
# beside it; and when they cannot read it they say why.
#
# Two users are needed, so it runs as root and acts as uid 64000 (the
# owner) and 65534 (the reader) with setpriv; elsewhere it is skipped
# (exit 77), as it is when those users cannot run SIRCOMM.
set -u
SIRCOMM=$1
case $SIRCOMM in /*) ;; *) SIRCOMM=$(pwd)/$SIRCOMM ;; esac
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null 2>&1; then
	echo "skipped: needs root and setpriv to act as two other users"
	exit 77
fi
owner() { setpriv --reuid=64000 --regid=64000 --clear-groups "$@"; }
reader() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
if ! reader "$SIRCOMM" --version >/dev/null 2>&1; then
	echo "skipped: uid 65534 cannot run $SIRCOMM"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
cp samples/s1-breach.xml samples/s1-silent-approver.xml "$tmp/"
chmod 644 "$tmp"/*.xml

# Runs the three readers as the reader on ledger $1; each must succeed.
read_all() {
	reader "$SIRCOMM" query --db "$1" "SELECT count(*) FROM incidents" >"$tmp/q.out" 2>"$tmp/e1" &&
	reader "$SIRCOMM" report --db "$1" >/dev/null 2>>"$tmp/e1" &&
	reader "$SIRCOMM" exceptions --db "$1" >/dev/null 2>>"$tmp/e1"
}

# A ledger in a directory everyone may write (the worst case for
# leftovers): the readers create nothing, and the owner's ingest after
# them works.
mkdir "$tmp/shared"
chown 64000:64000 "$tmp/shared"
chmod 777 "$tmp/shared"
owner "$SIRCOMM" ingest -q --db "$tmp/shared/l.db" "$tmp/s1-breach.xml" 2>"$tmp/e0" ||
	{ echo "ingest as the owner failed: $(cat "$tmp/e0")"; exit 1; }
if read_all "$tmp/shared/l.db"; then
	ok "query, report and exceptions by a reader"
else
	bad "a reader: $(cat "$tmp/e1")"
fi
left=$(find "$tmp/shared" -user 65534 | tr '\n' ' ')
[ -z "$left" ] && ok "the reader left nothing behind" || bad "the reader left $left"
if owner "$SIRCOMM" ingest -q --db "$tmp/shared/l.db" "$tmp/s1-silent-approver.xml" 2>"$tmp/e0"; then
	ok "the owner's ingest after the readers"
else
	bad "the owner's ingest after the readers: $(cat "$tmp/e0")"
fi

# Readers while the owner ingests: each sees whole incidents only, from
# the write-ahead log the owner keeps, which it may only read.
mkdir "$tmp/gen"
"$SIRCOMM" sample --count 30 --seed 5 -o "$tmp/gen" >/dev/null 2>&1 || { echo "sample failed"; exit 1; }
chmod -R a+rX "$tmp/gen"
touch "$tmp/ingesting"
( owner "$SIRCOMM" ingest -q --db "$tmp/shared/l.db" "$tmp"/gen/*.xml 2>"$tmp/e2"; rm -f "$tmp/ingesting" ) &
ipid=$!
runs=0 torn=0 failed=""
while [ -e "$tmp/ingesting" ] || [ $runs = 0 ]; do
	if reader "$SIRCOMM" query --db "$tmp/shared/l.db" --csv "SELECT count(*) FROM incidents i WHERE
		(SELECT count(*) FROM findings f WHERE f.incident_id = i.id) != i.pass + i.fail + i.excepted + i.na + i.pending" \
		>"$tmp/q.out" 2>"$tmp/e1"; then
		[ "$(tail -1 "$tmp/q.out" | tr -d '\r')" = 0 ] || torn=$((torn + 1))
	else
		failed=$(cat "$tmp/e1")
	fi
	runs=$((runs + 1))
done
wait $ipid
total=$(reader "$SIRCOMM" query --db "$tmp/shared/l.db" --csv "SELECT count(*) FROM incidents" 2>&1 | tail -1 | tr -d '\r')
if [ -z "$failed" ] && [ $torn = 0 ] && [ "$total" = 32 ]; then
	ok "$runs queries by a reader during an ingest: whole incidents only"
else
	bad "a reader during an ingest: $runs runs, $torn torn, $total incidents: $failed $(cat "$tmp/e2")"
fi
left=$(find "$tmp/shared" -user 65534 | tr '\n' ' ')
[ -z "$left" ] && ok "and left nothing behind" || bad "the reader during an ingest left $left"

# The same ledger in a directory the reader cannot write, as the owner
# leaves it (with its write-ahead log and index) ...
chmod 755 "$tmp/shared"
if read_all "$tmp/shared/l.db" && grep -q '^ *32$' "$tmp/q.out"; then
	ok "a reader in a read-only directory, beside the write-ahead log"
else
	bad "a reader in a read-only directory: $(cat "$tmp/e1" "$tmp/q.out")"
fi
# ... and copied alone, as a ledger handed over or archived is.
mkdir "$tmp/copy"
cp "$tmp/shared/l.db" "$tmp/copy/l.db"
chown -R 64000:64000 "$tmp/copy"
chmod 755 "$tmp/copy"
chmod 644 "$tmp/copy/l.db"
if read_all "$tmp/copy/l.db" && grep -q '^ *32$' "$tmp/q.out"; then
	ok "a reader of a lone ledger file in a read-only directory"
else
	bad "a lone ledger file in a read-only directory: $(cat "$tmp/e1" "$tmp/q.out")"
fi
left=$(ls -A "$tmp/copy" | tr '\n' ' ')
[ "$left" = "l.db " ] && ok "nothing beside the lone ledger" || bad "beside the lone ledger: $left"

# A ledger the reader may not read: the reason, not a guess.
chmod 600 "$tmp/copy/l.db"
out=$(reader "$SIRCOMM" query --db "$tmp/copy/l.db" "SELECT 1" 2>&1); s=$?
if [ $s = 2 ] && echo "$out" | grep -q "Permission denied" && ! echo "$out" | grep -q "not a sircomm ledger"; then
	ok "an unreadable ledger: $out"
else
	bad "an unreadable ledger: status $s: $out"
fi

# The -wal and -shm an older sircomm's reader left behind, owned by the
# reader (an empty log, a zeroed index, as SQLite makes them): the
# owner's ingest cannot write the ledger (exit 3) and says whose they are.
mkdir "$tmp/left"
cp "$tmp/copy/l.db" "$tmp/left/l.db"
chown -R 64000:64000 "$tmp/left"
chmod 777 "$tmp/left"
chmod 644 "$tmp/left/l.db"
reader sh -c "umask 022; : >'$tmp/left/l.db-wal'; head -c 32768 /dev/zero >'$tmp/left/l.db-shm'"
out=$(owner "$SIRCOMM" ingest -q --db "$tmp/left/l.db" "$tmp/s1-breach.xml" 2>&1); s=$?
if [ $s = 3 ] && echo "$out" | grep -q "l.db-wal: note: .* belongs to uid 65534"; then
	ok "a -wal left by another user is named: $(echo "$out" | tail -1)"
else
	bad "a -wal left by another user: status $s: $out"
fi

[ $fails = 0 ] && echo "all read-only ledger checks passed" || echo "$fails read-only ledger checks failed"
exit $fails
