# A support FAQ with no questions at all: drafted with a placeholder and
# a warning, which check --strict refuses.
cd "$TMPDIR_CASE"
run() { "$@" >o.txt 2>&1; s=$?; sed "s|$OLDPWD/||" o.txt; echo "status $s"; }
sed '/<faq>/,/<\/faq>/d' "$OLDPWD/samples/s1-breach.xml" > no-faq.xml
run $SIRCOMM check no-faq.xml
run $SIRCOMM check --strict no-faq.xml
$SIRCOMM draft -o . --only support-faq no-faq.xml >/dev/null 2>&1
sed -n '/^## Questions/,/^## If/p' SIRT-2026-0142/drafts/support-faq.md
