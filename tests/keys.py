#!/usr/bin/env python3
"""Encrypted secret keys, end to end.

usage: keys.py SIRCOMM

  - `keygen` on a terminal (a pseudo-terminal that is the process's
    controlling terminal) asks the passphrase twice without echo and
    writes a key in minisign's encrypted format, mode 0600;
  - minisign signs with that key (given the passphrase), and sircomm
    signs a bundle with a key `minisign -G` encrypted, the passphrase
    read from SIRCOMM_KEY_PASSWORD_FILE; both signatures verify;
  - a key encrypted here by Python's own scrypt (small limits) signs a
    bundle, asked on the terminal or read from the file; a wrong
    passphrase, an empty passphrase file, no terminal and no file are
    each refused, exit 2, with nothing written.

Only two key derivations with minisign's limits run in sircomm (1 GiB
and a few seconds each), and two in minisign, which is optional: its
checks are skipped where it is not installed.  Not for valgrind.
"""
import base64
import hashlib
import os
import pty
import select
import shutil
import subprocess
import sys
import tempfile
import time

failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)


def run(args, env=None, stdin=None, **kw):
    return subprocess.run(args, capture_output=True, text=True, env=env, input=stdin,
                          start_new_session=True, **kw)


def on_terminal(args, answers, env=None, timeout=120):
    """Runs args with a new pseudo-terminal as its controlling terminal
    and standard streams; each time the output so far ends with a prompt
    (': '), types the next answer.  Returns (status, all it wrote)."""
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execve(args[0], args, env or os.environ)
        finally:
            os._exit(127)
    out = b''
    answers = list(answers)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child closed its side
                break
            if not chunk:
                break
            out += chunk
            if answers and out.rstrip(b' ').endswith(b':'):
                os.write(fd, answers.pop(0).encode() + b'\n')
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), out.decode('utf-8', 'replace')


def b2_checksum(sig_alg, keynum, sk):
    h = hashlib.blake2b(digest_size=32)
    h.update(sig_alg + keynum + sk)
    return h.digest()


def python_encrypted_key(password, n_log2=10):
    """A minisign encrypted secret key made by Python's hashlib.scrypt,
    not libsodium: opslimit 32768 and memlimit 2 MiB, which libsodium
    reads as N = 2^10, r = 8, p = 1.  Returns (secret key text, public
    key text)."""
    from hashlib import scrypt
    # An Ed25519 key pair from sircomm itself, unencrypted, to encrypt.
    seed_dir = tempfile.mkdtemp()
    try:
        r = run([sircomm, 'keygen', '--unencrypted', '-o', os.path.join(seed_dir, 'k')])
        assert r.returncode == 0, r.stderr
        sec = open(os.path.join(seed_dir, 'k.sec')).read().splitlines()[1]
        pub = open(os.path.join(seed_dir, 'k.pub')).read()
    finally:
        shutil.rmtree(seed_dir)
    raw = bytearray(base64.b64decode(sec))
    assert raw[2:4] == b'\0\0'
    salt = os.urandom(32)
    raw[2:4] = b'Sc'
    raw[6:38] = salt
    raw[38:46] = (32768).to_bytes(8, 'little')
    raw[46:54] = (2 << 20).to_bytes(8, 'little')
    raw[126:158] = b2_checksum(bytes(raw[0:2]), bytes(raw[54:62]), bytes(raw[62:126]))
    stream = scrypt(password.encode(), salt=salt, n=1 << n_log2, r=8, p=1, dklen=104)
    for i in range(104):
        raw[54 + i] ^= stream[i]
    text = 'untrusted comment: minisign encrypted secret key\n%s\n' % base64.b64encode(bytes(raw)).decode()
    return text, pub


