#!/usr/bin/env python3
"""Checks drafts with independent parsers: each .eml through Python's
`email` package (strict policy) against its .txt twin, each .odt as a zip
whose first entry is the stored mimetype and whose XML is well-formed,
each .html as well-formed enough for Python's HTML parser with no script,
and every file for tracking parameters and unrendered tags.

usage: check-drafts.py SIRCOMM
"""
import email
import email.policy
import glob
import html.parser
import os
import re
import subprocess
import sys
import tempfile
import xml.dom.minidom
import zipfile

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


class NoScript(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.bad = []

    def handle_starttag(self, tag, attrs):
        if tag in ('script', 'iframe', 'object', 'embed'):
            self.bad.append(tag)
        for k, v in attrs:
            if k.startswith('on') or (v and re.match(r'\s*(javascript|data|vbscript):', v, re.I)):
                self.bad.append('%s=%s' % (k, v))


def main():
    sircomm = sys.argv[1]
    with tempfile.TemporaryDirectory() as out:
        samples = sorted(glob.glob('samples/*.xml'))
        subprocess.run([sircomm, 'draft', '-o', out] + samples, check=True, stdout=subprocess.DEVNULL)
        emls = sorted(glob.glob(os.path.join(out, '*', 'drafts', '**', '*.eml'), recursive=True))
        updates = [p for p in emls if os.sep + 'notice-' in p]
        check(len(emls) - len(updates) == 2 * len(samples),
              'expected two emails per sample, got %d' % (len(emls) - len(updates)))
        check(len(updates) == 2, 'expected the two update emails of s1-ongoing-notices, got %d' % len(updates))
        for p in emls:
            raw = open(p, 'rb').read()
            check(b'\r\n' in raw and b'\n' not in raw.replace(b'\r\n', b''), p + ': bare LF')
            m = email.message_from_bytes(raw, policy=email.policy.strict)
            for h in ('From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version'):
                check(m[h] is not None, '%s: no %s header' % (p, h))
            check(m['X-Unsent'] == '1', p + ': no X-Unsent: 1 (a mail client would open it as received mail)')
            check(m.get_content_type() == 'text/plain', p + ': not text/plain')
            check(m.get_content_charset() == 'utf-8', p + ': not UTF-8')
            txt = open(p[:-4] + '.txt', encoding='utf-8').read()
            subject, body = txt.split('\n\n', 1)
            check(subject == 'Subject: ' + m['Subject'], '%s: subject %r vs %r' % (p, m['Subject'], subject))
            check(m.get_content().replace('\r\n', '\n') == body, p + ': body differs from the .txt')
            check(max(len(l) for l in raw.split(b'\r\n')) <= 998, p + ': line over 998 octets')
        for p in sorted(glob.glob(os.path.join(out, '*', 'drafts', 'comms-doc.odt'))):
            z = zipfile.ZipFile(p)
            first = z.infolist()[0]
            check(first.filename == 'mimetype' and first.compress_type == zipfile.ZIP_STORED,
                  p + ': mimetype is not the first, stored entry')
            check(z.read('mimetype') == b'application/vnd.oasis.opendocument.text', p + ': mimetype')
            check(z.testzip() is None, p + ': corrupt entry')
            for name in ('content.xml', 'styles.xml', 'meta.xml', 'META-INF/manifest.xml'):
                try:
                    xml.dom.minidom.parseString(z.read(name))
                except Exception as e:  # noqa: BLE001 - any parse error is a failure
                    check(False, '%s: %s is not well-formed: %s' % (p, name, e))
        for p in sorted(glob.glob(os.path.join(out, '*', 'drafts', '*.html'))):
            parser = NoScript()
            parser.feed(open(p, encoding='utf-8').read())
            check(not parser.bad, '%s: active content %r' % (p, parser.bad))
        # Every file, those of the follow-up notices (drafts/notice-N/) too.
        for p in sorted(glob.glob(os.path.join(out, '*', 'drafts', '**', '*'), recursive=True)):
            if p.endswith('.odt') or os.path.isdir(p):
                continue
            text = open(p, encoding='utf-8').read()
            check('{{' not in text, p + ': unrendered tag')
            check(not re.search(r'[?&](utm_[a-z]+|fbclid|gclid)=', text), p + ': tracking parameter')
        social = sorted(glob.glob(os.path.join(out, '*', 'drafts', 'social-post.txt')))
        check(len(social) == len(samples), 'a social post per sample')
    for f in failures:
        print('FAIL:', f)
    print('%d problems' % len(failures) if failures else 'drafts check out')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
