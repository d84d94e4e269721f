# Several records: one JSON array.
$SIRCOMM audit --format json samples/s3-medium-out-of-scope.xml samples/s3-medium-out-of-scope.xml | python3 -c "import json,sys; d=json.load(sys.stdin); print(len(d), [x[\"summary\"][\"n/a\"] for x in d])"
# One record or many, the same shape: an array of audits.
$SIRCOMM audit --format json samples/s1-breach.xml | python3 -c "import json,sys; d=json.load(sys.stdin); print(type(d).__name__, len(d), d[0]['incident'])"
# JSON Lines: one audit per line; no subject is null, never "-".
$SIRCOMM audit --format jsonl samples/s1-breach.xml samples/s3-medium-out-of-scope.xml | python3 -c "
import json,sys
for line in sys.stdin:
    d = json.loads(line)
    print(d['incident'], len(d['findings']), sorted(set(str(f['subject']) for f in d['findings'] if f['rule'] in ('CUTOFF', 'COMPANIONS'))))"
