cd "$TMPDIR_CASE" && $SIRCOMM draft --only customer-email,social-post -o . "$OLDPWD/samples/s2-no-turnaround.xml" 2>&1 | sed "s|$OLDPWD/||"
ls SIRT-2026-0203/drafts
