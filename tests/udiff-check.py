#!/usr/bin/env python3
"""sircomm's unified diff (format/udiff) against GNU diff.

usage: udiff-check.py UDIFF-RUN

Many pairs of texts, hand-picked (empty files, no newline at the end, CRLF,
a change at either end, changes closer and further apart than twice the
context) and generated from a fixed seed (small alphabets of lines, so
that many shortest scripts tie): for each, udiff-run's output must be
byte for byte what `diff -u --label a --label b` prints.  Where GNU diff
picks another of the equally short scripts, the pair is checked for
what a diff must be: `patch` turns a into b with it, and it changes as
many lines as `diff --minimal` does.  Skipped (77) without diff.
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile

failures = []
checks = 0
tied = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)


def changed(d):
    return sum(1 for l in d.splitlines() if l[:1] in (b'+', b'-') and l[:3] not in (b'+++', b'---'))


def compare(run, tmp, a, b, what):
    global tied
    pa, pb = os.path.join(tmp, 'a'), os.path.join(tmp, 'b')
    open(pa, 'wb').write(a)
    open(pb, 'wb').write(b)
    ours = subprocess.run([run, pa, pb], capture_output=True)
    gnu = subprocess.run(['diff', '-u', '--label', 'a', '--label', 'b', pa, pb], capture_output=True)
    check(ours.returncode == gnu.returncode, '%s: exit %d, diff %d' % (what, ours.returncode, gnu.returncode))
    if ours.stdout == gnu.stdout:
        check(True, what)
        return
    tied += 1
    minimal = subprocess.run(['diff', '-u', '--minimal', pa, pb], capture_output=True).stdout
    check(changed(ours.stdout) == changed(minimal),
          '%s: %d lines changed, diff --minimal changes %d\n%s' % (
              what, changed(ours.stdout), changed(minimal), ours.stdout.decode(errors='replace')))
    if shutil.which('patch'):
        pc = os.path.join(tmp, 'c')
        shutil.copy(pa, pc)
        r = subprocess.run(['patch', '-s', '-o', os.path.join(tmp, 'out'), pc],
                           input=ours.stdout, capture_output=True)
        check(r.returncode == 0 and open(os.path.join(tmp, 'out'), 'rb').read() == b,
              '%s: patch does not turn a into b: %s\n%s' % (what, r.stderr, ours.stdout.decode(errors='replace')))


def main():
    run = os.path.abspath(sys.argv[1])
    if not shutil.which('diff'):
        print('SKIP: no diff')
        sys.exit(77)
    lines = ['line %d\n' % i for i in range(40)]
    base = ''.join(lines).encode()
    hand = [
        (b'', b''), (b'', b'x\n'), (b'x\n', b''), (b'x', b'x\n'), (b'x\n', b'x'),
        (b'x', b'y'), (b'a\nb', b'a\nc'), (b'a\r\nb\r\n', b'a\nb\r\n'),
        (base, base), (base, base.replace(b'line 0\n', b'')), (base, base + b'tail\n'),
        (base, base.replace(b'line 39\n', b'line 39')),
        (base, base.replace(b'line 10\n', b'ten\n').replace(b'line 16\n', b'sixteen\n')),
        (base, base.replace(b'line 10\n', b'ten\n').replace(b'line 17\n', b'seventeen\n')),
        (base, base.replace(b'line 10\n', b'ten\n').replace(b'line 18\n', b'eighteen\n')),
        (base, b''.join(reversed(base.splitlines(True)))),
        (b'Hello,\n\nWe found a problem.\n\nThanks,\nSecurity\n',
         b'Hello,\n\nWe found and fixed a problem.\nNo action is needed.\n\nThanks,\nSecurity team\n'),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for i, (a, b) in enumerate(hand):
            compare(run, tmp, a, b, 'hand-picked pair %d' % i)
        rnd = random.Random(18)
        for i in range(400):
            alphabet = rnd.choice([2, 3, 5, 20])
            na, nb = rnd.randrange(0, 30), rnd.randrange(0, 30)
            a = ''.join('%c\n' % (97 + rnd.randrange(alphabet)) for _ in range(na))
            if rnd.random() < 0.5:
                # An edited copy: what a team does to a draft.
                src = a.splitlines(True)
                for _ in range(rnd.randrange(1, 5)):
                    p = rnd.randrange(len(src) + 1)
                    action = rnd.randrange(3)
                    if action == 0:
                        src.insert(p, 'new %d\n' % rnd.randrange(9))
                    elif src and p < len(src):
                        if action == 1:
                            del src[p]
                        else:
                            src[p] = 'changed\n'
                b = ''.join(src)
            else:
                b = ''.join('%c\n' % (97 + rnd.randrange(alphabet)) for _ in range(nb))
            if rnd.random() < 0.1:
                b = b.rstrip('\n')
            compare(run, tmp, a.encode(), b.encode(), 'random pair %d' % i)
        # Unrelated texts past the edit bound: still a diff patch applies.
        big_a = ''.join('a%d\n' % i for i in range(3000)).encode()
        big_b = ''.join('b%d\n' % i for i in range(3000)).encode()
        compare(run, tmp, big_a, big_b, 'unrelated 3000-line texts')
    for f in failures:
        print('FAIL:', f)
    print('%d checks, %d failed (%d pairs where diff chose another shortest script)' % (
        checks, len(failures), tied))
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
