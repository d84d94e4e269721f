# A policy's warnings are the user's to see whatever command loads it:
# draft says them as check, audit and bundle do (here a required group
# with one back-up), then drafts.
sed 's|<backup title="CLO"/>||' policy/policy.xml > "$TMPDIR_CASE/p.xml"
cd "$TMPDIR_CASE" && $SIRCOMM draft -p p.xml -o . "$OLDPWD/samples/s1-breach.xml" | sed "s|$OLDPWD/||"
