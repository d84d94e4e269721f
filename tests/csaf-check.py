#!/usr/bin/env python3
"""The CSAF 2.0 documents sircomm writes, against the standard.

usage: csaf-check.py SIRCOMM

Drafts every sample (and tests/publish/ records) and checks each
csaf.json, and each notice-N/csaf.json, two ways:

1. the CSAF 2.0 JSON schema as OASIS publishes it (tests/csaf-2.0/, with
   its licence), through Python's jsonschema (Debian: python3-jsonschema);
2. the rules of the csaf_security_incident_response profile (CSAF 2.0
   section 4.2) and the mandatory tests of section 6.1 that apply to a
   document with no product tree or vulnerabilities (6.1.12, 6.1.14,
   6.1.16 to 6.1.22, 6.1.27.1 and 6.1.27.2, 6.1.30, 6.1.37), checked
   here; the checker itself is shown each rule's failure on an edited
   document first.

Also what sircomm promises of the content: tracking status draft before
anything is published, final once resolved, the incident id, dates from
the record.  Exit 77 (skipped) without jsonschema.
"""
import copy
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    # Debian's python3-jsonschema is in the system Python; a python3 found
    # first on PATH (pyenv, a virtualenv) does not see it.
    if os.path.exists('/usr/bin/python3') and sys.executable != '/usr/bin/python3' \
            and not os.environ.get('SIRCOMM_REEXEC'):
        os.environ['SIRCOMM_REEXEC'] = '1'
        os.execv('/usr/bin/python3', ['/usr/bin/python3'] + sys.argv)
    print('SKIP: no jsonschema (apt-get install python3-jsonschema)')
    sys.exit(77)

failures = []
checks = 0

SCHEMA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'csaf-2.0')
INTEGER = re.compile(r'^(0|[1-9][0-9]*)$')
SEMVER = re.compile(r'^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$')
RFC3339 = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$')


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)


def validator():
    def load(p):
        with open(os.path.join(SCHEMA_DIR, p), encoding='utf-8') as f:
            return json.load(f)
    schema = load('json_schema/csaf_json_schema.json')
    store = {schema['$id']: schema}
    for v in ('2.0', '3.0', '3.1'):
        store['https://www.first.org/cvss/cvss-v%s.json' % v] = load('referenced_schema/first/cvss-v%s.json' % v)
    cls = jsonschema.validators.validator_for(schema)
    try:
        # jsonschema 4.18 and later resolve references through a registry.
        import referencing
        registry = referencing.Registry().with_resources(
            (uri, referencing.Resource.from_contents(s, default_specification=referencing.jsonschema.DRAFT202012))
            for uri, s in store.items())
        return cls(schema, registry=registry, format_checker=jsonschema.FormatChecker())
    except ImportError:
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        return cls(schema, resolver=resolver, format_checker=jsonschema.FormatChecker())


def is_prerelease(v):
    m = SEMVER.match(v)
    return bool(m and m.group(4))


def is_zero(v):
    return v == '0' or v.startswith('0.')


