#!/bin/sh
# bench/instructions.sh [N] [SIRCOMM]: counts the instructions that
# drafting, auditing and bundling N generated records take (20 by default, from
# `sircomm sample --seed 7`), with valgrind's callgrind, and prints them
# in all and per record.  Instruction counts do not depend on what else
# the machine is doing, so they compare runs where wall and CPU times
# cannot.  ANNOTATE=1 also prints where the instructions go (the
# functions over 1 %, inclusive).  Not a test: figures for
# docs/performance.md.  Needs valgrind.
set -eu
n=${1:-20}
sircomm=${2:-build/sircomm}
command -v valgrind >/dev/null || { echo "bench/instructions.sh needs valgrind" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in" "$tmp/out"
"$sircomm" sample --count "$n" --seed 7 -o "$tmp/in" >/dev/null

count() { # NAME COMMAND...: runs the command under callgrind, prints its count
	name=$1
	shift
	valgrind --tool=callgrind --callgrind-out-file="$tmp/$name.cg" "$@" \
		>/dev/null 2>"$tmp/$name.log" || true
	ir=$(sed -n 's/.*refs: *//p' "$tmp/$name.log" | tr -d ,)
	awk -v name="$name" -v ir="$ir" -v n="$n" 'BEGIN {
		printf "%s: %d records, %.1fM instructions, %.2fM per record\n",
		       name, n, ir / 1e6, ir / 1e6 / n }'
	if [ "${ANNOTATE:-}" = 1 ] && command -v callgrind_annotate >/dev/null; then
		callgrind_annotate --inclusive=yes --threshold=99 "$tmp/$name.cg" 2>/dev/null |
			awk '/^ *[0-9,]+ +\( *[0-9.]+%\)/ { p = $2; gsub(/[(%)]/, "", p); if (p + 0 >= 1) print "  " $0 }' |
			head -40
	fi
}

count draft "$sircomm" draft -j 1 -o "$tmp/out" "$tmp"/in/*.xml
count audit "$sircomm" audit -j 1 --format json -o "$tmp/audit.json" "$tmp"/in/*.xml
mkdir "$tmp/bundles"
count bundle "$sircomm" bundle -j 1 -o "$tmp/bundles" "$tmp"/in/*.xml
