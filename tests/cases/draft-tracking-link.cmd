# A tracking parameter in a link fails the draft, names the record's
# line once with every draft it is in, and writes nothing.
cd "$TMPDIR_CASE" && $SIRCOMM draft -o . "$OLDPWD/tests/fixtures/tracking.xml" 2>err.txt; echo "status $?"
sed "s|$OLDPWD/||" err.txt; rm err.txt
ls
