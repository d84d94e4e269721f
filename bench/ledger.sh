#!/bin/sh
# bench/ledger.sh [N] [SIRCOMM]: generates N records (100,000 by default;
# they fall across 2026), ingests them into a new ledger once, then times
# the report of one quarter (Q1 2026), the report over the whole ledger
# and the exception register.  Prints incidents per second and CPU per
# incident for the ingest, the ledger's bytes per incident, and for each
# reader its wall and CPU time and peak memory.  Not a test: figures for
# docs/performance.md.  Needs sqlite3 and GNU time.  Works in a new
# directory under $TMPDIR (about 35 KB of disk per record); set
# BENCH_KEEP=DIR to keep the ledger there afterwards.
set -eu
n=${1:-100000}
sircomm=$(cd "$(dirname "${2:-build/sircomm}")" && pwd)/$(basename "${2:-build/sircomm}")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sircomm-bench-ledger.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in"
"$sircomm" sample --count "$n" --seed 2026 -o "$tmp/in" >/dev/null
# Ingest in runs of 5,000 records (the command line has a size limit).
ls "$tmp/in" | split -l 5000 - "$tmp/batch."
start=$(date +%s.%N)
peak=0 cpu=0
for b in "$tmp"/batch.*; do
	( cd "$tmp/in" && /usr/bin/time -f '%M %U %S' -o "$tmp/t" xargs "$sircomm" ingest -q --db "$tmp/ledger.db" < "$b" ) 2>/dev/null
	read -r m u s < "$tmp/t"
	[ "$m" -gt "$peak" ] && peak=$m
	cpu=$(awk -v c="$cpu" -v u="$u" -v s="$s" 'BEGIN { print c + u + s }')
done
end=$(date +%s.%N)
size=$(stat -c %s "$tmp/ledger.db")
awk -v n="$n" -v a="$start" -v b="$end" -v c="$cpu" -v m="$peak" -v s="$size" 'BEGIN {
	printf "ingest: %d incidents in %.1f s: %.0f incidents/s, %.2f ms CPU per incident, peak RSS %.1f MiB\n",
	       n, b - a, n / (b - a), c * 1000 / n, m / 1024
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
