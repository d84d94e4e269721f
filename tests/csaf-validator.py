#!/usr/bin/env python3
"""The CSAF documents sircomm writes, through the reference validator.

usage: csaf-validator.py SIRCOMM

Where Node.js and the npm package @secvisogram/csaf-validator-lib (the
CSAF 2.0 reference implementation of the standard's tests) are
installed, in ./node_modules or npm's global root, drafts every sample
and runs the library's strict schema test and every mandatory test
(section 6.1) on each csaf.json: every one must pass.  Skipped (77)
otherwise: the test suite never downloads anything.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

LIB = os.path.join('@secvisogram', 'csaf-validator-lib')

RUNNER = r"""
import { pathToFileURL } from 'node:url'
import { readFileSync } from 'node:fs'
const lib = process.argv[1]
const load = async (m) => import(pathToFileURL(lib + '/' + m).href)
const validateStrict = (await load('validateStrict.js')).default
const schema = await load('schemaTests.js')
const mandatory = await load('mandatoryTests.js')
const tests = [...Object.values(schema), ...Object.values(mandatory)]
let bad = 0
for (const path of process.argv.slice(2)) {
  const result = await validateStrict(tests, JSON.parse(readFileSync(path, 'utf8')))
  for (const t of result.tests) {
    if (!t.isValid) {
      bad++
      console.log(path + ': ' + t.name + ': ' + JSON.stringify(t.errors))
    }
  }
}
console.log(bad ? bad + ' failed tests' : 'all documents valid')
process.exit(bad ? 1 : 0)
"""


def find_lib():
    candidates = [os.path.join('node_modules', LIB)]
    if shutil.which('npm'):
        r = subprocess.run(['npm', 'root', '-g'], capture_output=True, text=True)
        if r.returncode == 0:
            candidates.append(os.path.join(r.stdout.strip(), LIB))
    for c in candidates:
        if os.path.exists(os.path.join(c, 'validateStrict.js')):
            return os.path.abspath(c)
    return None


def main():
    sircomm = os.path.abspath(sys.argv[1])
    lib = find_lib() if shutil.which('node') else None
    if not lib:
        print('SKIP: node or @secvisogram/csaf-validator-lib is not installed')
        sys.exit(77)
    records = sorted(glob.glob('samples/*.xml')) + sorted(glob.glob('tests/publish/*.xml'))
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sircomm, 'draft', '-o', out] + records, check=True, stdout=subprocess.DEVNULL)
        docs = sorted(glob.glob(os.path.join(out, '*', 'drafts', 'csaf.json')) +
                      glob.glob(os.path.join(out, '*', 'drafts', 'notice-*', 'csaf.json')))
        for d in docs:
            json.load(open(d, encoding='utf-8'))
        r = subprocess.run(['node', '--input-type=module', '-e', RUNNER, lib] + docs)
        sys.exit(r.returncode)


if __name__ == '__main__':
    main()
