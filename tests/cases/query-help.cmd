$SIRCOMM help query
