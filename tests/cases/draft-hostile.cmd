# Hostile text in every field comes out inert: no active HTML, no
# script/data/relative links; the title stays literal text.
cd "$TMPDIR_CASE" && $SIRCOMM draft -o . "$OLDPWD/tests/fixtures/hostile.xml" | sed "s|$OLDPWD/||"
d=SIRT-2026-0666/drafts
echo "active content in HTML (none expected):"
grep -ioE '<(script|img|iframe|svg|object|embed)|[[:space:]]on[a-z]+=|(href|src)="(javascript|vbscript|data|/)[^"]*"' $d/blog-post.html
grep -o '<h1>[^<]*</h1>' $d/blog-post.html
grep -o '<a href="[^"]*"' $d/blog-post.html
head -1 $d/customer-email.txt
