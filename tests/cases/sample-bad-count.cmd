$SIRCOMM sample --count -4 -o /tmp
