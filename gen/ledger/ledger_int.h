/*
 * ledger_int.h - what the files of the ledger module share, and no code
 * outside gen/ledger/ sees: the SQLite connection behind struct ledger,
 * and the few helpers every statement of the module goes through.
 *
 *     struct ledger_run run = LEDGER_RUN_INIT(lg->db, &d, lg->path);
 *     sqlite3_stmt *st = ledger_prepare(&run, "INSERT INTO meta (key, value) VALUES (?, ?)");
 *     const struct ledger_arg row[] = { arg_text("k"), arg_text("v") };
 *     ledger_step(&run, st, row, LEDGER_NARGS(row));   // bound, stepped, reset
 *     sqlite3_finalize(st);
 *     if (run.rc != 0)
 *             return -1;         // the first failure's diagnostic is in d
 */
#ifndef SIRCOMM_LEDGER_INT_H
#define SIRCOMM_LEDGER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "base/diag.h"
#include "ledger/ledger.h"
#include "rollup_int.h"

/* The statements that store an incident (store.c), prepared once per
 * handle and reused for every incident. */
enum ledger_put_stmt {
	LEDGER_ST_DELETE, LEDGER_ST_POLICY, LEDGER_ST_INCIDENT, LEDGER_ST_RECORD, LEDGER_ST_FACT,
	LEDGER_ST_FINDING, LEDGER_ST_METRIC, LEDGER_ST_EXCEPTION, LEDGER_ST_NAME_FIND,
	LEDGER_ST_NAME_ADD, LEDGER_ST_COUNT
};

/* The codes of the names table a writer has used (store.c): an open
 * hash table, by FNV-1a. */
struct name_slot {
	char *name;           /* NULL: empty */
	uint64_t hash;
	int64_t code;
};

struct name_cache {
	struct name_slot *slots;
	size_t cap, n;        /* cap: 0 or a power of two */
};

/* The handle of ledger.h. */
struct ledger {
	sqlite3 *db;
	char *path;                /* as given to ledger_open, for messages; NULL in memory */
	enum ledger_mode mode;     /* a writer checkpoints when it closes */
	bool in_batch;             /* ledger_ingest has begun a transaction not yet committed */
	size_t batch_n;            /* incidents stored in it */
	char *batch_first, *batch_last;   /* the first and last of them, for messages */
	sqlite3_stmt *put[LEDGER_ST_COUNT];   /* NULL until first used; finalized by ledger_close */
	sqlite3_stmt *put_many[LEDGER_ST_COUNT];   /* the same, for many rows at once */
	sqlite3_stmt *rollup[ROLLUP_ST_COUNT];     /* rollup.c's, the same way */
	struct rollup_pending pending;             /* rollup.c's changes not yet written */
	struct name_cache names;   /* see ledger_forget_names */
	struct views *views;       /* ledger_query_views's, owned by the connection */
	sqlite3_stmt *view[2];     /* the statements it keeps, finalized by ledger_close */
	bool notes;                /* store the findings' notes (a bundle's database) */
};

/* Adds to a reader's connection the temporary views `findings` (with
 * the notes of findings stored by schema version 5, worded again from
 * the stored record) and `events` (the stored records' timelines), for
 * ledger_query (query_views.c).  Returns 0, or -1 after a diagnostic. */
int ledger_query_views(struct ledger *lg, struct diag *d);

/* Empties the writer's cache of name codes: after any rollback, which
 * may have taken back codes it holds. */
void ledger_forget_names(struct ledger *lg);

/* ---- Faults ------------------------------------------------------------ */

/* True when an SQLite result code says the ledger could not be written
 * (a full disk, an I/O error, a lock held past the busy timeout, a
 * read-only or damaged file) rather than that one incident could not go
 * in: the environment's fault, not the record's. */
bool ledger_cannot_write(int code);

/* The errno of the system call behind the last failure on db, or 0.
 * Read it before anything else runs on the connection. */
int ledger_last_errno(sqlite3 *db);

/* The real reason for a failure with that code, and the errno `sys`
 * read with ledger_last_errno: the system's words when the failure came
 * from a system call ("No space left on device"), SQLite's otherwise
 * ("database is locked").  A static string. */
const char *ledger_failure_reason(sqlite3 *db, int code, int sys);

/* ---- Statements that stop at the first failure ------------------------- */

/*
 * A run of statements on one connection: after the first failure every
 * later call is a no-op, so a sequence of them reads straight, and the
 * failure's message (on `path`), its extended code and errno are kept
 * for the caller to judge (ledger_cannot_write).
 */
struct ledger_run {
	sqlite3 *db;
	struct diag *d;
	const char *path;
	int rc;            /* 0, or -1 after the first failure */
	int code, sys;     /* the first failure's extended code and errno */
};

#define LEDGER_RUN_INIT(db, d, path) { (db), (d), (path), 0, 0, 0 }

/* Notes a failure of the last call on run->db (see struct ledger_run). */
void ledger_failed(struct ledger_run *run);

/* Runs SQL without results ("SAVEPOINT x").  */
void ledger_exec(struct ledger_run *run, const char *sql);

/* Prepares one statement; NULL after a failure (or after an earlier one).
 * The caller finalizes it. */
sqlite3_stmt *ledger_prepare(struct ledger_run *run, const char *sql);

/* One value to bind: NULL, an integer, a text or a blob.  The text and
 * blob are borrowed until the statement has run. */
struct ledger_arg {
	enum { LEDGER_ARG_NULL, LEDGER_ARG_INT, LEDGER_ARG_TEXT, LEDGER_ARG_BLOB } type;
	int64_t i;
	const void *p;
	size_t n;
};

/* A text (NULL binds NULL). */
static inline struct ledger_arg arg_text(const char *s)
{
	return (struct ledger_arg){ s ? LEDGER_ARG_TEXT : LEDGER_ARG_NULL, 0, s, 0 };
}

static inline struct ledger_arg arg_int(int64_t i)
{
	return (struct ledger_arg){ LEDGER_ARG_INT, i, NULL, 0 };
}

/* An integer that may be absent: has = false binds NULL (a time not
 * known, a count not given). */
static inline struct ledger_arg arg_opt(bool has, int64_t i)
{
	return (struct ledger_arg){ has ? LEDGER_ARG_INT : LEDGER_ARG_NULL, i, NULL, 0 };
}

static inline struct ledger_arg arg_blob(const void *p, size_t n)
{
	return (struct ledger_arg){ LEDGER_ARG_BLOB, 0, p, n };
}

/* Binds args to the parameters 1..n of st, steps it to completion and
 * resets it for the next row.  A no-op when st is NULL or the run has
 * failed. */
void ledger_step(struct ledger_run *run, sqlite3_stmt *st, const struct ledger_arg *args,
		 size_t n);

/* The number of elements of an array, for ledger_step's args. */
#define LEDGER_NARGS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- The schema ------------------------------------------------------- */

/* Opens a new in-memory database with the schema and the fixed page
 * settings of a bundle's copy.  Returns 0, or -1 after a diagnostic
 * (then *out is NULL). */
int ledger_open_memory(struct ledger **out, struct diag *d);

#endif
