# -o naming a directory that does not exist makes it, with its parents,
# the way `mkdir -p` would (draft, bundle, sample); a run that writes
# nothing (a bad record) leaves no empty directory behind; a parent that
# is a file is refused, exit 3.
cd "$TMPDIR_CASE"
s="$OLDPWD/samples"
$SIRCOMM draft -o new/a/b "$s/s1-breach.xml" | sed 's/^.*: /: /'; echo "draft $?"
$SIRCOMM bundle -o newb/c "$s/s1-breach.xml" | sed "s/^[0-9a-f]* *//"; echo "bundle $?"
$SIRCOMM sample --count 1 -o news/d; echo "sample $?"
$SIRCOMM draft -o gone/x "$s/invalid/bad-severity.xml" 2>/dev/null; echo "draft bad $?"
echo file > f
$SIRCOMM draft -o f/x "$s/s1-breach.xml"; echo "draft under a file $?"
ls
find new newb news -type d | sort
