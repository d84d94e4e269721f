/*
 * ledger.h - the incidents, their events, findings, metrics and
 * exceptions, in SQLite: the cross-incident ledger, and the incident
 * database inside every audit bundle.
 *
 * One schema, defined once in gen/ledger/ledger.c, serves both the
 * ledger (`sircomm ingest`, `report`, `exceptions`, `query`) and the
 * incident.sqlite of a bundle; docs/ledger.md documents it table by
 * table.  Every SQL statement sircomm runs on it lives in gen/ledger/:
 * callers hold an opaque struct ledger and call the functions here and
 * in the module's other headers, never SQLite.
 *
 *     struct ledger *lg;
 *     if (ledger_open("ledger.db", LEDGER_READ_WRITE, &lg, &d) != 0)
 *             return -1;                           // d says why
 *     bool replaced;
 *     enum ledger_put put = ledger_ingest(lg, rec, pol, au, &replaced, &d);   // in a batch
 *     if (put == LEDGER_PUT_OK && ledger_commit(lg, &d) != 0)
 *             put = LEDGER_PUT_FAILED;              // the batch is not stored
 *     ledger_close(lg);
 *     if (put != LEDGER_PUT_OK)
 *             return -1;                           // d says why
 *
 *     struct buf bytes = BUF_INIT;                 // a bundle's incident.sqlite
 *     if (ledger_write_incident(rec, pol, au, &bytes, &d) != 0)
 *             return -1;
 *     buf_free(&bytes);
 *
 * The module's other headers, over the same handle:
 *   ledger/register.h  the exception register; importing standing exceptions
 *   ledger/report.h    the compliance report over a period
 *   ledger/query.h     one read-only statement's rows as a table or CSV
 *
 * Times are UTC epoch seconds (INTEGER); query them with
 * datetime(col, 'unixepoch').
 */
#ifndef SIRCOMM_LEDGER_H
#define SIRCOMM_LEDGER_H

#include <stdbool.h>
#include <stddef.h>

#include "audit/audit.h"
#include "base/diag.h"
#include "base/util.h"
#include "model/policy.h"
#include "model/record.h"

/* The schema version this sircomm writes and reads. */
#define LEDGER_SCHEMA_VERSION 5

/* An open ledger: the connection to its file and what it was opened for. */
struct ledger;

/* ---- Opening and closing -------------------------------------------------- */

enum ledger_mode { LEDGER_READ_ONLY, LEDGER_READ_WRITE };

/*
 * Sets SQLite up for sircomm before its first use: call once, before
 * any thread starts.  Every connection sircomm opens is used by one
 * thread at a time, so SQLite's per-connection mutexes are left off
 * (SQLITE_OPEN_NOMUTEX), and so is its count of the memory it holds
 * (SQLITE_CONFIG_MEMSTATUS), which takes a global mutex on every
 * allocation: together a twelfth of the time `ingest`'s writer spent.
 */
void ledger_global_init(void);

/*
 * Opens a ledger file.  Read-write creates it with the schema when it
 * does not exist; an existing file must be a sircomm ledger: an SQLite
 * database whose schema_version is at most LEDGER_SCHEMA_VERSION (an
 * older one is migrated forward, in one transaction).  WAL mode and a
 * busy timeout let two writers take turns; a writer keeps the -wal and
 * -shm files beside the ledger when it closes (emptied), so that readers
 * find them.  Read-only opens refuse any write (PRAGMA query_only) and
 * create no file, so a reader who may not write the ledger or its
 * directory leaves nothing behind: beside a -wal and -shm they read
 * through them (a consistent snapshot, even while an ingest runs);
 * without them, the file alone, immutable.
 *
 * Returns 0 and a new handle in *out (close it with ledger_close); or
 * -1 after a diagnostic naming the file: not SQLite, corrupt, from a
 * newer sircomm, unreadable (with the system's reason), or a -wal or
 * -shm this user may not write (naming it and its owner); or,
 * read-write, -2 when the ledger could not be written (a full disk, an
 * I/O error, a lock held too long), with the system's reason.  *out is
 * NULL unless 0.
 */
int ledger_open(const char *path, enum ledger_mode mode, struct ledger **out, struct diag *d);

/*
 * Closes a ledger and frees the handle.  A writer first moves every
 * committed transaction from the write-ahead log into the ledger file
 * and empties the log (waiting, up to the busy timeout, for readers to
 * finish), so that the file alone holds the ledger whenever no writer is
 * at work, whatever readers were doing when it finished.  A batch of
 * ledger_ingest not committed is rolled back first.  Returns 0, or
 * -1 when SQLite could not close the connection.  NULL is a no-op.
 */
int ledger_close(struct ledger *lg);

/* ---- Storing audited incidents --------------------------------------------- */

