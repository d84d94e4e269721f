#!/usr/bin/env python3
"""End-to-end checks of what a bundle holds beyond the drafts: the
templates they were made from, the communications as they were sent
(`bundle --sent DIR`) with their diffs, and `sircomm verify --regenerate`,
which drafts again from the bag alone and compares byte for byte.

usage: bundle-evidence.py SIRCOMM

Bundles a sample with the built-in templates and with an organisation's
own (an override and a partial), expects the templates in data/templates/
and --regenerate to reproduce every draft; bundles edited copies of the
drafts as sent and expects both versions, diffs that GNU diff agrees
with, and bag-info lines naming the artifacts with a sent version; then
edits a bag consistently
(every hash written again, as someone without the key could) and expects
--regenerate, not the manifests, to catch it.
"""
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import zipfile

failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def get(z, name):
    """The bytes of the entry name of zip z, or None."""
    try:
        return z.read(name)
    except KeyError:
        return None


def rebag(src, dst, change, info_change=lambda i: i):
    """Copies the bag in zip src to dst with its payload passed through
    change(dict path -> bytes) and every manifest written again: a bag
    that is whole, whatever it now says."""
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
        top = names[0].split('/')[0] + '/'
        files = {n[len(top):]: z.read(n) for n in names if not n.endswith('/')}
    payload = {p: d for p, d in files.items() if p.startswith('data/')}
    payload = change(payload)
    manifest = ''.join('%s  %s\n' % (hashlib.sha256(d).hexdigest(), p)
                       for p, d in sorted(payload.items())).encode()
    info = files['bag-info.txt'].decode().splitlines(True)
    oxum = 'Payload-Oxum: %d.%d\n' % (sum(len(d) for d in payload.values()), len(payload))
    info = info_change(''.join(oxum if l.startswith('Payload-Oxum:') else l for l in info)).encode()
    tags = [('bagit.txt', files['bagit.txt']), ('bag-info.txt', info), ('manifest-sha256.txt', manifest)]
    tagm = ''.join('%s  %s\n' % (hashlib.sha256(d).hexdigest(), p) for p, d in tags).encode()
    with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as z:
        for p, d in tags + [('tagmanifest-sha256.txt', tagm)] + sorted(payload.items()):
            z.writestr(top + p, d)


