# An incident's exception approved by someone who is not SIRT management
# is kept in the ledger as unauthorized: it excused nothing and is never
# in force, whatever its dates.
sed -e 's|approved-by="VP of Security"|approved-by="Security Communications Manager on Call"|' \
    samples/s1-missed-turnaround.xml > "$TMPDIR_CASE/r.xml"
cd "$TMPDIR_CASE"
$SIRCOMM ingest -q --db l.db r.xml 2>&1 | sed 's/in [0-9.]* s$/in T s/'
$SIRCOMM exceptions --db l.db --at 2026-06-01T00:00:00Z
$SIRCOMM exceptions --db l.db --active --at 2026-06-01T00:00:00Z
$SIRCOMM query --db l.db "SELECT id, state, findings_excused FROM exceptions"
