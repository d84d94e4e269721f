$SIRCOMM audit samples/s1-missed-turnaround.xml
