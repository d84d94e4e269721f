# A mistyped command, subcommand or option gets the closest name; an
# option's abbreviation is refused rather than taken (--out for --output
# could come to mean another option the day one is added), and so is a
# mistyped option with a value.
$SIRCOMM adit samples/s1-breach.xml; echo "status $?"
$SIRCOMM --vresion; echo "status $?"
$SIRCOMM help stauts; echo "status $?"
$SIRCOMM templates lst; echo "status $?"
$SIRCOMM audit --out x samples/s1-breach.xml; echo "status $?"
$SIRCOMM audit --outp=x samples/s1-breach.xml; echo "status $?"
$SIRCOMM draft --tempaltes x samples/s1-breach.xml; echo "status $?"
$SIRCOMM audit --frobnicate samples/s1-breach.xml; echo "status $?"
$SIRCOMM audit --format=csv --output=- samples/s1-breach.xml | head -1; echo "status $?"
$SIRCOMM audit samples/s1-breach.xml --format csv --at 2026-03-04T12:00:00Z | head -1
ls x 2>/dev/null
