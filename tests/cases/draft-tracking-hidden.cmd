# Tracking parameters and link shorteners are found on the address as a
# browser reads it, whatever its case or spelling, wherever it appears in
# any draft: a link, an autolink, text, code, the email subject.
cd "$TMPDIR_CASE" && $SIRCOMM draft -o . "$OLDPWD/tests/fixtures/tracking-hidden.xml" >out.txt 2>err.txt; echo "status $?"
sed "s|$OLDPWD/||" out.txt err.txt; rm out.txt err.txt
ls
