$SIRCOMM check --help
