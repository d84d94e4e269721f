# check refuses what draft and bundle would, with the same FILE:LINE
# messages: it drafts every communication in memory (built-in templates,
# or --templates DIR) and keeps nothing.  A tracking link in the record's
# Markdown, a title too long for the social post under the built-in
# templates; a template directory whose social post is short passes the
# long title.  (check once passed both, and draft then refused them.)
cd "$TMPDIR_CASE" || exit 9
f=$OLDPWD/tests/fixtures/tracking.xml
t=$(printf 'Very long title %.0s' $(seq 1 16))
# (long.xml gets an id of its own: a draft run takes each incident once)
sed "s|<title>Token exposure</title>|<title>$t</title>|; s|?utm_source=email&amp;utm_medium=notice||; s|id=\"SIRT-2026-0667\"|id=\"SIRT-2026-0668\"|" "$f" > long.xml
cp "$f" tracking.xml
$SIRCOMM check tracking.xml long.xml; echo "check: status $?"
mkdir out
$SIRCOMM draft -o out tracking.xml long.xml; echo "draft: status $?"
mkdir tpl
printf 'Security notice: {{incident.id}}\n' > tpl/social-post.md
$SIRCOMM check --templates tpl long.xml; echo "check --templates: status $?"
$SIRCOMM check --templates missing-dir long.xml; echo "check --templates missing-dir: status $?"
ls out
