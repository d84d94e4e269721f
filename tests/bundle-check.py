#!/usr/bin/env python3
"""End-to-end checks of `sircomm bundle` and `sircomm verify`.

usage: bundle-check.py SIRCOMM

Builds a signed bundle twice (the same bytes and signature each time),
verifies it, checks it with the tools an auditor has (unzip semantics via
Python's zipfile, sha256 over the manifests, and `minisign -V` when the
program is installed), then tampers with it every way the issue lists and
expects `verify` to report each problem with exit status 1, never a crash.
"""
import hashlib
import io
import os
import re
import shutil
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


def rezip(src, dst, change):
    """Copies a zip entry by entry through change(info, data) -> list of
    (info, data) pairs (empty to drop the entry)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            for i, d in change(info, zin.read(info.filename)):
                zout.writestr(i, d)


def make_bag(path, payload, manifest=None, top='HOSTILE-audit/', attrs=None):
    """Writes a bag that is whole but for what the caller changes:
    payload is a list of (path below the bag, bytes); manifest, when
    given, is the manifest's text instead of the right one; attrs maps a
    path to the (host system, mode) its entry claims."""
    if manifest is None:
        manifest = ''.join('%s  %s\n' % (hashlib.sha256(d).hexdigest(), p) for p, d in payload)
    bagit = b'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'
    info = ('Payload-Oxum: %d.%d\n' % (sum(len(d) for _, d in payload), len(payload))).encode()
    tags = [('bagit.txt', bagit), ('bag-info.txt', info), ('manifest-sha256.txt', manifest.encode())]
    tagm = ''.join('%s  %s\n' % (hashlib.sha256(d).hexdigest(), p) for p, d in tags).encode()
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
        for p, d in tags + [('tagmanifest-sha256.txt', tagm)] + payload:
            info = zipfile.ZipInfo(top + p)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            if attrs and p in attrs:
                info.create_system, mode = attrs[p]
                info.external_attr = mode << 16
            z.writestr(info, d)


def main():
    sircomm = os.path.abspath(sys.argv[1])
    sample = os.path.abspath('samples/s1-silent-approver.xml')
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        os.mkdir('a')
        os.mkdir('b')
        r = run(sircomm, 'keygen', '--unencrypted', '-o', 'key')
        check(r.returncode == 0, 'keygen: ' + r.stderr)
        check(oct(os.stat('key.sec').st_mode & 0o777) == '0o600', 'secret key is not 0600')
        r = run(sircomm, 'keygen', '--unencrypted', '-o', 'key')
        check(r.returncode == 2 and 'exists' in r.stderr, 'keygen overwrote a key')
        for d in ('a', 'b'):
            r = run(sircomm, 'bundle', '-o', d, '--sign', 'key.sec', sample)
            check(r.returncode == 0, 'bundle: ' + r.stderr)
        name = 'SIRT-2026-0151-audit.zip'
        za, zb = open('a/' + name, 'rb').read(), open('b/' + name, 'rb').read()
        check(hashlib.sha256(za).digest() == hashlib.sha256(zb).digest(), 'two bundles differ')
        check(open('a/' + name + '.minisig').read() == open('b/' + name + '.minisig').read(),
              'two signatures differ')
        good = 'a/' + name
        r = run(sircomm, 'verify', '--pubkey', 'key.pub', good)
        check(r.returncode == 0 and 'signature good' in r.stdout, 'verify of a good bundle: ' + r.stderr)

        # What an auditor does by hand: the manifests hold.
        z = zipfile.ZipFile(good)
        top = 'SIRT-2026-0151-audit/'
        names = z.namelist()
        check(all(n.startswith(top) for n in names), 'entries outside the bag directory')
        manifest = z.read(top + 'manifest-sha256.txt').decode()
        for line in manifest.splitlines():
            h, path = line.split('  ', 1)
            check(hashlib.sha256(z.read(top + path)).hexdigest() == h, 'manifest line ' + path)
        listed = {l.split('  ', 1)[1] for l in manifest.splitlines()}
        payload = {n[len(top):] for n in names if n[len(top):].startswith('data/')}
        check(listed == payload, 'manifest and payload differ')
        for want in ('data/record/SIRT-2026-0151.xml', 'data/policy/policy.xml',
                     'data/drafts/customer-email.eml', 'data/drafts/comms-doc.odt',
                     'data/audit/audit.html', 'data/audit/audit.json', 'data/incident.sqlite'):
            check(want in payload, 'bundle lacks ' + want)
        check(z.read(top + 'data/record/SIRT-2026-0151.xml') == open(sample, 'rb').read(),
              'record not byte for byte')
        info = z.read(top + 'bag-info.txt').decode()
        octets = sum(len(z.read(top + p)) for p in payload)
        check('Payload-Oxum: %d.%d' % (octets, len(payload)) in info, 'Payload-Oxum')
        check(len({i.date_time for i in z.infolist()}) == 1, 'entry times vary')
        if shutil.which('minisign'):
            r = run('minisign', '-V', '-p', 'key.pub', '-m', good)
            check(r.returncode == 0, 'minisign -V: ' + r.stdout + r.stderr)

        def expect_problem(path, want, pubkey=True, label=None):
            args = [sircomm, 'verify'] + (['--pubkey', 'key.pub'] if pubkey else []) + [path]
            r = run(*args)
            check(r.returncode == 1, '%s: exit %d, want 1 (%s)' % (label or path, r.returncode, r.stderr))
            check(want in r.stderr, '%s: %r not in %r' % (label or path, want, r.stderr))

        # Truncated.
        open('trunc.zip', 'wb').write(za[:len(za) // 2])
        expect_problem('trunc.zip', 'not a readable zip archive', pubkey=False)
        # A tampered payload file (same name, other bytes).
        rezip(good, 'tampered.zip', lambda i, d: [(i, d[:-2] + b'!\n'
                                                   if i.filename.endswith('customer-email.txt') else d)])
        expect_problem('tampered.zip', 'does not match manifest-sha256.txt', pubkey=False)
        # The signature no longer matches the tampered zip.
        shutil.copy(good + '.minisig', 'tampered.zip.minisig')
        expect_problem('tampered.zip', 'signature does not match', label='signature over tampered')
        # A file present but not listed.
        rezip(good, 'extra.zip', lambda i, d: [(i, d)] + ([(zipfile.ZipInfo(top + 'data/extra.txt'), b'x')]
                                                          if i.filename.endswith('bagit.txt') else []))
        expect_problem('extra.zip', 'not in manifest-sha256.txt', pubkey=False)
        # The manifest swapped for another bundle's.
        r = run(sircomm, 'bundle', '-o', 'b', sample.replace('silent-approver', 'breach'))
        other = zipfile.ZipFile('b/SIRT-2026-0142-audit.zip')
        other_manifest = other.read('SIRT-2026-0142-audit/manifest-sha256.txt')
        rezip(good, 'swapped.zip', lambda i, d: [(i, other_manifest if i.filename.endswith('/manifest-sha256.txt') else d)])
        expect_problem('swapped.zip', 'tagmanifest-sha256.txt', pubkey=False)
        # bag-info.txt edited, and the tag manifest emptied (or left with
        # one line) so that no hash gives it away: without a key, only a
        # complete tag manifest protects the tag files.
        def edit_info(tagm):
            def change(i, d):
                if i.filename.endswith('bag-info.txt'):
                    return [(i, re.sub(rb'\b\d+ fail', b'99 fail', d))]
                if i.filename.endswith('tagmanifest-sha256.txt'):
                    return [(i, tagm(d))]
                return [(i, d)]
            return change
        rezip(good, 'notags.zip', edit_info(lambda d: b''))
        expect_problem('notags.zip', 'bag-info.txt is not in tagmanifest-sha256.txt', pubkey=False)
        expect_problem('notags.zip', 'manifest-sha256.txt is not in tagmanifest-sha256.txt',
                       pubkey=False, label='notags.zip (manifest)')
        rezip(good, 'onetag.zip', edit_info(lambda d: d.splitlines(True)[0]))
        expect_problem('onetag.zip', 'bag-info.txt is not in tagmanifest-sha256.txt', pubkey=False)
        check(b' 99 fail' in zipfile.ZipFile('notags.zip').read(top + 'bag-info.txt'), 'bag-info.txt not edited')
        # Path traversal.
        rezip(good, 'dotdot.zip', lambda i, d: [(i, d)] + ([(zipfile.ZipInfo(top + '../evil.txt'), b'x')]
                                                           if i.filename.endswith('bagit.txt') else []))
        expect_problem('dotdot.zip', "'..' component", pubkey=False)
        # A symbolic link entry.
        def add_link(i, d):
            out = [(i, d)]
            if i.filename.endswith('bagit.txt'):
                li = zipfile.ZipInfo(top + 'data/link')
                li.create_system = 3
                li.external_attr = (0o120777 << 16)
                out.append((li, b'/etc/passwd'))
            return out
        rezip(good, 'symlink.zip', add_link)
        expect_problem('symlink.zip', 'is a symbolic link', pubkey=False)
        # unzip takes the mode of an entry from other hosts than Unix too
        # (MS-DOS, VMS, Atari, BeOS, AtheOS: host bytes 0, 2, 5, 16, 30)
        # and makes the link: the mode counts, whatever the host says.
        # Other kinds of file are no more at home in a bag.  Each bag is
        # whole (the entry listed, hashed and counted): only its mode is
        # wrong.
        kinds = [(host, 0o120644, 'is a symbolic link') for host in (0, 2, 5, 16, 30)] + \
                [(3, 0o010644, 'is a FIFO'), (3, 0o020644, 'is a character device'),
                 (3, 0o060644, 'is a block device'), (3, 0o140644, 'is a socket')]
        for host, mode, want in kinds:
            make_bag('special.zip', [('data/a.txt', b'a\n'), ('data/special', b'/etc/passwd')],
                     attrs={'data/special': (host, mode)})
            expect_problem('special.zip', want, pubkey=False, label='host %d, mode %o' % (host, mode))
        make_bag('plain.zip', [('data/a.txt', b'a\n'), ('data/dos.txt', b'b\n')],
                 attrs={'data/dos.txt': (0, 0)})
        r = run(sircomm, 'verify', 'plain.zip')
        check(r.returncode == 0, 'a whole bag, one entry from MS-DOS with no mode: ' + r.stderr)
        # A zip bomb: 300 MiB of zeros, compressed to a few hundred KiB.
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as zb2:
            zb2.writestr(top + 'bagit.txt', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')
            with zb2.open(top + 'data/bomb.bin', 'w') as f:
                chunk = b'\0' * (1 << 20)
                for _ in range(300):
                    f.write(chunk)
        open('bomb.zip', 'wb').write(buf.getvalue())
        expect_problem('bomb.zip', 'zip bomb', pubkey=False)
        # Payload-Oxum that lies (bag-info and tag manifest both rewritten).
        def lie(i, d):
            if i.filename.endswith('bag-info.txt'):
                return [(i, d.replace(b'Payload-Oxum: ', b'Payload-Oxum: 1'))]
            return [(i, d)]
        rezip(good, 'oxum.zip', lie)
        expect_problem('oxum.zip', 'Payload-Oxum says', pubkey=False)
        # The wrong key.
        run(sircomm, 'keygen', '--unencrypted', '-o', 'other')
        r = run(sircomm, 'verify', '--pubkey', 'other.pub', good)
        check(r.returncode == 1 and 'another key' in r.stderr, 'wrong key: ' + r.stderr)
        # No signature file.
        shutil.copy(good, 'unsigned.zip')
        expect_problem('unsigned.zip', 'no readable signature')
        # A hostile manifest: as many files as verify reads, and 16 MB of
        # lines naming the last one again and again, the last line with a
        # wrong hash.  Each line is looked up among 9,996 entries: 6 to 12
        # s when that was a walk through all of them, 0.1 s by binary
        # search (a 1.3 MB zip).
        payload = [('data/%05d' % i, b'x') for i in range(9996)]
        h = hashlib.sha256(b'x').hexdigest()
        last = payload[-1][0]
        lines = ['%s  %s\n' % (h, p) for p, _ in payload] + ['%s  %s\n' % (h, last)] * 200000
        lines[-1] = '%s  %s\n' % ('0' * 64, last)
        make_bag('hostile-manifest.zip', payload, ''.join(lines))
        r = run(sircomm, 'verify', 'hostile-manifest.zip')
        errors = r.stderr.splitlines()
        check(r.returncode == 1 and len(errors) == 1 and
              ("SHA-256 of '%s' does not match manifest-sha256.txt line %d" % (last, len(lines)))
              in r.stderr, 'hostile manifest: exit %d, %d lines: %s' % (r.returncode, len(errors), r.stderr[:300]))

        # A signature file far larger than any minisign signature.
        shutil.copy(good, 'bigsig.zip')
        open('bigsig.zip.minisig', 'wb').write(b'untrusted comment: ' + b'x' * 70000 + b'\n')
        expect_problem('bigsig.zip', 'larger than a minisign signature can be')
        check('Success' not in run(sircomm, 'verify', '--pubkey', 'key.pub', 'bigsig.zip').stderr,
              'a big signature file is reported as "Success"')
        # A FIFO for the bundle or its signature: reported, never waited on.
        os.mkfifo('fifo.zip')
        shutil.copy(good, 'fifosig.zip')
        os.mkfifo('fifosig.zip.minisig')
        for args, want in ((['fifo.zip'], 'it is not a regular file'),
                           (['--pubkey', 'key.pub', 'fifosig.zip'], 'is not a regular file')):
            try:
                r = subprocess.run([sircomm, 'verify'] + args, capture_output=True, text=True, timeout=30)
                check(r.returncode == 1 and want in r.stderr, 'verify %s: %s' % (args[-1], r.stderr))
            except subprocess.TimeoutExpired:
                check(False, 'verify %s waits on a FIFO' % args[-1])
        # Two entries with one name (libzip refuses to open such a zip).
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            rezip(good, 'dup.zip', lambda i, d: [(i, d)] * (2 if i.filename.endswith('bag-info.txt') else 1))
        expect_problem('dup.zip', 'two entries have the same name', pubkey=False)
        check('File already exists' not in run(sircomm, 'verify', 'dup.zip').stderr,
              'a duplicate entry is reported as "File already exists"')

        # Not a zip at all.
        open('text.zip', 'w').write('hello')
        expect_problem('text.zip', 'not a readable zip archive', pubkey=False)
    for f in failures:
        print('FAIL:', f)
    print('%d checks, %d failed' % (checks, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
