$SIRCOMM chec samples/s1-breach.xml
