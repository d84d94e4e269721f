$SIRCOMM keygen
