$SIRCOMM new --id ../../etc
