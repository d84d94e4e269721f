# A title ending in " ###" keeps its '#'s in every heading it lands in:
# unescaped, Markdown would read them as the heading's closing sequence.
cd "$TMPDIR_CASE" && $SIRCOMM draft -o . "$OLDPWD/tests/fixtures/title-hash.xml" 2>draft.err | sed "s|$OLDPWD/||"
sed "s|$OLDPWD/||" draft.err >&2
d=SIRT-2026-0673/drafts
head -1 $d/blog-post.md
grep -o "<h1>.*</h1>" $d/blog-post.html
head -1 $d/internal-update.txt $d/media-statement.txt $d/customer-email.txt
