#!/bin/sh
# bench/ingest.sh [N] [SIRCOMM]: ingests N generated records (1,000 by
# default) into a new ledger and prints incidents per second, CPU time
# per incident, peak memory, the ledger's size and its bytes per incident.  Not a test: figures
# for docs/performance.md (bench/ledger.sh does 100,000 with reports).
set -eu
n=${1:-1000}
sircomm=$(cd "$(dirname "${2:-build/sircomm}")" && pwd)/$(basename "${2:-build/sircomm}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in"
"$sircomm" sample --count "$n" --seed 99 -o "$tmp/in" >/dev/null
cd "$tmp/in"
ls | /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" xargs "$sircomm" ingest -q --db "$tmp/l.db" 2>/dev/null
read -r wall user sys rss < "$tmp/time"
size=$(stat -c %s "$tmp/l.db")
awk -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v z="$size" 'BEGIN {
	printf "ingest: %d incidents in %.2f s wall: %.0f incidents/s, %.2f ms CPU per incident, peak RSS %.1f MiB, ledger %.1f MB (%.1f KB per incident)\n",
	       n, w, n / w, (u + s) * 1000 / n, m / 1024, z / 1e6, z / n / 1e3 }'
