/* ledger.c - the SQLite schema and storing audited incidents. */
#include "ledger/ledger.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

/* How long a writer waits for another to finish before giving up. */
#define LEDGER_BUSY_MS 30000

static const char schema_sql[] =
	"CREATE TABLE meta (\n"
	"  key TEXT PRIMARY KEY,\n"
	"  value TEXT NOT NULL\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE policies (\n"
	"  sha256 TEXT PRIMARY KEY,\n"
	"  name TEXT NOT NULL,\n"
	"  title TEXT NOT NULL,\n"
	"  source BLOB NOT NULL\n"
	");\n"
	"CREATE TABLE incidents (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  title TEXT NOT NULL,\n"
	"  severity TEXT NOT NULL CHECK (severity IN ('S1','S2','S3','S4')),\n"
	"  impact TEXT NOT NULL,\n"
	"  status TEXT NOT NULL,\n"
	"  in_scope INTEGER NOT NULL,\n"
	"  users TEXT NOT NULL,\n"
	"  user_count INTEGER,\n"
	"  detected_at INTEGER,\n"
	"  comms_started_at INTEGER,\n"
	"  first_deployed_at INTEGER,\n"
	"  resolved_at INTEGER,\n"
	"  audited_at INTEGER NOT NULL,\n"
	"  policy_sha256 TEXT NOT NULL REFERENCES policies(sha256),\n"
	"  record_sha256 TEXT NOT NULL,\n"
	"  pass INTEGER NOT NULL, fail INTEGER NOT NULL, excepted INTEGER NOT NULL,\n"
	"  na INTEGER NOT NULL, pending INTEGER NOT NULL,\n"
	"  result TEXT NOT NULL CHECK (result IN ('pass','fail'))\n"
	");\n"
	"CREATE INDEX incidents_by_start ON incidents (comms_started_at);\n"
	"CREATE INDEX incidents_by_severity ON incidents (severity, comms_started_at);\n"
	"CREATE TABLE facts (\n"
	"  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,\n"
	"  fact TEXT NOT NULL,\n"
	"  known_at INTEGER,\n"
	"  line INTEGER NOT NULL,\n"
	"  PRIMARY KEY (incident_id, fact)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE events (\n"
	"  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  line INTEGER NOT NULL,\n"
	"  at INTEGER NOT NULL,\n"
	"  utc_offset INTEGER NOT NULL,\n"
	"  type TEXT NOT NULL,\n"
	"  grp TEXT,\n"
	"  by TEXT,\n"
	"  artifacts TEXT,\n"
	"  round TEXT,\n"
	"  channel TEXT,\n"
	"  cutoff INTEGER,\n"
	"  text TEXT,\n"
	"  PRIMARY KEY (incident_id, seq)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE findings (\n"
	"  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  rule TEXT NOT NULL,\n"
	"  subject TEXT NOT NULL,\n"
	"  status TEXT NOT NULL CHECK (status IN ('pass','fail','excepted','n/a','pending')),\n"
	"  due INTEGER,\n"
	"  met INTEGER,\n"
	"  evidence_lines TEXT NOT NULL,\n"
	"  exception_id TEXT,\n"
	"  retroactive INTEGER NOT NULL,\n"
	"  note TEXT,\n"
	"  PRIMARY KEY (incident_id, seq)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX findings_by_rule ON findings (rule, status);\n"
	"CREATE TABLE metrics (\n"
	"  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,\n"
	"  name TEXT NOT NULL,\n"
	"  grp TEXT NOT NULL DEFAULT '',\n"
	"  artifact TEXT NOT NULL DEFAULT '',\n"
	"  round TEXT NOT NULL DEFAULT '',\n"
	"  seconds INTEGER,\n"
	"  count INTEGER,\n"
	"  within_window INTEGER,\n"
	"  PRIMARY KEY (incident_id, name, grp, artifact, round)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX metrics_by_name ON metrics (name, grp, round);\n"
	"CREATE TABLE exceptions (\n"
	"  id TEXT NOT NULL,\n"
	"  incident_id TEXT REFERENCES incidents(id) ON DELETE CASCADE,\n"
	"  rule TEXT NOT NULL,\n"
	"  subject TEXT,\n"
	"  requested_by TEXT NOT NULL,\n"
	"  approved_by TEXT NOT NULL,\n"
	"  approved_at INTEGER NOT NULL,\n"
	"  expires INTEGER,\n"
	"  justification TEXT NOT NULL,\n"
	"  compensating_controls TEXT,\n"
	"  state TEXT NOT NULL,\n"
	"  findings_excused INTEGER NOT NULL\n"
	");\n"
	"CREATE UNIQUE INDEX exceptions_of_incident ON exceptions (incident_id, id) WHERE incident_id IS NOT NULL;\n"
	"CREATE UNIQUE INDEX exceptions_standing ON exceptions (id) WHERE incident_id IS NULL;\n"
	"CREATE INDEX exceptions_by_expiry ON exceptions (expires);\n"
	"CREATE INDEX findings_by_exception ON findings (exception_id) WHERE exception_id IS NOT NULL;\n";

