# The completeness check: a record that states GDPR and NIS2 but gives
# none of the notices' required content gets each stage's missing items,
# with the element that would give each, exit 1, and no file.
cd "$TMPDIR_CASE" && $SIRCOMM notice "$OLDPWD/tests/audit/notify-gdpr-nis2.xml" 2>&1 | sed "s|$OLDPWD/||"
$SIRCOMM notice "$OLDPWD/tests/audit/notify-gdpr-nis2.xml" 2>/dev/null; echo "exit $?"; ls | wc -l
# A stage the record's statement does not name is a usage error.
$SIRCOMM notice --stage sec/filing "$OLDPWD/tests/audit/notify-gdpr-nis2.xml"; echo "exit $?"
