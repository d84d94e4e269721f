$SIRCOMM check --frobnicate samples/s1-breach.xml
