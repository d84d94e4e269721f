# An organisation's policy: another sender, a 4-hour S1 turnaround.
sed 's/turnaround="PT6H"/turnaround="PT4H"/; s/incident-response@example.com/security@corp.example/' policy/policy.xml > "$TMPDIR_CASE/p.xml"
cd "$TMPDIR_CASE" && $SIRCOMM policy show --policy p.xml | sed -n '1,20p'
