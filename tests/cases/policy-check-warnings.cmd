# Warnings do not fail a policy: a required group with one back-up, a
# channel listed twice.
sed 's|<backup title="CLO"/>||; s|<channel>#sales</channel>|<channel>#sales</channel><channel>#sales</channel>|' policy/policy.xml > "$TMPDIR_CASE/p.xml"
cd "$TMPDIR_CASE" && $SIRCOMM policy check p.xml | sed 's/sha256 .*/sha256 .../'
