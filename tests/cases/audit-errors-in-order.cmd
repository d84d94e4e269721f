# Standard output and standard error merged, a bad record's error stands
# where the record stands among the audits, whatever -j says: the tenth
# record of eleven is bad.
$SIRCOMM sample --count 10 --seed 3 -o "$TMPDIR_CASE" >/dev/null
set -- "$TMPDIR_CASE"/GEN-3-00000[0-8].xml samples/invalid/bad-severity.xml "$TMPDIR_CASE"/GEN-3-000009.xml
for j in 1 2; do
	echo "-j $j:"
	$SIRCOMM audit -j $j "$@" 2>&1 |
		sed -n 's/^\(GEN-3-[0-9]*\)  .*/\1/p; s/^sircomm: \(.*\): error: .*/\1: error/p'
done
