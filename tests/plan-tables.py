#!/usr/bin/env python3
"""Checks `sircomm policy show` against the plan's own tables, row by row.

usage: plan-tables.py SIRCOMM PLAN.md

Compares the approval matrix (every group and artifact), the engagement
table (group, DRI, cadence, channel), the awareness channels and the S1
targets.  Exits 77 (skipped) when the plan is not there.
"""
import os
import re
import subprocess
import sys


def cells(line):
    return [c.strip() for c in line.strip().strip('|').split('|')]


def tables(md):
    """Yields (header, rows) for each Markdown table in md."""
    lines = md.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith('|') and i + 1 < len(lines) and re.match(r'^\|[\s\-|:]+\|$', lines[i + 1].strip()):
            header = cells(lines[i])
            rows = []
            i += 2
            while i < len(lines) and lines[i].startswith('|'):
                rows.append(cells(lines[i]))
                i += 1
            yield header, rows
        else:
            i += 1


def plain(s):
    s = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', s)      # links
    s = s.replace('`', '').replace('**', '').replace('\\', '')
    s = re.sub(r'<br>.*', '', s)
    return ' '.join(s.split())


def find_table(md, first_header, having=None):
    """The first table whose first column is first_header and, if given,
    that has a column named `having`."""
    for header, rows in tables(md):
        names = [plain(h) for h in header]
        if names[0] == first_header and (having is None or having in names):
            return header, rows
    raise SystemExit('no table headed %r' % first_header)


failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def main():
    sircomm, plan_path = sys.argv[1], sys.argv[2]
    if not os.path.exists(plan_path):
        print('plan not found at %s: skipped' % plan_path)
        sys.exit(77)
    plan = open(plan_path, encoding='utf-8').read()
    show = subprocess.run([sircomm, 'policy', 'show'], check=True,
                          capture_output=True, text=True).stdout

    # Approval matrix: rows by the primary approver's title.
    pheader, prows = find_table(plan, 'Group')
    sheader, srows = find_table(show, 'Group', 'Blog post')
    columns = {'Blog': 'Blog post', 'Customer Email': 'Customer email',
               'FAQs for Support Teams': 'FAQ for support teams',
               'Media Response': 'Media statement',
               'Social/Forum Response': 'Social/forum post'}
    mine = {}
    for row in srows:
        title = re.sub(r' \(.*\)$', '', plain(row[0]))
        mine[title] = dict(zip([plain(h) for h in sheader[1:]], [plain(c) for c in row[1:]]))
    check(len(prows) == 6, 'plan matrix has %d rows' % len(prows))
    for row in prows:
        title = plain(row[0])
        check(title in mine, 'matrix row %r missing from policy show' % title)
        if title not in mine:
            continue
        for h, cell in zip(pheader[1:], row[1:]):
            col = columns[plain(h)]
            want = plain(cell)
            got = mine[title].get(col)
            check(got == want, 'matrix %s / %s: plan %r, sircomm %r' % (title, col, want, got))

    # Engagement table: every plan row has sircomm rows for the group with
    # the same DRI, cadence and channel.
    _, plan_eng = find_table(plan, 'Group & Contacts')
    _, my_eng = find_table(show, 'Group', 'DRI to engage')
    for row in plan_eng:
        group, dri, cadence, channel = plain(row[0]), plain(row[2]), plain(row[3]), plain(row[4])
        ours = [r for r in my_eng if plain(r[0]) == group]
        check(ours, 'engagement row %r missing' % group)
        for r in ours:
            check(plain(r[3]) == dri, '%s: DRI plan %r, sircomm %r' % (group, dri, plain(r[3])))
            want_cad = 'every 30 min' if cadence.startswith('30 minute') else cadence.lower()
            check(plain(r[4]) == want_cad, '%s: cadence plan %r, sircomm %r' % (group, cadence, plain(r[4])))
            norm = lambda s: re.sub(r'^in ', '', s.lower())
            check(norm(plain(r[5])).startswith(norm(channel)),
                  '%s: channel plan %r, sircomm %r' % (group, channel, plain(r[5])))

    # Awareness channels, in the plan's order.
    m = re.search(r'slack channels \(([^)]*)\) for awareness', plan)
    want = re.findall(r'`(#[^`]+)`', m.group(1))
    got = re.findall(r'^- (#\S+)$', show.replace('\\', ''), re.M)
    check(want == got, 'awareness channels: plan %r, sircomm %r' % (want, got))

    # S1 targets: 6 hours, 30-minute window, 2 of the 4 required groups.
    s1 = [r for h, rows in tables(show) if plain(h[0]) == 'Severity' for r in rows if r[0] == 'S1'][0]
    check(s1[1].startswith('6 h'), 'S1 turnaround %r' % s1[1])
    check(s1[4].startswith('30 min'), 'S1 response %r' % s1[4])
    check(s1[6] == '2 of 4 required groups', 'S1 quorum %r' % s1[6])
    check('Required groups for quorum: Security, Legal, Customer Success, Investor Relations.' in show,
          'required groups')
    check('| Scope | impact high or greater |' in show, 'scope')

    for f in failures:
        print('FAIL:', f)
    print('%d checks failed' % len(failures) if failures else 'policy show matches the plan')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
