# A standing-exceptions file has the record's limits on each field (a
# justification of 8193 bytes is refused, with its line) and no total:
# forty justifications of 1 KiB are imported.
python3 - "$TMPDIR_CASE" <<'PY'
import re, sys
src = open('tests/fixtures/standing.xml').read()
one = re.search(r'\n( *<exception .*?</exception>)', src, re.S).group(1)
big = re.sub(r'<justification>.*?</justification>', '<justification>%s</justification>' % ('x' * 8193), src, count=1, flags=re.S)
open(sys.argv[1] + '/big.xml', 'w').write(big)
many = ''.join(re.sub(r'id="[^"]*"', 'id="EX-MANY-%d"' % i, re.sub(r'<justification>.*?</justification>', '<justification>%s</justification>' % ('y' * 1024), one, flags=re.S)) + '\n' for i in range(40))
open(sys.argv[1] + '/many.xml', 'w').write(src.replace(one, many, 1))
PY
cd "$TMPDIR_CASE"
$SIRCOMM exceptions --db l.db --import big.xml; echo "status $?"
$SIRCOMM exceptions --db l.db --import many.xml >/dev/null; echo "status $?"
$SIRCOMM query --db l.db "SELECT count(*) FROM exceptions WHERE id LIKE 'EX-MANY-%'"
