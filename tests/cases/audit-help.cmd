$SIRCOMM audit --help
