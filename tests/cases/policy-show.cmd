$SIRCOMM policy show
