#!/bin/sh
# ledger-migrate.sh SIRCOMM: a ledger of schema version 1, written by
# the sircomm before version 2 (tests/fixtures/ledger-v1: its SQL dump,
# and the reports and register that sircomm printed from it), is
# refused by a reader until a writer migrates it, and migrated: the
# same figures, byte for byte, in every report and in the register; the
# per-incident figures equal those a fresh ingest of the same records
# computes; the ledger passes PRAGMA integrity_check.
set -u
SIRCOMM=$1
fx=$(cd "$(dirname "$0")" && pwd)/fixtures/ledger-v1
src=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }
q() { sqlite3 "$1" "$2"; }

gzip -dc "$fx/ledger.sql.gz" | sqlite3 "$tmp/v1.db" || { echo "cannot load the fixture"; exit 1; }
[ "$(q "$tmp/v1.db" "SELECT value FROM meta WHERE key = 'schema_version'")" = 1 ] || bad "the fixture is not version 1"

out=$("$SIRCOMM" report --db "$tmp/v1.db" 2>&1); s=$?
[ $s = 2 ] && echo "$out" | grep -q "schema version 1: open it once read-write" \
	&& ok "a reader refuses the version 1 ledger, asking for a writer" || bad "reader of version 1: status $s: $out"

# What version 5 moves (findings and metrics into compact tables) or
# keeps as it was (the events of incidents stored before it), seen
# through the views a reader queries, before and after.
kept="SELECT (SELECT count(*) || ' events, ' || sum(length(text)) FROM events) || '; ' ||
        (SELECT count(*) || ' findings, ' || sum(note IS NOT NULL) || ' notes, ' ||
                sum(length(incident_id || rule || subject || status || evidence_lines || note)) FROM findings) || '; ' ||
        (SELECT count(*) || ' metrics, ' || sum(length(name || grp || artifact || round)) || ', ' ||
                sum(seconds) FROM metrics)"
before_rows=$(q "$tmp/v1.db" "$kept")
# Re-ingesting a record already there (the same bytes) migrates it.
"$SIRCOMM" ingest -q --db "$tmp/v1.db" "$src/samples/s1-breach.xml" 2>"$tmp/err" || bad "ingest: $(cat "$tmp/err")"
v=$(q "$tmp/v1.db" "SELECT value FROM meta WHERE key = 'schema_version'")
check=$(q "$tmp/v1.db" "PRAGMA integrity_check")
fk=$(q "$tmp/v1.db" "PRAGMA foreign_key_check")
[ "$v" = 5 ] && [ "$check" = ok ] && [ -z "$fk" ] && ok "migrated to version 5, integrity ok, foreign keys ok" || bad "after ingest: version $v, integrity $check, foreign keys $fk"

# s1-breach was replaced by the ingest: every other incident's rows are
# as they were (a copy of the version 1 ledger without s1-breach against
# the migrated one without it).
case $before_rows in
*" events, "*) ;;
*) bad "cannot count the version 1 rows: $before_rows" ;;
esac
without='PRAGMA foreign_keys = ON; DELETE FROM incidents WHERE id = '"'SIRT-2026-0142'"';'
gzip -dc "$fx/ledger.sql.gz" | sqlite3 "$tmp/old.db"
b2=$(q "$tmp/old.db" "$without $kept")
cp "$tmp/v1.db" "$tmp/new.db"
a2=$(q "$tmp/new.db" "$without $kept")
[ -n "$b2" ] && [ "$a2" = "$b2" ] && ok "events, findings with their notes, and metrics of the other incidents kept: $a2" \
	|| bad "rows before and after the migration: $b2 / $a2"
same() {   # what, file with the old output, command...
	what=$1 want=$2
	shift 2
	"$@" >"$tmp/got" 2>&1
	if cmp -s "$want" "$tmp/got"; then
		ok "$what: byte for byte as before"
	else
		bad "$what differs: $(diff "$want" "$tmp/got" | head -5)"
	fi
}
same "report, csv" "$fx/report.csv" "$SIRCOMM" report --db "$tmp/v1.db" --format csv
same "report, md" "$fx/report.md" "$SIRCOMM" report --db "$tmp/v1.db" --format md
same "report of a quarter, csv" "$fx/report-q2.csv" \
	"$SIRCOMM" report --db "$tmp/v1.db" --from 2026-04-01 --to 2026-06-30 --format csv
same "exception register" "$fx/exceptions.txt" \
	"$SIRCOMM" exceptions --db "$tmp/v1.db" --at 2026-12-31T00:00:00Z

# The same records ingested afresh (the fixture keeps the records the old
# ledger was made from: the samples have changed since): the columns
# ingest computes equal those the migration computed from the findings
# and metrics.
for id in 0901 0902; do
	sed -e 's|rule="TURNAROUND" subject="customer-email"|rule="TURNAROUND" subject="blog-post"|' \
	    -e "s|id=\"SIRT-2026-0188\"|id=\"SIRT-2026-$id\"|" "$fx/records/s1-missed-turnaround.xml" >"$tmp/$id.xml"
done
"$SIRCOMM" ingest -q --db "$tmp/v2.db" "$fx"/records/*.xml "$tmp/0901.xml" 2>/dev/null
"$SIRCOMM" exceptions --db "$tmp/v2.db" --import "$fx/standing.xml" >/dev/null
"$SIRCOMM" ingest -q --db "$tmp/v2.db" "$tmp/0902.xml" 2>/dev/null
cols="id, first_draft, backups_engaged, quorum_deployments, turnaround_met, turnaround_missed, turnaround_excepted, turnaround_pending"
a=$(q "$tmp/v1.db" "SELECT $cols FROM incidents ORDER BY id")
b=$(q "$tmp/v2.db" "SELECT $cols FROM incidents ORDER BY id")
n=$(q "$tmp/v2.db" "SELECT count(*) FROM incidents")
[ -n "$a" ] && [ "$a" = "$b" ] && ok "the figures of $n incidents: migrated as ingested" \
	|| bad "migrated and ingested figures differ: $(printf '%s\n' "$a" >"$tmp/a"; printf '%s\n' "$b" | diff "$tmp/a" - | head -4)"
# (A fresh ledger's report is not compared with the old one: the audit
# rules move on, so today's findings of the old records need not be the
# ones the old ledger holds.  The old ledger's own reports, above, must
# not move.)
s1=$(q "$tmp/v1.db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)")
s2=$(q "$tmp/v2.db" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)")
[ "$s1" = "$s2" ] && ok "the same indexes as a new ledger: $s2" || bad "indexes: migrated $s1, new $s2"
d1=$(q "$tmp/v1.db" "SELECT group_concat(sql, ' ') FROM (SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)")
d2=$(q "$tmp/v2.db" "SELECT group_concat(sql, ' ') FROM (SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name)")
[ "$d1" = "$d2" ] && ok "each index defined as in a new ledger" || bad "index definitions differ: migrated $d1, new $d2"
# The register reads the findings of an exception from the index alone
# (version 4), in a migrated ledger as in a new one.
for db in v1 v2; do
	plan=$(q "$tmp/$db.db" "EXPLAIN QUERY PLAN SELECT rule, subject FROM finding_rows WHERE incident = 1 AND exception_id = 'y' ORDER BY seq")
	case $plan in
	*"COVERING INDEX findings_by_exception"*) ok "$db: the register's findings of an exception from findings_by_exception alone" ;;
	*) bad "$db: the register's findings of an exception: $plan" ;;
	esac
done

[ $fails = 0 ] && echo "all migration checks passed" || echo "$fails migration checks failed"
exit $fails
