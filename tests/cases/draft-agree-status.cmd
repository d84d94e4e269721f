# A blog post that calls an incident under investigation resolved.
cd "$TMPDIR_CASE"
run() { "$@" >o.txt 2>&1; s=$?; sed "s|$OLDPWD/||" o.txt; echo "status $s"; }
run $SIRCOMM draft -o . --only blog-post --templates "$OLDPWD/tests/fixtures/agree/status" "$OLDPWD/samples/s1-in-progress.xml"
