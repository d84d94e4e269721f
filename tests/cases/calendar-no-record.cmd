# No record: a usage error, exit 2, nothing on standard output.
$SIRCOMM calendar
