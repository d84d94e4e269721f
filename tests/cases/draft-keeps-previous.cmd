# A failed run leaves the previous drafts exactly as they were.
cd "$TMPDIR_CASE"
sed 's|</summary>|</summary>|' "$OLDPWD/tests/fixtures/tracking.xml" | sed 's|?utm_source=email&amp;utm_medium=notice||' > ok.xml
$SIRCOMM draft -o . ok.xml >/dev/null && sha256sum SIRT-2026-0667/drafts/* > before
$SIRCOMM draft -o . "$OLDPWD/tests/fixtures/tracking.xml" 2>/dev/null; echo "status $?"
sha256sum -c --quiet before && echo "previous drafts intact"
ls -a SIRT-2026-0667
