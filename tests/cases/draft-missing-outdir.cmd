$SIRCOMM draft -o /nonexistent/dir samples/s1-breach.xml
