$SIRCOMM status samples/s1-breach.xml samples/s2-no-turnaround.xml
