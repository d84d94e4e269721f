#!/usr/bin/env python3
"""bench/markdown.py [--quick] [SIRCOMM]: how long `sircomm draft` takes on
hostile Markdown.  Not a test: it prints figures for docs/performance.md.

It times `sircomm draft -j 1` (CPU seconds, user + system) two ways:

limits  the worst records the size limits allow (docs/record-format.md),
        one per construct below.  "markdown": the Markdown fields in the
        most drafts (summary, customer action, mitigation steps) filled
        with the construct, each to 8 KiB, to 32 KiB in all.  "escaped":
        the title, then events to the 4 MiB cap, each with its text and
        its `by` at their limits, made of the construct; drafts insert
        them through md_escape.  Then one record with the worst of each
        together, and a check that one byte more is refused.
growth  each construct repeated to N bytes, N doubling from 4 KiB, as the
        whole of a custom blog-post template (`--templates DIR --only
        blog-post`): templates are not bound by the record's limits, so
        this shows cmark-gfm itself.  The last figure of a row is the
        ratio of its last doubling: about 2 is linear, 4 quadratic.

--quick stops the growth rows at 16 KiB; the whole run takes a few
minutes on a quiet machine.
"""
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile

QUICK = '--quick' in sys.argv
ARGS = [a for a in sys.argv[1:] if a != '--quick']
SIRCOMM = os.path.abspath(ARGS[0] if ARGS else 'build/sircomm')
SAMPLE = open('samples/s1-breach.xml', encoding='utf-8').read()

# The limits of docs/record-format.md ("Size limits").
FILE_MAX = 4 << 20
FIELD_MAX = 8192
MARKDOWN_MAX = 32768
TITLE_MAX = 256
LINE_MAX = 256
EVENT_TEXT_MAX = 512


