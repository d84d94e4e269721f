# The generator: the same seed gives the same files, every file is a
# valid record, and the set covers every severity and many outcomes.
cd "$TMPDIR_CASE" && mkdir a b c
$SIRCOMM sample --count 60 --seed 5 -o a
$SIRCOMM sample --count 60 --seed 5 -o b >/dev/null
$SIRCOMM sample --count 60 --seed 6 -o c >/dev/null
diff -r a b >/dev/null && echo "same seed: identical"
diff -r a c >/dev/null || echo "other seed: different"
$SIRCOMM check -q a/*.xml
$SIRCOMM audit --format json a/*.xml | python3 -c "
import json, sys, collections
d = json.load(sys.stdin)
sev = collections.Counter(x['severity'] for x in d)
st = collections.Counter(f['status'] for x in d for f in x['findings'])
ev = [len([1 for f in x['findings']]) for x in d]
print('severities:', sorted(sev))
print('statuses:', sorted(st))
"
for f in a/*.xml; do grep -c '<event ' "$f"; done | sort -n | sed -n '1p;$p' | tr '\n' ' '; echo