def sent_checks(sircomm, root, sample, name, top):
    """bundle --sent DIR, from edited copies of the drafts, with custom
    templates."""
    os.mkdir('drafts')
    r = run(sircomm, 'draft', '-o', 'drafts', '--templates', 'tpl', '--policy', 'org-policy.xml', sample)
    check(r.returncode == 0, 'draft: ' + r.stderr)
    d = 'drafts/SIRT-2026-0142/drafts/'
    os.mkdir('sent')
    eml = open(d + 'customer-email.eml', 'rb').read()
    open('sent/customer-email.eml', 'wb').write(
        eml.replace(b'X-Unsent: 1\r\n', b'').replace(b'To: undisclosed-recipients:;', b'To: customers@example.com'))
    blog = open(d + 'blog-post.md', 'rb').read().splitlines(True)
    blog.insert(len(blog) // 2, b'Update: the fix is deployed to every region.\n')
    open('sent/blog-post.md', 'wb').write(b''.join(blog[1:]))
    open('sent/social-post.txt', 'wb').write(open(d + 'social-post.txt', 'rb').read())
    os.mkdir('with-sent')
    args = ['bundle', '--templates', 'tpl', '--policy', 'org-policy.xml', '--sent', 'sent', sample]
    r = run(sircomm, *args[:1], '-o', 'with-sent', *args[1:])
    check(r.returncode == 0, 'bundle --sent: ' + r.stderr)
    os.mkdir('with-sent-2')
    r = run(sircomm, *args[:1], '-o', 'with-sent-2', *args[1:])
    check(open('with-sent/' + name, 'rb').read() == open('with-sent-2/' + name, 'rb').read(),
          'bundle --sent twice: the zips differ')
    good = 'with-sent/' + name
    z = zipfile.ZipFile(good)
    for f in ('customer-email.eml', 'blog-post.md', 'social-post.txt'):
        check(get(z, top + 'data/sent/' + f) == open('sent/' + f, 'rb').read(), 'data/sent/%s is not the file sent' % f)
        check(get(z, top + 'data/drafts/' + f) == open(d + f, 'rb').read(), 'data/drafts/%s is not the draft' % f)
        gnu = subprocess.run(['diff', '-u', '--label', 'drafts/' + f, '--label', 'sent/' + f, d + f, 'sent/' + f],
                             capture_output=True).stdout
        check(get(z, top + 'data/sent-diff/%s.diff' % f) == gnu,
              'data/sent-diff/%s.diff is not what diff -u says: %r' % (f, get(z, top + 'data/sent-diff/%s.diff' % f)))
    check(get(z, top + 'data/sent-diff/social-post.txt.diff') == b'', 'an unchanged post has a non-empty diff')
    check(b'+To: customers@example.com' in (get(z, top + 'data/sent-diff/customer-email.eml.diff') or b''),
          'the email diff does not show the edit')
    info = (get(z, top + 'bag-info.txt') or b'').decode()
    check('Artifacts-With-Sent-Version: customer-email blog-post social-post\n' in info,
          'bag-info.txt, with: %r' % info)
    check('Artifacts-Without-Sent-Version: security-alert support-faq media-statement\n' in info,
          'bag-info.txt, without: %r' % info)
    r = run(sircomm, 'verify', good)
    check(r.returncode == 0, 'verify with sent: ' + r.stderr)
    r = run(sircomm, 'verify', '--regenerate', good)
    check(r.returncode == 0 and 'byte for byte' in r.stdout, 'verify --regenerate with sent: ' + r.stderr)

    # Without --sent, no such lines and no data/sent/.
    z = zipfile.ZipFile('custom/' + name)
    check('Sent-Version' not in (get(z, top + 'bag-info.txt') or b'').decode(), 'bag-info.txt without --sent')
    check(not any('/data/sent' in n for n in z.namelist()), 'data/sent/ without --sent')

    # An empty --sent directory: no artifact has a sent version.
    os.mkdir('none')
    os.mkdir('with-none')
    r = run(sircomm, 'bundle', '-o', 'with-none', '--sent', 'none', sample)
    info = (get(zipfile.ZipFile('with-none/' + name), top + 'bag-info.txt') or b'').decode()
    check(r.returncode == 0 and 'Artifacts-With-Sent-Version: none\n' in info,
          'bundle --sent EMPTY: %r %r' % (r.stderr, info))

    # Bad input: exit 2, the file named, nothing written.
    os.mkdir('bad')
    open('bad/customer-email.pdf', 'w').write('x')
    open('bad/approval-matrix.md', 'w').write('x')
    os.mkdir('bad/blog-post.md')
    os.mkdir('out-bad')
    r = run(sircomm, 'bundle', '-o', 'out-bad', '--sent', 'bad', sample)
    check(r.returncode == 2 and os.listdir('out-bad') == [], 'bundle --sent BAD: exit %d' % r.returncode)
    for want in ('bad/customer-email.pdf: error: not named ARTIFACT.EXT',
                 'bad/approval-matrix.md: error: not named ARTIFACT.EXT',
                 'bad/blog-post.md: error: not a regular file'):
        check(want in r.stderr, 'bundle --sent BAD: %r not in %r' % (want, r.stderr))
    r = run(sircomm, 'bundle', '-o', 'out-bad', '--sent', 'sent', sample,
            os.path.join(root, 'samples', 's1-rce-public.xml'))
    check(r.returncode == 2 and '--sent takes one record' in r.stderr, 'bundle --sent with two records: ' + r.stderr)
    r = run(sircomm, 'bundle', '-o', 'out-bad', '--sent', 'no-such-dir', sample)
    check(r.returncode == 2 and 'no-such-dir: error: cannot read' in r.stderr, 'bundle --sent MISSING: ' + r.stderr)

    # Bags edited consistently (every hash written again).
    def sent_edit(p):
        p['data/sent/blog-post.md'] += b'one more line\n'
        return p
    rebag(good, 'sent-edit.zip', sent_edit)
    r = run(sircomm, 'verify', '--regenerate', 'sent-edit.zip')
    check(r.returncode == 1 and 'data/sent-diff/blog-post.md.diff is not the diff of data/drafts/blog-post.md '
          'and data/sent/blog-post.md' in r.stderr, 'a sent file edited: %r' % r.stderr)
    rebag(good, 'no-diff.zip', lambda p: {k: v for k, v in p.items() if k != 'data/sent-diff/blog-post.md.diff'})
    r = run(sircomm, 'verify', 'no-diff.zip')
    check(r.returncode == 1 and 'data/sent/blog-post.md has no data/sent-diff/blog-post.md.diff' in r.stderr,
          'a diff removed: %r' % r.stderr)
    rebag(good, 'no-sent.zip', lambda p: {k: v for k, v in p.items() if k != 'data/sent/blog-post.md'})
    r = run(sircomm, 'verify', 'no-sent.zip')
    check(r.returncode == 1 and 'data/sent-diff/blog-post.md.diff is a diff of no file under data/sent/' in r.stderr
          and "bag-info.txt says the artifacts with a sent version are 'customer-email blog-post social-post'; "
          "data/sent/ holds 'customer-email social-post'" in r.stderr, 'a sent file removed: %r' % r.stderr)
    rebag(good, 'info.zip', lambda p: p,
          lambda i: i.replace('Artifacts-With-Sent-Version: customer-email blog-post social-post',
                              'Artifacts-With-Sent-Version: customer-email'))
    r = run(sircomm, 'verify', 'info.zip')
    check(r.returncode == 1 and "bag-info.txt says the artifacts with a sent version are 'customer-email';" in r.stderr,
          'bag-info.txt edited: %r' % r.stderr)


def main():
    sircomm = os.path.abspath(sys.argv[1])
    root = os.getcwd()
    sample = os.path.join(root, 'samples', 's1-breach.xml')
    name = 'SIRT-2026-0142-audit.zip'
    top = 'SIRT-2026-0142-audit/'
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)

        # Built-in templates: every one in the bag, as the binary holds it.
        os.mkdir('plain')
        r = run(sircomm, 'bundle', '-o', 'plain', sample)
        check(r.returncode == 0, 'bundle: ' + r.stderr)
        z = zipfile.ZipFile('plain/' + name)
        tnames = sorted(n[len(top) + len('data/templates/'):] for n in z.namelist()
                        if n.startswith(top + 'data/templates/'))
        check(tnames == sorted(os.listdir(os.path.join(root, 'templates'))),
              'templates in the bag: %r' % tnames)
        for t in tnames:
            check(get(z, top + 'data/templates/' + t) == open(os.path.join(root, 'templates', t), 'rb').read(),
                  'data/templates/%s is not the built-in template' % t)
        check(get(z, top + 'data/policy/policy.xml') == open(os.path.join(root, 'policy', 'policy.xml'), 'rb').read(),
              'data/policy/policy.xml is not the effective (built-in) policy')
        r = run(sircomm, 'verify', '--regenerate', 'plain/' + name)
        check(r.returncode == 0, 'verify --regenerate (built-in): exit %d: %s' % (r.returncode, r.stderr))
        ndrafts = len([n for n in z.namelist() if n.startswith(top + 'data/drafts/')])
        check(('%d drafts regenerated byte for byte' % ndrafts) in r.stdout,
              'verify --regenerate says: %r' % r.stdout)

        # An organisation's templates: an override that uses a partial of
        # its own, and a policy of its own.
        os.mkdir('tpl')
        src = open(os.path.join(root, 'templates', 'customer-email.md'), encoding='utf-8').read()
        open('tpl/customer-email.md', 'w', encoding='utf-8').write(src + '\n{{> signature}}\n')
        open('tpl/signature.md', 'w', encoding='utf-8').write('Example Corp Security, 24/7: +1 555 0100\n')
        policy = open(os.path.join(root, 'policy', 'policy.xml'), encoding='utf-8').read()
        open('org-policy.xml', 'w', encoding='utf-8').write(policy.replace('<!--', '<!-- Example Corp.\n', 1))
        os.mkdir('custom')
        r = run(sircomm, 'bundle', '-o', 'custom', '--templates', 'tpl', '--policy', 'org-policy.xml', sample)
        check(r.returncode == 0, 'bundle --templates: ' + r.stderr)
        good = 'custom/' + name
        z = zipfile.ZipFile(good)
        check(get(z, top + 'data/templates/customer-email.md') == open('tpl/customer-email.md', 'rb').read(),
              'the override is not in the bag')
        check(get(z, top + 'data/templates/signature.md') == open('tpl/signature.md', 'rb').read(),
              'the partial is not in the bag')
        check(get(z, top + 'data/policy/policy.xml') == open('org-policy.xml', 'rb').read(),
              'the --policy file is not in the bag')
        check(b'24/7: +1 555 0100' in (get(z, top + 'data/drafts/customer-email.txt') or b''),
              'the custom template was not used')
        r = run(sircomm, 'verify', '--regenerate', good)
        check(r.returncode == 0, 'verify --regenerate (custom): exit %d: %s' % (r.returncode, r.stderr))
        check(r.stdout.startswith(good + ': ok') and 'byte for byte' in r.stdout,
              'verify --regenerate (custom) says: %r' % r.stdout)

        # A template edited inside the bag, every hash written again:
        # the manifests hold, the drafts no longer come from the bag.
        def edit(p):
            p['data/templates/signature.md'] = b'Someone Else\n'
            return p
        rebag(good, 'edited.zip', edit)
        r = run(sircomm, 'verify', 'edited.zip')
        check(r.returncode == 0, 'verify of a consistent bag: ' + r.stderr)
        r = run(sircomm, 'verify', '--regenerate', 'edited.zip')
        check(r.returncode == 1, 'verify --regenerate of an edited template: exit %d' % r.returncode)
        check('data/drafts/customer-email.txt differs from the draft regenerated from the bag' in r.stderr,
              'verify --regenerate of an edited template says: %r' % r.stderr)

        # A draft edited, one removed, one added.
        def drafts(p):
            p['data/drafts/support-faq.md'] += b'\nedited\n'
            del p['data/drafts/media-statement.md']
            p['data/drafts/extra.txt'] = b'x\n'
            return p
        rebag(good, 'drafts.zip', drafts)
        r = run(sircomm, 'verify', '--regenerate', 'drafts.zip')
        check(r.returncode == 1, 'verify --regenerate of edited drafts: exit %d' % r.returncode)
        for want in ('data/drafts/support-faq.md differs from the draft regenerated from the bag',
                     'data/drafts/media-statement.md is missing from the bag',
                     'data/drafts/extra.txt is in the bag but was not regenerated'):
            check(want in r.stderr, 'verify --regenerate: %r not in %r' % (want, r.stderr))

        # The working document is a zip whose bytes depend on the deflate
        # that made it: the same members written again (stored, not
        # deflated) are the same document; a changed or reordered member
        # is not, and the first that differs is named; bytes that are no
        # zip at all are said to be so.
        def odt_members(data):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return [(i.filename, z.read(i.filename)) for i in z.infolist()]

        def odt_bytes(members):
            out = io.BytesIO()
            with zipfile.ZipFile(out, 'w', zipfile.ZIP_STORED) as z:
                for name, data in members:
                    z.writestr(name, data)
            return out.getvalue()

        def added(m):
            return [(n, d.replace(b'</office:text>', b'<text:p>added</text:p></office:text>')
                     if n == 'content.xml' else d) for n, d in m]

        differs = 'data/drafts/comms-doc.odt differs from the draft regenerated from the bag ('
        for what, change, status, said in (
                ('stored', lambda m: m, 0, None),
                ('edited', added, 1, differs + 'content.xml, from line'),
                ('reordered', lambda m: m[:1] + m[2:] + m[1:2], 1, differs + 'member '),
                ('no zip', None, 1, differs + 'not a readable zip archive)')):
            def odt(p, change=change):
                odt = p['data/drafts/comms-doc.odt']
                p['data/drafts/comms-doc.odt'] = odt_bytes(change(odt_members(odt))) if change else b'PK no zip'
                return p
            rebag(good, 'odt.zip', odt)
            r = run(sircomm, 'verify', '--regenerate', 'odt.zip')
            check(r.returncode == status and (said in r.stderr if said else 'byte for byte' in r.stdout),
                  'verify --regenerate of an odt %s: exit %d: %r' % (what, r.returncode, r.stderr))

        # A bag without its templates cannot be regenerated, and says so.
        rebag(good, 'old.zip', lambda p: {k: v for k, v in p.items() if not k.startswith('data/templates/')})
        r = run(sircomm, 'verify', '--regenerate', 'old.zip')
        check(r.returncode == 1 and 'holds no templates' in r.stderr,
              'verify --regenerate without templates: exit %d: %r' % (r.returncode, r.stderr))

        # A record in the bag that does not parse: FILE:LINE from inside it.
        rebag(good, 'badrec.zip', lambda p: dict(p, **{'data/record/SIRT-2026-0142.xml': b'<incident>\n<oops'}))
        r = run(sircomm, 'verify', '--regenerate', 'badrec.zip')
        check(r.returncode == 1 and 'badrec.zip(' + top + 'data/record/SIRT-2026-0142.xml):' in r.stderr,
              'verify --regenerate of a broken record: exit %d: %r' % (r.returncode, r.stderr))

        # --regenerate never runs on a bag that does not verify.
        with zipfile.ZipFile(good) as zin, zipfile.ZipFile('tampered.zip', 'w') as zout:
            for i in zin.infolist():
                d = zin.read(i.filename)
                zout.writestr(i, d + b'!' if i.filename.endswith('support-faq.md') else d)
        r = run(sircomm, 'verify', '--regenerate', 'tampered.zip')
        check(r.returncode == 1 and 'does not match' in r.stderr and 'regenerated' not in r.stdout,
              'verify --regenerate of a tampered bag: %r %r' % (r.stdout, r.stderr))

        sent_checks(sircomm, root, sample, name, top)

        # A record of several notices: its notice-N/ drafts are in the bag
        # and made again too.
        os.mkdir('notices')
        r = run(sircomm, 'bundle', '-o', 'notices', os.path.join(root, 'samples', 's1-ongoing-notices.xml'))
        check(r.returncode == 0, 'bundle of a record with notices: ' + r.stderr)
        z = zipfile.ZipFile('notices/SIRT-2026-0319-audit.zip')
        for f in ('notice-1/csaf.json', 'notice-2/update.eml', 'notice-3/csaf.json', 'status.json', 'feed.atom'):
            check(get(z, 'SIRT-2026-0319-audit/data/drafts/' + f) is not None, 'the bag lacks data/drafts/' + f)
        r = run(sircomm, 'verify', '--regenerate', 'notices/SIRT-2026-0319-audit.zip')
        check(r.returncode == 0 and 'byte for byte' in r.stdout, 'verify --regenerate with notices: ' + r.stderr)

    for f in failures:
        print('FAIL:', f)
    print('%d checks, %d failed' % (checks, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
