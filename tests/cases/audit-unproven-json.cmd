# The JSON report: each unproven finding is a fail with its due, met,
# evidence and note (see audit-unproven-text); the summary counts them as
# failures.
$SIRCOMM audit --format json tests/audit/missing-start-events.xml >"$TMPDIR_CASE/a.json"; echo "status $?"
python3 - "$TMPDIR_CASE/a.json" <<'PY'
import json, sys
au = json.load(open(sys.argv[1], encoding='utf-8'))
for f in au['findings']:
    if 'cannot be proven' in (f['note'] or ''):
        print(json.dumps({k: f[k] for k in ('rule', 'subject', 'status', 'due', 'met', 'evidence', 'note')}))
print('summary', json.dumps(au['summary'], sort_keys=True))
PY
