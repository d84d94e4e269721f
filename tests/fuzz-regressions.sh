#!/bin/sh
# tests/fuzz-regressions.sh SIRCOMM - replay the inputs the fuzzers found.
#
# Each file in tests/fuzz-regressions/ is a raw input that once crashed a
# harness of fuzz/ (see the README there); its name says which:
#
#   record-*   sircomm check, audit, status, draft -o TMP, ingest --db TMP
#   policy-*   sircomm policy check
#   verify-*   sircomm verify, without and with a public key
#   tmpl-*     sircomm draft --templates DIR, the input as customer-email.md
#              (and as the partial self.md)
#   text-*     sircomm draft --templates DIR, the input as the Markdown of
#              internal-update.md and (after a Subject: line) customer-email.md
#   minisig-*  the input as a public key, a signature and a secret key
#
# Exit statuses 0 to 3 are sircomm's own answers (ok, failures found, bad
# input, I/O): fine.  Anything else (a signal, a sanitizer's death, a hang
# past the time limit) fails the test.  Sanitizers are told to abort, so
# an ASan or UBSan report cannot pass for exit status 1.
#
# FUZZ_DIR=build-fuzz/fuzz also replays each input through its harness.
# Run from the source root (meson's workdir).
set -u

sircomm=${1:?usage: tests/fuzz-regressions.sh SIRCOMM}
dir=tests/fuzz-regressions
record=samples/s1-breach.xml
pubkey=fuzz/corpus/minisig/fuzz.pub
bundle=fuzz/corpus/verify/small-bag-stored.zip

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:abort_on_error=1:print_stacktrace=1"

if command -v timeout >/dev/null 2>&1; then
	limit="timeout 120"
else
	limit=
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sircomm-fuzzreg.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

fails=0
runs=0

# run INPUT DESCRIPTION COMMAND... - one command on one input
run() {
	input=$1; what=$2; shift 2
	runs=$((runs + 1))
	$limit "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	case $rc in
	0|1|2|3) ;;
	*)
		echo "FAIL: $input ($what): exit status $rc"
		sed -n '1,40p' "$tmp/err" | sed 's/^/  | /'
		fails=$((fails + 1))
		;;
	esac
}

# templates - an empty templates directory in $tmp/tpl
templates() {
	rm -rf "$tmp/tpl"
	mkdir -p "$tmp/tpl"
}

for input in "$dir"/*; do
	[ -f "$input" ] || continue
	base=${input##*/}
	case $base in
	README.md) continue ;;
	record-*)
		run "$input" check "$sircomm" check "$input"
		run "$input" audit "$sircomm" audit "$input"
		run "$input" status "$sircomm" status "$input"
		rm -rf "$tmp/drafts"
		run "$input" draft "$sircomm" draft -o "$tmp/drafts" "$input"
		rm -f "$tmp/ledger.db"
		run "$input" ingest "$sircomm" ingest --quiet --db "$tmp/ledger.db" "$input"
		;;
	policy-*)
		run "$input" "policy check" "$sircomm" policy check "$input"
		;;
	verify-*)
		run "$input" verify "$sircomm" verify "$input"
		run "$input" "verify --pubkey" "$sircomm" verify --pubkey "$pubkey" "$input"
		;;
	tmpl-*)
		templates
		cp "$input" "$tmp/tpl/customer-email.md"
		cp "$input" "$tmp/tpl/self.md"
		rm -rf "$tmp/drafts"
		run "$input" "draft --templates" "$sircomm" draft --templates "$tmp/tpl" \
			-o "$tmp/drafts" "$record"
		;;
	text-*)
		templates
		cp "$input" "$tmp/tpl/internal-update.md"
		{ printf 'Subject: fuzz\n\n'; cat "$input"; } >"$tmp/tpl/customer-email.md"
		rm -rf "$tmp/drafts"
		run "$input" "draft --templates" "$sircomm" draft --templates "$tmp/tpl" \
			-o "$tmp/drafts" "$record"
		;;
	minisig-*)
		run "$input" "as a public key" "$sircomm" verify --pubkey "$input" "$bundle"
		cp "$bundle" "$tmp/bundle.zip"
		cp "$input" "$tmp/bundle.zip.minisig"
		run "$input" "as a signature" "$sircomm" verify --pubkey "$pubkey" "$tmp/bundle.zip"
		rm -rf "$tmp/signed"
		run "$input" "as a secret key" "$sircomm" bundle --sign "$input" -o "$tmp/signed" \
			samples/s3-medium-out-of-scope.xml
		;;
	*)
		echo "FAIL: $input: no harness matches the name (record-, policy-, tmpl-, text-, verify-, minisig-)"
		fails=$((fails + 1))
		continue
		;;
	esac
	if [ -n "${FUZZ_DIR:-}" ]; then
		harness=$FUZZ_DIR/fuzz_${base%%-*}
		[ -x "$harness" ] && run "$input" "fuzz_${base%%-*}" $harness "$input"
	fi
done

echo "fuzz regressions: $runs runs, $fails failed"
[ "$fails" -eq 0 ]
