# A line of a Markdown field that starts raw HTML, in each of the seven
# ways CommonMark starts an HTML block (script, pre, style, textarea;
# comments; <?; <!X; CDATA; block tags like div, opening or closing; any
# complete tag on its own line), in a paragraph, a list item, a heading,
# a quote and a table cell: every draft stays whole, the HTML shows as
# the text it is, and code keeps its < unescaped.
cd "$TMPDIR_CASE" && $SIRCOMM draft -o . "$OLDPWD/tests/fixtures/raw-html.xml" 2>draft.err | sed "s|$OLDPWD/||"
sed "s|$OLDPWD/||" draft.err >&2
d=SIRT-2026-0670/drafts
echo "the last line of each text draft, the template's own:"
for f in customer-email.txt security-alert.txt support-faq.txt media-statement.txt internal-update.txt; do
	printf '%s: ' $f; tail -1 $d/$f
done
echo "the headings of the customer email and the blog:"
grep -B1 -- '^---*$' $d/customer-email.txt | grep -v -- '^-' | grep .
grep '^#' $d/blog-post.md
echo "record text missing from the drafts (none expected):"
python3 - $d <<'PY'
import sys, html.parser
d = sys.argv[1]
class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tags = [], set()
    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
    def handle_data(self, data):
        self.text.append(data)
    def handle_comment(self, data):
        self.tags.add("!--" + data)
page = Text()
page.feed(open(d + "/blog-post.html").read())
flat = lambda s: " ".join(s.split())
drafts = {
    "blog-post.html": flat("".join(page.text)),
    "customer-email.txt": flat(open(d + "/customer-email.txt").read()),
    "support-faq.txt": flat(open(d + "/support-faq.txt").read()),
    "internal-update.txt": flat(open(d + "/internal-update.txt").read()),
}
fragments = {
    "blog-post.html": [
        "<script>alert(1) The payload <script>alert(1)</script> was stored",
        "<!-- type 2: a comment that never closes Customers who viewed",
        "<?php type 3 <!DOCTYPE type 4 <![CDATA[ type 5 We removed",
        "<style> type 1 <PRE class=\"x\"> type 1 in capitals Clear your",
        "<table> in a step", "We will review the other widgets.",
        "<textarea> or <b>bold</b>?", "<address> Both show as text.",
        "<!-- We are sorry.", "Stored XSS in the <comment> widget",
    ],
    "customer-email.txt": [
        "<script>alert(1) The payload `<script>alert(1)</script>` was stored",
        "<!-- type 2", "<?php type 3 <!DOCTYPE type 4 <![CDATA[ type 5",
        "<style> type 1 <PRE class=\"x\"> type 1 in capitals Clear your",
        "- <table> in a step - We will review the other widgets.",
    ],
    # The steps taken: the customer drafts give the response instead.
    "internal-update.txt": [
        "- <div> type 6 - </section> type 6, closing",
        "<x-widget data-id=\"1\"> type 7 </x-widget>",
    ],
    "support-faq.txt": [
        "<!-- Mallory | Eve (SecCMOC)", "<textarea> or <b>bold</b>?",
        "<address> Both show as text.",
    ],
}
for name, want in fragments.items():
    for f in want:
        if f not in drafts[name]:
            print(name + ": " + f)
print("elements of the blog page:", " ".join(sorted(page.tags)))
PY
echo "the code span, as written:"
grep -o '<code>[^<]*</code>' $d/blog-post.html
grep -o 'The payload `[^`]*`' $d/blog-post.md
