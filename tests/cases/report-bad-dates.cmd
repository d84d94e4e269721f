# Bad periods and options are usage errors (status 2), found before the
# ledger is opened.
for args in "--from 2026-02-30" "--to 2026-04-31" "--from 2025-02-29" "--from 2026-13-01" \
	    "--from 2026-1-01" "--from 01/03/2026" "--to 1969-12-31" "--from 2026-05-01 --to 2026-04-01" \
	    "--from 2024-02-29 --to 2024-02-28" "--format pdf" "--from"; do
	echo "== $args"
	$SIRCOMM report --db "$TMPDIR_CASE/no-such.db" $args; echo "status $?"
done
echo "== no --db"
$SIRCOMM report --from 2026-01-01; echo "status $?"
echo "== an operand"
$SIRCOMM report --db "$TMPDIR_CASE/no-such.db" extra; echo "status $?"
ls "$TMPDIR_CASE"
