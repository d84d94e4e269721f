$SIRCOMM exceptions --help
