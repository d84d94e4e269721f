$SIRCOMM check samples/invalid/unknown-rule.xml
