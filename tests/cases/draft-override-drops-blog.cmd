# An override that drops the blog link from the customer email is refused:
# the plan says the email links the blog when there is one.
cd "$TMPDIR_CASE" && mkdir tpl
printf 'Subject: Notice\n\nHello.\n' > tpl/customer-email.md
$SIRCOMM draft --templates tpl -o . "$OLDPWD/samples/s1-breach.xml" 2>&1 | sed "s|$OLDPWD/||"; ls
