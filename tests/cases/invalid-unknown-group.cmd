$SIRCOMM check samples/invalid/unknown-group.xml
