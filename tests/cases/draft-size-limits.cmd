# The record from the report that took cmark-gfm 15 seconds to draft (a
# summary of 134 KB of "![[]()") is refused by draft as by check, at
# once, and nothing is written; the same construct filling every limit
# exactly (each field 8192 bytes, 32768 in all, 100 steps) is accepted.
python3 - "$TMPDIR_CASE" <<'PY'
import re, sys
src = open('samples/s1-breach.xml').read()
md = lambda n: ('![[]()' * n)[:n]
def comm(body):
    return re.sub(r'<communication>.*</communication>', lambda m: '<communication>%s</communication>' % body, src, flags=re.S)
open(sys.argv[1] + '/issue.xml', 'w').write(comm('<summary>%s</summary>' % ('![[]()' * 22333)))
steps = ''.join('<step>%s</step>' % md(8192) for i in range(1)) + '<step>x</step>' * 99
full = '<summary>%s</summary><customer-action>%s</customer-action><mitigation>%s</mitigation><quote by="VP of Security">%s</quote>' % (
    md(8192), md(8192), steps, 'x' * (32768 - 3 * 8192 - 99))
open(sys.argv[1] + '/full.xml', 'w').write(comm(full))
PY
cd "$TMPDIR_CASE" && mkdir out
$SIRCOMM draft -o out issue.xml; echo "status $?"; ls out
$SIRCOMM check full.xml; echo "status $?"
