# What draft would refuse, check refuses first, with the line: a title
# holding a Unicode line break (U+2028, U+2029, NEL) or a C1 control
# cannot be an email subject; a sender address that is no plain
# local@domain (a domain literal, two dots, non-ASCII) or a sender name
# with a line break cannot be an email's From; a policy text (here the
# organisation) with a link shortener would put it in every email.  new
# refuses such a title too.  (check and policy check once passed all of
# them, and draft then failed with no line number.)
cd "$TMPDIR_CASE" || exit 9
r=$OLDPWD/samples/s2-no-turnaround.xml
i=0
for t in '\&#x2028;' "$(printf '\342\200\251')" '\&#x85;' "$(printf '\302\233')"; do
	i=$((i + 1))
	sed "s|</title>|${t}Bcc: x@example.com</title>|" "$r" > t$i.xml
done
$SIRCOMM check t1.xml t2.xml t3.xml t4.xml; echo "check: status $?"
mkdir out
$SIRCOMM draft -o out t1.xml; echo "draft: status $?"
p=$OLDPWD/policy/policy.xml
sed 's|address="incident-response@example.com"|address="x@[127.0.0.1]"|' "$p" > p1.xml
sed 's|address="incident-response@example.com"|address="ir..team@example.com"|' "$p" > p2.xml
sed 's|address="incident-response@example.com"|address="sécurité@example.com"|' "$p" > p3.xml
sed 's|name="Security Incident Response"|name="Security\&#x2028;Bcc: x@example.com"|' "$p" > p4.xml
sed 's|<organization>Example Organization</organization>|<organization>Example (https://t.co/x)</organization>|' "$p" > p5.xml
$SIRCOMM policy check p1.xml p2.xml p3.xml p4.xml p5.xml; echo "policy check: status $?"
$SIRCOMM draft --policy p5.xml -o out "$r"; echo "draft --policy p5.xml: status $?"
$SIRCOMM new --title "$(printf 'Token leak\342\200\250Bcc: x@example.com')"; echo "new: status $?"
