#!/bin/sh
# tools/test.sh: the whole test suite in the plain build: the unit tests,
# every end-to-end case and every script suite (golden drafts and audits,
# the audit scenarios, independent parsers over the drafts, bundles, the
# ledger under faults, races, interrupts, the plan's tables).  Installs
# the test packages first if any is missing (as root), configures build/
# if needed and rebuilds what changed.  About 30 s on 2 cores; the
# heavier passes (sanitizers, valgrind, fuzzing) are in .ci/run.
# Arguments go to meson test (a suite, a test name, --list, ...).
set -eu
cd "$(dirname "$0")/.."

sh tools/install-deps.sh build test
# Reconfigure, so that test libraries installed since the first set-up
# are found.
if [ -f build/build.ninja ]; then
	meson setup --reconfigure build >build/test-setup.log 2>&1 ||
		{ cat build/test-setup.log; exit 1; }
else
	meson setup build >build-setup.log 2>&1 || { cat build-setup.log; exit 1; }
	rm -f build-setup.log
fi
exec meson test -C build --print-errorlogs "$@"
