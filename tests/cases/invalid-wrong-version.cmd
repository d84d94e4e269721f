$SIRCOMM check samples/invalid/wrong-version.xml
