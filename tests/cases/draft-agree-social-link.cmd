# The social post distributes the blog post: one that links only the
# advisory when there is a blog post is not written; one with nothing to
# link at all (no blog, no advisory) is written with a warning, which
# check --strict refuses.
cd "$TMPDIR_CASE"
run() { "$@" >o.txt 2>&1; s=$?; sed "s|$OLDPWD/||" o.txt; echo "status $s"; }
run $SIRCOMM draft -o . --only social-post,customer-email --templates "$OLDPWD/tests/fixtures/agree/social-link" "$OLDPWD/samples/s1-breach.xml"
sed '/<links /d' "$OLDPWD/samples/s1-breach.xml" > no-links.xml
run $SIRCOMM draft -o . --only social-post no-links.xml
cat SIRT-2026-0142/drafts/social-post.txt
run $SIRCOMM check --strict no-links.xml
