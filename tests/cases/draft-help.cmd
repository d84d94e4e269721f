$SIRCOMM draft --help
