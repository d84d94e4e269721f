$SIRCOMM draft --only press-release samples/s1-breach.xml
