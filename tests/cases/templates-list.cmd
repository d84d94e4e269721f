$SIRCOMM templates list
