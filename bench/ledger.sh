#!/bin/sh
# bench/ledger.sh [N] [SIRCOMM]: builds a new N-incident ledger once
# (100,000 by default) from the records of `sircomm sample --seed 2026`
# (they fall across 2026), then times the report of one quarter (Q1
# 2026), the report over the whole ledger and the exception register.
# Prints the time taken to generate the records, apart; incidents per
# second and CPU per incident for the ingest alone; the ledger's bytes
# per incident; and for each reader its wall and CPU time and peak
# memory.  Not a test: figures for docs/performance.md.  Needs sqlite3
# and GNU time.
#
# The records are made and ingested in parts of 5,000 (BENCH_PART),
# each part's files deleted after its ingest: the parts are the same
# records one `sample --count N` would write (`--first`).  A part's
# records (about 75 MB) go to memory, /dev/shm, where writing them costs
# no disk sync (on disk, generating took longer than ingesting), or to
# BENCH_RECORDS=DIR; the ledger (about 6 KB an incident: 0.6 GB for
# 100,000, 6 GB for a million) to a new directory under $TMPDIR.  Set
# BENCH_KEEP=DIR to keep the ledger there afterwards.
set -eu
n=${1:-100000}
part=${BENCH_PART:-5000}
sircomm=$(cd "$(dirname "${2:-build/sircomm}")" && pwd)/$(basename "${2:-build/sircomm}")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sircomm-bench-ledger.XXXXXX")
in=""
trap 'rm -rf "$tmp" ${in:+"$in"}' EXIT
recs=${BENCH_RECORDS:-}
[ -z "$recs" ] && [ -d /dev/shm ] && [ -w /dev/shm ] && recs=/dev/shm
in=$(mktemp -d "${recs:-$tmp}/sircomm-bench-records.XXXXXX")
# Totals over the parts: generating (wall, CPU) and ingesting (wall,
# CPU, the largest peak memory), each timed by GNU time alone.
gwall=0 gcpu=0 iwall=0 icpu=0 peak=0
add() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
first=0
while [ "$first" -lt "$n" ]; do
	count=$((n - first < part ? n - first : part))
	/usr/bin/time -f '%e %U %S' -o "$tmp/t" \
		"$sircomm" sample -q --seed 2026 --first "$first" --count "$count" -o "$in"
	read -r w u s < "$tmp/t"
	gwall=$(add "$gwall" "$w")
	gcpu=$(add "$gcpu" "$(add "$u" "$s")")
	# xargs: a part's names may be more than one command line holds.
	( cd "$in" && ls | /usr/bin/time -f '%e %M %U %S' -o "$tmp/t" \
		xargs "$sircomm" ingest -q --db "$tmp/ledger.db" ) 2>/dev/null
	read -r w m u s < "$tmp/t"
	[ "$m" -gt "$peak" ] && peak=$m
	iwall=$(add "$iwall" "$w")
	icpu=$(add "$icpu" "$(add "$u" "$s")")
	find "$in" -name '*.xml' -delete
	first=$((first + count))
done
size=$(stat -c %s "$tmp/ledger.db")
awk -v n="$n" -v p="$part" -v w="$gwall" -v c="$gcpu" 'BEGIN {
	printf "generate: %d records in parts of %d in %.1f s wall, %.1f s CPU (not counted in the ingest)\n",
	       n, p, w, c }'
awk -v n="$n" -v w="$iwall" -v c="$icpu" -v m="$peak" -v s="$size" 'BEGIN {
	printf "ingest: %d incidents in %.1f s: %.0f incidents/s, %.2f ms CPU per incident, peak RSS %.1f MiB\n",
	       n, w, n / w, c * 1000 / n, m / 1024
	printf "ledger: %.1f MB, %.1f KB per incident\n", s / 1e6, s / n / 1e3 }'

# Each reader runs three times; the fastest run is shown (the first
# reads the ledger from disk, the others from the page cache).
timed() {   # label, then the command
	label=$1
	shift
	best=""
	for i in 1 2 3; do
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" >/dev/null
		read -r w u s m < "$tmp/t"
		line=$(awk -v w="$w" -v u="$u" -v s="$s" -v m="$m" 'BEGIN {
			printf "%.3f s wall, %.3f s CPU, peak RSS %.1f MiB", w, u + s, m / 1024 }')
		[ -z "$best" ] || [ "$(echo "$w < $bw" | awk '{ print ($1 < $3) }')" = 1 ] && { best=$line; bw=$w; }
	done
	echo "$label: $best"
}
q1=$(sqlite3 "$tmp/ledger.db" "SELECT count(*) FROM incidents WHERE comms_started_at >= unixepoch('2026-01-01') AND comms_started_at < unixepoch('2026-04-01')")
timed "report (Q1 2026, $q1 incidents)" "$sircomm" report --db "$tmp/ledger.db" --from 2026-01-01 --to 2026-03-31
timed "report (the whole ledger, $n incidents)" "$sircomm" report --db "$tmp/ledger.db"
x=$(sqlite3 "$tmp/ledger.db" "SELECT count(*) FROM exceptions")
timed "exception register ($x exceptions)" "$sircomm" exceptions --db "$tmp/ledger.db" --at 2026-12-31T00:00:00Z
if [ -n "${BENCH_KEEP:-}" ]; then
	mkdir -p "$BENCH_KEEP"
	mv "$tmp/ledger.db" "$tmp/ledger.db-wal" "$tmp/ledger.db-shm" "$BENCH_KEEP"/ 2>/dev/null || true
	echo "ledger kept in $BENCH_KEEP/ledger.db"
fi