def profile_problems(doc):
    """The section 4.2 and section 6.1 rules that apply, as a list of
    strings (empty: none broken)."""
    p = []
    d = doc.get('document', {})
    if d.get('category') != 'csaf_security_incident_response':
        p.append('4.2: category is %r' % d.get('category'))
    # 6.1.27.1 Document Notes (the profile's notes).
    if not any(n.get('category') in ('description', 'details', 'general', 'summary') for n in d.get('notes', [])):
        p.append('6.1.27.1: no description, details, general or summary note')
    # 6.1.27.2 Document References.
    if not any(r.get('category') == 'external' for r in d.get('references', [])):
        p.append('6.1.27.2: no external reference')
    # 6.1.12 Language.
    for key in ('lang', 'source_lang'):
        if key in d and not re.match(r'^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$', d[key]):
            p.append('6.1.12: %s %r' % (key, d[key]))
    t = d.get('tracking', {})
    hist = t.get('revision_history', [])
    numbers = [h.get('number', '') for h in hist]
    version = t.get('version', '')
    status = t.get('status')
    integer = all(INTEGER.match(x) for x in numbers + [version])
    semver = all(SEMVER.match(x) for x in numbers + [version])
    # 6.1.30 Mixed Integer and Semantic Versioning.
    if not integer and not semver:
        p.append('6.1.30: versions mix integer and semantic versioning: %r' % (numbers + [version]))

    def key(x):
        return (int(x),) if INTEGER.match(x) else tuple(int(y) for y in SEMVER.match(x).group(1, 2, 3))
    if integer or semver:
        # 6.1.14 Sorted Revision History: by number, the dates in order.
        by_number = sorted(hist, key=lambda h: key(h['number']))
        dates = [h['date'] for h in by_number]
        if dates != sorted(dates):
            p.append('6.1.14: revision history not sorted by date in number order')
        # 6.1.16 Latest Document Version.
        if numbers and key(version) != max(key(x) for x in numbers):
            p.append('6.1.16: version %s is not the latest revision %r' % (version, numbers))
        # 6.1.21 Missing Item in Revision History (integer: from 0 or 1, consecutive).
        ks = sorted(key(x)[0] for x in numbers)
        if ks and ks != list(range(ks[0], ks[0] + len(ks))) or (ks and ks[0] not in (0, 1)):
            p.append('6.1.21: revision numbers %r are not consecutive from 0 or 1' % ks)
    # 6.1.17 Document Status Draft.
    if (is_zero(version) or is_prerelease(version)) and status != 'draft':
        p.append('6.1.17: version %s with status %s' % (version, status))
    # 6.1.18 Released Revision in Revision History.
    if status in ('final', 'interim') and any(is_zero(x) for x in numbers):
        p.append('6.1.18: a %s document with a revision 0' % status)
    # 6.1.19 Revision History Entries for Pre-release Versions.
    if any(is_prerelease(x) for x in numbers):
        p.append('6.1.19: pre-release revision numbers')
    # 6.1.20 Non-draft Document Version.
    if status in ('final', 'interim') and is_prerelease(version):
        p.append('6.1.20: a %s document with a pre-release version' % status)
    # 6.1.22 Multiple Definition in Revision History.
    if len(set(numbers)) != len(numbers):
        p.append('6.1.22: a revision number twice')
    # 6.1.37 Date and Time.
    for label, v in [('initial_release_date', t.get('initial_release_date')),
                     ('current_release_date', t.get('current_release_date'))] + \
            [('revision date', h.get('date')) for h in hist]:
        if not isinstance(v, str) or not RFC3339.match(v):
            p.append('6.1.37: %s %r' % (label, v))
    return p


def self_test(v, good):
    """Each rule shown to fail on a document edited to break it."""
    def broken(change):
        d = copy.deepcopy(good)
        change(d['document'])
        return d
    t = lambda d: d['tracking']  # noqa: E731
    cases = {
        '4.2': lambda d: d.update(category='csaf_base'),
        '6.1.27.1': lambda d: d.update(notes=[{'category': 'legal_disclaimer', 'text': 'x', 'title': 'x'}]),
        '6.1.27.2': lambda d: d.update(references=[{'category': 'self', 'summary': 'x', 'url': 'https://x'}]),
        '6.1.12': lambda d: d.update(lang='not a language'),
        '6.1.16': lambda d: t(d).update(version='7'),
        '6.1.17': lambda d: (t(d).update(version='0', status='final'),
                             t(d)['revision_history'].__setitem__(0, dict(t(d)['revision_history'][0], number='0'))),
        '6.1.21': lambda d: t(d)['revision_history'].__setitem__(0, dict(t(d)['revision_history'][0], number='5')),
        '6.1.22': lambda d: t(d)['revision_history'].append(dict(t(d)['revision_history'][0])),
        '6.1.30': lambda d: t(d).update(version='1.0.0'),
        '6.1.37': lambda d: t(d).update(initial_release_date='2026-03-04 09:12'),
    }
    for rule, change in cases.items():
        probs = profile_problems(broken(change))
        check(any(x.startswith(rule) for x in probs), 'the checker misses a broken %s: %r' % (rule, probs))
    check(list(v.iter_errors(broken(lambda d: d.pop('publisher')))) != [], 'the schema accepts no publisher')


