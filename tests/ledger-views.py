#!/usr/bin/env python3
"""ledger-views.py SIRCOMM: what schema version 5 does not store as rows
comes back through `sircomm query` from the record it stores.

- Every finding's note from the `findings` view equals the note of the
  same finding in `sircomm audit --format json` of the record, for every
  sample and audit scenario; the sqlite3 shell (which has no sircomm)
  sees NULL notes.
- `events` gives each record's timeline: as many rows as the record has
  events, with the times and types `sircomm audit` cites as evidence.
- `sqlar_uncompress` gives back the record byte for byte, in sircomm
  query and in the sqlite3 shell.
- A standing exception imported after the ingest changes what the record
  audits to: the notes of that incident come back NULL (never words for
  a status the ledger does not hold), the other incidents' stay.
"""
import csv, glob, io, json, os, subprocess, sys, tempfile

sircomm = sys.argv[1]
src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
fails = 0


def check(ok, what):
    global fails
    print(('ok: ' if ok else 'FAIL: ') + what)
    fails += not ok


def query(db, sql):
    out = subprocess.run([sircomm, 'query', '--csv', '--db', db, sql], capture_output=True,
                         check=True).stdout.decode()
    return list(csv.reader(io.StringIO(out, newline='')))[1:]


records = sorted(glob.glob(os.path.join(src, 'samples', '*.xml')) +
                 glob.glob(os.path.join(src, 'tests', 'audit', '*.xml')))
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, 'l.db')
    subprocess.run([sircomm, 'ingest', '-q', '--db', db] + records, capture_output=True)
    stored = {r[0] for r in query(db, 'SELECT id FROM incidents')}
    want_notes, want_events, by_id = {}, {}, {}
    for path in records:
        run = subprocess.run([sircomm, 'audit', '--format', 'json', path], capture_output=True)
        if not run.stdout:
            continue
        a = json.loads(run.stdout)[0]
        if a['incident'] not in stored:
            continue
        by_id[a['incident']] = path
        for i, f in enumerate(a['findings']):
            want_notes[(a['incident'], str(i))] = f['note'] or ''
    got = {(r[0], r[1]): r[2] for r in query(db, 'SELECT incident_id, seq, note FROM findings')}
    check(len(got) > 1000 and got == want_notes,
          '%d notes of %d incidents, each as sircomm audit words it' % (len(got), len(by_id)))
    shell = subprocess.run(['sqlite3', '-readonly', db, "SELECT count(note) FROM findings"],
                           capture_output=True, text=True).stdout.strip()
    check(shell == '0', 'the sqlite3 shell sees no notes stored (%s)' % shell)

    # Events: one row per event of the record, in order, with the evidence's times.
    counts = {r[0]: int(r[1]) for r in query(db, 'SELECT incident_id, count(*) FROM events GROUP BY 1')}
    want = {}
    for ident, path in by_id.items():
        with open(path, encoding='utf-8') as f:
            want[ident] = f.read().count('<event ')
    check(counts == want, 'events of %d incidents, as many as their records have' % len(counts))
    ev = query(db, "SELECT seq, line, at, type FROM events WHERE incident_id = 'SIRT-2026-0142' ORDER BY seq")
    a = json.loads(subprocess.run([sircomm, 'audit', '--format', 'json', by_id['SIRT-2026-0142']],
                                  capture_output=True).stdout)[0]
    cited = {(e['line'], e['type']) for f in a['findings'] for e in f['evidence']
             if not e['type'].startswith('fact:')}
    lines = {(int(r[1]), r[3]) for r in ev}
    check([int(r[0]) for r in ev] == list(range(len(ev))) and cited <= lines,
          'the events of SIRT-2026-0142 hold every event its findings cite (%d of %d)' % (len(cited), len(ev)))

    # The record itself, from sircomm and from the sqlite3 shell.
    out = os.path.join(tmp, 'r.xml')
    subprocess.run(['sqlite3', '-readonly', db,
                    "SELECT writefile('%s', sqlar_uncompress(r.data, r.size)) FROM records r "
                    "JOIN incidents i ON i.key = r.incident WHERE i.id = 'SIRT-2026-0142'" % out],
                   check=True, capture_output=True)
    with open(out, 'rb') as f, open(by_id['SIRT-2026-0142'], 'rb') as g:
        check(f.read() == g.read(), 'the sqlite3 shell gives back the stored record, byte for byte')
    hx = query(db, "SELECT hex(sqlar_uncompress(r.data, r.size)) FROM records r "
                   "JOIN incidents i ON i.key = r.incident WHERE i.id = 'SIRT-2026-0142'")[0][0]
    with open(by_id['SIRT-2026-0142'], 'rb') as g:
        check(bytes.fromhex(hx) == g.read(), 'so does sircomm query')

    # A standing exception imported after the ingest: that incident's
    # record now audits differently, so its notes are not given.
    miss = 'SIRT-2026-0164'   # its e-group's update cadence failed
    fails_before = query(db, "SELECT count(note) FROM findings WHERE incident_id = '%s'" % miss)[0][0]
    std = os.path.join(tmp, 'standing.xml')
    with open(std, 'w') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<standing-exceptions version="1">\n'
                '  <exception id="STD-2026-009" rule="UPDATE-CADENCE" subject="e-group"\n'
                '             requested-by="Head of Communications" approved-by="VP of Security"\n'
                '             approved-at="2026-01-05T09:00:00Z" expires="2027-01-01T00:00:00Z">\n'
                '    <justification>The e-group is briefed in person.</justification>\n'
                '  </exception>\n</standing-exceptions>\n')
    subprocess.run([sircomm, 'exceptions', '--db', db, '--import', std], check=True, capture_output=True)
    after = query(db, "SELECT count(note) FROM findings WHERE incident_id = '%s'" % miss)[0][0]
    others = query(db, "SELECT count(note) FROM findings WHERE incident_id = 'SIRT-2026-0142'")[0][0]
    check(int(fails_before) > 0 and after == '0' and int(others) > 0,
          '%s: %s notes before the standing exception, %s after; SIRT-2026-0142 keeps %s'
          % (miss, fails_before, after, others))

print('all view checks passed' if not fails else '%d view checks failed' % fails)
sys.exit(1 if fails else 0)
