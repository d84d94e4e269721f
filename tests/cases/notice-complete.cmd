# Notices drafted when the record gives what each stage requires: the
# GDPR Art. 33 notice (Art. 33(3)'s content, the measures from the
# mitigation steps) and the NIS2 early warning.  The whole record's run
# fails the completeness check on the NIS2 final report (no root cause)
# and writes nothing at all.
cd "$TMPDIR_CASE"
R="$OLDPWD/tests/fixtures/notice-gdpr-nis2.xml"
$SIRCOMM notice -o . --stage gdpr/authority "$R"; echo "exit $?"
cat NOTICE-GDPR-NIS2-gdpr-authority.md
$SIRCOMM notice --stage nis2/early-warning "$R" > /dev/null; echo "exit $?"
sed -n '/^## /,$p' NOTICE-GDPR-NIS2-nis2-early-warning.md
mkdir all && $SIRCOMM notice -o all "$R" 2> err; echo "exit $?"
sed "s|$OLDPWD/||" err; ls all | wc -l
