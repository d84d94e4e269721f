$SIRCOMM check samples/invalid/bad-time.xml
