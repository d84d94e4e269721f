#!/bin/sh
# walkthrough.sh SIRCOMM: runs the live-incident walk-through of README.md
# (the sh block after the "walkthrough" marker) as written, in an empty
# directory, with sircomm on PATH and no settings of the user's, and
# compares what it prints with tests/golden/walkthrough.txt.  Every
# command must succeed.  UPDATE_GOLDEN=1 rewrites the golden file (on
# purpose only: review the diff).
set -u
SIRCOMM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
golden=$PWD/tests/golden/walkthrough.txt
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/work" "$tmp/config"
ln -s "$SIRCOMM" "$tmp/bin/sircomm"
sed -n '/^<!-- walkthrough:/,/^```$/p' README.md | sed '1,2d;$d' > "$tmp/walk.sh"
if [ ! -s "$tmp/walk.sh" ]; then
	echo "no walk-through found in README.md"
	exit 1
fi
(
	cd "$tmp/work" &&
	PATH="$tmp/bin:$PATH" XDG_CONFIG_HOME="$tmp/config" SIRCOMM_POLICY= SIRCOMM_TEMPLATES= \
		sh -e "$tmp/walk.sh"
) > "$tmp/out" 2>&1
status=$?
if [ $status -ne 0 ]; then
	cat "$tmp/out"
	echo "the walk-through stopped with status $status"
	exit 1
fi
# The record the walk-through made must check clean, and its bundle
# verify.
(cd "$tmp/work" && "$SIRCOMM" check incident.xml && "$SIRCOMM" verify out/*-audit.zip) \
	>> "$tmp/out" 2>&1 || { cat "$tmp/out"; exit 1; }
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
	cp "$tmp/out" "$golden"
	exit 0
fi
diff -u "$golden" "$tmp/out"
