$SIRCOMM audit -o /nonexistent/x.json samples/s1-breach.xml
