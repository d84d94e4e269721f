$SIRCOMM check samples/invalid/time-no-offset.xml
