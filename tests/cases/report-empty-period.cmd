# A period with no incident is a valid report that says so, in every
# format.  SIRT-2025-0900 (made from the S3 sample) was detected in 2025
# but never started communications: it is counted apart, by detection.
sed -e 's|id="SIRT-2026-0247"|id="SIRT-2025-0900"|' -e 's|2026-07-21T|2025-07-21T|g' \
    -e '/type="comms-started"/d' -e '/type="draft-ready"/d' -e '/type="deployed"/d' \
    samples/s3-medium-out-of-scope.xml >"$TMPDIR_CASE/no-comms.xml"
$SIRCOMM ingest --quiet --db "$TMPDIR_CASE/l.db" samples/*.xml "$TMPDIR_CASE/no-comms.xml" 2>/dev/null || echo "ingest failed"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2025-01-01 --to 2025-12-31; echo "status $?"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2030-01-01 --to 2030-12-31; echo "status $?"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2030-01-01 --to 2030-12-31 --format json | python3 -m json.tool >/dev/null && echo "json parses"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2025-01-01 --to 2025-12-31 --format json; echo "status $?"
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2030-01-01 --to 2030-12-31 --format csv | tr -d '\r' | grep -c ',0$'
$SIRCOMM report --db "$TMPDIR_CASE/l.db" --from 2030-01-01 --to 2030-12-31 --format html | grep -o '<b>No incidents:</b>[^<]*'
