$SIRCOMM --help
