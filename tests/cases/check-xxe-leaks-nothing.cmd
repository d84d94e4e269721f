# The external entity's target must never appear in any output.
$SIRCOMM check samples/invalid/xxe.xml 2>&1 | grep -c 'root:' ; true
