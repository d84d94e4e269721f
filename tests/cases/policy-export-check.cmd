$SIRCOMM policy export > "$TMPDIR_CASE/p.xml" && $SIRCOMM policy check "$TMPDIR_CASE/p.xml" | sed "s|$TMPDIR_CASE/||" && cmp "$TMPDIR_CASE/p.xml" policy/policy.xml
