$SIRCOMM check samples/invalid/xxe.xml
