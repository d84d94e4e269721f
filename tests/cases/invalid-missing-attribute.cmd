$SIRCOMM check samples/invalid/missing-attribute.xml
