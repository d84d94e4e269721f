# Bad records in the middle of a batch are skipped and their neighbours
# kept: ten good records, bad ones of every kind (malformed XML, a
# DOCTYPE, a value the schema refuses, an unknown group, a time without
# offset, a file that is not there), one whose enumerated values have
# spaces around them (valid: it once crashed ingest and lost the whole
# batch), then ten more good records.  In one thread and in two; the
# ledger holds the 21 good ones, each once, with its severity as S1..S4.
cd "$TMPDIR_CASE" || exit 9
mkdir good
$SIRCOMM sample --count 20 --seed 12 -o good >/dev/null
inv=$OLDPWD/samples/invalid
sed -e 's|<severity>S1</severity>|<severity> S1 </severity>|' -e 's|users="some"|users=" some"|' \
    -e 's|type="approved"|type="approved "|g' "$OLDPWD/samples/s1-breach.xml" > spaced.xml
# The invalid samples share one incident id; a run takes each incident
# once, so each copy gets its own.
mkdir bad
k=0
for f in malformed billion-laughs bad-severity unknown-group time-no-offset; do
	k=$((k + 1))
	sed "s|SIRT-2026-0900|SIRT-2026-090$k|" "$inv/$f.xml" > bad/$f.xml
done
set -- good/GEN-12-00000?.xml \
	bad/malformed.xml bad/billion-laughs.xml bad/bad-severity.xml \
	bad/unknown-group.xml bad/time-no-offset.xml missing.xml spaced.xml \
	good/GEN-12-00001?.xml
echo "$# records given"
for j in 1 2; do
	rm -f l.db
	$SIRCOMM ingest -j $j --db l.db "$@" 2>err.txt; echo "-j $j: status $?"
	sed -e 's|^sircomm: bad/|sircomm: |' -e 's/, in [0-9.]* s$//' err.txt
	$SIRCOMM query --db l.db "SELECT severity, count(*) AS n FROM incidents GROUP BY severity ORDER BY severity"
	$SIRCOMM query --db l.db "SELECT count(*) AS incidents, count(DISTINCT id) AS ids, sum(id LIKE 'GEN-12-%') AS generated FROM incidents"
done
