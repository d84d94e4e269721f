$SIRCOMM check samples/invalid/path-id.xml
