# Hostile text in every field comes out inert: no active HTML, no
# script/data/relative links; the title stays literal text.
cd "$TMPDIR_CASE" && $SIRCOMM draft -o . "$OLDPWD/tests/fixtures/hostile.xml" 2>draft.err | sed "s|$OLDPWD/||"
sed "s|$OLDPWD/||" draft.err >&2
d=SIRT-2026-0666/drafts
echo "active content in HTML, as an HTML parser reads it (none expected):"
python3 -c '
import sys, html.parser
class P(html.parser.HTMLParser):
    post = False
    def handle_endtag(self, tag):
        self.post = self.post and tag != "article"
    def handle_starttag(self, tag, attrs):
        if self.post and tag in ("script", "img", "iframe", "svg", "object", "embed", "style", "link", "meta", "form"):
            print("element", tag)
        self.post = self.post or tag == "article"
        for k, v in attrs:
            if k.startswith("on") or (k in ("href", "src") and not v.startswith(("https:", "mailto:"))):
                print("attribute", k, v)
P().feed(open(sys.argv[1]).read())' $d/blog-post.html
echo "the raw HTML of the record, shown as text:"
grep -o '<p>Raw HTML[^<]*' $d/blog-post.html
grep -o '<p>&lt;iframe[^<]*' $d/blog-post.html
grep -o '<h1>[^<]*</h1>' $d/blog-post.html
grep -o '<a href="[^"]*"' $d/blog-post.html
head -1 $d/customer-email.txt
