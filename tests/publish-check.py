#!/usr/bin/env python3
"""The status page incident and the Atom feed sircomm writes, read back.

usage: publish-check.py SIRCOMM

Drafts every sample (and tests/publish/ records) and reads each
status.json with Python's json and each feed.atom with an independent
Atom parser (Debian's python3-feedparser), which must report no
problem at all (no "bozo"), then checks both against the record: the
incident's name, status and impact, its services as components, one
update and one entry per public notice, newest first, with the same
times, and stable, unique entry ids.  Exit 77 (skipped) without
feedparser.
"""
import email
import email.policy
import email.utils
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.dom.minidom

try:
    import feedparser
except ImportError:
    # Debian's python3-feedparser is in the system Python; a python3 found
    # first on PATH (pyenv, a virtualenv) does not see it.
    if os.path.exists('/usr/bin/python3') and sys.executable != '/usr/bin/python3' \
            and not os.environ.get('SIRCOMM_REEXEC'):
        os.environ['SIRCOMM_REEXEC'] = '1'
        os.execv('/usr/bin/python3', ['/usr/bin/python3'] + sys.argv)
    print('SKIP: no feedparser (apt-get install python3-feedparser)')
    sys.exit(77)

failures = []
checks = 0

STATUSES = ('investigating', 'identified', 'monitoring', 'resolved')
IMPACTS = ('none', 'minor', 'major', 'critical')


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)


def record_facts(path):
    """What the checks compare with, read from the record's XML."""
    doc = xml.dom.minidom.parse(path)
    root = doc.documentElement
    text = lambda tag: root.getElementsByTagName(tag)[0].firstChild.data.strip()  # noqa: E731
    services = [s.firstChild.data.strip() for s in root.getElementsByTagName('service')]
    scope = root.getElementsByTagName('scope')[0]
    notices = root.getElementsByTagName('notice')
    return {
        'id': root.getAttribute('id'),
        'title': text('title'),
        'status': text('status'),
        'impact': text('impact'),
        'users': scope.getAttribute('users'),
        'services': services,
        'notices': 1 + len(notices),
        'last_notice_status': notices[-1].getAttribute('status') if notices else None,
    }


