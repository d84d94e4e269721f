$SIRCOMM exceptions --db "$TMPDIR_CASE/l.db" --active --expiring 30d
