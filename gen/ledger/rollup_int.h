/*
 * rollup_int.h - the report's per-day rollups (rollup.c): keeping them
 * as incidents are stored and replaced, and filling them when a ledger
 * is migrated.  No code outside gen/ledger/ sees it.  The tables are
 * defined with the rest of the schema in ledger.c (ROLLUP_SQL); their
 * columns are in docs/ledger.md.
 *
 *     rollup_sub(run, lg, id);     // before the incident's rows are deleted
 *     ... DELETE the incident, INSERT its new rows ...
 *     rollup_add(run, lg, id);     // after they are all stored
 *
 * Both read the incident's own rows (incidents, metrics, findings,
 * exceptions) by its id, and change only the rows of its day and its
 * month: a period of whole days sums the rollups of its days and months
 * to the same figures as the incidents of the period.
 */
#ifndef SIRCOMM_ROLLUP_INT_H
#define SIRCOMM_ROLLUP_INT_H

#include <sqlite3.h>

struct audit;
struct ledger;
struct ledger_run;
struct policy;
struct record;

/* The rollup tables, and the statements kept on the handle for them:
 * for each table one that adds (or, with the sign -1, subtracts) an
 * incident's contribution, and one that deletes the rows of its day and
 * month whose count fell to 0; then whether an incident is stored. */
enum {
	ROLLUP_INCIDENTS, ROLLUP_NO_COMMS, ROLLUP_FIRST_DRAFT, ROLLUP_TURNAROUND, ROLLUP_RESPONSES,
	ROLLUP_FAILURES, ROLLUP_EXCEPTIONS, ROLLUP_TABLES,
	ROLLUP_STORED = 2 * ROLLUP_TABLES, ROLLUP_UPSERT, ROLLUP_ST_COUNT = ROLLUP_UPSERT + ROLLUP_TABLES
};

/* Adds the contribution of the incident rec (audited as au against
 * pol) to the rollups: call it once its rows (incident, metrics,
 * findings, exceptions) are stored.  The contribution is worked out
 * here from au, as the SQL of rollup_fill and rollup_sub works it out
 * from the rows store.c writes from the same audit (reading them back
 * was most of the cost of storing an incident); tests/ledger-migrate.sh
 * checks that the two agree.
 * Statements are prepared on first use and kept on lg (ledger_close
 * finalizes them).  A no-op after a failure of run; a failure is noted
 * in run. */
void rollup_add(struct ledger_run *run, struct ledger *lg, const struct record *rec,
		const struct policy *pol, const struct audit *au);

/* Takes the contribution of the incident `id` away, deleting the rows
 * whose count reaches 0: call it before its rows are deleted or
 * replaced.  Nothing happens when no incident has that id. */
void rollup_sub(struct ledger_run *run, struct ledger *lg, const char *id);

/* Fills the empty rollup tables from every incident stored, one INSERT
 * ... SELECT ... GROUP BY each (the migration to schema version 5, in
 * its transaction).  Returns SQLITE_OK or SQLite's error code (the
 * message is on db). */
int rollup_fill(sqlite3 *db);

#endif
