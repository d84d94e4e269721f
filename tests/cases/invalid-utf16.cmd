$SIRCOMM check samples/invalid/utf16.xml
