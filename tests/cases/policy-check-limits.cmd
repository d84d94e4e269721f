# Numbers past what a plan can mean are refused with their line, as
# written: a turnaround of 9999999999999 days (once accepted, and audits
# then printed due times in a year past 27 billion), a quorum of
# 999999999999 (read as a negative number) and one of 4294967298 (read as
# 2 and accepted), a cadence over 365 days.  The longest durations and a
# quorum written " +0002 " pass.
cd "$TMPDIR_CASE" || exit 9
p=$OLDPWD/policy/policy.xml
sed -e 's|turnaround="PT6H"|turnaround="P9999999999999D"|' \
    -e '/severity="S2"/s|quorum="2"|quorum="999999999999"|' \
    -e '/severity="S3"/s|quorum="2"|quorum="4294967298"|' \
    -e '0,/cadence="PT30M"/s|cadence="PT30M"|cadence="P365DT1S"|' "$p" > big.xml
$SIRCOMM policy check big.xml; echo "status $?"
sed -e 's|turnaround="PT6H"|turnaround="P365D"|' -e 's|drafting="PT2H"|drafting="PT8760H"|' \
    -e '/severity="S2"/s|quorum="2"|quorum=" +0002 "|' "$p" > longest.xml
$SIRCOMM policy check longest.xml | sed 's/, sha256 .*//'; echo "status $?"
$SIRCOMM policy show --policy longest.xml | grep -E '^\| S[12] '
