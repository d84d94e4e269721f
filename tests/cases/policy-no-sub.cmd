$SIRCOMM policy
