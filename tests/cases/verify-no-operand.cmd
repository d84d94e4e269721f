$SIRCOMM verify
