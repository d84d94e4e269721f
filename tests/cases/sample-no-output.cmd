$SIRCOMM sample --count 3
