# Two records with one incident id in one batch would write the same
# drafts directory, bundle, audit report or ledger rows, the second
# silently replacing the first: the batch is refused before anything is
# written, each duplicate named with both locations.  Ids that differ
# only in case count as the same (they name the same files on a
# case-insensitive file system).  Standard input given twice is one
# record twice.  A record from a pipe is still read (once).
cd "$TMPDIR_CASE"
cp "$OLDPWD/samples/s1-breach.xml" breach.xml
cp "$OLDPWD/samples/s2-no-turnaround.xml" s2.xml
cp breach.xml copy.xml
sed 's/id="SIRT-2026-0142"/id="sirt-2026-0142"/' breach.xml > lower.xml
mkdir out
$SIRCOMM draft -o out breach.xml s2.xml copy.xml lower.xml; echo "draft $?"
$SIRCOMM bundle -o out copy.xml s2.xml breach.xml; echo "bundle $?"
$SIRCOMM audit -o out/audit.json --format json copy.xml breach.xml; echo "audit $?"
$SIRCOMM ingest -q --db out/l.db copy.xml breach.xml; echo "ingest $?"
$SIRCOMM draft -o out breach.xml breach.xml; echo "draft $?"
$SIRCOMM draft -o out - - < copy.xml; echo "draft $?"
ls -A out
echo "--- audit to standard output prints both, as given"
$SIRCOMM audit copy.xml breach.xml | grep -c '^SIRT-2026-0142 '
echo "--- a record from a pipe, beside a file"
cat copy.xml | $SIRCOMM draft -o out /dev/stdin s2.xml; echo "draft $?"
ls out
