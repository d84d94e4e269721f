cd "$TMPDIR_CASE" && $SIRCOMM audit --format json -o a.json "$OLDPWD/samples/s1-breach.xml"; echo "status $?"
python3 -c "import json; d=json.load(open('a.json'))[0]; print(d['incident'], d['summary']['result'], len(d['findings']))"
ls -a
