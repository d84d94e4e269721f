# An override replaces one template; the others stay built-in.
cd "$TMPDIR_CASE" && mkdir tpl
printf 'Subject: Notice for {{incident.id}}\n\nHello from {{org.name}}. Blog: <{{{links.blog}}}>\n' > tpl/customer-email.md
$SIRCOMM templates list --templates tpl | head -3
$SIRCOMM draft --templates tpl -o . "$OLDPWD/samples/s1-breach.xml" >/dev/null
cat SIRT-2026-0142/drafts/customer-email.txt
