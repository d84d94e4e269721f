$SIRCOMM check --quiet samples/s1-breach.xml samples/invalid/unknown-group.xml
