#!/bin/sh
# fuzz/run.sh [SECONDS] - build the libFuzzer harnesses and run each one.
#
# Builds build-fuzz (clang, ASan + UBSan, -Dfuzz=true) if it is not there,
# then runs every harness for SECONDS (default 30) over a copy of its seed
# corpus in fuzz/corpus/NAME: new inputs land in a temporary directory,
# never in the repository.  Prints one line per harness; exits 1 if any
# harness crashed, leaked, timed out or tripped a sanitizer (its artifact
# and log are kept, and their paths printed), 2 if the build failed.
#
# FUZZ_TARGETS="record text" limits the run to some harnesses.
#
# Time is a finding too: cmark-gfm is slower than linear on some
# Markdown (docs/performance.md), and sircomm bounds what reaches it.
# Each harness gets inputs as long as sircomm lets through that path
# (-max_len) and a -timeout a few times the slowest such input known, so
# an input that grows faster than the text is reported like a crash.
set -u

secs=${1:-30}
case $secs in
''|*[!0-9]*) echo "usage: fuzz/run.sh [SECONDS]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz
targets=${FUZZ_TARGETS:-record policy tmpl text verify minisig log}

if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$root" -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false >/dev/null || {
		echo "fuzz: cannot configure $build (needs clang and libclang-rt-14-dev)" >&2
		exit 2
	}
fi
ninja -C "$build" >/dev/null || { echo "fuzz: build failed in $build" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/sircomm-fuzz.XXXXXX") || exit 2

# -max_len and -timeout by harness.  record: a record with its Markdown
# at the size limits, escaped as XML, is under 70 KB; the slowest known
# takes 0.6 s here under ASan.  text: the Markdown a record can bring
# into one draft (32 KiB in all); the slowest known 32 KiB takes 0.5 s.
# The others keep libFuzzer's own length (the largest seed) and 10 s.
bounds() {
	case $1 in
	record) echo "-max_len=131072 -timeout=5" ;;
	text) echo "-max_len=32768 -timeout=3" ;;
	*) echo "-timeout=10" ;;
	esac
}

# UBSan only prints and carries on unless told to stop; a report is a bug.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"

failed=0
for name in $targets; do
	exe=$build/fuzz/fuzz_$name
	if [ ! -x "$exe" ]; then
		echo "fuzz_$name: FAILED: no harness $exe"
		failed=1
		continue
	fi
	corpus=$work/$name-corpus
	artifacts=$work/$name-artifacts
	log=$work/$name.log
	mkdir -p "$corpus" "$artifacts"
	cp -R "$root/fuzz/corpus/$name/." "$corpus/"
	# shellcheck disable=SC2046 # bounds prints separate flags
	set -- -max_total_time="$secs" -rss_limit_mb=2048 $(bounds "$name") \
		-print_final_stats=1 -artifact_prefix="$artifacts/"
	[ -f "$root/fuzz/$name.dict" ] && set -- "$@" -dict="$root/fuzz/$name.dict"
	"$exe" "$@" "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz_$name: ok, ${runs:-?} runs in ${secs}s"
	else
		what=$(grep -m 1 -E '^(==[0-9]+== ?ERROR|SUMMARY|.*runtime error)' "$log")
		echo "fuzz_$name: FAILED (exit $rc) after ${runs:-?} runs: ${what:-see the log}"
		for a in "$artifacts"/*; do
			[ -e "$a" ] && echo "  artifact: $a"
		done
		echo "  log: $log"
		failed=1
	fi
done

if [ "$failed" -eq 0 ]; then
	rm -rf "$work"
	exit 0
fi
echo "fuzz: failures kept in $work"
exit 1
