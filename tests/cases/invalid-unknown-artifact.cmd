$SIRCOMM check samples/invalid/unknown-artifact.xml
