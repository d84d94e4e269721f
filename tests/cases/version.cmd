$SIRCOMM --version | head -1
