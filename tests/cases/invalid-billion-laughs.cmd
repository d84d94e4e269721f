$SIRCOMM check samples/invalid/billion-laughs.xml
