#!/bin/sh
# ledger-faults.sh SIRCOMM: the ledger under faults.  A process killed
# mid-ingest (kill -9) leaves a ledger that passes PRAGMA integrity_check
# and holds whole incidents only; a corrupt file, a non-SQLite file and a
# ledger from a newer schema are refused with a message; a full disk
# stops the ingest with exit 3 (an output could not be written, no record
# called bad), says why and keeps what was committed; two ingests
# at once both succeed; re-ingesting never doubles counts.
set -u
SIRCOMM=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
q() { sqlite3 "$1" "$2"; }

# 150 generated records: enough for an ingest to be caught half-way by
# kill -9 and for two ingests to overlap, few enough that the whole
# script costs about a thousand transactions.
n_rec=150
"$SIRCOMM" sample --count $n_rec --seed 11 -o "$tmp" >/dev/null || { echo "sample failed"; exit 1; }
set -- "$tmp"/GEN-*.xml

# Idempotent ingest.
"$SIRCOMM" ingest -q --db "$tmp/a.db" "$@" 2>/dev/null
"$SIRCOMM" ingest -q --db "$tmp/a.db" "$@" 2>/dev/null
n=$(q "$tmp/a.db" "SELECT count(*) FROM incidents")
[ "$n" = $n_rec ] && ok "ingesting twice keeps $n_rec incidents" || bad "ingesting twice gave $n incidents"
rows() { q "$tmp/a.db" "SELECT (SELECT count(*) FROM records) || ' records, ' || (SELECT count(*) FROM finding_rows) || ' findings, ' || (SELECT count(*) FROM metric_rows) || ' metrics, ' || (SELECT count(*) FROM names) || ' names'"; }
e1=$(rows)
"$SIRCOMM" ingest -q --db "$tmp/a.db" "$1" 2>/dev/null
e2=$(rows)
[ "$e1" = "$e2" ] && ok "re-ingesting one incident keeps $e1" || bad "re-ingesting one incident: $e1, then $e2"

# Killed mid-ingest: as soon as a few incidents are committed, in
# transactions of five (--batch 5), so that the kill lands between
# batches and inside one: every batch committed before it stays.  Should
# the ingest end before the kill lands (a very fast machine), the round
# says nothing and runs again on a fresh ledger.
killed=0
for round in 1 2 3 4 5; do
	rm -f "$tmp/k.db" "$tmp/k.db-wal" "$tmp/k.db-shm"
	"$SIRCOMM" ingest -q --batch 5 --db "$tmp/k.db" "$@" 2>/dev/null &
	pid=$!
	i=0
	while [ $i -lt 500 ]; do
		c=$(q "$tmp/k.db" "SELECT count(*) FROM incidents" 2>/dev/null || echo 0)
		[ "${c:-0}" -ge 5 ] && break
		sleep 0.01
		i=$((i + 1))
	done
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	[ $? = 137 ] && { killed=1; break; }
done
[ $killed = 1 ] || bad "five ingests of $n_rec records all ended before kill -9"
check=$(q "$tmp/k.db" "PRAGMA integrity_check")
[ "$check" = ok ] && ok "integrity_check after kill -9" || bad "integrity_check after kill -9: $check"
n=$(q "$tmp/k.db" "SELECT count(*) FROM incidents")
torn=$(q "$tmp/k.db" "SELECT count(*) FROM incidents i WHERE (SELECT count(*) FROM findings f WHERE f.incident_id = i.id) != i.pass + i.fail + i.excepted + i.na + i.pending")
[ "$n" -gt 0 ] && [ "$n" -lt $n_rec ] && [ "$torn" = 0 ] && ok "after kill -9: $n whole incidents, none torn" \
	|| bad "after kill -9: $n incidents, $torn torn"
"$SIRCOMM" ingest -q --db "$tmp/k.db" "$@" 2>/dev/null
n=$(q "$tmp/k.db" "SELECT count(*) FROM incidents")
[ "$n" = $n_rec ] && ok "ingest resumes after the kill" || bad "after resuming: $n incidents"

