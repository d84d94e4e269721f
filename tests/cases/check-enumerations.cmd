# Enumerated values (an event's type, a severity, a round, a scope's
# users) are compared as tokens: white space around one is no part of
# it, and any other spelling is refused with the values the schema
# allows, in the schema's order.
cp samples/s1-breach.xml "$TMPDIR_CASE/ok.xml"
cd "$TMPDIR_CASE"
sed '0,/ type="detected"/s// type="  detected\t"/' ok.xml > padded-type.xml
sed 's#<severity>S1</severity>#<severity>\n  S1\n</severity>#' ok.xml > padded-severity.xml
sed '0,/ round="review"/s// round=" review "/' ok.xml > padded-round.xml
sed '0,/ users="\([a-z]*\)"/s// users=" \1"/' ok.xml > padded-users.xml
sed '0,/ type="detected"/s// type="Detected"/' ok.xml > bad-type.xml
sed '0,/ type="detected"/s// type="de tected"/' ok.xml > split-type.xml
sed 's#<severity>S1</severity>#<severity>S 1</severity>#' ok.xml > split-severity.xml
sed '0,/ round="review"/s// round="reviewed"/' ok.xml > bad-round.xml
sed '0,/ users="\([a-z]*\)"/s// users=""/' ok.xml > empty-users.xml
for f in padded-type padded-severity padded-round padded-users bad-type split-type \
	split-severity bad-round empty-users; do
	$SIRCOMM check --quiet $f.xml
	echo "$f: $?"
done
