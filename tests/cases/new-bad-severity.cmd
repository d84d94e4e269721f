$SIRCOMM new --severity S9
