# An internal update that wrote the affected count its own way,
# "Some users (3812 known)", beside "3,812" in the other drafts.
cd "$TMPDIR_CASE"
run() { "$@" >o.txt 2>&1; s=$?; sed "s|$OLDPWD/||" o.txt; echo "status $s"; }
run $SIRCOMM draft -o . --templates "$OLDPWD/tests/fixtures/agree/count" "$OLDPWD/samples/s1-breach.xml"
ls SIRT-2026-0142/drafts | grep internal; echo "(no internal update above)"
