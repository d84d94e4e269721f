# The schema refuses an empty value wherever the record format asks for
# text (an event's by and at, a fact's at, the title, a service); a value
# of spaces passes the schema and sircomm refuses it after, by name.
cp samples/s1-breach.xml "$TMPDIR_CASE/ok.xml"
cd "$TMPDIR_CASE"
sed '0,/ by="[^"]*"/s// by=""/' ok.xml > empty-by.xml
sed '0,/event at="[^"]*"/s//event at=""/' ok.xml > empty-event-at.xml
sed '0,/<pii at="[^"]*"/s//<pii at=""/' ok.xml > empty-fact-at.xml
sed 's#<title>[^<]*</title>#<title></title>#' ok.xml > empty-title.xml
sed 's#<title>[^<]*</title>#<title>   </title>#' ok.xml > blank-title.xml
sed '0,/<service kind="\([a-z-]*\)">[^<]*</s//<service kind="\1"></' ok.xml > empty-service.xml
sed '0,/ by="[^"]*"/s// by=" "/' ok.xml > blank-by.xml
for f in empty-by empty-event-at empty-fact-at empty-title blank-title empty-service blank-by; do
	$SIRCOMM check --quiet $f.xml
	echo "$f: $?"
done
