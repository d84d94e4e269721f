# An organisation's audit page: a classification banner above and below
# the report, from a partial in the same directory, in the audit HTML and
# in the bundle's audit.html alike; the rest is the built-in page.
cd "$TMPDIR_CASE" && mkdir tpl && $SIRCOMM templates export tpl >/dev/null
python3 - tpl/audit-page.html <<'PY'
import sys
page = open(sys.argv[1]).read()
page = page.replace('{{{body}}}\n', '{{> banner.html}}\n{{{body}}}\n{{> banner.html}}\n')
open(sys.argv[1], 'w').write(page)
PY
printf '<p class="banner">CONFIDENTIAL: {{incident.id}}, audit {{audit.result}} as of {{audit.as_of}}</p>\n' > tpl/banner.html
$SIRCOMM templates list --templates tpl | grep -E 'page|banner'
$SIRCOMM audit --format html --templates tpl "$OLDPWD/samples/s1-breach.xml" > custom.html; echo "status $?"
$SIRCOMM audit --format html "$OLDPWD/samples/s1-breach.xml" > built-in.html
diff built-in.html custom.html
$SIRCOMM bundle --templates tpl -o . "$OLDPWD/samples/s1-breach.xml" >/dev/null; echo "status $?"
unzip -p SIRT-2026-0142-audit.zip SIRT-2026-0142-audit/data/audit/audit.html | cmp - custom.html && echo "the bundle's audit.html is the same page"
# The other formats have no page: the templates change nothing there.
$SIRCOMM audit --format md --templates tpl "$OLDPWD/samples/s1-breach.xml" > custom.md
$SIRCOMM audit --format md "$OLDPWD/samples/s1-breach.xml" | cmp - custom.md && echo "md unchanged"
