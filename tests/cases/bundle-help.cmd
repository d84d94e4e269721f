$SIRCOMM bundle --help
