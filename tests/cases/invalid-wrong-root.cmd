$SIRCOMM check samples/invalid/wrong-root.xml
