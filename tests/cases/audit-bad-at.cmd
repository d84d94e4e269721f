$SIRCOMM audit --at yesterday samples/s1-breach.xml
