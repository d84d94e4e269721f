# An override that drops the blog link from the customer email fails the
# email only (the plan says the email links the blog when there is one):
# the other drafts are written, and the exit status is 1.
cd "$TMPDIR_CASE" && mkdir tpl
printf 'Subject: Notice\n\nHello.\n' > tpl/customer-email.md
$SIRCOMM draft --templates tpl -o . "$OLDPWD/samples/s1-breach.xml" >tpl/log 2>&1; echo "status $?"
sed "s|$OLDPWD/||" tpl/log; ls; ls SIRT-2026-0142/drafts | grep -c customer-email || :
