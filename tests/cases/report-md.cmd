# The compliance report over the samples for 2026, as Markdown.  Every
# figure was checked by hand against the samples' audits.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2026-01-01 --to 2026-12-31; echo "status $?"