static int sql_error(sqlite3 *db, struct diag *d, const char *what)
{
	diag_error(d, NULL, 0, "ledger: %s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
	return -1;
}

/* True when an SQLite result code says the ledger could not be written
 * (a full disk, an I/O error, a lock held past the busy timeout, a
 * read-only or damaged file) rather than that one incident could not go
 * in: the environment's fault, not the record's. */
static bool cannot_write(int code)
{
	switch (code & 0xff) {
	case SQLITE_FULL: case SQLITE_IOERR: case SQLITE_CORRUPT: case SQLITE_NOTADB:
	case SQLITE_READONLY: case SQLITE_BUSY: case SQLITE_LOCKED: case SQLITE_CANTOPEN:
	case SQLITE_PERM: case SQLITE_NOMEM: case SQLITE_PROTOCOL:
		return true;
	}
	return false;
}

/*
 * The errno of the system call behind the last failure, or 0.  SQLite
 * keeps it on the connection only for some failures; a write that fails
 * while committing keeps it on the file that failed, the write-ahead log
 * (the journal), or the database file.  Read it before anything else
 * runs on the connection.
 */
static int last_errno(sqlite3 *db)
{
	int e = sqlite3_system_errno(db);
	sqlite3_file *journal = NULL;
	if (!e && sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &journal) == SQLITE_OK &&
	    journal && journal->pMethods && journal->pMethods->xFileControl)
		journal->pMethods->xFileControl(journal, SQLITE_FCNTL_LAST_ERRNO, &e);
	if (!e)
		sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &e);
	return e;
}

/* The real reason for a failure with that code: the system's words when
 * the failure came from a system call ("No space left on device", "File
 * too large"), SQLite's otherwise ("database is locked").  SQLite says
 * only "disk I/O error" for every failed write. */
static const char *failure_reason(sqlite3 *db, int code, int sys)
{
	int c = code & 0xff;
	if (sys && (c == SQLITE_IOERR || c == SQLITE_FULL || c == SQLITE_CANTOPEN))
		return strerror(sys);
	return db ? sqlite3_errstr(code) : "out of memory";
}

int ledger_create_schema(sqlite3 *db, struct diag *d)
{
	char version[64];
	snprintf(version, sizeof(version),
		 "INSERT INTO meta (key, value) VALUES ('schema_version', '%d');", LEDGER_SCHEMA_VERSION);
	if (sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, version, NULL, NULL, NULL) != SQLITE_OK)
		return sql_error(db, d, "creating the schema");
	return 0;
}

int ledger_open_memory(sqlite3 **db, struct diag *d)
{
	*db = NULL;
	sqlite3 *h;
	if (sqlite3_open_v2(":memory:", &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		sql_error(h, d, "opening an in-memory database");
		sqlite3_close(h);
		return -1;
	}
	/* Fixed settings: the bundle's copy must come out the same each time. */
	if (sqlite3_exec(h, "PRAGMA page_size = 4096; PRAGMA foreign_keys = ON;", NULL, NULL, NULL) != SQLITE_OK ||
	    ledger_create_schema(h, d) != 0) {
		sql_error(h, d, "setting up");
		sqlite3_close(h);
		return -1;
	}
	*db = h;
	return 0;
}

/* ---- Files and migrations ------------------------------------------- */

/* Forward migrations: migrations[v] turns schema version v into v + 1.
 * Version 1 is the first; later versions add their steps here. */
static const char *const migrations[LEDGER_SCHEMA_VERSION] = { NULL };

/* SQLite's message for the last error on db, with the system's reason
 * when the error came from the file system ("unable to open database
 * file: Permission denied").  A new string the caller frees. */
static char *sqlite_why(sqlite3 *db)
{
	int code = sqlite3_errcode(db) & 0xff, sys = sqlite3_system_errno(db);
	bool from_files = code == SQLITE_CANTOPEN || code == SQLITE_IOERR || code == SQLITE_READONLY ||
			  code == SQLITE_PERM || code == SQLITE_FULL;
	return from_files && sys ? xasprintf("%s: %s", sqlite3_errmsg(db), strerror(sys))
				 : xstrdup(sqlite3_errmsg(db));
}

static int schema_version(sqlite3 *db, const char *path, int *version, struct diag *d)
{
	sqlite3_stmt *st;
	*version = 0;
	int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		/* Only a file SQLite cannot make sense of is not a ledger; a
		 * permission or an I/O error says so instead. */
		int code = sqlite3_errcode(db) & 0xff;
		char *why = sqlite_why(db);
		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
			diag_error(d, path, 0, "not a sircomm ledger: %s", why);
		else
			diag_error(d, path, 0, "cannot read the ledger: %s", why);
		free(why);
		sqlite3_finalize(st);
		return -1;
	}
	int objects = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (objects == 0)
		return 0;   /* a new, empty database */
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'schema_version'", -1, &st,
			       NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		diag_error(d, path, 0, "not a sircomm ledger: it is an SQLite database without sircomm's "
			   "schema");
		sqlite3_finalize(st);
		return -1;
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (*version < 1) {
		diag_error(d, path, 0, "not a sircomm ledger: schema_version is not a version");
		return -1;
	}
	return 0;
}

/* Switches a ledger to write-ahead logging (a no-op once it is).  Two
 * ingests starting on a new ledger race for the switch, and SQLite
 * answers the loser SQLITE_BUSY at once, without its busy handler, so
 * the switch is retried here for as long as the busy timeout. */
