# Every size limit of docs/record-format.md, one byte over: each is an
# error at its line, and the record goes no further (exit 2).  The
# Markdown is the construct that once took cmark-gfm minutes to draft.
python3 - "$TMPDIR_CASE/r.xml" <<'PY'
import sys
md = lambda n: ('![[]()' * n)[:n]
w = lambda n: ('word ' * n)[:n - 1] + 'x'
steps = ''.join('<step>%s</step>' % i for i in range(101))
items = ''.join('<item><q>%d?</q><a>%d.</a></item>' % (i, i) for i in range(101))
big = ''.join('\n    <step>%s</step>' % md(8192) for i in range(4))
open(sys.argv[1], 'w').write('''<?xml version="1.0" encoding="UTF-8"?>
<incident id="SIRT-LIMITS" version="1">
  <title>%s</title>
  <severity>S1</severity>
  <impact>critical</impact>
  <status>resolved</status>
  <scope users="some">
    <service kind="production">%s</service>
  </scope>
  <timeline>
    <event at="2026-03-04T09:12:00Z" type="detected" by="%s"/>
    <event at="2026-03-04T09:30:00Z" type="note">%s</event>
  </timeline>
  <communication>
    <summary>%s</summary>
    <customer-impact>%s</customer-impact>
    <response>%s</response>
    <customer-action>%s</customer-action>
    <mitigation>%s</mitigation>
    <next-steps>%s
    </next-steps>
    <faq>%s</faq>
    <links blog="https://example.com/%s"/>
  </communication>
</incident>
''' % (w(257), w(257), w(257), w(513), md(8193), md(8192), md(8192), md(8192), steps, big, items, 'a' * 2029))
PY
cd "$TMPDIR_CASE" && $SIRCOMM check r.xml
