$SIRCOMM check samples/*.xml