def main():
    sircomm = os.path.abspath(sys.argv[1])
    v = validator()
    records = sorted(glob.glob('samples/*.xml')) + sorted(glob.glob('tests/publish/*.xml'))
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run([sircomm, 'draft', '-o', out] + records, capture_output=True, text=True)
        check(r.returncode == 0, 'draft: ' + r.stderr)
        docs = {}
        for rec in records:
            m = re.search(r'<incident[^>]*\bid="([^"]+)"', open(rec, encoding='utf-8').read())
            path = os.path.join(out, m.group(1), 'drafts', 'csaf.json')
            check(os.path.exists(path), '%s: no csaf.json' % rec)
            if not os.path.exists(path):
                continue
            for p in [path] + sorted(glob.glob(os.path.join(out, m.group(1), 'drafts', 'notice-*', 'csaf.json'))):
                raw = open(p, 'rb').read()
                doc = json.loads(raw)
                docs[p] = (rec, doc, raw)
        first = None
        for p, (rec, doc, raw) in docs.items():
            label = '%s (%s)' % (rec, os.path.relpath(p, out))
            first = first or doc
            errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
            check(not errors, '%s: schema: %s' % (label, '; '.join(
                '%s: %s' % ('/'.join(map(str, e.path)), e.message) for e in errors[:5])))
            probs = profile_problems(doc)
            check(not probs, '%s: profile: %s' % (label, '; '.join(probs)))
            check(raw.endswith(b'}\n') and raw.decode('utf-8'), label + ': not UTF-8 JSON ending in a newline')
            t = doc['document']['tracking']
            xml = open(rec, encoding='utf-8').read()
            refs = [r['url'] for r in doc['document']['references']]
            m = re.search(r'<links\b[^>]*\bcontact="([^"]+)"', xml)
            if m:
                want = m.group(1) if '://' in m.group(1) else 'mailto:' + m.group(1)
                check(want in refs, '%s: the contact %s is not referenced: %r' % (label, want, refs))
            check(t['id'] == re.search(r'<incident[^>]*\bid="([^"]+)"', xml).group(1), label + ': tracking id')
            deployed = 'type="deployed"' in xml
            if not deployed:
                check(t['status'] == 'draft' and t['version'] == '0', label + ': unpublished but %s %s' % (
                    t['status'], t['version']))
            elif '/notice-' not in p and '<status>resolved</status>' in xml and '<notices>' not in xml:
                check(t['status'] == 'final', label + ': resolved but ' + t['status'])
            m = re.search(r'/notice-(\d+)/csaf\.json$', p)
            if m:
                # The document as of notice k: its revisions are the
                # published notices up to k.
                k = int(m.group(1))
                notices = [''] + re.findall(r'<notice\b([^>]*)>', xml)
                published = (1 if deployed else 0) + sum(1 for n in notices[1:k] if re.search(r'\bat="', n))
                check(t['version'] == str(published), '%s: version %s, want %d' % (label, t['version'], published))
            if deployed and '/notice-' not in p:
                # One revision per published notice: the communication, then
                # each <notice> with a time; final once the last says resolved.
                notices = re.findall(r'<notice\b([^>]*)>', xml)
                published = [n for n in notices if re.search(r'\bat="', n)]
                want = [str(i + 1) for i in range(1 + len(published))]
                got = [h['number'] for h in t['revision_history']]
                check(got == want and t['version'] == want[-1], '%s: revisions %r, want %r' % (label, got, want))
                times = re.findall(r'<notice\b[^>]*\bat="([^"]+)"', xml)
                check([h['date'] for h in t['revision_history']][1:] == times,
                      '%s: revision dates %r, notices at %r' % (label, t['revision_history'], times))
                last = re.search(r'status="(\w+)"', published[-1]).group(1) if published else None
                if published:
                    check(t['status'] == ('final' if last == 'resolved' else 'interim'),
                          '%s: status %s after a %s notice' % (label, t['status'], last))
        check(first is not None, 'no CSAF document at all')
        if first:
            self_test(v, first)
    for f in failures:
        print('FAIL:', f)
    print('%d checks, %d failed' % (checks, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