def main():
    sircomm = os.path.abspath(sys.argv[1])
    # The samples, the records of several notices, and a hostile record
    # (markup and script in its title and texts).
    records = sorted(glob.glob('samples/*.xml')) + sorted(glob.glob('tests/publish/*.xml')) + \
        ['tests/fixtures/hostile.xml']
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run([sircomm, 'draft', '-o', out] + records, capture_output=True, text=True)
        check(r.returncode == 0, 'draft: ' + r.stderr)
        for rec in records:
            f = record_facts(rec)
            check(f['title'] and f['title'].strip(), rec + ': no title')
            d = os.path.join(out, f['id'], 'drafts')
            try:
                inc = json.load(open(os.path.join(d, 'status.json'), encoding='utf-8'))['incident']
            except (OSError, ValueError, KeyError) as e:
                check(False, '%s: status.json: %s' % (rec, e))
                continue
            check(inc['name'] == f['title'], rec + ': name')
            check(inc['status'] in STATUSES, rec + ': status ' + inc['status'])
            want = f['last_notice_status'] or {'resolved': 'resolved', 'mitigated': 'monitoring',
                                               'investigating': 'investigating'}[f['status']]
            check(inc['status'] == want, '%s: status %s, want %s' % (rec, inc['status'], want))
            check(inc['impact'] in IMPACTS, rec + ': impact ' + inc['impact'])
            want = 'none' if f['users'] == 'none' else {'low': 'minor', 'medium': 'minor', 'high': 'major',
                                                        'critical': 'critical'}[f['impact']]
            check(inc['impact'] == want, '%s: impact %s, want %s' % (rec, inc['impact'], want))
            check([c['name'] for c in inc['components']] == f['services'], rec + ': components')
            ups = inc['incident_updates']
            check(len(ups) == f['notices'], '%s: %d updates for %d notices' % (rec, len(ups), f['notices']))
            check(all(u['status'] in STATUSES for u in ups), rec + ': an update status')
            times = [u['created_at'] for u in ups]
            check(times == sorted(times, reverse=True), rec + ': updates not newest first')
            check(inc['updated_at'] == times[0] and inc['created_at'] == times[-1], rec + ': created/updated')
            check((inc['resolved_at'] is not None) == (inc['status'] == 'resolved'), rec + ': resolved_at')
            check(inc['body'] == ups[0]['body'], rec + ': body is not the latest update')

            raw = open(os.path.join(d, 'feed.atom'), 'rb').read()
            feed = feedparser.parse(raw)
            check(not feed.bozo, '%s: feedparser: %s' % (rec, feed.get('bozo_exception')))
            check(feed.version == 'atom10', '%s: read as %r, not Atom 1.0' % (rec, feed.version))
            check(feed.feed.get('title') == f['title'], rec + ': feed title')
            check(feed.feed.get('id', '').startswith('tag:'), rec + ': feed id is not a tag URI')
            check(feed.feed.get('author'), rec + ': no author')
            entries = feed.entries
            check(len(entries) == f['notices'], '%s: %d entries for %d notices' % (rec, len(entries), f['notices']))
            ids = [e.id for e in entries]
            check(len(set(ids)) == len(ids), rec + ': entry ids repeat')
            check(all(re.match(r'^tag:[^,]+,\d{4}-\d{2}-\d{2}:', i) for i in ids), rec + ': entry ids')
            stamps = [e.updated for e in entries]
            check(stamps == [u['created_at'] for u in ups], '%s: feed %r vs status page %r' % (
                rec, stamps, [u['created_at'] for u in ups]))
            check(feed.feed.updated == stamps[0], rec + ': feed updated is not the latest entry')
            for e in entries:
                check(e.content and e.content[0].value.strip(), rec + ': an entry without content')
                check('<script' not in e.content[0].value, rec + ': script in an entry')

            # Each notice's drafts: notice-N/csaf.json for every notice of a
            # record with <notices>, and from N = 2 the update itself.
            dirs = sorted(glob.glob(os.path.join(d, 'notice-*')))
            want = ['notice-%d' % k for k in range(1, f['notices'] + 1)] if f['notices'] > 1 else []
            check(sorted(os.path.basename(x) for x in dirs) == sorted(want), '%s: notice directories %r' % (rec, dirs))
            for k in range(2, f['notices'] + 1):
                nd = os.path.join(d, 'notice-%d' % k)
                try:
                    raw = open(os.path.join(nd, 'update.eml'), 'rb').read()
                    txt = open(os.path.join(nd, 'update.txt'), encoding='utf-8').read()
                    md = open(os.path.join(nd, 'update.md'), encoding='utf-8').read()
                except OSError as e:
                    check(False, '%s: notice %d: %s' % (rec, k, e))
                    continue
                m = email.message_from_bytes(raw, policy=email.policy.strict)
                check(m['X-Unsent'] == '1', '%s: notice %d: no X-Unsent' % (rec, k))
                check(m['Subject'] == 'Update %d: %s' % (k, f['title']), '%s: notice %d: subject %r' % (rec, k, m['Subject']))
                up = [u for u in ups if u['id'].endswith('-notice-%d' % k)][0]
                if up['published']:
                    check(email.utils.parsedate_to_datetime(m['Date']).strftime('%Y-%m-%dT%H:%M:%SZ') == up['created_at'],
                          '%s: notice %d: dated %s, went out %s' % (rec, k, m['Date'], up['created_at']))
                check(txt.startswith('Subject: ' + m['Subject'] + '\n\n'), '%s: notice %d: update.txt' % (rec, k))
                check(m.get_content().replace('\r\n', '\n') == txt.split('\n\n', 1)[1], '%s: notice %d: .eml body' % (rec, k))
                check('What changed' in md and ('next update by' in md) == ('The next update will follow by' in up['body']),
                      '%s: notice %d: the update does not say what changed and when the next comes' % (rec, k))
    for f in failures:
        print('FAIL:', f)
    print('%d checks, %d failed' % (checks, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