def rep(p):
    return lambda n: p * max(1, n // len(p))


def nest(a, mid, b):
    return lambda n: a * (n // (len(a) + len(b))) + mid + b * (n // (len(a) + len(b)))


# name -> text of about n bytes.  The first eight were found slower than
# linear in cmark-gfm 0.29.0.gfm.6, and the two e-mail scans after them
# linear but costly where one run of text is long (docs/performance.md);
# the rest are the classic suspects, measured linear here and kept so
# that a new version of the library is measured too.
CONSTRUCTS = {
    'image opener, empty link ![[]()': rep('![[]()'),
    'table header of many columns': lambda n: '|a' * (n // 4) + '\n' + '|-' * (n // 4) + '\n',
    'processing instruction x <?': rep('x <?'),
    'CDATA opener x <![CDATA[': rep('x <![CDATA['),
    'autolink opener <http://a': rep('<http://a'),
    'nested lists, then words': lambda n: '- ' * (n // 4) + 'word ' * (n // 10),
    'nested ordered lists, then words': lambda n: '1. ' * (n // 6) + 'word ' * (n // 10),
    'nested block quotes, then words': lambda n: '> ' * (n // 4) + 'word ' * (n // 10),
    'e-mail autolink scan a@': rep('a@'),
    'e-mail autolink scan aaaaaaaaaaaaaaa@': rep('aaaaaaaaaaaaaaa@'),
    'link openers [a': rep('[a'),
    'link closers a]': rep('a]'),
    'nested brackets [[[a]]]': nest('[', 'a', ']'),
    'unclosed links [a](b': rep('[a](b'),
    'unclosed links [a](<b': rep('[a](<b'),
    'link titles []( "': rep('[]( "'),
    'nested strong emphasis': nest('*a **a ', 'b', ' a** a*'),
    'emphasis openers _a': rep('_a '),
    'emphasis closers a_': rep('a_ '),
    'mismatched emphasis *a_': rep('*a_ '),
    'delimiter runs of 3 c*': lambda n: 'a**b' + 'c* ' * (n // 3),
    'nested inlines ***a***': nest('*', 'a', '*'),
    'strikethrough ~~a': rep('~~a '),
    'backtick runs': lambda n: ''.join('e' + '`' * k for k in range(1, int((2 * n) ** 0.5))),
    'html comment openers x <!--': rep('x <!--'),
    'html declaration openers x <!A': rep('x <!A'),
    'html open tags <a b="': rep('<a b="'),
    'entities &#1': rep('&#1'),
    'backslashes': rep('\\'),
    'nested block quotes > > a': lambda n: '> ' * (n // 2) + 'a',
    'nested lists - - a': lambda n: '- ' * (n // 2) + 'a',
    'list items with blank lines': rep('- a\n\n'),
    'task list items': rep('- [ ] a\n'),
    'table rows': lambda n: 'a|b\n-|-\n' + 'c|d\n' * (n // 4),
    'autolinks www.': rep('www.'),
    'autolinks _._': nest('_', '.', '_'),
    'link reference definitions': lambda n: ''.join('[%d]: u\n' % i for i in range(n // 8)) + '[1] ' * 100,
    'reference uses [a]': lambda n: '[a]: u\n\n' + '[a] ' * (n // 4),
}

# The ten above, seeded into the fuzz corpora (fuzz/README.md).
SUPER_LINEAR = list(CONSTRUCTS)[:10]


def cpu_of(argv):
    """Runs argv; returns (CPU seconds, exit status).  A draft refused
    only for its social post (over X's limit, found after drafting
    everything) counts as drafted."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
        rc = p.returncode
        errors = [l for l in p.stderr.decode('utf-8', 'replace').splitlines() if ': error: ' in l]
        if rc == 2 and errors and all(': error: social-post: ' in l for l in errors):
            rc = 0
    except subprocess.TimeoutExpired:
        rc = 'timeout'
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, rc


def xml_text(s):
    return s.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def put(src, element, text):
    """src with the content of the first <element> replaced by text."""
    return re.sub(r'<%s((?: [^>]*)?)>.*?</%s>' % (element, element),
                  lambda m: '<%s%s>%s</%s>' % (element, m.group(1), xml_text(text), element),
                  src, count=1, flags=re.S)


def growth(tmp, out):
    print('growth: a custom blog-post template of N bytes of the construct; CPU seconds')
    tpl = os.path.join(tmp, 'tpl')
    os.makedirs(tpl, exist_ok=True)
    rec = os.path.join(tmp, 'sample.xml')
    with open(rec, 'w', encoding='utf-8') as f:
        f.write(SAMPLE)
    top = 16384 if QUICK else 131072
    for name, make in CONSTRUCTS.items():
        row, times = [], []
        n = 4096
        while n <= top:
            with open(os.path.join(tpl, 'blog-post.md'), 'w', encoding='utf-8') as f:
                f.write(make(n))
            t, rc = cpu_of([SIRCOMM, 'draft', '-j', '1', '--only', 'blog-post',
                            '--templates', tpl, '-o', out, rec])
            times.append(t)
            row.append('%dK %.3f%s' % (n // 1024, t, '' if rc == 0 else ' (exit %s)' % rc))
            if t > 3 or rc != 0:
                break
            n *= 2
        ratio = ' x%.1f' % (times[-1] / times[-2]) if len(times) > 1 and times[-2] > 0.02 else ''
        print('  %-40s %s%s' % (name, ', '.join(row), ratio), flush=True)


# The Markdown fields in the most built-in templates: the summary and the
# customer action are in five, each mitigation step in four.
FIELDS = ['summary', 'customer-action']


def worst_markdown(src, make, extra=0):
    """src with its Markdown fields holding the construct up to the
    limits: the fields in the most drafts, then mitigation steps, all at
    the field limit, to the total.  `extra` bytes more in the first
    field, to check that the limit refuses it."""
    chunk = (make(FIELD_MAX) + 'x' * FIELD_MAX)[:FIELD_MAX]
    # The sample's other Markdown fields are cut to one byte each.
    for field in ('customer-impact', 'response', 'quote'):
        src = put(src, field, 'x')
    src = re.sub(r'<next-steps>.*?</next-steps>', '', src, count=1, flags=re.S)
    src = re.sub(r'<faq>.*?</faq>', '', src, count=1, flags=re.S)
    used = 3
    for i, field in enumerate(FIELDS):
        src = put(src, field, chunk + ('a' * extra if i == 0 else ''))
        used += len(chunk)
    steps = []
    while used < MARKDOWN_MAX:
        step = chunk[:MARKDOWN_MAX - used]
        steps.append('<step>%s</step>' % xml_text(step))
        used += len(step)
    return re.sub(r'<mitigation>.*?</mitigation>',
                  lambda m: '<mitigation>%s</mitigation>' % ''.join(steps),
                  src, count=1, flags=re.S)


def line_of(make, n):
    return (make(n).replace('\n', ' ') * 2)[:n].strip() or 'x'


def worst_events(src, make):
    """src with the title at its limit and events to the 4 MiB cap, each
    with its text and its `by` at their limits: the escaped path."""
    src = re.sub(r'<title>.*?</title>',
                 lambda m: '<title>%s</title>' % xml_text(line_of(make, TITLE_MAX)), src, count=1)
    ev = '    <event at="2026-03-05T09:00:00Z" type="note" by="%s">%s</event>\n' % (
        xml_text(line_of(make, LINE_MAX)).replace('"', '&quot;'),
        xml_text(line_of(make, EVENT_TEXT_MAX)))
    room = FILE_MAX - len(src.encode('utf-8')) - 64
    k = max(0, room // len(ev.encode('utf-8')))
    return src.replace('  </timeline>', ev * k + '  </timeline>')


def draft_cpu(tmp, out, text):
    rec = os.path.join(tmp, 'worst.xml')
    with open(rec, 'w', encoding='utf-8') as f:
        f.write(text)
    return cpu_of([SIRCOMM, 'draft', '-j', '1', '-o', out, rec])


def limits(tmp, out):
    print('limits: the worst records the limits allow, all drafts; CPU seconds')
    print('  construct                                markdown  escaped  (refused one byte over)')
    worst_md, worst_esc = (0, None), (0, None)
    for name, make in CONSTRUCTS.items():
        t_md, rc_md = draft_cpu(tmp, out, worst_markdown(SAMPLE, make))
        t_esc, rc_esc = draft_cpu(tmp, out, worst_events(SAMPLE, make))
        over = os.path.join(tmp, 'over.xml')
        with open(over, 'w', encoding='utf-8') as f:
            f.write(worst_markdown(SAMPLE, make, extra=1))
        _, refused = cpu_of([SIRCOMM, 'check', '--quiet', over])
        print('  %-40s %8.2f %8.2f  %s%s%s' % (
            name, t_md, t_esc, 'yes' if refused == 2 else 'NO',
            '' if rc_md == 0 else ' (markdown: exit %s)' % rc_md,
            '' if rc_esc == 0 else ' (escaped: exit %s)' % rc_esc), flush=True)
        worst_md = max(worst_md, (t_md, name), key=lambda x: x[0])
        worst_esc = max(worst_esc, (t_esc, name), key=lambda x: x[0])
    both = worst_events(worst_markdown(SAMPLE, CONSTRUCTS[worst_md[1]]), CONSTRUCTS[worst_esc[1]])
    t, rc = draft_cpu(tmp, out, both)
    print('worst within the limits: %.2f s CPU (Markdown: %s; escaped text: %s; %d bytes)%s'
          % (t, worst_md[1], worst_esc[1], len(both.encode('utf-8')),
             '' if rc == 0 else ' (exit %s)' % rc))


def main():
    tmp = tempfile.mkdtemp()
    out = os.path.join(tmp, 'out')
    os.makedirs(out)
    try:
        print('sircomm: %s' % SIRCOMM)
        limits(tmp, out)
        growth(tmp, out)
    finally:
        shutil.rmtree(tmp)


if __name__ == '__main__':
    main()
