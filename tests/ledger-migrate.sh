#!/bin/sh
# ledger-migrate.sh SIRCOMM: a ledger of schema version 1, written by
# the sircomm before version 2 (tests/fixtures/ledger-v1: its SQL dump,
# and the reports and register that sircomm printed from it), is
# refused by a reader until a writer migrates it, and migrated: the
# same figures, byte for byte, in every report and in the register; the
# per-incident figures equal those a fresh ingest of the same records
# computes; the ledger passes PRAGMA integrity_check.  Then a ledger of
# version 4 (made from a version 5 one by tests/fixtures/ledger-to-v4.sql)
# migrates: its findings and metrics kept, and the rollups the migration
# computes from the stored rows
# equal those ingest kept incident by incident, through replacements
# that move incidents to other days, months and scope, and every report
# is the same before and after.
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

# ---- Version 4 to 5: the rollups ---------------------------------------

# The sample breach as incident ID, its day moved to DATE, with IMPACT
# (low is out of the built-in policy's scope); "nocomms" drops its
# comms-started event, so that it counts by its detection day.
variant() {   # file, id, date, impact[, nocomms]
	sed -e "s/2026-03-04/$3/g" -e "s|<impact>critical</impact>|<impact>$4</impact>|" \
	    -e "s|id=\"SIRT-2026-0142\"|id=\"$2\"|" \
	    ${5:+-e '/type="comms-started"/d'} "$src/samples/s1-breach.xml" >"$tmp/$1.xml"
}
L=$tmp/v4.db
"$SIRCOMM" sample --count 60 --seed 19 -o "$tmp/gen" >/dev/null || bad "sample"
variant a1 SIRT-2026-7001 2026-02-10 critical
variant b1 SIRT-2026-7002 2026-03-31 critical nocomms
# (approval-response.xml has an answer exactly at the end of its window.)
"$SIRCOMM" ingest -q --db "$L" "$src"/samples/*.xml "$src"/tests/audit/notify-*.xml "$src/tests/audit/approval-response.xml" "$tmp"/gen/*.xml \
	"$tmp/a1.xml" "$tmp/b1.xml" 2>/dev/null
"$SIRCOMM" exceptions --db "$L" --import "$src/tests/fixtures/standing.xml" >/dev/null || bad "import"
# Replacements: A to another month and out of scope, then back in scope
# a day later; B gets its communications started, in another month; the
# generated records again, now under the standing exceptions.
variant a2 SIRT-2026-7001 2026-05-20 low
variant b2 SIRT-2026-7002 2026-04-30 critical
variant a3 SIRT-2026-7001 2026-05-21 critical
"$SIRCOMM" ingest -q --db "$L" "$tmp/a2.xml" "$tmp/b2.xml" 2>/dev/null
"$SIRCOMM" ingest -q --db "$L" "$tmp/a3.xml" "$tmp"/gen/*.xml 2>/dev/null
[ "$(q "$L" "SELECT (comms_started_at / 86400) || ' ' || in_scope FROM incidents WHERE id = 'SIRT-2026-7001'")" = "20594 1" ] \
	|| bad "the replaced incident is not where the test put it"
periods="all:
q1:--from 2026-01-01 --to 2026-03-31
weeks:--from 2026-05-18 --to 2026-05-31
day:--from 2026-03-04 --to 2026-03-04
mid:--from 2026-03-15 --to 2026-05-20"
reports() {   # directory
	mkdir -p "$1"
	echo "$periods" | while IFS=: read -r name period; do
		for f in md html csv json; do
			"$SIRCOMM" report --db "$L" $period --format $f >"$1/$name.$f" 2>&1 || echo "status $?" >>"$1/$name.$f"
		done
	done
}
reports "$tmp/kept"
tables="incidents no_comms first_draft turnaround responses failures exceptions"
cp "$L" "$tmp/kept.db"
fm="SELECT (SELECT count(*) || ' findings, ' || sum(note IS NOT NULL) || ' notes, ' ||
             sum(length(incident_id || rule || subject || status || evidence_lines || coalesce(note, ''))) FROM findings)
        || '; ' || (SELECT count(*) || ' metrics, ' || sum(length(name || grp || artifact || round)) || ', ' ||
             sum(seconds) FROM metrics)"
kept_rows=$(q "$L" "$fm")
# Back to version 4's layout (tests/fixtures/ledger-to-v4.sql), with the
# same incidents, findings and metrics.
sqlite3 "$L" <"$src/tests/fixtures/ledger-to-v4.sql" || bad "cannot take the ledger back to version 4"
out=$("$SIRCOMM" report --db "$L" 2>&1); s=$?
[ $s = 2 ] && echo "$out" | grep -q "schema version 4: open it once read-write" \
	&& ok "a reader refuses a version 4 ledger, asking for a writer" || bad "reader of version 4: status $s: $out"
"$SIRCOMM" exceptions --db "$L" --import "$src/tests/fixtures/standing.xml" >/dev/null || bad "import into version 4"
v=$(q "$L" "SELECT value FROM meta WHERE key = 'schema_version'")
check=$(q "$L" "PRAGMA integrity_check")
fk=$(q "$L" "PRAGMA foreign_key_check")
[ "$v" = 5 ] && [ "$check" = ok ] && [ -z "$fk" ] && ok "version 4 migrated to 5, integrity ok, foreign keys ok" \
	|| bad "after the import: version $v, integrity $check, foreign keys $fk"
kept_now=$(q "$L" "$fm")
[ "$kept_rows" = "$kept_now" ] && ok "its findings and metrics through the migration: $kept_now" \
	|| bad "findings and metrics before and after the migration: $kept_rows / $kept_now"
for t in $tables; do
	n=$(q "$L" "SELECT count(*) FROM rollup_$t")
	d=$(q "$L" "ATTACH '$tmp/kept.db' AS k;
	            SELECT (SELECT count(*) FROM (SELECT * FROM rollup_$t EXCEPT SELECT * FROM k.rollup_$t))
	                 + (SELECT count(*) FROM (SELECT * FROM k.rollup_$t EXCEPT SELECT * FROM rollup_$t))")
	[ "$n" -gt 0 ] && [ "$d" = 0 ] && ok "rollup_$t: the $n rows ingest kept are the ones computed from the rows" \
		|| bad "rollup_$t: $n rows computed from the rows, $d differ from those ingest kept"
done
reports "$tmp/migrated"
for r in "$tmp"/kept/*; do
	name=$(basename "$r")
	cmp -s "$r" "$tmp/migrated/$name" && ok "report $name: the same after the migration" \
		|| bad "report $name differs after the migration: $(diff "$r" "$tmp/migrated/$name" | head -4)"
done
grep -q 'SIRT-2026-7002\|TURNAROUND' "$tmp/kept/all.csv" && [ "$(wc -l <"$tmp/kept/q1.csv")" -gt 50 ] \
	&& ok "the reports compared have figures" || bad "the reports compared are empty"

[ $fails = 0 ] && echo "all migration checks passed" || echo "$fails migration checks failed"
exit $fails
