# Standard output a pipe whose reader is gone, as `sircomm ... | head`
# leaves it: every command stops quietly with exit 3 (an output could not
# be written), never killed by SIGPIPE (exit 141), never a "Broken pipe"
# message.  The batch commands stop at the next record: drafts and
# bundles of the first record only are written.
export T="$TMPDIR_CASE"
$SIRCOMM ingest -q --db "$T/l.db" samples/*.xml 2>/dev/null
$SIRCOMM bundle -o "$T" samples/s1-breach.xml >/dev/null
mkdir "$T/s" "$T/d" "$T/b" "$T/k"
python3 tests/closed-stdout.py <<'RUNS'
--help
--version
help audit
audit --help
check samples/s1-breach.xml samples/s2-no-turnaround.xml
policy show
policy export
policy check policy/policy.xml
new --at 2026-03-04T09:00:00Z
templates list
templates show customer-email
templates vars samples/s1-breach.xml
audit samples/s1-breach.xml samples/s1-exceptions.xml samples/s1-in-progress.xml
audit --format json samples/s1-breach.xml samples/s2-no-turnaround.xml
status --at 2026-03-04T11:00:00Z samples/s1-breach.xml
verify $T/SIRT-2026-0142-audit.zip
report --db $T/l.db
exceptions --db $T/l.db --at 2026-06-01T00:00:00Z
query --db $T/l.db "SELECT id FROM incidents"
sample --count 2 -o $T/s
keygen --unencrypted -o $T/k/key
draft -j 1 -o $T/d samples/s1-breach.xml samples/s2-no-turnaround.xml samples/s1-rce-public.xml
bundle -j 1 -o $T/b samples/s1-breach.xml samples/s2-no-turnaround.xml samples/s1-rce-public.xml
RUNS
echo "--- drafts and bundles written"
ls "$T/d"; ls "$T/b"
