$SIRCOMM check samples/s1-breach.xml --policy
