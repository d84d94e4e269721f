# The report's figures recomputed independently, in Python, from
# `sircomm audit --format json` of each sample (nearest-rank percentiles,
# in-scope incidents, the period by comms_started): they must agree.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
for period in "0 253402300800" "1772323200 1782864000"; do
	set -- $period
	if [ "$1" = 0 ]; then args=""; else args="--from 2026-03-01 --to 2026-06-30"; fi
	$SIRCOMM report --db "$TMPDIR_CASE/l.db" $args --format json >"$TMPDIR_CASE/r.json" || echo "report failed"
	python3 - "$SIRCOMM" "$1" "$2" "$TMPDIR_CASE/r.json" samples/*.xml <<'PY'
import datetime as dt, json, math, subprocess, sys
sircomm, frm, to, report = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def epoch(s):
    return int(dt.datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp())
def rank(vals, p):  # nearest rank: the ceil(p * n)-th smallest
    v = sorted(vals)
    return v[math.ceil(p * len(v)) - 1] if v else None
audits = [json.loads(subprocess.run([sircomm, 'audit', '--format', 'json', f], capture_output=True,
                                    text=True).stdout)[0] for f in sys.argv[5:]]
sel = [a for a in audits if a['comms_started'] and frm <= epoch(a['comms_started']) < to]
ins = [a for a in sel if a['in_scope']]
sevs = ('S1', 'S2', 'S3', 'S4')
want = {}
want['totals'] = dict(incidents=len(sel), in_scope=len(ins), out_of_scope=len(sel) - len(ins),
                      in_scope_failed=sum(a['summary']['result'] == 'fail' for a in ins), no_comms_started=0)
want['by_severity'] = [dict(severity=s, incidents=sum(a['severity'] == s for a in sel),
                            in_scope=sum(a['severity'] == s for a in ins),
                            out_of_scope=sum(a['severity'] == s and not a['in_scope'] for a in sel),
                            failed=sum(a['severity'] == s and a['summary']['result'] == 'fail' for a in ins))
                       for s in sevs]
tf = [f['status'] for a in ins if a['severity'] == 'S1' for f in a['findings']
      if f['rule'] == 'TURNAROUND' and f['status'] != 'n/a']
decided = sum(s in ('pass', 'fail', 'excepted') for s in tf)
want['s1'] = dict(artifacts=len(tf), met=tf.count('pass'), missed=tf.count('fail'), excepted=tf.count('excepted'),
                  pending=tf.count('pending'),
                  meeting_share=round(tf.count('pass') / decided, 4) if decided else None)
want['turnaround'] = []
for s in sevs:
    vals = [v for a in ins if a['severity'] == s for v in a['metrics']['turnaround_seconds'].values()]
    d = [v for v in vals if v is not None]
    if vals:
        want['turnaround'].append(dict(severity=s, deployed=len(d), not_deployed=len(vals) - len(d),
                                       median_seconds=rank(d, .5), p90_seconds=rank(d, .9)))
hist = [0] * 9
for a in ins:
    for v in a['metrics']['turnaround_seconds'].values():
        if a['severity'] == 'S1' and v is not None:
            hist[max(0, min(8, v // 3600))] += 1
want['histogram'] = hist
want['drafting'] = []
for s in sevs:
    d = [a['metrics']['first_draft_seconds'] for a in ins
         if a['severity'] == s and a['metrics']['first_draft_seconds'] is not None]
    if d:
        want['drafting'].append(dict(severity=s, incidents=len(d), median_seconds=rank(d, .5), p90_seconds=rank(d, .9)))
groups = {}
for a in ins:
    for r in a['metrics']['responses']:
        groups.setdefault((r['group'], r['round']), []).append(r['seconds'])
want['responses'] = []
for g, rd in sorted(groups, key=lambda k: (k[0], k[1] == 'final', k[1])):
    vals = groups[(g, rd)]
    d = [v for v in vals if v is not None]
    want['responses'].append(dict(group=g, round=rd, n=len(vals), answered=len(d), median_seconds=rank(d, .5),
                                  p90_seconds=rank(d, .9),
                                  within_window_share=round(sum(v <= 1800 for v in d) / len(vals), 4)))
want['backups'] = [sum(a['metrics']['backups_engaged'] for a in ins), sum(a['metrics']['backups_engaged'] > 0 for a in ins)]
want['quorum'] = [sum(a['metrics']['quorum_deployments'] for a in ins),
                  sum(a['metrics']['quorum_deployments'] > 0 for a in ins)]
fails = {}
for a in ins:
    for f in a['findings']:
        if f['status'] == 'fail':
            fails.setdefault(f['rule'], []).append(a['incident'])
want['failures'] = {k: dict(findings=len(v), incidents=len(set(v))) for k, v in sorted(fails.items())}
used = {}
for a in ins:
    own = {x['id'] for x in a['exceptions'] if not x['standing']}
    for f in a['findings']:
        if f['exception']:
            k = (f['exception'], 'incident' if f['exception'] in own else 'standing', f['rule'])
            used.setdefault(k, []).append((a['incident'], f['retroactive']))
want['exceptions'] = [dict(exception=k[0], kind=k[1], rule=k[2], findings_excused=len(v),
                           incidents=len({i for i, _ in v}), retroactive=sum(r for _, r in v))
                      for k, v in sorted(used.items())]
R = json.load(open(report))
got = dict(totals=R['totals'], by_severity=R['by_severity'], s1=R['turnaround']['s1'],
           turnaround=R['turnaround']['by_severity'],
           histogram=[b['artifacts'] for b in R['turnaround']['s1_histogram']],
           drafting=R['drafting']['by_severity'], responses=R['responses'],
           backups=[R['backups_engaged'], R['incidents_with_backups']],
           quorum=[R['quorum_deployments'], R['incidents_with_quorum']],
           failures=R['failures_by_rule'], exceptions=R['exceptions_used'])
for k in want:
    ok = json.dumps(want[k], sort_keys=True) == json.dumps(got[k], sort_keys=True)
    print('%-12s %s' % (k, 'agrees' if ok else 'DIFFERS: audits %s, report %s' % (want[k], got[k])))
PY
done
