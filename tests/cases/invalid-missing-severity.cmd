$SIRCOMM check samples/invalid/missing-severity.xml
