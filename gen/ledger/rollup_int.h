/*
 * rollup_int.h - the report's per-day rollups (rollup.c): keeping them
 * as incidents are stored and replaced, and filling them when a ledger
 * is migrated.  No code outside gen/ledger/ sees it.  The tables are
 * defined with the rest of the schema in ledger.c (ROLLUP_SQL); their
 * columns are in docs/ledger.md.
 *
 *     bool stored = rollup_stored(run, lg, id);
 *     SAVEPOINT
 *     if (stored)
 *             rollup_sub(run, lg, id);     // before its rows are deleted
 *     ... DELETE the incident, INSERT its new rows ...
 *     rollup_add(run, lg, rec, pol, au);   // after they are all stored
 *     RELEASE (or ROLLBACK TO), then rollup_settle(lg, kept)
 *     ... rollup_flush(run, lg) before COMMIT ...
 *
 * rollup_sub reads the incident's own rows (incidents, metrics,
 * findings, exceptions) by its id; rollup_add works from its audit, and
 * its changes are summed in memory until the transaction commits (most
 * incidents of a batch share their month's rows).  Both change only the
 * rows of the incident's day and its month: a period of whole days sums
 * the rollups of its days and months to the same figures as the
 * incidents of the period.
 */
#ifndef SIRCOMM_ROLLUP_INT_H
#define SIRCOMM_ROLLUP_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "base/util.h"

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

/* One rollup row's change waiting to be written: the table, its key
 * (span, day, then the table's own key columns; a text as its offset in
 * the pending set's buffer) and the amounts to add to its counts. */
struct rollup_delta {
	uint64_t hash;
	int table, nkeys, nsums;
	struct rollup_key {
		bool text;
		int64_t i;
		size_t off;
	} key[6];
	int64_t sum[9];
};

/* The changes of the open transaction, summed by row (written in the
 * tables' key order, so the same way every time); and the changes of
 * the incident being stored, kept apart until its savepoint is
 * released.  Plain memory: the handle frees d, stage, slot and text
 * when it closes. */
struct rollup_pending {
	struct rollup_delta *d, *stage;
	size_t n, cap, n_stage, cap_stage;
	uint32_t *slot;       /* index + 1 into d, 0: empty; a power of two */
	size_t nslot;
	struct buf text;      /* the keys' texts, each with its NUL */
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

/* After the incident's savepoint: its contribution (rollup_add) joins
 * the transaction's changes when `kept`, or is dropped. */
void rollup_settle(struct ledger *lg, bool kept);

/* Writes the transaction's changes to the rollup tables (one upsert a
 * row, however many incidents changed it): before COMMIT, before an
 * incident already stored is replaced (rollup_sub reads the tables), and
 * before a bundle's database is serialized.  A no-op after a failure of
 * run; a failure is noted in run. */
void rollup_flush(struct ledger_run *run, struct ledger *lg);

/* Drops the changes not yet written: after the transaction is rolled
 * back. */
void rollup_forget(struct ledger *lg);

/* Whether an incident with that id is stored; first writes the pending
 * changes when it is (see rollup_flush).  Call it before the incident's
 * savepoint: the changes written belong to incidents before it. */
bool rollup_stored(struct ledger_run *run, struct ledger *lg, const char *id);

/* Takes the contribution of the incident `id`, stored (rollup_stored),
 * away, deleting the rows whose count reaches 0: call it before its
 * rows are deleted or replaced. */
void rollup_sub(struct ledger_run *run, struct ledger *lg, const char *id);

/* Fills the empty rollup tables from every incident stored, one INSERT
 * ... SELECT ... GROUP BY each (the migration to schema version 5, in
 * its transaction).  Returns SQLITE_OK or SQLite's error code (the
 * message is on db). */
int rollup_fill(sqlite3 *db);

#endif
