# An organisation's report page: a classification banner with the period
# at the top of the compliance report; the rest is the built-in page.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
cd "$TMPDIR_CASE" && mkdir tpl && $SIRCOMM templates export tpl >/dev/null
python3 - tpl/report-page.html <<'PY'
import sys
page = open(sys.argv[1]).read()
page = page.replace('<body>\n', '<body>\n<p class="banner">CONFIDENTIAL &#8212; {{report.period}}'
                    '{{#report.from}}, from {{report.from}}{{/report.from}}: {{report.incidents}} incidents</p>\n')
open(sys.argv[1], 'w').write(page)
PY
$SIRCOMM report --db l.db --from 2026-01-01 --format html --templates tpl -o custom.html; echo "status $?"
$SIRCOMM report --db l.db --from 2026-01-01 --format html -o built-in.html
diff built-in.html custom.html
$SIRCOMM report --db l.db --format html --templates tpl | grep banner
