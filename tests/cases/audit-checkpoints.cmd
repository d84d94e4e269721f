# The checkpoints of the policy (EXTCOMMS-REVIEW, EXTCOMMS-APPROVAL,
# FYI-INFORMED) in every format, and where they make no finding.
S=tests/audit
# Security External Communications approves and reviews without an
# approver chain: the records are valid, with no warning.
$SIRCOMM check $S/extcomms-review.xml $S/extcomms-approval.xml; echo "status $?"
# Their approvals are judged by EXTCOMMS-APPROVAL, not AUTHORIZED-APPROVER;
# an artifact only drafted is not checked.
echo "AUTHORIZED-APPROVER findings: $($SIRCOMM audit --format csv $S/extcomms-approval.xml | grep -c AUTHORIZED-APPROVER)"
echo "EXTCOMMS-REVIEW security-alert findings: $($SIRCOMM audit --format csv $S/extcomms-review.xml | grep -c 'EXTCOMMS-REVIEW","security-alert')"
# With the quote attributed to Security, Security approves the media
# statement and is no longer one of its FYI groups.
sed 's|<scope users="some"/>|<scope users="some"/><facts><security-quoted/></facts>|' $S/fyi-informed.xml > "$TMPDIR_CASE/quoted.xml"
$SIRCOMM audit "$TMPDIR_CASE/quoted.xml" 2>/dev/null | grep -E '^[a-z/]+ +FYI-INFORMED +[a-z-]+/media-statement'
# A group told of an artifact it is not FYI for is a warning.
sed 's|type="informed" group="security" artifacts="media-statement"|type="informed" group="legal" artifacts="media-statement"|' $S/fyi-informed.xml > "$TMPDIR_CASE/legal.xml"
$SIRCOMM check "$TMPDIR_CASE/legal.xml" 2>&1 | sed "s|$TMPDIR_CASE/||"
# Every format carries the rules.
$SIRCOMM audit --format csv $S/tz-utc.xml | grep -E 'EXTCOMMS|FYI'
$SIRCOMM audit --format md $S/tz-utc.xml | grep -E 'EXTCOMMS|FYI'
$SIRCOMM audit --format json $S/tz-utc.xml | grep -E '"rule": "(EXTCOMMS|FYI)' | cut -c1-100
$SIRCOMM audit --format html $S/tz-utc.xml | grep -c -E 'EXTCOMMS-REVIEW|EXTCOMMS-APPROVAL|FYI-INFORMED'
$SIRCOMM ingest -q --db "$TMPDIR_CASE/l.db" $S/tz-utc.xml 2>/dev/null
$SIRCOMM query --db "$TMPDIR_CASE/l.db" "SELECT rule, subject, status FROM findings WHERE rule IN ('EXTCOMMS-REVIEW', 'EXTCOMMS-APPROVAL', 'FYI-INFORMED') ORDER BY seq"
# A policy without <checkpoints> audits none of the three.
sed '/<checkpoints>/,/<\/checkpoints>/d' policy/policy.xml > "$TMPDIR_CASE/p.xml"
echo "findings without checkpoints: $($SIRCOMM audit --policy "$TMPDIR_CASE/p.xml" --format csv $S/tz-utc.xml | grep -c -E 'EXTCOMMS|FYI-INFORMED')"
