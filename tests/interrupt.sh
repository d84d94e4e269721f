#!/bin/sh
# interrupt.sh SIRCOMM: Ctrl-C in the middle of a batch.  Each batch
# command (draft, bundle, audit to a file and to standard output, ingest)
# is started over hundreds of records and sent SIGTERM once its first
# output appears.  It must die of that signal (status 143 in the shell),
# say how far it got, leave every output it wrote whole (as many as it
# says), write nothing half-way and leave no temporary file behind.
#
# SIGTERM, because a shell starts background jobs with SIGINT ignored
# (and sircomm leaves it so); one draft is started with SIGINT restored,
# as a terminal's Ctrl-C would find it, and sent SIGINT.  The last two
# drafts read one record from a FIFO, to send the signal while the
# record is in hand: it must not be drafted on to its end.
set -u
SIRCOMM=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }

mkdir "$tmp/in"
"$SIRCOMM" sample --count 400 --seed 5 -o "$tmp/in" >/dev/null || { echo "sample failed"; exit 1; }
set -- "$tmp"/in/*.xml

# Sends SIGTERM (or SIG$sig) to $pid once the test $1 holds, then waits for it; sets
# $st to its status.  Gives up (status "ran out") if it ends first.
interrupt_when() {
	while ! eval "$1" && kill -0 "$pid" 2>/dev/null; do
		sleep 0.01
	done
	kill -"${sig:-TERM}" "$pid" 2>/dev/null
	wait "$pid"
	st=$?
}

# The number in "interrupted (SIGTERM): ... N ..." (the first one).
said() {
	sed -n 's/^sircomm: interrupted (SIG[A-Z]*): [^0-9]*\([0-9][0-9]*\).*/\1/p' "$tmp/err" | head -1
}

leftovers() {
	find "$1" -name '.*tmp*' -o -name '.*old*' | head -3 | tr '\n' ' '
}

# draft: every directory written holds as many files as one record's
# drafts when drafted alone.
mkdir "$tmp/one" "$tmp/d"
"$SIRCOMM" draft -o "$tmp/one" "$1" >/dev/null
whole=$(ls "$tmp"/one/*/drafts | wc -l)
"$SIRCOMM" draft -o "$tmp/d" "$@" >/dev/null 2>"$tmp/err" & pid=$!
interrupt_when '[ -n "$(ls "$tmp/d")" ]'
n=$(said); dirs=$(ls "$tmp/d" | wc -l)
short=$(for x in "$tmp"/d/*/drafts; do [ "$(ls "$x" | wc -l)" = "$whole" ] || echo "$x"; done)
if [ "$st" != 143 ] || [ -z "$n" ]; then
	bad "draft: status $st, stderr: $(tail -2 "$tmp/err")"
elif [ "$dirs" != "$n" ] || [ -n "$short" ] || [ -n "$(leftovers "$tmp/d")" ]; then
	bad "draft: said $n, $dirs directories, incomplete: $short, left: $(leftovers "$tmp/d")"
else
	ok "draft: interrupted after $n of $# records, each drafts directory whole, nothing left over"
fi

# bundle
mkdir "$tmp/b"
"$SIRCOMM" bundle -o "$tmp/b" "$@" >/dev/null 2>"$tmp/err" & pid=$!
interrupt_when '[ -n "$(ls "$tmp/b")" ]'
n=$(said); zips=$(ls "$tmp/b" | wc -l)
if [ "$st" != 143 ] || [ -z "$n" ]; then
	bad "bundle: status $st, stderr: $(tail -2 "$tmp/err")"
elif [ "$zips" != "$n" ] || [ -n "$(leftovers "$tmp/b")" ]; then
	bad "bundle: said $n, $zips files, left: $(leftovers "$tmp/b")"
