$SIRCOMM check samples/no-such-file.xml
