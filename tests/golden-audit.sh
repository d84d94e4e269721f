#!/bin/sh
# golden-audit.sh SIRCOMM: audits every sample record and compares the
# JSON with tests/golden/audit/NAME.json.  UPDATE_GOLDEN=1 rewrites the
# golden files instead (on purpose only: review the diff; every finding
# should be checkable by hand against the record and docs/rules.md).
set -u
SIRCOMM=$1
golden=tests/golden/audit
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$golden"
rc=0
for s in samples/*.xml; do
	name=$(basename "$s" .xml)
	"$SIRCOMM" audit --format json "$s" > "$tmp/$name.json"
	status=$?
	if [ $status -gt 1 ]; then
		echo "audit of $s failed with status $status"
		rc=1
		continue
	fi
	if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
		cp "$tmp/$name.json" "$golden/$name.json"
	elif ! diff -u "$golden/$name.json" "$tmp/$name.json"; then
		echo "audit of $s differs from $golden/$name.json"
		rc=1
	fi
done
exit $rc