sircomm = os.path.abspath(sys.argv[1])
root = os.getcwd()
record = os.path.join(root, 'samples', 's1-breach.xml')
minisign = shutil.which('minisign')
tmp = tempfile.mkdtemp()
os.chdir(tmp)
base_env = {k: v for k, v in os.environ.items() if k != 'SIRCOMM_KEY_PASSWORD_FILE'}
open('pw-right', 'w').write('the right passphrase\n')
open('pw-empty', 'w').write('\n')
pw_env = dict(base_env, SIRCOMM_KEY_PASSWORD_FILE=os.path.join(tmp, 'pw-right'))
try:
    # keygen on a terminal: two prompts, no echo (derivation 1 of 2).
    status, screen = on_terminal([sircomm, 'keygen', '-o', 'k'],
                                 ['the right passphrase', 'the right passphrase'], env=base_env)
    check(status == 0, 'keygen on a terminal: status %d: %s' % (status, screen))
    check(screen.count('Passphrase for k.sec:') == 1 and 'The same passphrase again:' in screen,
          'keygen did not ask twice: %r' % screen)
    check('right passphrase' not in screen, 'keygen echoed the passphrase: %r' % screen)
    if os.path.exists('k.sec'):
        text = open('k.sec').read()
        check(text.startswith('untrusted comment: minisign encrypted secret key\n'),
              'k.sec is not an encrypted key: %r' % text[:60])
        raw = base64.b64decode(text.splitlines()[1])
        check(raw[:6] == b'EdScB2', 'k.sec algorithms: %r' % raw[:6])
        check(int.from_bytes(raw[38:46], 'little') == 33554432 and
              int.from_bytes(raw[46:54], 'little') == 1073741824,
              "k.sec does not carry minisign's scrypt limits")
        check(os.stat('k.sec').st_mode & 0o777 == 0o600, 'k.sec is not mode 0600')

    # Two passphrases that differ: nothing written.
    status, screen = on_terminal([sircomm, 'keygen', '-o', 'differ'], ['one', 'two'], env=base_env)
    check(status == 2 and 'the two passphrases differ' in screen and not os.path.exists('differ.sec'),
          'keygen with two passphrases: %d %r' % (status, screen))
    # No terminal and no passphrase file: refused, with what to do.
    r = run([sircomm, 'keygen', '-o', 'noterm'], env=base_env, stdin='')
    check(r.returncode == 2 and 'SIRCOMM_KEY_PASSWORD_FILE' in r.stderr and '--unencrypted' in r.stderr
          and not os.path.exists('noterm.sec') and not os.path.exists('noterm.pub'),
          'keygen with no terminal: %d %s' % (r.returncode, r.stderr))
    r = run([sircomm, 'keygen', '-o', 'empty'], env=dict(base_env, SIRCOMM_KEY_PASSWORD_FILE='pw-empty'))
    check(r.returncode == 2 and 'holds no passphrase' in r.stderr and not os.path.exists('empty.sec'),
          'keygen with an empty passphrase file: %d %s' % (r.returncode, r.stderr))

    open('file', 'w').write('evidence\n')
    if minisign:
        # minisign signs with sircomm's encrypted key (its derivation).
        r = run([minisign, '-S', '-s', 'k.sec', '-m', 'file'], stdin='the right passphrase\n')
        check(r.returncode == 0, 'minisign -S with sircomm\'s key: %s' % r.stderr)
        r = run([minisign, '-V', '-p', 'k.pub', '-m', 'file'])
        check(r.returncode == 0, 'minisign -V of that signature: %s' % r.stderr)
        # sircomm signs with minisign's encrypted key (derivation 2 of 2).
        r = run([minisign, '-G', '-p', 'm.pub', '-s', 'm.sec'],
                stdin='the right passphrase\nthe right passphrase\n')
        check(r.returncode == 0, 'minisign -G: %s' % r.stderr)
        r = run([sircomm, 'bundle', '-o', 'out-m', '--sign', 'm.sec', record], env=pw_env)
        check(r.returncode == 0, "bundle --sign with minisign's key: %s" % r.stderr)
        zipname = 'out-m/SIRT-2026-0142-audit.zip'
        r = run([minisign, '-V', '-p', 'm.pub', '-m', zipname])
        check(r.returncode == 0, 'minisign -V of the bundle: %s' % r.stderr)
        r = run([sircomm, 'verify', '--pubkey', 'm.pub', zipname])
        check(r.returncode == 0, 'sircomm verify of the bundle: %s' % r.stderr)
    else:
        print('# SKIP minisign is not installed: the cross-checks with it')
        r = run([sircomm, 'bundle', '-o', 'out-m', '--sign', 'k.sec', record], env=pw_env)
        check(r.returncode == 0, 'bundle --sign with the key from keygen: %s' % r.stderr)
        r = run([sircomm, 'verify', '--pubkey', 'k.pub', 'out-m/SIRT-2026-0142-audit.zip'])
        check(r.returncode == 0, 'verify: %s' % r.stderr)

    # A key encrypted by another scrypt implementation, small limits.
    sec, pub = python_encrypted_key('the right passphrase')
    open('p.sec', 'w').write(sec)
    open('p.pub', 'w').write(pub)
    r = run([sircomm, 'bundle', '-o', 'out-p', '--sign', 'p.sec', record], env=pw_env)
    check(r.returncode == 0, 'bundle --sign p.sec: %s' % r.stderr)
    r = run([sircomm, 'verify', '--pubkey', 'p.pub', 'out-p/SIRT-2026-0142-audit.zip'])
    check(r.returncode == 0, 'verify of the bundle signed with p.sec: %s' % r.stderr)
    # Asked on the terminal, once.
    status, screen = on_terminal([sircomm, 'bundle', '-o', 'out-t', '--sign', 'p.sec', record],
                                 ['the right passphrase'], env=base_env)
    check(status == 0 and screen.count('Passphrase for p.sec:') == 1 and 'right' not in screen,
          'bundle --sign on a terminal: %d %r' % (status, screen))
    check(os.path.exists('out-t/SIRT-2026-0142-audit.zip.minisig'), 'no signature from the terminal run')
    # Wrong passphrase: refused before anything is written.
    status, screen = on_terminal([sircomm, 'bundle', '-o', 'out-w', '--sign', 'p.sec', record],
                                 ['the wrong passphrase'], env=base_env)
    check(status == 2 and 'p.sec: error: wrong passphrase for this secret key' in screen
          and not os.path.exists('out-w'), 'wrong passphrase: %d %r' % (status, screen))
    open('pw-wrong', 'w').write('the wrong passphrase')
    r = run([sircomm, 'bundle', '-o', 'out-w', '--sign', 'p.sec', record],
            env=dict(base_env, SIRCOMM_KEY_PASSWORD_FILE='pw-wrong'))
    check(r.returncode == 2 and r.stderr == 'sircomm: p.sec: error: wrong passphrase for this secret key\n'
          and not os.path.exists('out-w'), 'wrong passphrase file: %d %s' % (r.returncode, r.stderr))
    r = run([sircomm, 'bundle', '-o', 'out-w', '--sign', 'p.sec', record], env=base_env, stdin='')
    check(r.returncode == 2 and 'no terminal to ask for the passphrase on' in r.stderr
          and not os.path.exists('out-w'), 'bundle with no terminal: %d %s' % (r.returncode, r.stderr))
    r = run([sircomm, 'bundle', '-o', 'out-w', '--sign', 'p.sec', record],
            env=dict(base_env, SIRCOMM_KEY_PASSWORD_FILE='missing'))
    check(r.returncode == 2 and 'missing: error: cannot read (SIRCOMM_KEY_PASSWORD_FILE)' in r.stderr,
          'bundle with a missing passphrase file: %d %s' % (r.returncode, r.stderr))
    # An unencrypted key asks nothing, even with no terminal.
    run([sircomm, 'keygen', '--unencrypted', '-o', 'u'])
    r = run([sircomm, 'bundle', '-o', 'out-u', '--sign', 'u.sec', record], env=base_env, stdin='')
    check(r.returncode == 0, 'bundle with an unencrypted key: %s' % r.stderr)
finally:
    os.chdir(root)
    shutil.rmtree(tmp)

for f in failures:
    print('FAIL', f)
print('%d checks, %d failed' % (checks, len(failures)))
sys.exit(1 if failures else 0)
