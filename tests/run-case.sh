#!/bin/sh
# run-case.sh SIRCOMM CASEDIR NAME: runs one end-to-end case and compares
# its standard output, standard error and exit status with the expected
# files.  With UPDATE_GOLDEN=1 it rewrites them instead (on purpose only:
# review the diff before committing).
set -u
SIRCOMM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$2
name=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/work"
# SIRCOMM_WRAP runs every sircomm of the case under a tool (valgrind in
# CI), through a small wrapper so that cases and scripts see one path.
if [ -n "${SIRCOMM_WRAP:-}" ]; then
	printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$SIRCOMM_WRAP" "$SIRCOMM" > "$tmp/sircomm"
	chmod +x "$tmp/sircomm"
	SIRCOMM="$tmp/sircomm"
fi
export SIRCOMM TMPDIR_CASE="$tmp/work"
# The policy and templates a case sees are the ones it names: none of
# the user's own settings (~/.config/sircomm) or variables.
mkdir "$tmp/config"
export XDG_CONFIG_HOME="$tmp/config"
unset SIRCOMM_POLICY SIRCOMM_TEMPLATES
sh -c ". \"$dir/$name.cmd\"" >"$tmp/out" 2>"$tmp/err"
echo $? >"$tmp/status"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
	cp "$tmp/out" "$dir/$name.out"
	cp "$tmp/err" "$dir/$name.err"
	cp "$tmp/status" "$dir/$name.status"
	exit 0
fi
rc=0
for f in status out err; do
	if [ ! -f "$dir/$name.$f" ]; then
		echo "missing expected file $dir/$name.$f"
		rc=1
	elif ! diff -u "$dir/$name.$f" "$tmp/$f"; then
		echo "case $name: $f differs"
		rc=1
	fi
done
exit $rc
