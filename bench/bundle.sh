#!/bin/sh
# bench/bundle.sh [N] [SIRCOMM]: bundles N records (1,000 by default) made
# from the samples with fresh ids, and prints bundles per second, CPU
# time per bundle, MB written and peak memory; then the floor: the wall
# and CPU time `zip -6 -r` plus `sha256sum` take over the same payload
# files, and sircomm's cost as a multiple of it.  Not a
# test: figures for docs/performance.md.  Needs zip and unzip.
set -eu
n=${1:-1000}
sircomm=${2:-build/sircomm}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in" "$tmp/out" "$tmp/floor"
k=0
set -- samples/s1-breach.xml samples/s1-silent-approver.xml samples/s1-missed-turnaround.xml \
	samples/s2-no-turnaround.xml samples/s1-rce-public.xml samples/s1-in-progress.xml
while [ $k -lt "$n" ]; do
	i=$((k % 6 + 1))
	eval "src=\${$i}"
	sed "0,/<incident id=\"[^\"]*\"/s//<incident id=\"BENCH-$k\"/" "$src" > "$tmp/in/r$k.xml"
	k=$((k + 1))
done
"$sircomm" keygen --unencrypted -o "$tmp/key" >/dev/null
/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" \
	"$sircomm" bundle -o "$tmp/out" --sign "$tmp/key.sec" "$tmp"/in/*.xml >/dev/null
# The last line: /usr/bin/time puts "Command exited with non-zero
# status 1" above it when a record's audit fails.
read -r wall user sys rss <<EOF
$(tail -n 1 "$tmp/time")
EOF
bytes=$(du -sb "$tmp/out" | cut -f1)
awk -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" -v b="$bytes" 'BEGIN {
	printf "bundle: %d bundles in %.2f s wall: %.0f bundles/s, %.2f ms CPU per bundle, peak RSS %.1f MiB, %.1f MB written\n",
	       n, w, (w > 0 ? n / w : 0), (u + s) * 1000 / n, m / 1024, b / 1e6 }'
# The floor: zip and hash the same payload files (unpacked from the bundles).
for z in "$tmp"/out/*.zip; do
	unzip -q "$z" -d "$tmp/floor"
done
# One process after another, as a script would; timed by /usr/bin/time
# for the CPU of every zip, find and sha256sum it starts.
cd "$tmp/floor"
cat > ../floor.sh <<'EOF'
for d in */; do
	zip -q -6 -r "../floor-${d%/}.zip" "$d"
	find "$d" -type f -exec sha256sum {} + > /dev/null
done
EOF
/usr/bin/time -f '%e %U %S' -o ../floor.time sh ../floor.sh
read -r fwall fuser fsys < ../floor.time
# sircomm ran with -j set to the number of processors, the floor on one:
# compare CPU per bundle as well as wall time.
awk -v n="$n" -v f="$fwall" -v fu="$fuser" -v fs="$fsys" -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN {
	fc = (fu + fs) * 1000 / n; c = (u + s) * 1000 / n
	printf "floor:  zip -6 -r + sha256sum over the same files: %.2f s wall, %.2f ms CPU per bundle\n", f, fc
	printf "ratio:  sircomm is %.2fx the floor in CPU per bundle, %.2fx in wall time\n",
	       (fc > 0 ? c / fc : 0), (f > 0 ? w / f : 0) }'
