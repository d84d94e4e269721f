# What the completion scripts ask for as one completes, from the policy
# in effect (--policy here); the scripts and manual pages themselves
# (tests/docs.sh drives them).
sed 's/id="devrel"/id="developer-relations"/; s/group="devrel"/group="developer-relations"/g' \
	policy/policy.xml > "$TMPDIR_CASE/p.xml"
$SIRCOMM completion --values groups | tr '\n' ' '; echo
$SIRCOMM completion --values groups --policy "$TMPDIR_CASE/p.xml" | grep -c developer-relations
$SIRCOMM completion --values artifacts | tr '\n' ' '; echo
$SIRCOMM completion --values events | tr '\n' ' '; echo
$SIRCOMM completion --values templates | wc -l
$SIRCOMM completion --values grups; echo "exit $?"
$SIRCOMM completion fish; echo "exit $?"
$SIRCOMM completion bash | grep -c '^complete -o filenames -F _sircomm sircomm$'
$SIRCOMM completion zsh | head -1
$SIRCOMM help --man audit | sed -n '2,3p'
