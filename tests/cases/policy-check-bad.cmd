sed 's/quorum="2"/quorum="7"/; s/turnaround="PT6H"/turnaround="6h"/; s/group="devrel"/group="dev-relations"/' policy/policy.xml > "$TMPDIR_CASE/p.xml"
cd "$TMPDIR_CASE" && $SIRCOMM policy check p.xml
