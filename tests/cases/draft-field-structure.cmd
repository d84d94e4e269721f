# A Markdown field keeps its own structure inside the place the template
# gives it: a step that is a code block or holds a list stays in its list
# item, a quote of two paragraphs stays quoted, an FAQ question on two
# lines stays one heading, and a code block left open is closed where the
# field ends, so the template's text after it is still text.
cd "$TMPDIR_CASE" && $SIRCOMM draft -o . "$OLDPWD/tests/fixtures/field-structure.xml" 2>draft.err | sed "s|$OLDPWD/||"
sed "s|$OLDPWD/||" draft.err >&2
d=SIRT-2026-0671/drafts
sed -n '/^What happened/,$p' $d/customer-email.txt
echo "----- blog-post.md"
sed -n '/^Tokens/,$p' $d/blog-post.md
echo "----- blog-post.html, its elements in order"
python3 -c '
import sys, html.parser
class P(html.parser.HTMLParser):
    post, out = False, []
    def handle_starttag(self, tag, attrs):
        if self.post:
            self.out.append(tag)
        self.post = self.post or tag == "article"
    def handle_endtag(self, tag):
        self.post = self.post and tag != "article"
p = P()
p.feed(open(sys.argv[1]).read())
print(" ".join(p.out))' $d/blog-post.html