/*
 * Stores one audited incident in a ledger opened read-write: the
 * incident, its record, facts, findings, metrics and exceptions,
 * replacing any earlier version of it (same id), and the policy, stored
 * once by its SHA-256.  Incidents go in batches: the first
 * ledger_ingest after a commit begins a transaction (BEGIN IMMEDIATE,
 * so two ingests take turns), and ledger_commit ends it; until then
 * nothing of the batch is in the ledger for anyone else, and a crash
 * loses the batch but nothing committed before.  Within a batch each
 * incident is stored whole or not at all (a savepoint), so a refused
 * one leaves its neighbours in.  Commit often (sircomm ingest does
 * every 500 incidents or 250 ms): another writer waits while a batch
 * is open.  rec, pol and au are only read.  Returns
 *
 *   LEDGER_PUT_OK       stored in the open batch; *replaced says whether
 *                       the incident was already there (then it is
 *                       replaced whole);
 *   LEDGER_PUT_REFUSED  this incident cannot go in (a conflict in the
 *                       record): the errors name the record, the batch
 *                       is as it was and the next incident may go in;
 *   LEDGER_PUT_FAILED   the ledger could not be written (a full disk, an
 *                       I/O error, a lock held past the busy timeout, a
 *                       read-only or damaged file): one error names the
 *                       ledger, the incident and the system's reason
 *                       ("No space left on device").  The open batch is
 *                       rolled back, this incident with it; what was
 *                       committed before stays.
 */
enum ledger_put { LEDGER_PUT_OK = 0, LEDGER_PUT_REFUSED, LEDGER_PUT_FAILED };
enum ledger_put ledger_ingest(struct ledger *lg, const struct record *rec, const struct policy *pol,
			      const struct audit *au, bool *replaced, struct diag *d);

/*
 * The record as the ledger stores it (zlib-compressed, in `records`)
 * and its SHA-256 (`record_sha256`): a good part of the work of storing
 * an incident, which needs no ledger, so that ingest's worker threads
 * can do it while one thread writes the ledger.  ledger_ingest works it
 * out itself; ledger_ingest_bytes takes it ready.  Free with
 * ledger_record_bytes_free (a zeroed struct is empty).
 */
struct ledger_record_bytes {
	unsigned char *z;      /* compressed; NULL: the record's bytes as they are */
	size_t z_len;
	char sha256[65];       /* hex */
};
void ledger_record_bytes(const struct record *rec, struct ledger_record_bytes *out);
void ledger_record_bytes_free(struct ledger_record_bytes *b);
enum ledger_put ledger_ingest_bytes(struct ledger *lg, const struct record *rec,
				    const struct ledger_record_bytes *bytes, const struct policy *pol,
				    const struct audit *au, bool *replaced, struct diag *d);

/* The incidents stored by ledger_ingest since the last commit. */
size_t ledger_pending(const struct ledger *lg);

/*
 * Commits the batch ledger_ingest began: every incident stored since
 * the last commit is then in the ledger, durably (as durable as the
 * write-ahead log's synchronous = NORMAL makes a commit: a power cut
 * may lose the last batches, never tear one).  Returns 0 (also when no
 * batch is open); or -1 when the ledger could not be written, after one
 * error naming the ledger, how many incidents and the system's reason:
 * the batch is rolled back, what was committed before stays.  A batch
 * not committed when ledger_close is called is rolled back.
 */
int ledger_commit(struct ledger *lg, struct diag *d);

/*
 * Appends to out the bytes of a new incident database holding this one
 * audited incident, the way ledger_ingest stores it (a bundle's
 * data/incident.sqlite).  The same incident on the same SQLite version
 * gives the same bytes: fixed page settings, no file, no clock.
 * Returns 0, or -1 after a diagnostic (out may then hold part of it).
 */
int ledger_write_incident(const struct record *rec, const struct policy *pol,
			  const struct audit *au, struct buf *out, struct diag *d);

/* ---- One read-only statement ---------------------------------------------- */

/* The type of a value in a result row, as SQLite stores it. */
enum ledger_type { LEDGER_NULL = 0, LEDGER_INTEGER, LEDGER_FLOAT, LEDGER_TEXT, LEDGER_BLOB };

/* One value of a result row, borrowed: valid until the callback returns. */
struct ledger_value {
	enum ledger_type type;
	const char *data;   /* INTEGER, FLOAT: the number as SQLite writes it; TEXT: the text
			     * as stored (NUL-terminated, not checked for UTF-8); BLOB: the
			     * bytes; NULL: "" */
	size_t len;         /* the bytes at data */
};

/* What ledger_query calls: once with the column names and values NULL
 * (the header, even when no row follows), then once per row with ncol
 * values.  Returns 0 to go on, anything else to stop the statement. */
typedef int ledger_row_fn(void *ud, int ncol, const char *const *names,
			  const struct ledger_value *values);

/*
 * Runs one read-only SQL statement, from a user, on a ledger, handing
 * each row to fn.  Three locks keep the ledger unchanged: ledger_open
 * opens a reader read-only with PRAGMA query_only, and a statement
 * SQLite does not call read-only (sqlite3_stmt_readonly) is refused
 * before it runs.  Exactly one statement is prepared; empty ones (";",
 * comments) before it are skipped, and anything but white space,
 * semicolons and comments after it is refused, so "SELECT 1; DELETE
 * ..." never gets as far as the second statement.
 *
 * Returns 0 when every row was handed over; what fn returned when it
 * stopped; or -1 after one diagnostic on the file "query": SQL that does
 * not prepare, no statement, more than one, one that would write, or an
 * error while stepping.  *error_at is then the byte of `sql` the error
 * points at (a syntax error, the start of a second statement), or -1.
 */
int ledger_query(struct ledger *lg, const char *sql, ledger_row_fn *fn, void *ud, int *error_at,
		 struct diag *d);

/* The version of SQLite in use ("3.40.1"): it shapes the ledger and
 * the incident copy in a bundle. */
const char *ledger_sqlite_version(void);

#endif
