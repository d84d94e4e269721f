$SIRCOMM templates vars samples/s1-silent-approver.xml
