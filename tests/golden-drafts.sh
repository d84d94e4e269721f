#!/bin/sh
# golden-drafts.sh SIRCOMM: drafts every sample record and compares each
# file with tests/golden/drafts/ID/FILE byte for byte; then drafts them
# again and checks the two runs are identical.  UPDATE_GOLDEN=1 rewrites
# the golden files instead (on purpose only: review the diff).
set -u
SIRCOMM=$1
golden=tests/golden/drafts
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/a" "$tmp/b"
"$SIRCOMM" draft samples/*.xml -o "$tmp/a" >/dev/null || { echo "draft failed"; exit 1; }
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
	rm -rf "$golden"
	mkdir -p "$golden"
	for d in "$tmp"/a/*/drafts; do
		id=$(basename "$(dirname "$d")")
		cp -r "$d" "$golden/$id"
	done
	exit 0
fi
rc=0
for d in "$tmp"/a/*/drafts; do
	id=$(basename "$(dirname "$d")")
	if ! diff -ru "$golden/$id" "$d"; then
		echo "drafts of $id differ from $golden/$id"
		rc=1
	fi
done
for g in "$golden"/*; do
	[ -d "$tmp/a/$(basename "$g")" ] || { echo "no drafts for $(basename "$g")"; rc=1; }
done
"$SIRCOMM" draft samples/*.xml -o "$tmp/b" >/dev/null
if ! diff -r "$tmp/a" "$tmp/b" >/dev/null; then
	echo "two runs over the same inputs differ"
	rc=1
fi
exit $rc
