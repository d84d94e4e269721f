# Every figure of the report equals the result of its documented SQL
# (docs/ledger.md, "Reproducing the report") run by sqlite3 on the same
# ledger with the :from and :to the report printed; and no statement scans
# a whole table: each reads its rows as ranges of the period (the
# rollups' span and day, the NOTIFY findings' deadline).  The ledger has failures, an incident's own and a
# standing exception (see report-failures), and the regulators'
# notifications of the NOTIFY scenarios (tests/audit/notify-*.xml).
for id in 0901 0902; do
	sed -e 's|rule="TURNAROUND" subject="customer-email"|rule="TURNAROUND" subject="blog-post"|' \
	    -e "s|id=\"SIRT-2026-0188\"|id=\"SIRT-2026-$id\"|" samples/s1-missed-turnaround.xml >"$TMPDIR_CASE/$id.xml"
done
cat >"$TMPDIR_CASE/standing.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<standing-exceptions version="1">
  <exception id="STD-2026-001" rule="TURNAROUND" subject="customer-email"
             requested-by="Head of Communications" approved-by="VP of Security"
             approved-at="2026-01-05T09:00:00Z" expires="2027-01-01T00:00:00Z">
    <justification>Per-customer emails need a data extract that takes longer than the turnaround.</justification>
  </exception>
</standing-exceptions>
XML
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml "$TMPDIR_CASE/0901.xml" tests/audit/notify-*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM exceptions --db "$TMPDIR_CASE/l.db" --import "$TMPDIR_CASE/standing.xml" >/dev/null || echo "import failed"
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" "$TMPDIR_CASE/0902.xml" 2>/dev/null || echo "ingest failed"
for period in "" "--from 2026-04-01 --to 2026-06-30" "--from 2030-01-01"; do
	echo "== report ${period:-(all)}"
	$SIRCOMM report --db "$TMPDIR_CASE/l.db" $period --format csv >"$TMPDIR_CASE/r.csv" || echo "report failed"
	python3 - "$TMPDIR_CASE/l.db" "$TMPDIR_CASE/r.csv" docs/ledger.md <<'PY'
import csv, json, re, subprocess, sys
db, report, doc = sys.argv[1:4]
text = open(doc, encoding='utf-8').read()
text = text[text.index('\n## Reproducing the report\n'):]
queries = re.findall(r'^### `(\w+)`.*?^One row(?: per `([^`]*)`)?\.\n\n```sql\n(.*?)\n```', text, re.S | re.M)
rows = list(csv.reader(open(report, newline='', encoding='utf-8')))
assert rows[0] == ['section', 'subject', 'figure', 'value'], rows[0]
period = {r[2]: r[3] for r in rows[1:] if r[0] == 'period'}
params = '.parameter set :from %s\n.parameter set :to %s\n' % (period['from_epoch'], period['to_epoch'])
def sqlite(sql, *opts):
    return subprocess.run(['sqlite3', '-readonly', *opts, db], input=params + sql + '\n',
                          capture_output=True, text=True, check=True).stdout
expected, scans, ranged = {}, [], 0
for name, keys, sql in queries:
    keys = keys.split(',') if keys else []
    for row in json.loads(sqlite(sql, '-json') or '[]'):
        subject = '/'.join(str(row[k]) for k in keys)
        for col, v in row.items():
            if col not in keys:
                expected[(name, subject, col)] = v
    plan = sqlite('EXPLAIN QUERY PLAN ' + sql)
    scans += [name + ': ' + l.strip() for l in plan.splitlines()
              if re.search(r'\bSCAN (i|f|m|x|incidents|findings|metrics|exceptions|events|facts|rollup_\w+)\b', l)]
    ranged += bool(re.search(r'SEARCH \w+ USING (PRIMARY KEY \(span=\? AND day>\? AND day<\?\)'
                             r'|INDEX findings_notify \(due>\? AND due<\?\))', plan))
got = {(s, k, f): v for s, k, f, v in rows[1:] if s != 'period'}
def same(v, want):
    if want is None:
        return v == ''
    if isinstance(want, float):
        return float(v) == want
    return v == str(want)
bad = [k for k in got if k not in expected or not same(got[k], expected[k])]
missing = [k for k in expected if k not in got]
print('queries: %d; figures in the report: %d; from sqlite3: %d' % (len(queries), len(got), len(expected)))
for k in bad:
    print('DIFFERS', k, 'report', repr(got[k]), 'sqlite3', repr(expected.get(k)))
for k in missing:
    print('MISSING from the report', k, repr(expected[k]))
print('all equal' if not bad and not missing else 'NOT EQUAL')
print('full table scans:', scans or 'none')
print('statements reading ranges of the period: %d of %d' % (ranged, len(queries)))
for k in [('turnaround', 'S1', 'median_seconds'), ('s1_turnaround', '', 'meeting_share'),
          ('responses', 'legal/review', 'p90_seconds'), ('failures_by_rule', 'TURNAROUND', 'findings'),
          ('notifications', 'sec/filing', 'on_time_share'),
          ('late_notifications', 'SCN-NOTIFY-GDPR-NIS2/nis2/notification/none recorded', 'late_seconds')]:
    if k in got:
        print('%s: report %s, sqlite3 %s' % ('/'.join(k), got[k], expected[k]))
PY
done
