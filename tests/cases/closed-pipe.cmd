# Standard output a pipe whose reader is gone, as `sircomm ... | head`
# leaves it: every command stops quietly with exit 3 (an output could not
# be written), never killed by SIGPIPE (exit 141), never a "Broken pipe"
# message.  The batch commands stop at the next record: drafts of the
# first record only are written.
here=$(pwd)
run() { printf "%s %s: " "$1" "$2"; python3 "$here/tests/closed-stdout.py" "$SIRCOMM" "$@"; }
T=$TMPDIR_CASE
$SIRCOMM ingest -q --db "$T/l.db" samples/*.xml 2>/dev/null
$SIRCOMM bundle -o "$T" samples/s1-breach.xml >/dev/null
echo "--- every command writing standard output"
run --help
run --version
run help audit
run audit --help
run check samples/s1-breach.xml samples/s2-no-turnaround.xml
run policy show
run policy export
run policy check policy/policy.xml
run new --at 2026-03-04T09:00:00Z
run templates list
run templates show customer-email
run templates vars samples/s1-breach.xml
run audit samples/*.xml
run audit --format json samples/*.xml
run status --at 2026-03-04T11:00:00Z samples/s1-breach.xml
(cd "$T" && run verify SIRT-2026-0142-audit.zip)
run report --db "$T/l.db"
run exceptions --db "$T/l.db" --at 2026-06-01T00:00:00Z
run query --db "$T/l.db" "SELECT id FROM incidents"
mkdir "$T/s" "$T/d" "$T/b" "$T/k"
run sample --count 2 -o "$T/s"
run keygen -o "$T/k/key"
echo "--- a batch stops at the next record"
run draft -j 1 -o "$T/d" samples/s1-breach.xml samples/s2-no-turnaround.xml samples/s1-rce-public.xml
ls "$T/d"
run bundle -j 1 -o "$T/b" samples/s1-breach.xml samples/s2-no-turnaround.xml samples/s1-rce-public.xml
ls "$T/b"
