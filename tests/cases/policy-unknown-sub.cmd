$SIRCOMM policy frob
