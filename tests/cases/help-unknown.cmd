$SIRCOMM help nope
