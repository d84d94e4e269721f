# The register of a ledger holding every sample: the one exception,
# EX-2026-014 of SIRT-2026-0188, excused TURNAROUND customer-email.
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml 2>/dev/null || echo "ingest failed"
$SIRCOMM exceptions --db "$TMPDIR_CASE/l.db" --at 2026-06-01T00:00:00Z
