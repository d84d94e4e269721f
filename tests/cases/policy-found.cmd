# The organisation's policy and templates are found without flags:
# --policy, then $SIRCOMM_POLICY, then $XDG_CONFIG_HOME/sircomm/policy.xml,
# then /etc/sircomm/policy.xml, then the built-in example, which draft
# and bundle name once on standard error (drafts would go out signed by
# the example organisation).  policy where says which is in effect.
T=$TMPDIR_CASE
export XDG_CONFIG_HOME="$T/config"
show() { sed "s|$T|TMP|g; s|sha256 [0-9a-f]*|sha256 HASH|"; }
echo "== nothing set"
$SIRCOMM policy where | show
$SIRCOMM draft -o "$T" samples/s1-breach.xml samples/s2-no-turnaround.xml 2>&1 | show
grep '^From:' "$T/SIRT-2026-0142/drafts/customer-email.eml"

echo "== the user's own"
mkdir -p "$T/config/sircomm/templates"
$SIRCOMM policy export | sed 's|<organization>Example Organization</organization>|<organization>Acme Ltd</organization>|; s|name="Security Incident Response" address="incident-response@example.com"|name="Acme Security" address="security@acme.example"|' > "$T/config/sircomm/policy.xml"
printf 'Acme: {{incident.title}} <{{{links.link}}}>\n' > "$T/config/sircomm/templates/social-post.md"
$SIRCOMM policy where | show
$SIRCOMM draft -o "$T" samples/s1-breach.xml 2>&1 | show
grep '^From:' "$T/SIRT-2026-0142/drafts/customer-email.eml"
cat "$T/SIRT-2026-0142/drafts/social-post.txt"

echo "== SIRCOMM_POLICY over it, --policy over both; an empty variable is unset"
$SIRCOMM policy export > "$T/ref.xml"
SIRCOMM_POLICY=$T/ref.xml $SIRCOMM policy where | head -1 | show
SIRCOMM_POLICY=$T/ref.xml $SIRCOMM policy where --policy "$T/config/sircomm/policy.xml" | head -3 | show
SIRCOMM_POLICY= SIRCOMM_TEMPLATES= $SIRCOMM policy where | show

echo "== a policy found is used or refused, never skipped"
echo '<policy>' > "$T/config/sircomm/policy.xml"
$SIRCOMM check samples/s1-breach.xml > "$T/out" 2>&1; echo "status $?"
show < "$T/out"
SIRCOMM_POLICY=$T/missing.xml $SIRCOMM policy where > "$T/out" 2>&1; echo "status $?"
show < "$T/out"
