# -q and -v on every command.  -q leaves out progress and the lines that
# only say where an output went (problems and results stay); -v adds what
# the run set up: the policy and templates in effect, the output
# directory, the records and threads.
cd "$TMPDIR_CASE"
r="$OLDPWD/samples/s1-breach.xml"
echo "-- every command takes them"
for c in check new draft templates audit status bundle keygen verify ingest report exceptions query sample help version; do
	$SIRCOMM $c -q --help >/dev/null && $SIRCOMM $c --verbose --help >/dev/null 2>&1 || echo "$c refuses -q or -v"
done
$SIRCOMM policy show -q >/dev/null && $SIRCOMM policy show -v 2>&1 >/dev/null | sed 's/sha256 [0-9a-f]*/sha256 H/' 
echo "-- -q: files written, nothing said"
$SIRCOMM draft -q -o d "$r"; echo "draft $?"
$SIRCOMM bundle --quiet -o b "$r"; echo "bundle $?"
$SIRCOMM sample -q --count 2 -o s; echo "sample $?"
$SIRCOMM keygen -q --unencrypted -o k; echo "keygen $?"
mkdir t && $SIRCOMM templates export -q t; echo "templates $?"
ls d b s t | wc -l; ls k.*
echo "-- -q: problems and results stay"
$SIRCOMM draft -q -o d "$OLDPWD/samples/invalid/bad-severity.xml" 2>&1 | sed "s|$OLDPWD/||"
$SIRCOMM audit -q --format csv "$r" | head -1
echo "-- -v"
$SIRCOMM draft -v -j 2 -o d "$r" 2>&1 | sed "s/sha256 [0-9a-f]*/sha256 H/; s|$OLDPWD/||"
$SIRCOMM audit -v -j 1 --policy "$OLDPWD/policy/policy.xml" "$r" 2>&1 >/dev/null | sed 's/sha256 [0-9a-f]*/sha256 H/; s|/.*/policy/|POLICY/|'