static int set_wal(sqlite3 *h)
{
	int rc = SQLITE_BUSY;
	for (int waited_ms = 0; waited_ms <= LEDGER_BUSY_MS; waited_ms += 10) {
		rc = sqlite3_exec(h, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
		if ((rc & 0xff) != SQLITE_BUSY)
			break;
		sqlite3_sleep(10);
	}
	return rc;
}

/* The URI that opens path read-only for a reader ("file:l.db?mode=ro"),
 * every byte but unreserved ones and "/" percent-encoded; with `extra`
 * ("&immutable=1") appended.  A new string the caller frees. */
static char *reader_uri(const char *path, const char *extra)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, path[0] == '/' ? "file://" : "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("/-._~", *p))
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	buf_printf(&b, "?mode=ro%s", extra);
	return buf_detach(&b);
}

/* The size of path + suffix, or -1 when it does not exist. */
static long long companion_size(const char *path, const char *suffix)
{
	char *p = xasprintf("%s%s", path, suffix);
	struct stat st;
	long long size = lstat(p, &st) == 0 ? (long long)st.st_size : -1;
	free(p);
	return size;
}

/*
 * Opens a ledger for a reader, who may have no right to write it or its
 * directory, so that it creates nothing: SQLite would otherwise make the
 * -wal and -shm files of a WAL-mode database, owned by the reader, which
 * then stop the owner's next ingest (and fail in a directory the reader
 * cannot write).
 *
 *  - With the write-ahead log and its index beside the ledger (writers
 *    keep them, see ledger_open), a plain read-only connection uses
 *    them: it sees every committed transaction and shares the ledger
 *    with a writer the usual way.
 *  - With no log (or an empty one) and no index, every committed
 *    transaction is in the file itself: it is opened immutable, which
 *    reads it as it stands and touches nothing else.  (A ledger handed
 *    over or archived alone, or one no sircomm has written since
 *    keeping its log.)
 *  - A log with content but no index cannot be read without building
 *    one, which a reader does not do: refused, saying so.
 */
static int open_reader(const char *path, sqlite3 **out, struct diag *d)
{
	*out = NULL;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		diag_error(d, path, 0, "cannot open the ledger: %s", strerror(errno));
		return -1;
	}
	close(fd);
	long long wal = companion_size(path, "-wal"), shm = companion_size(path, "-shm");
	if (wal > 0 && shm < 0) {
		diag_error(d, path, 0, "cannot read the ledger: its write-ahead log %s-wal holds "
			   "transactions but its index %s-shm is missing, and a reader does not make "
			   "one: let its owner run sircomm ingest on it", path, path);
		return -1;
	}
	char *uri = reader_uri(path, wal >= 0 && shm >= 0 ? "" : "&immutable=1");
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(uri, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW,
				 NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		char *why = h ? sqlite_why(h) : xstrdup("out of memory");
		diag_error(d, path, 0, "cannot open the ledger: %s", why);
		free(why);
		sqlite3_close(h);
		return -1;
	}
	*out = h;
	return 0;
}

/* After a writer could not use the ledger: names a file of it (or its
 * directory) that this user may not write, the usual cause, with its
 * owner: a -wal or -shm left by another user's reader of an older
 * sircomm, a ledger owned by someone else. */
static void explain_unwritable(const char *path, struct diag *d)
{
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char *p = xasprintf("%s%s", path, suffixes[i]);
		struct stat st;
		if (lstat(p, &st) == 0 && access(p, W_OK) != 0) {
			diag_add(d, DIAG_NOTE, p, 0, "this user (uid %ld) may not write it; it belongs to "
				 "uid %ld", (long)geteuid(), (long)st.st_uid);
			free(p);
			return;
		}
		free(p);
	}
}

