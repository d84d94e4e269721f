#!/bin/sh
# bench/audit.sh [N] [SIRCOMM]: audits N records (1,000 by default) made
# from the samples with fresh ids, in one process, and prints records per
# second, CPU time per record and peak memory.  Not a test: figures for
# docs/performance.md.
set -eu
n=${1:-1000}
sircomm=${2:-build/sircomm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in"
k=0
set -- samples/s1-breach.xml samples/s1-silent-approver.xml samples/s1-missed-turnaround.xml \
	samples/s2-no-turnaround.xml samples/s1-rce-public.xml samples/s1-in-progress.xml
while [ $k -lt "$n" ]; do
	i=$((k % 6 + 1))
	eval "src=\${$i}"
	sed "0,/<incident id=\"[^\"]*\"/s//<incident id=\"BENCH-$k\"/" "$src" > "$tmp/in/r$k.xml"
	k=$((k + 1))
done
/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$sircomm" audit --format json -o "$tmp/out.json" "$tmp"/in/*.xml || true
# The last line: /usr/bin/time puts "Command exited with non-zero
# status 1" above it when a record fails its audit or a draft its check.
read -r wall user sys rss <<EOF
$(tail -n 1 "$tmp/time")
EOF
awk -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" 'BEGIN {
	printf "audit: %d records in %.2f s wall: %.0f records/s, %.3f ms CPU per record (user %.3f, system %.3f), peak RSS %.1f MiB\n",
	       n, w, (w > 0 ? n / w : 0), (u + s) * 1000 / n, u * 1000 / n, s * 1000 / n, m / 1024 }'
