$SIRCOMM calendar --help
