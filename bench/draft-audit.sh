#!/bin/sh
# bench/draft-audit.sh [N] [SIRCOMM]: the CPU one record costs to draft
# and to audit, the issue's goal being under 2 ms for the two.  Runs
# bench/draft.sh and bench/audit.sh over the same N records (1,000 by
# default, made from the samples with the same fresh ids), prints their
# lines, then one line adding the two.  Not a test: figures for
# docs/performance.md.
set -eu
n=${1:-1000}
sircomm=${2:-build/sircomm}
here=$(dirname "$0")
d=$(sh "$here/draft.sh" "$n" "$sircomm")
a=$(sh "$here/audit.sh" "$n" "$sircomm")
echo "$d"
echo "$a"
# "..., 1.234 ms CPU per record (user 1.000, system 0.234), ..."
cpu() { echo "$1" | sed -n 's/.* \([0-9.]*\) ms CPU per record (user \([0-9.]*\), system \([0-9.]*\)).*/\1 \2 \3/p'; }
set -- $(cpu "$d") $(cpu "$a")
[ $# = 6 ] || { echo "bench/draft-audit.sh: cannot read the CPU per record above" >&2; exit 2; }
awk -v n="$n" -v d="$1" -v du="$2" -v a="$4" -v au="$5" 'BEGIN {
	printf "draft + audit: %.3f + %.3f = %.3f ms CPU per record (user %.3f + %.3f = %.3f), %d records; goal: under 2 ms\n",
	       d, a, d + a, du, au, du + au, n }'
