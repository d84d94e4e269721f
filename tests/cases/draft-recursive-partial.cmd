# A partial that includes itself is an error, never a crash.
cd "$TMPDIR_CASE" && mkdir tpl
printf 'Subject: x\n\n{{> loop}}\n' > tpl/customer-email.md
printf 'again {{> loop}}\n' > tpl/loop.md
$SIRCOMM draft --templates tpl -o . "$OLDPWD/samples/s1-breach.xml"; echo "status $?"; ls
