$SIRCOMM check samples/invalid/bad-severity.xml
