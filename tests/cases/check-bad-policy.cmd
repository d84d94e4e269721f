$SIRCOMM check --policy samples/invalid/wrong-root.xml samples/s1-breach.xml
