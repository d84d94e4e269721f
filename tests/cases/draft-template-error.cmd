# A broken override template: TEMPLATE:LINE, nothing written.
cd "$TMPDIR_CASE" && mkdir tpl
printf 'Subject: x\n\n{{#comm.summary}}\nunclosed\n' > tpl/customer-email.md
$SIRCOMM draft --templates tpl -o . "$OLDPWD/samples/s1-breach.xml"; echo "status $?"; ls
