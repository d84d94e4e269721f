$SIRCOMM audit --exceptions samples/s1-breach.xml samples/s1-breach.xml
