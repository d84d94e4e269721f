# An output directory that cannot be written (a read-only file system).
$SIRCOMM draft -o /proc samples/s1-breach.xml; echo "status $?"
$SIRCOMM audit -o /proc/sircomm-audit.json samples/s1-breach.xml; echo "status $?"
