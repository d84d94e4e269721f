$SIRCOMM --version
