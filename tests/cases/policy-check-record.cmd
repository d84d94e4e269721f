$SIRCOMM policy check samples/s1-breach.xml
