$SIRCOMM check samples/invalid/binary.xml
