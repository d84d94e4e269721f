#!/bin/sh
# bench/draft.sh [N] [SIRCOMM]: drafts every artifact for N records (1,000
# by default) made from the samples with fresh ids, and prints records per
# second, CPU time per record, peak memory and bytes written.
# Not a test: it prints figures for docs/performance.md.
set -eu
n=${1:-1000}
sircomm=${2:-build/sircomm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in" "$tmp/out"
i=0
for s in samples/s1-breach.xml samples/s1-silent-approver.xml samples/s1-missed-turnaround.xml \
	 samples/s2-no-turnaround.xml samples/s1-rce-public.xml samples/s1-in-progress.xml; do
	cp "$s" "$tmp/sample$i.xml"
	i=$((i + 1))
done
k=0
while [ $k -lt "$n" ]; do
	src="$tmp/sample$((k % i)).xml"
	sed "0,/<incident id=\"[^\"]*\"/s//<incident id=\"BENCH-$k\"/" "$src" > "$tmp/in/r$k.xml"
	k=$((k + 1))
done
/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$sircomm" draft -o "$tmp/out" "$tmp"/in/*.xml >/dev/null
# The last line: /usr/bin/time puts "Command exited with non-zero
# status 1" above it when a record fails its audit or a draft its check.
read -r wall user sys rss <<EOF
$(tail -n 1 "$tmp/time")
EOF
bytes=$(du -sb "$tmp/out" | cut -f1)
awk -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v b="$bytes" 'BEGIN {
	printf "draft: %d records in %.2f s wall: %.0f records/s, %.3f ms CPU per record (user %.3f, system %.3f), peak RSS %.1f MiB, %.1f MB written\n",
	       n, w, (w > 0 ? n / w : 0), (u + s) * 1000 / n, u * 1000 / n, s * 1000 / n, m / 1024, b / 1e6 }'
