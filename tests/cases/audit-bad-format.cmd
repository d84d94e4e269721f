$SIRCOMM audit --format yaml samples/s1-breach.xml
