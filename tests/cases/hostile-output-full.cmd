# A full disk while writing drafts: exit 3, no partial drafts directory,
# no temporary files left behind.
cd "$TMPDIR_CASE" && sh -c "trap '' XFSZ; ulimit -f 8; exec $SIRCOMM draft -o . \"$OLDPWD/samples/s1-breach.xml\""; echo "status $?"
ls -A