# The rollups the report reads, kept incident by incident and summed in
# memory until each commit, must be the same rows whatever the batches
# and faults were: compared table by table with a ledger made in one go.
same_rollups() {   # ledger, reference ledger: prints the tables that differ
	for t in incidents no_comms first_draft turnaround responses failures exceptions; do
		d=$(q "$1" "ATTACH '$2' AS r;
			SELECT (SELECT count(*) FROM (SELECT * FROM rollup_$t EXCEPT SELECT * FROM r.rollup_$t))
			     + (SELECT count(*) FROM (SELECT * FROM r.rollup_$t EXCEPT SELECT * FROM rollup_$t))")
		[ "$d" = 0 ] || printf ' rollup_%s (%s rows)' "$t" "$d"
	done
}
diff=$(same_rollups "$tmp/k.db" "$tmp/a.db")
[ -z "$diff" ] && ok "after kill -9 and the resumed ingest, the rollups are those of one ingest" \
	|| bad "after kill -9 and the resumed ingest, rollups differ:$diff"
# Five in a batch: an incident refused in the middle of it (a trigger
# stands in for a conflict) leaves the rollups of its neighbours only.
"$SIRCOMM" ingest -q --db "$tmp/ref.db" "$2" 2>/dev/null
refused=$(sed -n 's/.*<incident id="\([^"]*\)".*/\1/p' "$3" | head -1)
q "$tmp/ref.db" "CREATE TRIGGER refuse BEFORE INSERT ON metric_rows
	WHEN NEW.incident = (SELECT key FROM incidents WHERE id = '$refused')
	BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
out=$("$SIRCOMM" ingest -q --batch 5 --db "$tmp/ref.db" "$1" "$3" "$4" "$5" "$6" 2>&1); s=$?
q "$tmp/ref.db" "DROP TRIGGER refuse"
"$SIRCOMM" ingest -q --db "$tmp/ref-one-go.db" "$1" "$2" "$4" "$5" "$6" 2>/dev/null
n=$(q "$tmp/ref.db" "SELECT count(*) FROM incidents")
diff=$(same_rollups "$tmp/ref.db" "$tmp/ref-one-go.db")
[ $s = 2 ] && [ "$n" = 5 ] && [ -z "$diff" ] && echo "$out" | grep -q "refused by the test" \
	&& ok "an incident refused amid its batch: the other $n counted in the rollups, it not" \
	|| bad "an incident refused amid its batch: status $s, $n incidents, rollups differ:$diff: $out"

# Not a ledger.
echo "hello" > "$tmp/text.db"
out=$("$SIRCOMM" ingest --db "$tmp/text.db" "$1" 2>&1); s=$?
[ $s = 2 ] && echo "$out" | grep -q "not a sircomm ledger\|file is not a database" && ok "a text file is refused" \
	|| bad "text file: status $s: $out"
cp "$tmp/a.db" "$tmp/c.db"
printf 'garbage garbage garbage garbage' | dd of="$tmp/c.db" bs=1 seek=0 conv=notrunc 2>/dev/null
out=$("$SIRCOMM" ingest --db "$tmp/c.db" "$1" 2>&1); s=$?
[ $s = 2 ] && ok "a corrupt ledger is refused: $(echo "$out" | head -1)" || bad "corrupt: status $s: $out"
sqlite3 "$tmp/other.db" "CREATE TABLE t (x)"
out=$("$SIRCOMM" ingest --db "$tmp/other.db" "$1" 2>&1); s=$?
[ $s = 2 ] && echo "$out" | grep -q "without sircomm's schema" && ok "another SQLite database is refused" \
	|| bad "other database: status $s: $out"
cp "$tmp/a.db" "$tmp/new.db"
q "$tmp/new.db" "UPDATE meta SET value = '99' WHERE key = 'schema_version'"
before=$(sha256sum "$tmp/new.db" | cut -d' ' -f1)
out=$("$SIRCOMM" ingest --db "$tmp/new.db" "$1" 2>&1); s=$?
after=$(sha256sum "$tmp/new.db" | cut -d' ' -f1)
[ $s = 2 ] && echo "$out" | grep -q "newer than this sircomm" && [ "$before" = "$after" ] \
	&& ok "a newer schema is refused, file untouched" || bad "newer schema: status $s: $out"

# A full disk: the file size limit stands in for it.  In batches of three,
# so that some are committed before the disk fills.
out=$(sh -c "trap '' XFSZ; ulimit -f 1000; exec \"$SIRCOMM\" ingest -q --batch 3 --db \"$tmp/full.db\" $*" 2>&1); s=$?
check=$(q "$tmp/full.db" "PRAGMA integrity_check")
n=$(q "$tmp/full.db" "SELECT count(*) FROM incidents")
[ $s = 3 ] && [ "$check" = ok ] && [ "$n" -gt 0 ] && echo "$out" | grep -q "File too large" &&
	echo "$out" | grep -q ", 0 bad, " \
	&& ok "a full disk stops ingest (exit 3), ledger intact with $n incidents: $(echo "$out" | grep error | head -1)" \
	|| bad "full disk: status $s, integrity $check, $n incidents: $(echo "$out" | tail -2)"
# The incidents committed are the first n, in the order given.
i=0; first=""
for f in "$@"; do
	[ $i -lt "$n" ] && first="$first $f"
	i=$((i + 1))
done
"$SIRCOMM" ingest -q --db "$tmp/full-one-go.db" $first 2>/dev/null
diff=$(same_rollups "$tmp/full.db" "$tmp/full-one-go.db")
[ -z "$diff" ] && ok "after the full disk, the rollups are those of its $n incidents" \
	|| bad "after the full disk, rollups differ:$diff"

# Two ingests at once.
half=$((n_rec / 2))
i=0; a=""; b=""
for f in "$@"; do
	if [ $i -lt $half ]; then a="$a $f"; else b="$b $f"; fi
	i=$((i + 1))
done
"$SIRCOMM" ingest -q --db "$tmp/two.db" $a 2>"$tmp/e1" & p1=$!
"$SIRCOMM" ingest -q --db "$tmp/two.db" $b 2>"$tmp/e2" & p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
n=$(q "$tmp/two.db" "SELECT count(*) FROM incidents")
[ $s1 = 0 ] && [ $s2 = 0 ] && [ "$n" = $n_rec ] && ok "two ingests at once: both succeed, $n_rec incidents" \
	|| bad "two ingests: status $s1/$s2, $n incidents: $(cat "$tmp/e1" "$tmp/e2")"

# Two ingests starting together on a ledger that does not exist yet race
# to create it and switch it to write-ahead logging; the loser once got
# "database is locked" about one time in six.  Twenty-five fresh races.
set -- "$tmp"/GEN-*.xml
lost=0
for r in $(seq 1 25); do
	rm -f "$tmp/race.db" "$tmp/race.db-wal" "$tmp/race.db-shm"
	"$SIRCOMM" ingest -q --db "$tmp/race.db" "$1" "$2" 2>"$tmp/e1" & p1=$!
	"$SIRCOMM" ingest -q --db "$tmp/race.db" "$3" "$4" 2>"$tmp/e2" & p2=$!
	wait $p1; s1=$?
	wait $p2; s2=$?
	n=$(q "$tmp/race.db" "SELECT count(*) FROM incidents")
	if [ $s1 != 0 ] || [ $s2 != 0 ] || [ "$n" != 4 ]; then
		lost=$((lost + 1))
		why="status $s1/$s2, $n incidents: $(cat "$tmp/e1" "$tmp/e2")"
	fi
done
[ $lost = 0 ] && ok "two ingests creating one ledger: 25 races, all 4 incidents each time" \
	|| bad "two ingests creating one ledger: $lost of 25 races lost, last: $why"

[ $fails = 0 ] && echo "all ledger fault checks passed" || echo "$fails ledger fault checks failed"
exit $fails