int ledger_open(const char *path, enum ledger_mode mode, sqlite3 **db, struct diag *d)
{
	*db = NULL;
	sqlite3 *h = NULL;
	if (mode == LEDGER_READ_ONLY) {
		if (open_reader(path, &h, d) != 0)
			return -1;
	} else if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				   SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		char *why = h ? sqlite_why(h) : xstrdup("out of memory");
		diag_error(d, path, 0, "cannot open the ledger: %s", why);
		free(why);
		sqlite3_close(h);
		return -1;
	}
	sqlite3_busy_timeout(h, LEDGER_BUSY_MS);
	sqlite3_extended_result_codes(h, 1);
	int version;
	if (schema_version(h, path, &version, d) != 0) {
		sqlite3_close(h);
		return -1;
	}
	if (version > LEDGER_SCHEMA_VERSION) {
		diag_error(d, path, 0, "the ledger has schema version %d, newer than this sircomm's %d: "
			   "use a newer sircomm", version, LEDGER_SCHEMA_VERSION);
		sqlite3_close(h);
		return -1;
	}
	if (mode == LEDGER_READ_ONLY) {
		if (version == 0) {
			diag_error(d, path, 0, "not a sircomm ledger: the database is empty");
			sqlite3_close(h);
			return -1;
		}
		if (version < LEDGER_SCHEMA_VERSION) {
			diag_error(d, path, 0, "the ledger has schema version %d: open it once read-write "
				   "(sircomm ingest) to migrate it to %d", version, LEDGER_SCHEMA_VERSION);
			sqlite3_close(h);
			return -1;
		}
		sqlite3_exec(h, "PRAGMA query_only = ON", NULL, NULL, NULL);
		*db = h;
		return 0;
	}
	/* The write-ahead log and its index stay beside the ledger when the
	 * last writer closes (emptied, and owned by whoever owns the ledger),
	 * so that a reader never has to make them: see open_reader. */
	int persist = 1;
	if (set_wal(h) != SQLITE_OK ||
	    sqlite3_file_control(h, "main", SQLITE_FCNTL_PERSIST_WAL, &persist) != SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; "
			 "PRAGMA journal_size_limit = 4194304;", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		int code = sqlite3_extended_errcode(h);
		diag_error(d, path, 0, "cannot use the ledger: %s",
			   failure_reason(h, code, last_errno(h)));
		explain_unwritable(path, d);
		sqlite3_close(h);
		return cannot_write(code) ? -2 : -1;
	}
	/* Check again inside the write lock: another process may have created
	 * or migrated it meanwhile. */
	int rc = schema_version(h, path, &version, d);
	if (rc == 0 && version == 0)
		rc = ledger_create_schema(h, d);
	for (int v = version; rc == 0 && v >= 1 && v < LEDGER_SCHEMA_VERSION; v++) {
		char bump[96];
		snprintf(bump, sizeof(bump), "UPDATE meta SET value = '%d' WHERE key = 'schema_version'", v + 1);
		if (sqlite3_exec(h, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(h, bump, NULL, NULL, NULL) != SQLITE_OK) {
			diag_error(d, path, 0, "migrating the ledger from version %d: %s", v, sqlite3_errmsg(h));
			rc = -1;
		}
	}
	if (rc == 0 && sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int code = sqlite3_extended_errcode(h);
		diag_error(d, path, 0, "cannot use the ledger: %s",
			   failure_reason(h, code, last_errno(h)));
		rc = cannot_write(code) ? -2 : -1;
	}
	if (rc != 0) {
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(h);
		return rc;
	}
	*db = h;
	return 0;
}

/* ---- Statements ----------------------------------------------------- */

struct put {
	sqlite3 *db;
	struct diag *d;
	const char *path;
	int rc;
	int code, sys;     /* the first failure's extended code and errno */
};

/* Notes a failed statement: its message, and its codes, which the next
 * statement (a rollback) would reset. */
static void put_failed(struct put *p)
{
	if (p->rc == 0) {
		p->code = sqlite3_extended_errcode(p->db);
		p->sys = last_errno(p->db);
	}
	diag_error(p->d, p->path, 0, "ledger: %s", sqlite3_errmsg(p->db));
	p->rc = -1;
}

