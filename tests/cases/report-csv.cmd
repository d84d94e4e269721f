# The same report as CSV, one row per figure (section,subject,figure,value);
# -o writes the same bytes to a file.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2026-01-01 --to 2026-12-31 --format csv; echo "status $?"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2026-01-01 --to 2026-12-31 --format csv -o "$TMPDIR_CASE/r.csv"; echo "status $?"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2026-01-01 --to 2026-12-31 --format csv | cmp - "$TMPDIR_CASE/r.csv" && echo "-o wrote the same bytes"
