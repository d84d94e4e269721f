# --version names the libraries whose versions shape sircomm's outputs,
# libxml2's dotted; each bundle's bag-info.txt records the same list, so
# that an auditor re-running a bundle knows which versions made it.
$SIRCOMM --version | python3 -c "
import re, sys
name, libs = sys.stdin.read().splitlines()
print(re.sub(r'[0-9.]+$', 'V', name))
for part in libs.split(', '):
    lib, ver = part.split(' ')
    print(lib, 'dotted' if re.fullmatch(r'[0-9]+(\.[0-9]+)+(\.gfm\.[0-9]+)?', ver) else 'odd: ' + ver)"
cd "$TMPDIR_CASE"
$SIRCOMM bundle "$OLDPWD/samples/s1-breach.xml" >/dev/null
$SIRCOMM --version | python3 -c "
import sys, zipfile
name, libs = sys.stdin.read().splitlines()
info = zipfile.ZipFile('SIRT-2026-0142-audit.zip').read('SIRT-2026-0142-audit/bag-info.txt').decode()
line = [l for l in info.splitlines() if l.startswith('Bag-Software-Agent: ')][0]
print('bag-info agrees' if line == 'Bag-Software-Agent: %s (%s)' % (name, libs) else 'differs: ' + line)"
