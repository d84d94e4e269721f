$SIRCOMM audit samples/invalid/time-no-offset.xml
