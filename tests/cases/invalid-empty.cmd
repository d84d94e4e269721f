$SIRCOMM check samples/invalid/empty.xml
