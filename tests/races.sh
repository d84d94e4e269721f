#!/bin/sh
# races.sh SIRCOMM: sircomm processes writing the same output at the same
# moment, as two people drafting one incident at 3 a.m. might.  Each race
# is run many times over because a lost race is a matter of timing:
#
#   - two or three drafts of one record into one directory, new or
#     already there: every process succeeds, the directory holds one
#     whole set of drafts, identical to a lone run's, and no temporary
#     directory is left beside it;
#   - ten signed bundles of one incident to one file at once, half of
#     them of an edited record, with verify running all the while: all
#     succeed, every verify finds one run's zip and signature, so does
#     the last, and nothing else is left;
#   - two keygens to one name: one makes the key, the other refuses
#     (exit 2), and the key pair left is whole.
#
# RACES_ROUNDS=N runs every race N times instead (CI's valgrind pass,
# where each sircomm takes a second or two, uses a few).
set -u
SIRCOMM=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
rec=samples/s1-breach.xml
id=SIRT-2026-0142

mkdir "$tmp/ref"
"$SIRCOMM" draft -o "$tmp/ref" "$rec" >/dev/null || { echo "draft failed"; exit 1; }

# Runs N drafts of $rec into $tmp/out at once, ROUNDS times; FRESH=1
# removes the output before each round.
drafts_race() {
	n=$1 rounds=${RACES_ROUNDS:-$2} fresh=$3 label=$4
	lost=0 why=""
	rm -rf "$tmp/out"
	mkdir "$tmp/out"
	r=0
	while [ $r -lt "$rounds" ]; do
		[ "$fresh" = 1 ] && rm -rf "$tmp/out/$id"
		k=0 pids=""
		while [ $k -lt "$n" ]; do
			"$SIRCOMM" draft -o "$tmp/out" "$rec" >/dev/null 2>"$tmp/e$k" &
			pids="$pids $!"
			k=$((k + 1))
		done
		st=0
		for p in $pids; do
			wait "$p" || st=$?
		done
		left=$(ls -A "$tmp/out/$id" | tr '\n' ' ')
		if [ $st != 0 ]; then
			lost=$((lost + 1)); why="exit $st: $(cat "$tmp"/e*)"
		elif [ "$left" != "drafts " ]; then
			lost=$((lost + 1)); why="left beside the drafts: $left"
		elif ! diff -r "$tmp/ref/$id" "$tmp/out/$id" >/dev/null; then
			lost=$((lost + 1)); why="the drafts differ from a lone run's"
		fi
		r=$((r + 1))
	done
	[ $lost = 0 ] && ok "$label: $rounds rounds" || bad "$label: $lost of $rounds rounds lost, last: $why"
}

drafts_race 2 25 1 "two drafts into a new directory"
drafts_race 2 25 0 "two drafts over an existing directory"
drafts_race 3 15 1 "three drafts into a new directory"

rounds=$(seq 1 "${RACES_ROUNDS:-10}")

"$SIRCOMM" keygen --unencrypted -o "$tmp/k" >/dev/null 2>&1 || { echo "keygen failed"; exit 1; }

# Ten signed bundles of one incident at once, while its record is being
# edited: half the runs bundle the record as it was, half as edited, so
# their zips differ.  Each run replaces the zip and its signature as a
# pair, under a lock on the directory, and verify opens the pair under
# the same lock: a verify running all the while never finds one run's
# zip beside another's signature, and the pair left at the end is one
# run's.
sed 's|<title>|<title>Edited: |' "$rec" >"$tmp/edited.xml"
lost=0 why=""
for r in $rounds; do
	rm -rf "$tmp/b" "$tmp/done" "$tmp/vfail"
	mkdir "$tmp/b"
	"$SIRCOMM" bundle -o "$tmp/b" --sign "$tmp/k.sec" "$rec" >/dev/null 2>&1
	(
		while [ ! -e "$tmp/done" ]; do
			"$SIRCOMM" verify --pubkey "$tmp/k.pub" "$tmp/b/$id-audit.zip" >/dev/null 2>"$tmp/ve" ||
				cp "$tmp/ve" "$tmp/vfail"
		done
	) & vpid=$!
	pids=""
	for k in 0 1 2 3 4 5 6 7 8 9; do
		if [ $((k % 2)) = 0 ]; then r_k=$rec; else r_k=$tmp/edited.xml; fi
		"$SIRCOMM" bundle -o "$tmp/b" --sign "$tmp/k.sec" "$r_k" >/dev/null 2>"$tmp/e$k" &
		pids="$pids $!"
	done
	st=0
	for p in $pids; do
		wait "$p" || st=$?
	done
	touch "$tmp/done"
	wait $vpid
	if [ $st != 0 ]; then
		lost=$((lost + 1)); why="exit $st: $(cat "$tmp"/e?)"
	elif [ -e "$tmp/vfail" ]; then
		lost=$((lost + 1)); why="verify during the runs: $(cat "$tmp/vfail")"
	elif ! "$SIRCOMM" verify --pubkey "$tmp/k.pub" "$tmp/b/$id-audit.zip" >/dev/null 2>"$tmp/e1"; then
		lost=$((lost + 1)); why="verify after the runs: $(cat "$tmp/e1")"
	elif [ "$(ls -A "$tmp/b" | tr '\n' ' ')" != "$id-audit.zip $id-audit.zip.minisig " ]; then
		lost=$((lost + 1)); why="left: $(ls -A "$tmp/b" | tr '\n' ' ')"
	fi
done
[ $lost = 0 ] && ok "ten bundles of an edited record, verified meanwhile: ${RACES_ROUNDS:-10} rounds" ||
	bad "ten bundles of an edited record, verified meanwhile: $lost of ${RACES_ROUNDS:-10} rounds lost, last: $why"

# Two keygens to one name.
lost=0 why=""
for r in $rounds; do
	rm -f "$tmp/g.sec" "$tmp/g.pub"
	"$SIRCOMM" keygen --unencrypted -o "$tmp/g" >/dev/null 2>"$tmp/e1" & p1=$!
	"$SIRCOMM" keygen --unencrypted -o "$tmp/g" >/dev/null 2>"$tmp/e2" & p2=$!
	wait $p1; s1=$?
	wait $p2; s2=$?
	if [ "$s1$s2" != 02 ] && [ "$s1$s2" != 20 ]; then
		lost=$((lost + 1)); why="exit $s1/$s2: $(cat "$tmp/e1" "$tmp/e2")"
		continue
	fi
	# The pair left must be one pair: a bundle signed with the secret key
	# verifies with the public one.
	rm -rf "$tmp/gb"
	mkdir "$tmp/gb"
	if ! "$SIRCOMM" bundle -o "$tmp/gb" --sign "$tmp/g.sec" "$rec" >/dev/null 2>"$tmp/e1" ||
	   ! "$SIRCOMM" verify --pubkey "$tmp/g.pub" "$tmp/gb/$id-audit.zip" >/dev/null 2>>"$tmp/e1"; then
		lost=$((lost + 1)); why="the key pair left does not match: $(cat "$tmp/e1")"
	fi
done
[ $lost = 0 ] && ok "two keygens to one name: ${RACES_ROUNDS:-10} rounds" || bad "two keygens to one name: $lost lost, last: $why"

[ $fails = 0 ] && echo "all race checks passed" || echo "$fails race checks failed"
exit $fails
