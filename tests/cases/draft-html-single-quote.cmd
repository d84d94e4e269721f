# An HTML template may quote an attribute with ' as well as ": {{ }}
# escapes both, so a title cannot leave the attribute and add its own.
cd "$TMPDIR_CASE" && mkdir tpl
printf "<html><head><title>{{incident.title}}</title></head>\n<body><article title='{{incident.title}}'>\n{{{body}}}</article></body></html>\n" > tpl/blog-page.html
$SIRCOMM draft --only blog-post --templates tpl -o . "$OLDPWD/tests/fixtures/quote-title.xml" 2>&1 | sed "s|$OLDPWD/||"
grep "<article" SIRT-2026-0668/drafts/blog-post.html
echo "attributes of <article>, read by an HTML parser:"
python3 -c '
import sys, html.parser
class P(html.parser.HTMLParser):
    def handle_starttag(self, tag, attrs):
        if tag == "article":
            print(attrs)
P().feed(open(sys.argv[1]).read())' SIRT-2026-0668/drafts/blog-post.html
echo "the audit's HTML report escapes ' the same way:"
$SIRCOMM audit --format html "$OLDPWD/tests/fixtures/quote-title.xml" | grep -c "Token'"
$SIRCOMM audit --format html "$OLDPWD/tests/fixtures/quote-title.xml" | grep -o -m1 "<h1>[^<]*"
