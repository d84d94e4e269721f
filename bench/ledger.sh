#!/bin/sh
# bench/ledger.sh [N] [SIRCOMM]: generates N records (100,000 by default;
# they fall across 2026), ingests them into a new ledger, then times a
# quarter's report and the exception register.  Prints incidents per
# second, report latency, the ledger's size and peak memory.  Not a test:
# figures for docs/performance.md.  Needs sqlite3 and GNU time.
set -eu
n=${1:-100000}
sircomm=$(cd "$(dirname "${2:-build/sircomm}")" && pwd)/$(basename "${2:-build/sircomm}")
tmp=${TMPDIR:-/tmp}/sircomm-bench-ledger
rm -rf "$tmp"
mkdir -p "$tmp/in"
trap 'rm -rf "$tmp"' EXIT
"$sircomm" sample --count "$n" --seed 2026 -o "$tmp/in" >/dev/null
# Ingest in batches of 5,000 records (the command line has a size limit).
start=$(date +%s.%N)
peak=0
ls "$tmp/in" | split -l 5000 - "$tmp/batch."
for b in "$tmp"/batch.*; do
	( cd "$tmp/in" && /usr/bin/time -f '%M' -o "$tmp/mem" xargs "$sircomm" ingest -q --db "$tmp/ledger.db" < "$b" ) 2>/dev/null
	m=$(cat "$tmp/mem")
	[ "$m" -gt "$peak" ] && peak=$m
done
end=$(date +%s.%N)
size=$(stat -c %s "$tmp/ledger.db")
awk -v n="$n" -v a="$start" -v b="$end" -v m="$peak" -v s="$size" 'BEGIN {
	printf "ingest: %d incidents in %.1f s: %.0f incidents/s, peak RSS %.1f MiB, ledger %.1f MB\n",
	       n, b - a, n / (b - a), m / 1024, s / 1e6 }'
/usr/bin/time -f '%e %M' -o "$tmp/t" "$sircomm" report --db "$tmp/ledger.db" --from 2026-01-01 --to 2026-03-31 >/dev/null
read -r secs mem < "$tmp/t"
echo "report (Q1 2026, $(sqlite3 "$tmp/ledger.db" "SELECT count(*) FROM incidents WHERE comms_started_at >= unixepoch('2026-01-01') AND comms_started_at < unixepoch('2026-04-01')") incidents): $secs s, peak RSS $((mem / 1024)) MiB"
/usr/bin/time -f '%e %M' -o "$tmp/t" "$sircomm" exceptions --db "$tmp/ledger.db" --at 2026-12-31T00:00:00Z >/dev/null
read -r secs mem < "$tmp/t"
echo "exception register ($(sqlite3 "$tmp/ledger.db" "SELECT count(*) FROM exceptions") exceptions): $secs s, peak RSS $((mem / 1024)) MiB"
