$SIRCOMM audit --format md samples/s1-silent-approver.xml
