$SIRCOMM help check
