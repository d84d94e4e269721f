#!/bin/sh
# tools/install-deps.sh [build] [test] [ci]: installs the Debian 12
# packages each named set needs, and only those missing (nothing is
# asked of apt when all are there, so a non-root user with everything
# installed can run it too).  Without arguments: build.
#
#   build  building and running sircomm: the compiler, meson, and the
#          libraries it links (libxml2, cmark-gfm, SQLite, libzip,
#          libsodium, utf8proc, zlib, libcsv) and the tz database;
#          python3 embeds the schemas at build time.
#   test   what the test suite adds (tools/test.sh): cmocka and json-c for
#          the unit tests, minisign to cross-check signatures, the sqlite3
#          shell to read ledgers back, zsh to check its completion script,
#          Python's icalendar to read `sircomm calendar` back, patch to
#          apply sircomm's diffs of sent communications
#          (tests/udiff-check.py), jsonschema to validate CSAF documents
#          against the OASIS schema, feedparser to read the Atom feeds.
#   ci     what .ci/run adds: valgrind, clang and its sanitizer runtime
#          for the fuzzers, time(1) and zip for the benchmarks, and
#          LibreOffice Writer (headless), poppler-utils and a Japanese
#          and an Arabic/Hebrew font for tests/odt-render.py, which lays
#          out comms-doc.odt as a comms manager sees it (about 90 MB to
#          download; the test is skipped where they are missing).
set -eu

build="build-essential meson ninja-build pkg-config python3
	libxml2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
	libsqlite3-dev libzip-dev zlib1g-dev libdeflate-dev libsodium-dev libutf8proc-dev libcsv-dev tzdata"
test="libcmocka-dev libjson-c-dev minisign sqlite3 zsh python3-icalendar patch python3-jsonschema python3-feedparser"
ci="valgrind clang libclang-rt-14-dev time zip
	libreoffice-writer-nogui poppler-utils fonts-ipafont-gothic fonts-dejavu-core"

[ $# -gt 0 ] || set -- build
want=""
for set in "$@"; do
	case $set in
	build) want="$want $build" ;;
	test) want="$want $test" ;;
	ci) want="$want $ci" ;;
	*) echo "usage: tools/install-deps.sh [build] [test] [ci]" >&2; exit 2 ;;
	esac
done

missing=""
for p in $want; do
	dpkg-query -W -f '${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing="$missing $p"
done
[ -n "$missing" ] || exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages; as root, run: apt-get install$missing" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
