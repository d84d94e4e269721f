#!/usr/bin/env python3
"""Recounts docs/plan-trace.md: the obligations its tables map, how many
are encoded in whole, in part and not at all, against the numbers the
document states.

usage: plan-trace-count.py PLAN-TRACE.md

An obligation is a row of a table whose first column is the plan's words
("Plan", "Plan row ..."); its sircomm cell starts with **In part.** or
**Not encoded.** when it is not encoded in whole.  Every such row must
also name, in its sircomm cell, what is left out or point to the last
section, which says why.
"""
import re
import sys


def rows(md):
    """Yields the sircomm cell of every obligation row."""
    in_table = False
    for line in md.splitlines():
        if line.startswith('| Plan'):
            in_table = True
            continue
        if in_table and line.startswith('|---'):
            continue
        if in_table and line.startswith('|'):
            yield re.split(r'(?<!\\)\|', line)[2].strip()
        else:
            in_table = False


def main(path):
    md = open(path, encoding='utf-8').read()
    whole = part = none = 0
    for cell in rows(md):
        if cell.startswith('**Not encoded.**'):
            none += 1
        elif cell.startswith('**In part.**'):
            part += 1
        else:
            whole += 1
    m = re.search(r'hold (\d+) obligations\. sircomm encodes (\d+) of them: (\d+) in whole and '
                  r'(\d+) in part[^;]*; (\d+) (?:is|are) not encoded', ' '.join(md.split()))
    if not m:
        print('%s: the count sentence is missing' % path)
        return 1
    said = tuple(int(x) for x in m.groups())
    counted = (whole + part + none, whole + part, whole, part, none)
    if said != counted:
        print('%s: says %d obligations, %d encoded (%d whole, %d part), %d not; '
              'the tables hold %d, %d (%d, %d), %d' % ((path,) + said + counted))
        return 1
    print('%d obligations: %d encoded (%d in whole, %d in part), %d not encoded'
          % (counted[0], counted[1], whole, part, none))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