elif ! "$SIRCOMM" verify "$tmp"/b/*.zip >/dev/null 2>"$tmp/verr"; then
	bad "bundle: a bundle written before the interrupt does not verify: $(head -2 "$tmp/verr")"
else
	ok "bundle: interrupted after $n of $# bundles, each verifies, nothing left over"
fi

# audit to a file: the file is not written at all.  Three more copies of
# the records, with ids of their own (a report takes each incident once),
# make the run last long enough to interrupt.
mkdir "$tmp/a" "$tmp/more"
python3 - "$tmp/more" "$@" <<'PY'
import os, sys
out = sys.argv[1]
for copy in "bcd":
    for path in sys.argv[2:]:
        text = open(path, encoding="utf-8").read().replace('<incident id="GEN-', '<incident id="GEN-%s-' % copy, 1)
        open(os.path.join(out, copy + "-" + os.path.basename(path)), "w", encoding="utf-8").write(text)
PY
"$SIRCOMM" audit -j 1 --format json -o "$tmp/a/all.json" "$@" "$tmp"/more/*.xml >/dev/null 2>"$tmp/err" & pid=$!
interrupt_when '[ -n "$(ls -A "$tmp/a")" ]'
if [ "$st" != 143 ] || ! grep -q '^sircomm: interrupted (SIGTERM): .*all.json not written' "$tmp/err"; then
	bad "audit -o: status $st, stderr: $(tail -2 "$tmp/err")"
elif [ -n "$(ls -A "$tmp/a")" ]; then
	bad "audit -o: left $(ls -A "$tmp/a" | tr '\n' ' ')"
else
	ok "audit -o: interrupted, the file not written and no temporary left"
fi

# audit to standard output: whole audits only, as many as it says.
"$SIRCOMM" audit -j 1 --format json "$@" "$@" "$@" "$@" >"$tmp/out" 2>"$tmp/err" & pid=$!
interrupt_when '[ -s "$tmp/out" ]'
n=$(said); got=$(grep -c '^  "summary": ' "$tmp/out")
if [ "$st" != 143 ] || [ -z "$n" ]; then
	bad "audit: status $st, stderr: $(tail -2 "$tmp/err")"
elif [ "$got" != "$n" ] || [ "$(tail -c 2 "$tmp/out")" != "}" ]; then
	bad "audit: said $n, printed $got summaries, ends with '$(tail -c 20 "$tmp/out")'"
else
	ok "audit: interrupted after $n whole audits printed"
fi

# ingest: whole incidents, as many as the summary says.  In transactions
# of five: in the default ones (500 incidents or 250 ms) the first commit
# can come when the 400 records are all but done, and the signal after
# the end.
"$SIRCOMM" ingest --batch 5 --db "$tmp/l.db" "$@" >/dev/null 2>"$tmp/err" & pid=$!
interrupt_when '[ "$(sqlite3 "$tmp/l.db" "SELECT count(*) FROM incidents" 2>/dev/null || echo 0)" -gt 0 ]'
n=$(sed -n 's/^sircomm: .*: \([0-9][0-9]*\) incidents\{0,1\} ingested.*(interrupted).*/\1/p' "$tmp/err")
rows=$(sqlite3 "$tmp/l.db" "SELECT count(*) FROM incidents")
integrity=$(sqlite3 "$tmp/l.db" "PRAGMA integrity_check")
torn=$(sqlite3 "$tmp/l.db" "SELECT count(*) FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.incident = i.key)
                                OR (SELECT count(*) FROM finding_rows f WHERE f.incident = i.key) != i.pass + i.fail + i.excepted + i.na + i.pending")
if [ "$st" != 143 ] || [ -z "$n" ] || ! grep -q '^sircomm: interrupted (SIGTERM)' "$tmp/err"; then
	bad "ingest: status $st, stderr: $(tail -2 "$tmp/err")"
elif [ "$rows" != "$n" ] || [ "$integrity" != ok ] || [ "$torn" != 0 ]; then
	bad "ingest: said $n, $rows incidents, integrity $integrity, $torn without their record or findings"
else
	ok "ingest: interrupted after $n of $# incidents, each whole, integrity ok"
fi

# Ctrl-C proper: SIGINT, with its default disposition restored first.
mkdir "$tmp/i"
python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$SIRCOMM" draft -o "$tmp/i" "$@" >/dev/null 2>"$tmp/err" & pid=$!
sig=INT interrupt_when '[ -n "$(ls "$tmp/i")" ]'
n=$(said); dirs=$(ls "$tmp/i" | wc -l)
if [ "$st" != 130 ] || ! grep -q '^sircomm: interrupted (SIGINT): ' "$tmp/err"; then
	bad "draft, SIGINT: status $st, stderr: $(tail -2 "$tmp/err")"
elif [ "$dirs" != "$n" ] || [ -n "$(leftovers "$tmp/i")" ]; then
	bad "draft, SIGINT: said $n, $dirs directories, left: $(leftovers "$tmp/i")"
else
	ok "draft, SIGINT: interrupted after $n records, nothing left over"
fi

# A record in hand when the signal comes is not drafted.  The record
# comes through a FIFO: opening it for writing waits for sircomm to open
# it for reading (so its handlers are set), and the signal is sent while
# sircomm still waits for the end of the record.  Drafting it would
# report its tracking link; stopping, sircomm reports nothing about it.
mkdir "$tmp/f"
mkfifo "$tmp/f/slow.xml"
"$SIRCOMM" draft -j 1 -o "$tmp/f" "$tmp/f/slow.xml" >/dev/null 2>"$tmp/err" & pid=$!
exec 3>"$tmp/f/slow.xml"
cat tests/fixtures/tracking.xml >&3
kill -TERM "$pid"
exec 3>&-
wait "$pid"
st=$?
if [ "$st" != 143 ] || ! grep -q '^sircomm: interrupted (SIGTERM): drafts of 0 of 1 records' "$tmp/err"; then
	bad "draft, record in hand: status $st, stderr: $(tail -2 "$tmp/err")"
elif grep -q ': error: ' "$tmp/err" || [ -n "$(ls "$tmp/f" | grep -v slow.xml)" ]; then
	bad "draft, record in hand: drafted after the signal: $(grep ': error: ' "$tmp/err" | head -1)"
else
	ok "draft, record in hand: not drafted after the signal, nothing written"
fi

# A signal in the middle of a long record stops it at the next draft, not
# at the end of the record.  Each template is made slow (48 KB of image
# brackets, about a tenth of a second for cmark-gfm each), so the record
# takes a second or more; the signal follows the end of the record at
# once.  Drafted to the end, the record would report its tracking link
# and its social post over 280 characters.
mkdir "$tmp/t" "$tmp/g"
"$SIRCOMM" templates export "$tmp/t" >/dev/null
python3 -c 'import sys, glob
for p in glob.glob(sys.argv[1] + "/*.md"):
    open(p, "a").write("\n\n" + "![[]()" * 8000 + "\n")' "$tmp/t"
mkfifo "$tmp/g/slow.xml"
"$SIRCOMM" draft -j 1 --templates "$tmp/t" -o "$tmp/g" "$tmp/g/slow.xml" >/dev/null 2>"$tmp/err" & pid=$!
exec 3>"$tmp/g/slow.xml"
cat tests/fixtures/tracking.xml >&3
exec 3>&-
kill -TERM "$pid"
wait "$pid"
st=$?
if [ "$st" != 143 ] || ! grep -q '^sircomm: interrupted (SIGTERM): drafts of 0 of 1 records' "$tmp/err"; then
	bad "draft, long record: status $st, stderr: $(tail -2 "$tmp/err")"
elif grep -q ': error: ' "$tmp/err" || [ -n "$(ls "$tmp/g" | grep -v slow.xml)" ]; then
	bad "draft, long record: drafted to the end after the signal: $(grep ': error: ' "$tmp/err" | head -1)"
else
	ok "draft, long record: stopped at the next draft, nothing written"
fi

[ $fails = 0 ] && echo "all interrupt checks passed" || echo "$fails interrupt checks failed"
exit $fails
