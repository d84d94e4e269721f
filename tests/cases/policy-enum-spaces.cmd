# White space around an enumerated or typed value of a policy: RelaxNG
# reads a <value>, a list, an XML Schema boolean and a positiveInteger as
# tokens, so the schema accepts severity=" S1" as S1, and so must sircomm
# (a target's severity with spaces once wrote out of bounds on the stack;
# required=" true" and external="true " were read as false, a severity
# list split by a tab or CR lost the severity).  Spaces, and tabs, line
# feeds and carriage returns written as character references, around every
# such attribute and the format version: the policy means the same as the
# built-in one, so it shows and audits the same.
cd "$TMPDIR_CASE"
p=$OLDPWD/policy/policy.xml
sed -e 's|version="1"|version="1 "|' \
    -e 's|severity="S1"|severity=" S1"|; s|severity="S4"|severity="S4\&#10;"|' \
    -e 's|min-impact="high"|min-impact="high "|' \
    -e 's|required="true"|required=" true"|; s|external="true"|external="true\&#9;"|g' \
    -e 's|external="false"|external=" false "|' \
    -e 's|is="approver"|is="approver "|g; s|is="dri"|is="\&#13;dri"|; s|is="fyi"|is=" fyi"|g' \
    -e 's|is="approver-if-security-quoted"|is="approver-if-security-quoted\&#10;"|' \
    -e 's|from="fact"|from=" fact"|; s|from="first-deployment"|from="first-deployment\&#9;"|g' \
    -e 's|<severity in="S1"/>|<severity in="\&#13;S1\&#9;"/>|g' \
    -e 's|<fact name="pii"/>|<fact name=" pii "/>|; s|<fact name="regulatory"/>|<fact name="regulatory\&#10;"/>|g' \
    "$p" > spaced.xml
cmp -s "$p" spaced.xml && echo "the sed changed nothing"
$SIRCOMM policy check spaced.xml | sed 's/, sha256 .*//'
$SIRCOMM policy show --policy "$p" | grep -v -e '^| Source ' -e '^| SHA-256 ' > show.orig
$SIRCOMM policy show --policy spaced.xml | grep -v -e '^| Source ' -e '^| SHA-256 ' > show.spaced
cmp -s show.orig show.spaced && echo "policy show: the same" || diff show.orig show.spaced
for r in s1-breach s1-silent-approver s1-rce-public s2-no-turnaround s3-medium-out-of-scope; do
	$SIRCOMM audit --policy "$p" "$OLDPWD/samples/$r.xml" > a.orig
	$SIRCOMM audit --policy spaced.xml "$OLDPWD/samples/$r.xml" > a.spaced
	cmp -s a.orig a.spaced && echo "audit $r: the same" || diff a.orig a.spaced
done
