# The HTML page: self-contained (a strict CSP, no script, nothing loaded),
# two SVG charts that are well-formed XML, the same bytes on every run.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2026-01-01 --to 2026-12-31 --format html -o "$TMPDIR_CASE/r.html"; echo "status $?"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2026-01-01 --to 2026-12-31 --format html | cmp - "$TMPDIR_CASE/r.html" && echo "same bytes twice"
echo "<svg: $(grep -c '<svg' "$TMPDIR_CASE/r.html")"
echo "<script: $(grep -c '<script' "$TMPDIR_CASE/r.html")"
echo "src= or href=: $(grep -c -E '(src|href)=' "$TMPDIR_CASE/r.html")"
grep -o "<meta http-equiv=\"Content-Security-Policy\" content=\"[^\"]*\">" "$TMPDIR_CASE/r.html"
grep -o -E 'S1 target 6 h|30 min window' "$TMPDIR_CASE/r.html"
python3 - "$TMPDIR_CASE/r.html" <<'PY'
import re, sys, xml.etree.ElementTree as ET
page = open(sys.argv[1], encoding='utf-8').read()
ns = '{http://www.w3.org/2000/svg}'
for svg in re.findall(r'<svg .*?</svg>', page, re.S):
    root = ET.fromstring(svg)
    print('svg', root.get('aria-label'), '| rects:', len(root.findall('.//' + ns + 'rect')),
          '| lines:', len(root.findall('.//' + ns + 'line')))
PY
cat "$TMPDIR_CASE/r.html"
