#!/usr/bin/env python3
"""Lays out comms-doc.odt as a comms manager sees it: LibreOffice renders
the working document of tests/fixtures/cjk.xml (Japanese, Arabic and
Hebrew) to PDF, and pdftotext reads the page back.  Every script's text
must be on the page, and Japanese must follow the styles' sizes: a
Japanese title in a heading larger than a Japanese paragraph, and that
paragraph the body's 11 pt.  Skipped (77) where LibreOffice or
pdftotext is not installed.

usage: odt-render.py SIRCOMM
"""
import glob
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile

SKIP = 77

RECORD = 'tests/fixtures/cjk.xml'
TITLE = '東京リージョンの認証障害'
SUMMARY = '東京リージョンでサインインできない状態が続きました。お客様のデータは安全です。'
# Arabic words without lam-alef (pdftotext gives that ligature back as
# alef-lam) and a Hebrew sentence.
SCRIPTS = {
    'Japanese': [TITLE, SUMMARY],
    'Arabic': ['المنطقة', 'يتمكنوا', 'تسجيل'],
    'Hebrew': ['לקוחות באזור לא הצליחו להתחבר'],
}

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def words(bbox_html):
    """Each word of `pdftotext -bbox` output: (text, xmin, ymin, xmax, ymax)."""
    pat = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                     r'yMax="([\d.]+)">([^<]*)</word>')
    for m in pat.finditer(bbox_html):
        x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
        yield html.unescape(m.group(5)), x0, y0, x1, y1


def em(word):
    """Points a character of a word of full-width (CJK) characters takes."""
    text, x0, _, x1, _ = word
    return (x1 - x0) / len(text)


def main():
    sircomm = os.path.abspath(sys.argv[1])
    soffice = shutil.which('soffice') or shutil.which('libreoffice')
    pdftotext = shutil.which('pdftotext')
    if not soffice or not pdftotext:
        print('skipped: needs LibreOffice (soffice) and pdftotext (poppler-utils)')
        return SKIP
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sircomm, 'draft', '--only', 'comms-doc', '-o', tmp, RECORD],
                       check=True, stdout=subprocess.DEVNULL)
        odt = glob.glob(os.path.join(tmp, '*', 'drafts', 'comms-doc.odt'))
        check(len(odt) == 1, 'expected one comms-doc.odt, got %d' % len(odt))
        if failures:
            return report()
        # A profile of its own: no clash with a LibreOffice already running
        # or with another test, nothing left in the user's home.
        profile = 'file://' + os.path.join(tmp, 'profile')
        r = subprocess.run([soffice, '-env:UserInstallation=' + profile, '--headless',
                            '--norestore', '--convert-to', 'pdf', '--outdir', tmp, odt[0]],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
        pdf = os.path.join(tmp, 'comms-doc.pdf')
        if r.returncode != 0 or not os.path.exists(pdf):
            print(r.stdout.decode(errors='replace'))
            check(False, 'LibreOffice did not convert the .odt (status %d)' % r.returncode)
            return report()
        text = subprocess.run([pdftotext, pdf, '-'], check=True,
                              stdout=subprocess.PIPE).stdout.decode()
        for script, samples in SCRIPTS.items():
            for s in samples:
                check(s in text, '%s text missing from the rendered page: %s' % (script, s))

        bbox = subprocess.run([pdftotext, '-bbox', pdf, '-'], check=True,
                              stdout=subprocess.PIPE).stdout.decode()
        ws = list(words(bbox))
        # A draft's heading: "<title> (Tokyo region sign-in outage)"; the
        # same words also appear in body text (an email's subject line),
        # so take the tallest.
        heading = sorted((w for w in ws if w[0] == TITLE and
                          any(v[0] == '(Tokyo' and abs(v[4] - w[4]) < 3 for v in ws)),
                         key=lambda w: w[4] - w[2], reverse=True)
        body = [w for w in ws if w[0] == SUMMARY]
        check(heading, 'no heading with the Japanese title on the page')
        check(body, 'no paragraph with the Japanese summary on the page')
        if heading and body:
            h, b = em(heading[0]), em(body[0])
            check(abs(b - 11) < 0.5, 'Japanese body text is %.1f pt, not the 11 pt of the body' % b)
            check(h > 1.3 * b, 'Japanese in a heading (%.1f pt) is not larger than in a '
                  'paragraph (%.1f pt)' % (h, b))
    return report()


def report():
    for f in failures:
        print('FAIL:', f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