static sqlite3_stmt *prepare(struct put *p, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (p->rc == 0 && sqlite3_prepare_v2(p->db, sql, -1, &st, NULL) != SQLITE_OK) {
		put_failed(p);
	}
	return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void bind_time(sqlite3_stmt *st, int i, bool has, int64_t t)
{
	if (has)
		sqlite3_bind_int64(st, i, t);
	else
		sqlite3_bind_null(st, i);
}

/* Steps a statement to completion, then resets it for the next row. */
static void run(struct put *p, sqlite3_stmt *st)
{
	if (!st || p->rc != 0)
		return;
	if (sqlite3_step(st) != SQLITE_DONE) {
		put_failed(p);
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void exec(struct put *p, const char *sql)
{
	if (p->rc == 0 && sqlite3_exec(p->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		put_failed(p);
	}
}

static const struct rec_event *first_of(const struct record *rec, enum rec_event_type t)
{
	for (size_t i = 0; i < rec->n_events; i++)
		if (rec->events[i].type == t)
			return &rec->events[i];
	return NULL;
}

static void put_policy(struct put *p, const struct policy *pol)
{
	sqlite3_stmt *st = prepare(p, "INSERT OR IGNORE INTO policies (sha256, name, title, source) "
				      "VALUES (?, ?, ?, ?)");
	if (!st)
		return;
	bind_text(st, 1, pol->sha256_hex);
	bind_text(st, 2, pol->name);
	bind_text(st, 3, pol->title);
	sqlite3_bind_blob(st, 4, pol->source, (int)pol->source_len, SQLITE_STATIC);
	run(p, st);
	sqlite3_finalize(st);
}

static void put_row(struct put *p, const struct record *rec, const struct policy *pol,
		    const struct audit *au)
{
	sqlite3_stmt *st = prepare(p,
		"INSERT INTO incidents (id, title, severity, impact, status, in_scope, users, user_count, "
		"detected_at, comms_started_at, first_deployed_at, resolved_at, audited_at, policy_sha256, "
		"record_sha256, pass, fail, excepted, na, pending, result) "
		"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
	if (!st)
		return;
	unsigned char h[32];
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)rec->source, rec->source_len);
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	const struct rec_event *det = first_of(rec, REC_EV_DETECTED);
	const struct rec_event *res = first_of(rec, REC_EV_RESOLVED);
	const struct rec_event *dep = NULL;
	for (size_t i = 0; i < rec->n_events && !dep; i++)
		if (rec->events[i].type == REC_EV_DEPLOYED)
			for (size_t k = 0; k < rec->events[i].n_artifacts; k++)
				if (pol->artifacts[rec->events[i].artifacts[k]].external)
					dep = &rec->events[i];
	bind_text(st, 1, rec->id);
	bind_text(st, 2, rec->title);
	bind_text(st, 3, pol_severity_name(rec->severity));
	bind_text(st, 4, pol_impact_name(rec->impact));
	bind_text(st, 5, rec_status_name(rec->status));
	sqlite3_bind_int(st, 6, au->in_scope);
	bind_text(st, 7, rec_users_name(rec->users));
	bind_time(st, 8, rec->has_count, (int64_t)rec->count);
	bind_time(st, 9, det != NULL, det ? det->at : 0);
	bind_time(st, 10, au->has_t0, au->t0);
	bind_time(st, 11, dep != NULL, dep ? dep->at : 0);
	bind_time(st, 12, res != NULL, res ? res->at : 0);
	sqlite3_bind_int64(st, 13, au->audited_at);
	bind_text(st, 14, pol->sha256_hex);
	bind_text(st, 15, hex);
	sqlite3_bind_int64(st, 16, (sqlite3_int64)au->counts[AUDIT_PASS]);
	sqlite3_bind_int64(st, 17, (sqlite3_int64)au->counts[AUDIT_FAIL]);
	sqlite3_bind_int64(st, 18, (sqlite3_int64)au->counts[AUDIT_EXCEPTED]);
	sqlite3_bind_int64(st, 19, (sqlite3_int64)au->counts[AUDIT_NA]);
	sqlite3_bind_int64(st, 20, (sqlite3_int64)au->counts[AUDIT_PENDING]);
	bind_text(st, 21, audit_failed(au) ? "fail" : "pass");
	run(p, st);
	sqlite3_finalize(st);
}

static void put_events(struct put *p, const struct record *rec, const struct policy *pol)
{
	sqlite3_stmt *st = prepare(p,
		"INSERT INTO events (incident_id, seq, line, at, utc_offset, type, grp, by, artifacts, "
		"round, channel, cutoff, text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
	struct buf arts = BUF_INIT;
	for (size_t i = 0; st && i < rec->n_events && p->rc == 0; i++) {
		const struct rec_event *ev = &rec->events[i];
		buf_reset(&arts);
		for (size_t k = 0; k < ev->n_artifacts; k++)
			buf_printf(&arts, "%s%s", k ? " " : "", pol->artifacts[ev->artifacts[k]].id);
		bind_text(st, 1, rec->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_int64(st, 3, ev->line);
		sqlite3_bind_int64(st, 4, ev->at);
		sqlite3_bind_int(st, 5, ev->offset);
		bind_text(st, 6, rec_event_type_name(ev->type));
		bind_text(st, 7, ev->group >= 0 ? pol->groups[ev->group].id : NULL);
		bind_text(st, 8, ev->by);
		bind_text(st, 9, ev->n_artifacts ? buf_str(&arts) : NULL);
		bind_text(st, 10, ev->round ? rec_round_name(ev->round) : NULL);
		bind_text(st, 11, ev->channel);
		bind_time(st, 12, ev->has_cutoff, ev->cutoff);
		bind_text(st, 13, ev->text);
		run(p, st);
	}
	buf_free(&arts);
	sqlite3_finalize(st);

	st = prepare(p, "INSERT INTO facts (incident_id, fact, known_at, line) VALUES (?,?,?,?)");
	for (int f = 0; st && f < POL_FACT_COUNT; f++) {
		const struct rec_fact *rf = &rec->facts[f];
		if (!rf->present)
			continue;
		bind_text(st, 1, rec->id);
		bind_text(st, 2, pol_fact_name((enum pol_fact)f));
		bind_time(st, 3, rf->has_at, rf->at);
		sqlite3_bind_int64(st, 4, rf->line);
		run(p, st);
	}
	sqlite3_finalize(st);
}

static void put_findings(struct put *p, const struct record *rec, const struct audit *au)
{
	sqlite3_stmt *st = prepare(p,
		"INSERT INTO findings (incident_id, seq, rule, subject, status, due, met, evidence_lines, "
		"exception_id, retroactive, note) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
	struct buf lines = BUF_INIT;
	for (size_t i = 0; st && i < au->n_findings && p->rc == 0; i++) {
		const struct audit_finding *f = &au->findings[i];
		buf_reset(&lines);
		for (size_t k = 0; k < f->n_evidence; k++)
			buf_printf(&lines, "%s%ld", k ? "," : "", f->evidence[k].line);
		bind_text(st, 1, rec->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		bind_text(st, 3, pol_rule_name(f->rule));
		bind_text(st, 4, f->subject);
		bind_text(st, 5, audit_status_name(f->status));
		bind_time(st, 6, f->has_due, f->due);
		bind_time(st, 7, f->has_met, f->met);
		bind_text(st, 8, buf_str(&lines));
		bind_text(st, 9, f->exception ? f->exception->id : NULL);
		sqlite3_bind_int(st, 10, f->retroactive);
		bind_text(st, 11, f->note);
		run(p, st);
	}
	buf_free(&lines);
	sqlite3_finalize(st);
}

static void metric(struct put *p, sqlite3_stmt *st, const char *id, const char *name,
		   const char *grp, const char *artifact, const char *round,
		   bool has_seconds, int64_t seconds, bool has_count, int64_t count, int within)
{
	bind_text(st, 1, id);
	bind_text(st, 2, name);
	bind_text(st, 3, grp ? grp : "");
	bind_text(st, 4, artifact ? artifact : "");
	bind_text(st, 5, round ? round : "");
	bind_time(st, 6, has_seconds, seconds);
	bind_time(st, 7, has_count, count);
	if (within < 0)
		sqlite3_bind_null(st, 8);
	else
		sqlite3_bind_int(st, 8, within);
	run(p, st);
}

static void put_metrics(struct put *p, const struct record *rec, const struct policy *pol,
			const struct audit *au)
{
	const struct audit_metrics *m = &au->metrics;
	const int64_t window = pol->targets[rec->severity].response;
	sqlite3_stmt *st = prepare(p,
		"INSERT INTO metrics (incident_id, name, grp, artifact, round, seconds, count, within_window) "
		"VALUES (?,?,?,?,?,?,?,?)");
	if (!st)
		return;
	if (m->has_first_draft)
		metric(p, st, rec->id, "first_draft", NULL, NULL, NULL, true, m->first_draft, false, 0, -1);
	for (size_t i = 0; i < m->n_turnaround; i++)
		metric(p, st, rec->id, "turnaround", NULL, m->turnaround[i].artifact, NULL,
		       m->turnaround[i].deployed, m->turnaround[i].seconds, false, 0, -1);
	for (size_t i = 0; i < m->n_responses; i++) {
		const struct audit_response *r = &m->responses[i];
		metric(p, st, rec->id, "response", r->group, r->artifact, rec_round_name(r->round),
		       r->answered, r->seconds, false, 0, r->answered ? r->seconds <= window : 0);
	}
	metric(p, st, rec->id, "backups_engaged", NULL, NULL, NULL, false, 0, true,
	       (int64_t)m->backups_engaged, -1);
	metric(p, st, rec->id, "quorum_deployments", NULL, NULL, NULL, false, 0, true,
	       (int64_t)m->quorum_deployments, -1);
	for (size_t i = 0; i < m->n_gaps; i++)
		metric(p, st, rec->id, "longest_update_gap", m->gaps[i].group, NULL, NULL, true,
		       m->gaps[i].seconds, false, 0, -1);
	sqlite3_finalize(st);
}

static void put_exceptions(struct put *p, const struct record *rec, const struct audit *au)
{
	sqlite3_stmt *st = prepare(p,
		"INSERT INTO exceptions (id, incident_id, rule, subject, requested_by, approved_by, "
		"approved_at, expires, justification, compensating_controls, state, findings_excused) "
		"VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
	for (size_t x = 0; st && x < au->n_exceptions && p->rc == 0; x++) {
		const struct audit_exception_use *u = &au->exceptions[x];
		const struct rec_exception *e = u->exception;
		if (u->standing)
			continue;   /* stored once, by `exceptions import` */
		bind_text(st, 1, e->id);
		bind_text(st, 2, rec->id);
		bind_text(st, 3, pol_rule_name(e->rule));
		bind_text(st, 4, e->subject);
		bind_text(st, 5, e->requested_by);
		bind_text(st, 6, e->approved_by);
		sqlite3_bind_int64(st, 7, e->approved_at);
		bind_time(st, 8, e->has_expires, e->expires);
		bind_text(st, 9, e->justification);
		bind_text(st, 10, e->compensating);
		bind_text(st, 11, audit_exception_state_name(u->state));
		sqlite3_bind_int64(st, 12, (sqlite3_int64)u->n_excused);
		run(p, st);
	}
	sqlite3_finalize(st);
}

/* Stores the incident inside a savepoint; on failure p holds the first
 * failure's codes and the savepoint is rolled back. */
static void put_incident(struct put *p, const struct record *rec, const struct policy *pol,
			 const struct audit *au)
{
	exec(p, "SAVEPOINT put_incident");
	if (p->rc != 0)
		return;
	sqlite3_stmt *del = prepare(p, "DELETE FROM incidents WHERE id = ?");
	if (del) {
		bind_text(del, 1, rec->id);
		run(p, del);
		sqlite3_finalize(del);
	}
	/* Exceptions of this incident go with it; an id used elsewhere is a
	 * conflict the INSERT reports. */
	put_policy(p, pol);
	put_row(p, rec, pol, au);
	put_events(p, rec, pol);
	put_findings(p, rec, au);
	put_metrics(p, rec, pol, au);
	put_exceptions(p, rec, au);
	if (p->rc == 0)
		exec(p, "RELEASE put_incident");
	else
		sqlite3_exec(p->db, "ROLLBACK TO put_incident; RELEASE put_incident", NULL, NULL, NULL);
}

int ledger_put_incident(sqlite3 *db, const struct record *rec, const struct policy *pol,
			const struct audit *au, struct diag *d)
{
	struct put p = { db, d, rec->path, 0, 0, 0 };
	put_incident(&p, rec, pol, au);
	return p.rc;
}

enum ledger_put ledger_ingest(sqlite3 *db, const char *path, const struct record *rec,
			      const struct policy *pol, const struct audit *au, bool *replaced,
			      struct diag *d)
{
	*replaced = false;
	/* Messages about the record are kept aside: when the ledger itself
	 * failed, one line with the real reason says more. */
	struct diag aside = DIAG_INIT;
	struct put p = { db, &aside, rec->path, 0, 0, 0 };
	exec(&p, "BEGIN IMMEDIATE");
	sqlite3_stmt *had = prepare(&p, "SELECT 1 FROM incidents WHERE id = ?");
	if (had) {
		bind_text(had, 1, rec->id);
		int rc = sqlite3_step(had);
		if (rc == SQLITE_ROW)
			*replaced = true;
		else if (rc != SQLITE_DONE)
			put_failed(&p);
		sqlite3_finalize(had);
	}
	put_incident(&p, rec, pol, au);
	exec(&p, "COMMIT");
	if (p.rc == 0) {
		diag_free(&aside);
		return LEDGER_PUT_OK;
	}
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	*replaced = false;
	enum ledger_put result = LEDGER_PUT_REFUSED;
	if (cannot_write(p.code)) {
		diag_error(d, path, 0, "cannot write the ledger while storing %s: %s", rec->id,
			   failure_reason(db, p.code, p.sys));
		result = LEDGER_PUT_FAILED;
	} else {
		for (size_t i = 0; i < aside.n; i++)
			diag_add(d, aside.items[i].level, aside.items[i].file, aside.items[i].line, "%s",
				 aside.items[i].msg);
	}
	diag_free(&aside);
	return result;
}

int ledger_put_standing(sqlite3 *db, const struct rec_exception *x, size_t n,
			const char *path, struct diag *d)
{
	struct put p = { db, d, path, 0, 0, 0 };
	exec(&p, "SAVEPOINT put_standing");
	if (p.rc != 0)
		return -1;
	sqlite3_stmt *st = prepare(&p,
		"INSERT INTO exceptions (id, incident_id, rule, subject, requested_by, approved_by, "
		"approved_at, expires, justification, compensating_controls, state, findings_excused) "
		"VALUES (?1, NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'standing', 0) "
		"ON CONFLICT (id) WHERE incident_id IS NULL DO UPDATE SET rule = ?2, subject = ?3, "
		"requested_by = ?4, approved_by = ?5, approved_at = ?6, expires = ?7, "
		"justification = ?8, compensating_controls = ?9");
	for (size_t i = 0; st && i < n && p.rc == 0; i++) {
		const struct rec_exception *e = &x[i];
		bind_text(st, 1, e->id);
		bind_text(st, 2, pol_rule_name(e->rule));
		bind_text(st, 3, e->subject);
		bind_text(st, 4, e->requested_by);
		bind_text(st, 5, e->approved_by);
		sqlite3_bind_int64(st, 6, e->approved_at);
		bind_time(st, 7, e->has_expires, e->expires);
		bind_text(st, 8, e->justification);
		bind_text(st, 9, e->compensating);
		run(&p, st);
	}
	sqlite3_finalize(st);
	if (p.rc == 0)
		exec(&p, "RELEASE put_standing");
	else
		sqlite3_exec(db, "ROLLBACK TO put_standing; RELEASE put_standing", NULL, NULL, NULL);
	return p.rc;
}

int ledger_load_standing(sqlite3 *db, struct record **out, struct diag *d)
{
	struct record *rec = xcalloc(1, sizeof(*rec));
	rec->id = "standing";
	rec->title = "standing exceptions";
	rec->path = "ledger";
	sqlite3_stmt *st;
	*out = NULL;
	if (sqlite3_prepare_v2(db,
		"SELECT id, rule, subject, requested_by, approved_by, approved_at, expires, "
		"justification, compensating_controls FROM exceptions WHERE incident_id IS NULL ORDER BY id",
		-1, &st, NULL) != SQLITE_OK) {
		rec_free(rec);
		return sql_error(db, d, "reading standing exceptions");
	}
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (rec->n_exceptions == cap) {
			cap = cap ? cap * 2 : 8;
			struct rec_exception *n = arena_alloc(&rec->arena, cap * sizeof(*n));
			if (rec->n_exceptions)
				memcpy(n, rec->exceptions, rec->n_exceptions * sizeof(*n));
			rec->exceptions = n;
		}
		struct rec_exception *e = &rec->exceptions[rec->n_exceptions++];
		memset(e, 0, sizeof(*e));
		e->id = arena_strdup(&rec->arena, (const char *)sqlite3_column_text(st, 0));
		/* sircomm stores only rule ids it knows; anything else was written
		 * by hand and must not excuse findings of some other rule. */
		const char *rule = (const char *)sqlite3_column_text(st, 1);
		int r = pol_rule_parse(rule);
		if (r < 0) {
			diag_error(d, NULL, 0, "ledger: standing exception '%s' has an unknown rule '%s'",
				   e->id ? e->id : "", rule ? rule : "");
			sqlite3_finalize(st);
			rec_free(rec);
			return -1;
		}
		e->rule = (enum pol_rule)r;
		e->subject = arena_strdup(&rec->arena, (const char *)sqlite3_column_text(st, 2));
		e->requested_by = arena_strdup(&rec->arena, (const char *)sqlite3_column_text(st, 3));
		e->approved_by = arena_strdup(&rec->arena, (const char *)sqlite3_column_text(st, 4));
		e->approved_at = sqlite3_column_int64(st, 5);
		e->has_expires = sqlite3_column_type(st, 6) != SQLITE_NULL;
		e->expires = sqlite3_column_int64(st, 6);
		e->justification = arena_strdup(&rec->arena, (const char *)sqlite3_column_text(st, 7));
		e->compensating = arena_strdup(&rec->arena, (const char *)sqlite3_column_text(st, 8));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rec_free(rec);
		return sql_error(db, d, "reading standing exceptions");
	}
	*out = rec;
	return 0;
}

int ledger_serialize(sqlite3 *db, struct buf *out, struct diag *d)
{
	sqlite3_int64 size = 0;
	unsigned char *bytes = sqlite3_serialize(db, "main", &size, 0);
	if (!bytes)
		return sql_error(db, d, "serializing");
	int rc = buf_append(out, bytes, (size_t)size) == 0 ? 0 : -1;
	sqlite3_free(bytes);
	if (rc != 0)
		diag_error(d, NULL, 0, "ledger: the database is too large to bundle");
	return rc;
}

int ledger_close(sqlite3 *db)
{
	if (!db)
		return 0;
	/* SQLite checkpoints on close only when it is the last connection;
	 * a reader still open then would leave the transactions in the log,
	 * and a copy of the ledger file alone would lack them. */
	if (sqlite3_db_readonly(db, "main") == 0)
		(void)sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	return sqlite3_close(db) == SQLITE_OK ? 0 : -1;
}

/* ---- One read-only statement ------------------------------------------ */

static const char readonly_msg[] =
	"only read-only statements (SELECT, read-only PRAGMA, EXPLAIN) are allowed";

/* Skips white space, semicolons and comments; returns where real SQL
 * starts again (the terminating NUL when none does). */
static const char *skip_empty(const char *s)
{
	for (;;) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v' ||
		    *s == ';') {
			s++;
		} else if (s[0] == '-' && s[1] == '-') {
			while (*s && *s != '\n')
				s++;
		} else if (s[0] == '/' && s[1] == '*') {
			const char *end = strstr(s + 2, "*/");
			/* SQLite ends an unterminated comment at the end of input. */
			s = end ? end + 2 : s + strlen(s);
		} else {
			return s;
		}
	}
}

/* Prepares the one statement of sql into *out, or says why not. */
static int prepare_one(sqlite3 *db, const char *sql, sqlite3_stmt **out, int *error_at,
		       struct diag *d)
{
	sqlite3_stmt *st = NULL;
	const char *rest = skip_empty(sql);
	while (!st && *rest) {
		const char *tail = NULL;
		if (sqlite3_prepare_v2(db, rest, -1, &st, &tail) != SQLITE_OK) {
			diag_error(d, "query", 0, "%s", sqlite3_errmsg(db));
#if SQLITE_VERSION_NUMBER >= 3038000
			if (sqlite3_error_offset(db) >= 0)
				*error_at = (int)(rest - sql) + sqlite3_error_offset(db);
#endif
			return -1;
		}
		rest = skip_empty(tail ? tail : "");
	}
	if (!st) {
		diag_error(d, "query", 0, "no SQL statement given (only white space and comments)");
		return -1;
	}
	if (*rest) {
		diag_error(d, "query", 0, "only one SQL statement is allowed, and more follows the first");
		*error_at = (int)(rest - sql);
		sqlite3_finalize(st);
		return -1;
	}
	if (!sqlite3_stmt_readonly(st)) {
		diag_error(d, "query", 0, "%s", readonly_msg);
		sqlite3_finalize(st);
		return -1;
	}
	*out = st;
	return 0;
}

int ledger_query(sqlite3 *db, const char *sql, ledger_row_fn *fn, void *ud, int *error_at,
		 struct diag *d)
{
	*error_at = -1;
	sqlite3_stmt *st = NULL;
	if (prepare_one(db, sql, &st, error_at, d) != 0)
		return -1;
	int ncol = sqlite3_column_count(st);
	const char **names = xcalloc((size_t)ncol + 1, sizeof(*names));
	struct ledger_value *values = xcalloc((size_t)ncol + 1, sizeof(*values));
	for (int i = 0; i < ncol; i++) {
		const char *name = sqlite3_column_name(st, i);
		names[i] = name ? name : "";
	}
	int stop = fn(ud, ncol, names, NULL), rc = SQLITE_DONE;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncol; i++) {
			struct ledger_value *v = &values[i];
			int type = sqlite3_column_type(st, i);
			v->type = type == SQLITE_INTEGER ? LEDGER_INTEGER : type == SQLITE_FLOAT ? LEDGER_FLOAT
				: type == SQLITE_TEXT ? LEDGER_TEXT : type == SQLITE_BLOB ? LEDGER_BLOB
				: LEDGER_NULL;
			v->data = type == SQLITE_NULL ? NULL : type == SQLITE_BLOB ? sqlite3_column_blob(st, i)
				: (const char *)sqlite3_column_text(st, i);
			v->len = type == SQLITE_NULL ? 0 : (size_t)sqlite3_column_bytes(st, i);
			if (!v->data)
				v->data = "";
		}
		stop = fn(ud, ncol, names, values);
	}
	int status = stop;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		diag_error(d, "query", 0, "%s", sqlite3_errmsg(db));
		status = -1;
	}
	free(names);
	free(values);
	sqlite3_finalize(st);
	return status;
}
