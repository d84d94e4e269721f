/*
 * ledger.h - the incidents, their events, findings, metrics and
 * exceptions, in SQLite.
 *
 * One schema, defined once here, serves both the cross-incident ledger
 * (`sircomm ingest`, `report`, `exceptions`, `query`) and the
 * incident.sqlite inside every audit bundle.  docs/ledger.md documents it
 * table by table.  Times are UTC epoch seconds (INTEGER); query them with
 * datetime(col, 'unixepoch').
 *
 *     sqlite3 *db;
 *     ledger_open_memory(&db, &d);
 *     ledger_put_incident(db, rec, pol, au, &d);  // in one transaction
 *     ledger_serialize(db, &bytes, &d);           // the database file's bytes
 *     sqlite3_close(db);
 */
#ifndef SIRCOMM_LEDGER_H
#define SIRCOMM_LEDGER_H

#include <stdbool.h>

#include <sqlite3.h>

#include "audit/audit.h"
#include "base/diag.h"
#include "model/policy.h"
#include "model/record.h"
#include "base/util.h"

/* The schema version this sircomm writes and reads. */
#define LEDGER_SCHEMA_VERSION 1

/* Opens a new in-memory database with the schema.  Returns 0, or -1
 * after a diagnostic (then *db is NULL). */
int ledger_open_memory(sqlite3 **db, struct diag *d);

/* Creates the schema in an empty database (in the caller's transaction,
 * if any).  Returns 0 or -1 after a diagnostic. */
int ledger_create_schema(sqlite3 *db, struct diag *d);

/*
 * Stores one audited incident, replacing any earlier version of it (same
 * id) with its events, facts, findings, metrics and exceptions; the
 * policy is stored once by its SHA-256.  Runs in its own transaction
 * (SAVEPOINT), so an error leaves the database as it was.  Returns 0 or
 * -1 after a diagnostic naming the record.
 */
int ledger_put_incident(sqlite3 *db, const struct record *rec, const struct policy *pol,
			const struct audit *au, struct diag *d);

/*
 * Ingests one audited incident into a ledger opened read-write, in a
 * transaction of its own (BEGIN IMMEDIATE, so two ingests take turns):
 * all of it is committed or nothing.  Returns
 *
 *   LEDGER_PUT_OK       stored; *replaced says whether the incident was
 *                       already there (then it is replaced whole);
 *   LEDGER_PUT_REFUSED  this incident cannot go in (a conflict in the
 *                       record): the errors name the record, the ledger
 *                       is as it was and the next incident may go in;
 *   LEDGER_PUT_FAILED   the ledger could not be written (a full disk, an
 *                       I/O error, a lock held past the busy timeout, a
 *                       read-only or damaged file): one error names the
 *                       ledger (`path`), the incident and the system's
 *                       reason ("No space left on device").  Nothing of
 *                       the incident is stored; what was committed before
 *                       stays.
 */
enum ledger_put { LEDGER_PUT_OK = 0, LEDGER_PUT_REFUSED, LEDGER_PUT_FAILED };
enum ledger_put ledger_ingest(sqlite3 *db, const char *path, const struct record *rec,
			      const struct policy *pol, const struct audit *au, bool *replaced,
			      struct diag *d);

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
 * without them, the file alone, immutable.  Returns 0, or -1 after a
 * diagnostic naming the file: not SQLite, corrupt, from a newer
 * sircomm, unreadable (with the system's reason), or a -wal or -shm
 * this user may not write (naming it and its owner); or, read-write, -2
 * when the ledger could not be written (a full disk, an I/O error, a
 * lock held too long), with the system's reason.
 */
enum ledger_mode { LEDGER_READ_ONLY, LEDGER_READ_WRITE };
int ledger_open(const char *path, enum ledger_mode mode, sqlite3 **db, struct diag *d);

/* Closes a ledger opened by ledger_open.  A writer first moves every
 * committed transaction from the write-ahead log into the ledger file
 * and empties the log (waiting, up to the busy timeout, for readers to
 * finish), so that the file alone holds the ledger whenever no writer is
 * at work, whatever readers were doing when it finished.  Returns 0, or
 * -1 when SQLite could not close the connection.  NULL is a no-op. */
int ledger_close(sqlite3 *db);

/* Stores standing exceptions (no incident), replacing any with the same
 * id, in one transaction.  Returns 0 or -1 after a diagnostic. */
int ledger_put_standing(sqlite3 *db, const struct rec_exception *x, size_t n,
			const char *path, struct diag *d);

/* Loads every standing exception into a record shell the caller frees
 * with rec_free (its exceptions array), for auditing.  Returns 0, or -1
 * after an error: the database's, or a stored rule id sircomm does not
 * know (never read as some other rule). */
int ledger_load_standing(sqlite3 *db, struct record **out, struct diag *d);

/* Appends the database file's bytes (sqlite3_serialize) to out.  The same
 * statements on the same SQLite version give the same bytes. */
int ledger_serialize(sqlite3 *db, struct buf *out, struct diag *d);

/* ---- One read-only statement ------------------------------------------ */

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
int ledger_query(sqlite3 *db, const char *sql, ledger_row_fn *fn, void *ud, int *error_at,
		 struct diag *d);

#endif
