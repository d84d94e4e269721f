# Element content errors name what the schema expected, read from the
# schema itself: a missing element, one out of order, one repeated, one
# unknown, a FAQ item without its question, text-only element with markup.
s=samples/s2-no-turnaround.xml
cd "$TMPDIR_CASE"
sed '/<timeline>/,/<\/timeline>/d' "$OLDPWD/$s" > no-timeline.xml
awk '/<severity>/ { sev = $0; next } /<status>/ { print; print sev; next } { print }' "$OLDPWD/$s" > order.xml
sed 's|<impact>high</impact>|<impact>high</impact><impact>low</impact>|' "$OLDPWD/$s" > twice.xml
sed 's|<q>[^<]*</q>||' "$OLDPWD/$s" > faq.xml
sed 's|</title>|<b>bold</b></title>|' "$OLDPWD/$s" > markup.xml
sed 's|<facts>|<facts><pii/><pii/>|' "$OLDPWD/$s" > fact-twice.xml
for f in no-timeline order twice faq markup fact-twice; do $SIRCOMM check -q $f.xml; done
