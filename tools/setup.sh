#!/bin/sh
# tools/setup.sh: the first thing to run in a fresh clone (as root on
# Debian 12, or as anyone once the packages are there).  Installs what
# building needs, builds build/sircomm, then runs the main job on the
# bundled samples: checks every sample record, drafts every communication
# of an S1 data breach, audits an S1 whose approver went silent (text and
# HTML), makes a signing key, writes a signed audit bundle and verifies
# it.  Everything lands in sample-output/, listed at the end.
set -eu
cd "$(dirname "$0")/.."

sh tools/install-deps.sh build
if [ ! -f build/build.ninja ]; then
	meson setup build >build-setup.log 2>&1 || { cat build-setup.log; exit 1; }
	rm -f build-setup.log
fi
ninja -C build >/dev/null
s=build/sircomm
out=sample-output
rm -rf "$out"
mkdir -p "$out"

step() { printf '\n$ %s\n' "$*"; "$@"; }
step $s check samples/*.xml
step $s draft -o $out samples/s1-breach.xml
step $s audit samples/s1-silent-approver.xml || true   # 1 would mean a finding failed
$s audit --format html -o $out/s1-silent-approver-audit.html samples/s1-silent-approver.xml || true
step $s keygen --unencrypted -o $out/key   # a demo key: without --unencrypted, it asks for a passphrase
step $s bundle -o $out --sign $out/key.sec samples/s1-breach.xml
step $s verify --pubkey $out/key.pub $out/SIRT-2026-0142-audit.zip

cat <<MSG

Built build/sircomm.  Outputs, in $out/:
  SIRT-2026-0142/drafts/           every draft of the S1 breach (.eml, .md, .txt, .html, .csv, .odt)
  s1-silent-approver-audit.html    the audit above, with its timeline, for a browser
  SIRT-2026-0142-audit.zip         the signed audit bundle (.minisig beside it)
  key.pub, key.sec                 the key pair that signed it (a demo key: unencrypted)
Next: sh tools/test.sh runs the test suite; build/sircomm help lists every command.
MSG
