$SIRCOMM check - < samples/s2-no-turnaround.xml
