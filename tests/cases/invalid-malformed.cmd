$SIRCOMM check samples/invalid/malformed.xml
