# The media statement: the organisation named, the quote punctuated as a
# quote before its attribution ("...compromise," said NAME, TITLE at
# ORG.), the press contact, and no internal note.
cd "$TMPDIR_CASE"
$SIRCOMM draft -o . --only media-statement "$OLDPWD/samples/s1-rce-public.xml" >/dev/null 2>&1
cat SIRT-2026-0231/drafts/media-statement.txt
