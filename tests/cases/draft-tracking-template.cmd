# Links a template adds are checked too: a custom blog post and blog page,
# their links as the HTML and Markdown parsers read them; the error names
# the template's line.
cd "$TMPDIR_CASE" && mkdir tpl
printf '# {{incident.title}}\n\n{{{comm.summary}}}\n\nMore: [our page](HTTPS://T.CO/abc)\n' > tpl/blog-post.md
cat > tpl/blog-page.html <<'HTML'
<html><head><meta http-equiv="refresh" content="30;url=https://lnkd.in/xyz">
<title>{{incident.title}}</title></head>
<body><article>{{{body}}}</article>
<a href="https&#58;//example.com/?utm&#95;source=page">home</a></body></html>
HTML
$SIRCOMM draft --only blog-post --templates tpl -o . "$OLDPWD/samples/s1-breach.xml" >out.txt 2>err.txt; echo "status $?"
sed "s|$OLDPWD/||" out.txt err.txt; rm out.txt err.txt
ls
