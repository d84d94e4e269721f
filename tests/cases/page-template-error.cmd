# A page template that does not parse is refused with TEMPLATE:LINE and
# exit 2 by audit, bundle and report alike, and nothing is written.
cd "$TMPDIR_CASE" && mkdir tpl out
printf '<!DOCTYPE html>\n<title>{{incident.id}}</title>\n{{#audit.failed}}\n{{{body}}}\n' > tpl/audit-page.html
printf '<!DOCTYPE html>\n{{^report.from}}\n{{{body}}}\n{{/report.to}}\n' > tpl/report-page.html
$SIRCOMM audit --format html --templates tpl -o out/a.html "$OLDPWD/samples/s1-breach.xml"; echo "status $?"
page=$($SIRCOMM audit --format html --templates tpl "$OLDPWD/samples/s1-breach.xml"); echo "status $?, ${#page} bytes"
$SIRCOMM bundle --templates tpl -o out "$OLDPWD/samples/s1-breach.xml"; echo "status $?"
$SIRCOMM ingest --quiet --db l.db "$OLDPWD/samples/s1-breach.xml" 2>/dev/null || echo "ingest failed"
$SIRCOMM report --db l.db --format html --templates tpl -o out/r.html; echo "status $?"
echo "files written: $(ls -A out | wc -l)"
# check refuses it first, as it does what draft and bundle would refuse.
$SIRCOMM check --templates tpl "$OLDPWD/samples/s1-breach.xml"; echo "status $?"
