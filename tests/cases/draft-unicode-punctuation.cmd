# An underscore beside Unicode punctuation («_x_», “_x_”, ¡_x_!) could
# open emphasis, as CommonMark's flanking rules read Unicode punctuation
# and white space: it is escaped, and stays in every draft as written.
cd "$TMPDIR_CASE" && $SIRCOMM draft -o . "$OLDPWD/tests/fixtures/unicode-punct.xml" 2>draft.err | sed "s|$OLDPWD/||"
sed "s|$OLDPWD/||" draft.err >&2
d=SIRT-2026-0669/drafts
head -1 $d/customer-email.txt
head -1 $d/blog-post.md
grep -o "<h1>.*</h1>" $d/blog-post.html
grep "escalation" $d/support-faq.md $d/support-faq.txt
echo "emphasis from the title (none expected):"
grep -c -e "<em>private" -e "<em>draft" $d/blog-post.html
