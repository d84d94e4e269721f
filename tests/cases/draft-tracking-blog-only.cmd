# The blog post is checked like every other draft, also when it is the
# only one drafted.
cd "$TMPDIR_CASE" && $SIRCOMM draft --only blog-post -o . "$OLDPWD/tests/fixtures/tracking.xml" >out.txt 2>err.txt; echo "status $?"
sed "s|$OLDPWD/||" out.txt err.txt; rm out.txt err.txt
ls
