$SIRCOMM check samples/invalid/unknown-element.xml
