# A record just under the size cap with tens of thousands of events is
# checked, audited and drafted in bounded time (the test's timeout).
python3 - "$TMPDIR_CASE/r.xml" <<'PY'
import sys, datetime
src = open('samples/s1-breach.xml').read()
t0 = datetime.datetime(2026, 3, 4, 13, 30)
ev = []
size = len(src)
i = 0
while True:
    line = '    <event at="%s" type="update" group="%s"/>\n' % (
        (t0 + datetime.timedelta(seconds=i * 7)).strftime('%Y-%m-%dT%H:%M:%SZ'),
        ('director-secops', 'vp-security', 'e-group')[i % 3])
    if size + len(line) > 4 * 1024 * 1024 - 64:
        break
    ev.append(line)
    size += len(line)
    i += 1
open(sys.argv[1], 'w').write(src.replace('  </timeline>', ''.join(ev) + '  </timeline>'))
print(len(ev), 'events added,', size, 'bytes')
PY
cd "$TMPDIR_CASE" && $SIRCOMM check r.xml && $SIRCOMM audit r.xml | tail -1 && $SIRCOMM draft -o . r.xml | sed 's/^r.xml: //'
