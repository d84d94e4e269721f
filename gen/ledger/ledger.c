/* ledger.c - the ledger's handle: the SQLite schema, opening a ledger
 * file for a reader or a writer, closing it, and the helpers every
 * statement of the module goes through. */
#include "ledger/ledger.h"
#include "ledger_int.h"
#include "rollup_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

/* How long a writer waits for another to finish before giving up. */
#define LEDGER_BUSY_MS 30000

/* ---- The schema --------------------------------------------------------- */

/*
 * Schema version 5 keeps an incident in about a quarter of the bytes of
 * version 4 (docs/ledger.md, "Tables"):
 *
 *  - the record itself, zlib-compressed as an SQLite Archive stores a
 *    file (`records`), in place of 120 or so rows of `events`;
 *  - findings and metrics in `finding_rows` and `metric_rows`, keyed by
 *    the incident's integer `key`, their words (rule ids, groups,
 *    artifacts, rounds) as codes of `names`, the status as a number; the
 *    views `findings` and `metrics` show them as version 4's tables did;
 *  - no note with a finding: `sircomm audit` of the stored record words
 *    it (a ledger migrated from version 4 keeps the notes it had).
 *
 * Name 1 is always NOTIFY: the partial index the regulators' report
 * statements read selects that rule by its code.
 */

/* The view of finding_rows under version 4's name and columns. */
#define FINDINGS_VIEW \
	"CREATE VIEW findings AS\n" \
	"SELECT i.id AS incident_id, f.seq, r.name AS rule, s.name AS subject,\n" \
	"       CASE f.status WHEN 0 THEN 'pass' WHEN 1 THEN 'fail' WHEN 2 THEN 'excepted'\n" \
	"                     WHEN 3 THEN 'n/a' ELSE 'pending' END AS status,\n" \
	"       f.due, f.met, f.evidence_lines, f.exception_id, f.retroactive, f.note\n" \
	"FROM finding_rows f\n" \
	"JOIN incidents i ON i.key = f.incident\n" \
	"JOIN names r ON r.code = f.rule\n" \
	"JOIN names s ON s.code = f.subject;\n"

#define METRICS_VIEW \
	"CREATE VIEW metrics AS\n" \
	"SELECT i.id AS incident_id, n.name, g.name AS grp, a.name AS artifact, r.name AS round,\n" \
	"       m.seconds, m.count, m.within_window\n" \
	"FROM metric_rows m\n" \
	"JOIN incidents i ON i.key = m.incident\n" \
	"JOIN names n ON n.code = m.name\n" \
	"JOIN names g ON g.code = m.grp\n" \
	"JOIN names a ON a.code = m.artifact\n" \
	"JOIN names r ON r.code = m.round;\n"

/* The tables of version 5's own (a ledger migrated from 4 makes them
 * too), apart from incidents. */
#define COMPACT_TABLES \
	"CREATE TABLE names (\n" \
	"  code INTEGER PRIMARY KEY,\n" \
	"  name TEXT NOT NULL UNIQUE\n" \
	");\n" \
	"INSERT INTO names (code, name) VALUES (1, 'NOTIFY');\n" \
	"CREATE TABLE records (\n" \
	"  incident INTEGER PRIMARY KEY REFERENCES incidents(key) ON DELETE CASCADE,\n" \
	"  size INTEGER NOT NULL,\n" \
	"  data BLOB NOT NULL\n" \
	");\n" \
	"CREATE TABLE finding_rows (\n" \
	"  incident INTEGER NOT NULL REFERENCES incidents(key) ON DELETE CASCADE,\n" \
	"  seq INTEGER NOT NULL,\n" \
	"  rule INTEGER NOT NULL,\n" \
	"  subject INTEGER NOT NULL,\n" \
	"  status INTEGER NOT NULL CHECK (status >= 0 AND status <= 4),\n" \
	"  due INTEGER,\n" \
	"  met INTEGER,\n" \
	"  evidence_lines TEXT NOT NULL,\n" \
	"  exception_id TEXT,\n" \
	"  retroactive INTEGER NOT NULL,\n" \
	"  note TEXT,\n" \
	"  PRIMARY KEY (incident, seq)\n" \
	") WITHOUT ROWID;\n" \
	"CREATE TABLE metric_rows (\n" \
	"  incident INTEGER NOT NULL REFERENCES incidents(key) ON DELETE CASCADE,\n" \
	"  name INTEGER NOT NULL,\n" \
	"  grp INTEGER NOT NULL,\n" \
	"  artifact INTEGER NOT NULL,\n" \
	"  round INTEGER NOT NULL,\n" \
	"  seconds INTEGER,\n" \
	"  count INTEGER,\n" \
	"  within_window INTEGER,\n" \
	"  PRIMARY KEY (incident, name, grp, artifact, round)\n" \
	") WITHOUT ROWID;\n"

/* Since schema version 5 the report reads the rollups below, not the
 * incidents of a period: incidents_by_start only serves a query of
 * one's own over a period (it held every figure of the report, for the
 * report, in versions 2 to 4).  An incident's failed findings are read
 * by its key, the first column of finding_rows's primary key, when its
 * rollups are computed; its excused ones, few, by findings_excused. */
#define REPORT_INDEXES \
	"CREATE INDEX incidents_by_start ON incidents (comms_started_at);\n"
#define FINDINGS_INDEXES \
	"CREATE INDEX findings_excused ON finding_rows (incident, exception_id, rule, retroactive) " \
	"WHERE exception_id IS NOT NULL;\n" \
	"CREATE INDEX findings_notify ON finding_rows (due, subject, status, met, incident, " \
	"exception_id) WHERE rule = 1;\n" \
	"CREATE INDEX findings_by_exception ON finding_rows (exception_id, incident, seq, rule, " \
	"subject) WHERE exception_id IS NOT NULL;\n"

/* The CHECKs list their values with OR, not IN: SQLite builds a
 * temporary b-tree for an IN list each time it checks a row, which
 * made storing the findings cost two and a half times as much.  A ledger
 * migrated from version 1 keeps version 1's IN lists (the same rule,
 * checked more slowly). */

/* The columns of incidents after its key, in version 4's order (the
 * migration to 5 copies them). */
#define INCIDENT_COLUMNS \
	"id, title, severity, impact, status, in_scope, users, user_count, detected_at, " \
	"comms_started_at, first_deployed_at, resolved_at, audited_at, policy_sha256, record_sha256, " \
	"pass, fail, excepted, na, pending, result, first_draft, backups_engaged, quorum_deployments, " \
	"turnaround_met, turnaround_missed, turnaround_excepted, turnaround_pending"

#define INCIDENTS_TABLE(name) \
	"CREATE TABLE " name " (\n" \
	"  key INTEGER PRIMARY KEY,\n" \
	"  id TEXT NOT NULL UNIQUE,\n" \
	"  title TEXT NOT NULL,\n" \
	"  severity TEXT NOT NULL\n" \
	"    CHECK (severity = 'S1' OR severity = 'S2' OR severity = 'S3' OR severity = 'S4'),\n" \
	"  impact TEXT NOT NULL,\n" \
	"  status TEXT NOT NULL,\n" \
	"  in_scope INTEGER NOT NULL,\n" \
	"  users TEXT NOT NULL,\n" \
	"  user_count INTEGER,\n" \
	"  detected_at INTEGER,\n" \
	"  comms_started_at INTEGER,\n" \
	"  first_deployed_at INTEGER,\n" \
	"  resolved_at INTEGER,\n" \
	"  audited_at INTEGER NOT NULL,\n" \
	"  policy_sha256 TEXT NOT NULL REFERENCES policies(sha256),\n" \
	"  record_sha256 TEXT NOT NULL,\n" \
	"  pass INTEGER NOT NULL, fail INTEGER NOT NULL, excepted INTEGER NOT NULL,\n" \
	"  na INTEGER NOT NULL, pending INTEGER NOT NULL,\n" \
	"  result TEXT NOT NULL CHECK (result = 'pass' OR result = 'fail'),\n" \
	"  first_draft INTEGER,\n" \
	"  backups_engaged INTEGER NOT NULL DEFAULT 0,\n" \
	"  quorum_deployments INTEGER NOT NULL DEFAULT 0,\n" \
	"  turnaround_met INTEGER NOT NULL DEFAULT 0,\n" \
	"  turnaround_missed INTEGER NOT NULL DEFAULT 0,\n" \
	"  turnaround_excepted INTEGER NOT NULL DEFAULT 0,\n" \
	"  turnaround_pending INTEGER NOT NULL DEFAULT 0\n" \
	");\n"

/* The report's rollups (schema version 5): what the report counts and
 * sums of the incidents whose communications started in one span of
 * time, by the keys of each figure and its distinct values, so that a
 * report over a period reads a few ranges of spans whatever the number
 * of incidents in it.  A span is a UTC day (`span` 'day', `day` its
 * number: comms_started_at / 86400, rounded down) or a calendar month
 * (`span` 'month', `day` the number of its first day); each incident is
 * counted once in its day and once in its month, and a period reads its
 * whole months from the month rows and the days before and after them
 * from the day rows.  rollup.c keeps them (an incident's contribution
 * added after it is stored, taken away before it is deleted or
 * replaced) and fills them when a ledger is migrated.  A figure's count
 * column is never 0: a row whose count falls to 0 is deleted.  No time
 * is NULL in a key: not deployed and not answered are `deployed = 0`
 * and `answered = 0` with `seconds = 0`.  Every table but
 * rollup_incidents and rollup_no_comms holds in-scope incidents only, as
 * the figures they feed count only those. */
#define ROLLUP_SQL \
	"CREATE TABLE rollup_incidents (\n" \
	"  span TEXT NOT NULL,\n" \
	"  day INTEGER NOT NULL,\n" \
	"  severity TEXT NOT NULL,\n" \
	"  in_scope INTEGER NOT NULL,\n" \
	"  result TEXT NOT NULL,\n" \
	"  incidents INTEGER NOT NULL,\n" \
	"  turnaround_met INTEGER NOT NULL,\n" \
	"  turnaround_missed INTEGER NOT NULL,\n" \
	"  turnaround_excepted INTEGER NOT NULL,\n" \
	"  turnaround_pending INTEGER NOT NULL,\n" \
	"  backups_engaged INTEGER NOT NULL,\n" \
	"  with_backups INTEGER NOT NULL,\n" \
	"  quorum_deployments INTEGER NOT NULL,\n" \
	"  with_quorum INTEGER NOT NULL,\n" \
	"  PRIMARY KEY (span, day, severity, in_scope, result)\n" \
	") WITHOUT ROWID;\n" \
	"CREATE TABLE rollup_no_comms (\n" \
	"  span TEXT NOT NULL,\n" \
	"  day INTEGER NOT NULL,\n" \
	"  incidents INTEGER NOT NULL,\n" \
	"  PRIMARY KEY (span, day)\n" \
	") WITHOUT ROWID;\n" \
	"CREATE TABLE rollup_first_draft (\n" \
	"  span TEXT NOT NULL,\n" \
	"  day INTEGER NOT NULL,\n" \
	"  severity TEXT NOT NULL,\n" \
	"  seconds INTEGER NOT NULL,\n" \
	"  incidents INTEGER NOT NULL,\n" \
	"  PRIMARY KEY (span, day, severity, seconds)\n" \
	") WITHOUT ROWID;\n" \
	"CREATE TABLE rollup_turnaround (\n" \
	"  span TEXT NOT NULL,\n" \
	"  day INTEGER NOT NULL,\n" \
	"  severity TEXT NOT NULL,\n" \
	"  deployed INTEGER NOT NULL,\n" \
	"  seconds INTEGER NOT NULL,\n" \
	"  artifacts INTEGER NOT NULL,\n" \
	"  PRIMARY KEY (span, day, severity, deployed, seconds)\n" \
	") WITHOUT ROWID;\n" \
	"CREATE TABLE rollup_responses (\n" \
	"  span TEXT NOT NULL,\n" \
	"  day INTEGER NOT NULL,\n" \
	"  grp TEXT NOT NULL,\n" \
	"  round TEXT NOT NULL,\n" \
	"  answered INTEGER NOT NULL,\n" \
	"  seconds INTEGER NOT NULL,\n" \
	"  requests INTEGER NOT NULL,\n" \
	"  in_window INTEGER NOT NULL,\n" \
	"  PRIMARY KEY (span, day, grp, round, answered, seconds)\n" \
	") WITHOUT ROWID;\n" \
	"CREATE TABLE rollup_failures (\n" \
	"  span TEXT NOT NULL,\n" \
	"  day INTEGER NOT NULL,\n" \
	"  rule TEXT NOT NULL,\n" \
	"  findings INTEGER NOT NULL,\n" \
	"  incidents INTEGER NOT NULL,\n" \
	"  PRIMARY KEY (span, day, rule)\n" \
	") WITHOUT ROWID;\n" \
	"CREATE TABLE rollup_exceptions (\n" \
	"  span TEXT NOT NULL,\n" \
	"  day INTEGER NOT NULL,\n" \
	"  exception TEXT NOT NULL,\n" \
	"  kind TEXT NOT NULL,\n" \
	"  rule TEXT NOT NULL,\n" \
	"  findings INTEGER NOT NULL,\n" \
	"  incidents INTEGER NOT NULL,\n" \
	"  retroactive INTEGER NOT NULL,\n" \
	"  PRIMARY KEY (span, day, exception, kind, rule)\n" \
	") WITHOUT ROWID;\n"

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
	INCIDENTS_TABLE("incidents")
	REPORT_INDEXES
	"CREATE TABLE facts (\n"
	"  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,\n"
	"  fact TEXT NOT NULL,\n"
	"  known_at INTEGER,\n"
	"  line INTEGER NOT NULL,\n"
	"  PRIMARY KEY (incident_id, fact)\n"
	") WITHOUT ROWID;\n"
	"CREATE TABLE notifications (\n"
	"  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,\n"
	"  seq INTEGER NOT NULL,\n"
	"  line INTEGER NOT NULL,\n"
	"  at INTEGER NOT NULL,\n"
	"  utc_offset INTEGER NOT NULL,\n"
	"  regime TEXT NOT NULL,\n"
	"  stage TEXT NOT NULL,\n"
	"  authority TEXT NOT NULL,\n"
	"  reference TEXT,\n"
	"  text TEXT,\n"
	"  PRIMARY KEY (incident_id, seq)\n"
	") WITHOUT ROWID;\n";

/* Apart from the rest, as C17 only promises string literals of 4095
 * characters. */
static const char schema_compact_sql[] = COMPACT_TABLES FINDINGS_INDEXES;
static const char schema_views_sql[] = FINDINGS_VIEW METRICS_VIEW;

static const char schema_exceptions_sql[] =
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
	"CREATE INDEX exceptions_by_expiry ON exceptions (expires);\n";

/* Apart from the rest, as C17 only promises string literals of 4095
 * characters. */
static const char schema_rollup_sql[] = ROLLUP_SQL;

static int sql_error(sqlite3 *db, struct diag *d, const char *what)
{
	diag_error(d, NULL, 0, "ledger: %s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
	return -1;
}

/* ---- Faults ------------------------------------------------------------- */

bool ledger_cannot_write(int code)
{
	switch (code & 0xff) {
	case SQLITE_FULL: case SQLITE_IOERR: case SQLITE_CORRUPT: case SQLITE_NOTADB:
	case SQLITE_READONLY: case SQLITE_BUSY: case SQLITE_LOCKED: case SQLITE_CANTOPEN:
	case SQLITE_PERM: case SQLITE_NOMEM: case SQLITE_PROTOCOL:
		return true;
	}
	return false;
}

/* SQLite keeps the errno on the connection only for some failures; a
 * write that fails while committing keeps it on the file that failed,
 * the write-ahead log (the journal), or the database file. */
int ledger_last_errno(sqlite3 *db)
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

/* SQLite says only "disk I/O error" for every failed write. */
const char *ledger_failure_reason(sqlite3 *db, int code, int sys)
{
	int c = code & 0xff;
	if (sys && (c == SQLITE_IOERR || c == SQLITE_FULL || c == SQLITE_CANTOPEN))
		return strerror(sys);
	return db ? sqlite3_errstr(code) : "out of memory";
}

/* ---- The stored records --------------------------------------------------- */

/* sqlar_uncompress(data, size): a record of `records` as it was
 * ingested, under the name and with the behaviour of the sqlite3
 * shell's function for SQLite Archives, so that one query works in both:
 * data as it is when its length is size, else zlib's uncompress() of it
 * into size bytes; an error when that fails. */
static void sqlar_uncompress(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	const void *data = sqlite3_value_blob(argv[0]);
	int len = sqlite3_value_bytes(argv[0]);
	sqlite3_int64 size = sqlite3_value_int64(argv[1]);
	if (size == len) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	if (size < 0 || size > 1 << 30) {
		sqlite3_result_error(ctx, "sqlar_uncompress: the size is not a record's", -1);
		return;
	}
	unsigned char *out = sqlite3_malloc64((sqlite3_uint64)size + 1);
	uLongf n = (uLongf)size;
	if (!out) {
		sqlite3_result_error_nomem(ctx);
	} else if (uncompress(out, &n, data, (uLong)len) != Z_OK || n != (uLongf)size) {
		sqlite3_result_error(ctx, "sqlar_uncompress: the data is damaged", -1);
		sqlite3_free(out);
	} else {
		sqlite3_result_blob64(ctx, out, (sqlite3_uint64)size, sqlite3_free);
	}
}

static int add_functions(sqlite3 *db)
{
	return sqlite3_create_function(db, "sqlar_uncompress", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				       NULL, sqlar_uncompress, NULL, NULL);
}

/* ---- An incident database in memory ------------------------------------ */

/* Creates the schema in an empty database (in the caller's transaction,
 * if any). */
static int create_schema(sqlite3 *db, struct diag *d)
{
	char version[64];
	snprintf(version, sizeof(version),
		 "INSERT INTO meta (key, value) VALUES ('schema_version', '%d');", LEDGER_SCHEMA_VERSION);
	if (sqlite3_exec(db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, schema_exceptions_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, schema_compact_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, schema_views_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, schema_rollup_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, version, NULL, NULL, NULL) != SQLITE_OK)
		return sql_error(db, d, "creating the schema");
	return 0;
}

/* A new handle for an open connection. */
static struct ledger *new_handle(sqlite3 *db, const char *path, enum ledger_mode mode)
{
	struct ledger *lg = xcalloc(1, sizeof(*lg));
	lg->db = db;
	lg->path = path ? xstrdup(path) : NULL;
	lg->mode = mode;
	return lg;
}

int ledger_open_memory(struct ledger **out, struct diag *d)
{
	*out = NULL;
	sqlite3 *h;
	if (sqlite3_open_v2(":memory:", &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		sql_error(h, d, "opening an in-memory database");
		sqlite3_close(h);
		return -1;
	}
	/* Fixed settings: the bundle's copy must come out the same each time. */
	if (add_functions(h) != SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA page_size = 4096; PRAGMA foreign_keys = ON;", NULL, NULL, NULL) != SQLITE_OK ||
	    create_schema(h, d) != 0) {
		sql_error(h, d, "setting up");
		sqlite3_close(h);
		return -1;
	}
	*out = new_handle(h, NULL, LEDGER_READ_WRITE);
	(*out)->notes = true;   /* one incident: its notes cost nothing */
	return 0;
}

/* ---- Files and migrations ------------------------------------------- */

/* The indexes and tables as the migrations to versions 2, 3 and 4 made
 * them, on version 4's findings table (the migration to 5 replaces
 * them). */
#define V2_REPORT_INDEXES \
	"CREATE INDEX incidents_by_start ON incidents (comms_started_at, detected_at, severity, " \
	"in_scope, result, first_draft, backups_engaged, quorum_deployments, turnaround_met, " \
	"turnaround_missed, turnaround_excepted, turnaround_pending, id);\n"
#define V2_FINDINGS_INDEXES \
	"CREATE INDEX findings_failed ON findings (incident_id, rule, status) WHERE status = 'fail';\n" \
	"CREATE INDEX findings_excused ON findings (incident_id, exception_id, rule, retroactive) " \
	"WHERE exception_id IS NOT NULL;\n"
#define V3_NOTIFICATIONS_SQL \
	"CREATE TABLE notifications (\n" \
	"  incident_id TEXT NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,\n" \
	"  seq INTEGER NOT NULL,\n" \
	"  line INTEGER NOT NULL,\n" \
	"  at INTEGER NOT NULL,\n" \
	"  utc_offset INTEGER NOT NULL,\n" \
	"  regime TEXT NOT NULL,\n" \
	"  stage TEXT NOT NULL,\n" \
	"  authority TEXT NOT NULL,\n" \
	"  reference TEXT,\n" \
	"  text TEXT,\n" \
	"  PRIMARY KEY (incident_id, seq)\n" \
	") WITHOUT ROWID;\n" \
	"CREATE INDEX findings_notify ON findings (due, subject, status, met, incident_id, " \
	"exception_id) WHERE rule = 'NOTIFY';\n"
#define V4_EXCEPTION_FINDINGS_INDEX \
	"CREATE INDEX findings_by_exception ON findings (exception_id, incident_id, seq, rule, " \
	"subject) WHERE exception_id IS NOT NULL;\n"

/* 4 to 5, in three strings (C17's 4095 characters): incidents rebuilt
 * with an integer key (foreign keys are off while a ledger is migrated,
 * so dropping the old table deletes nothing), then findings and metrics
 * moved into their compact tables, with their notes.  The events of the incidents stored so far stay in
 * `events`: their records were never stored, so there is nothing to
 * move them into. */
static const char migrate_5_incidents[] =
	INCIDENTS_TABLE("incidents_v5")
	"INSERT INTO incidents_v5 (key, " INCIDENT_COLUMNS ")\n"
	"  SELECT rowid, " INCIDENT_COLUMNS " FROM incidents ORDER BY rowid;\n"
	"DROP TABLE incidents;\n"
	"ALTER TABLE incidents_v5 RENAME TO incidents;\n"
	REPORT_INDEXES;
static const char migrate_5_rows[] =
	COMPACT_TABLES
	"INSERT OR IGNORE INTO names (name)\n"
	"  SELECT rule FROM findings UNION SELECT subject FROM findings\n"
	"  UNION SELECT name FROM metrics UNION SELECT grp FROM metrics\n"
	"  UNION SELECT artifact FROM metrics UNION SELECT round FROM metrics;\n"
	"INSERT INTO finding_rows\n"
	"  SELECT i.key, f.seq, r.code, s.code,\n"
	"         CASE f.status WHEN 'pass' THEN 0 WHEN 'fail' THEN 1 WHEN 'excepted' THEN 2\n"
	"                       WHEN 'n/a' THEN 3 ELSE 4 END,\n"
	"         f.due, f.met, f.evidence_lines, f.exception_id, f.retroactive, f.note\n"
	"  FROM findings f JOIN incidents i ON i.id = f.incident_id\n"
	"  JOIN names r ON r.name = f.rule JOIN names s ON s.name = f.subject\n"
	"  ORDER BY i.key, f.seq;\n"
	"INSERT INTO metric_rows\n"
	"  SELECT i.key, n.code, g.code, a.code, r.code, m.seconds, m.count, m.within_window\n"
	"  FROM metrics m JOIN incidents i ON i.id = m.incident_id\n"
	"  JOIN names n ON n.name = m.name JOIN names g ON g.name = m.grp\n"
	"  JOIN names a ON a.name = m.artifact JOIN names r ON r.name = m.round\n"
	"  ORDER BY 1, 2, 3, 4, 5;\n"
	"DROP TABLE findings;\n"
	"DROP TABLE metrics;\n";
static const char migrate_5_indexes[] = FINDINGS_INDEXES FINDINGS_VIEW METRICS_VIEW;

/* Forward migrations: migrations[v] turns schema version v into v + 1,
 * in the transaction that opens the ledger for writing. */
static const char *const migrations[LEDGER_SCHEMA_VERSION] = {
	[0] = NULL,
	/* 1 to 2: the per-incident figures of the report as columns of
	 * incidents, filled from the findings and metrics they summarise;
	 * the indexes that make each report statement a range of the
	 * period, in place of three that no statement of sircomm reads any
	 * more. */
	[1] = "ALTER TABLE incidents ADD COLUMN first_draft INTEGER;\n"
	      "ALTER TABLE incidents ADD COLUMN backups_engaged INTEGER NOT NULL DEFAULT 0;\n"
	      "ALTER TABLE incidents ADD COLUMN quorum_deployments INTEGER NOT NULL DEFAULT 0;\n"
	      "ALTER TABLE incidents ADD COLUMN turnaround_met INTEGER NOT NULL DEFAULT 0;\n"
	      "ALTER TABLE incidents ADD COLUMN turnaround_missed INTEGER NOT NULL DEFAULT 0;\n"
	      "ALTER TABLE incidents ADD COLUMN turnaround_excepted INTEGER NOT NULL DEFAULT 0;\n"
	      "ALTER TABLE incidents ADD COLUMN turnaround_pending INTEGER NOT NULL DEFAULT 0;\n"
	      "UPDATE incidents SET\n"
	      "  first_draft = (SELECT seconds FROM metrics m WHERE m.incident_id = incidents.id\n"
	      "                 AND m.name = 'first_draft'),\n"
	      "  backups_engaged = coalesce((SELECT count FROM metrics m\n"
	      "                    WHERE m.incident_id = incidents.id AND m.name = 'backups_engaged'), 0),\n"
	      "  quorum_deployments = coalesce((SELECT count FROM metrics m\n"
	      "                       WHERE m.incident_id = incidents.id AND m.name = 'quorum_deployments'), 0),\n"
	      "  turnaround_met = (SELECT count(*) FROM findings f WHERE f.incident_id = incidents.id\n"
	      "                    AND f.rule = 'TURNAROUND' AND f.status = 'pass'),\n"
	      "  turnaround_missed = (SELECT count(*) FROM findings f WHERE f.incident_id = incidents.id\n"
	      "                       AND f.rule = 'TURNAROUND' AND f.status = 'fail'),\n"
	      "  turnaround_excepted = (SELECT count(*) FROM findings f WHERE f.incident_id = incidents.id\n"
	      "                         AND f.rule = 'TURNAROUND' AND f.status = 'excepted'),\n"
	      "  turnaround_pending = (SELECT count(*) FROM findings f WHERE f.incident_id = incidents.id\n"
	      "                        AND f.rule = 'TURNAROUND' AND f.status = 'pending');\n"
	      "DROP INDEX incidents_by_start;\n"
	      "DROP INDEX incidents_by_severity;\n"
	      "DROP INDEX findings_by_rule;\n"
	      "DROP INDEX metrics_by_name;\n"
	      V2_REPORT_INDEXES
	      V2_FINDINGS_INDEXES,
	/* 2 to 3: the regulators' notifications. */
	V3_NOTIFICATIONS_SQL,
	/* 3 to 4: the register's findings of an exception from the index
	 * alone. */
	"DROP INDEX findings_by_exception;\n"
	V4_EXCEPTION_FINDINGS_INDEX,
	/* 4 to 5: the compact tables (migrate_5_incidents and the two after
	 * it, run first), then the report's rollups, created here and
	 * filled from the incidents stored by migration_fill[4]. */
	ROLLUP_SQL,
};

/* What a migration computes from the rows already stored, after its
 * SQL above has run (NULL: nothing); an SQLite result code. */
static int (*const migration_fill[LEDGER_SCHEMA_VERSION])(sqlite3 *db) = {
	[4] = rollup_fill,
};

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
	int rc = sqlite3_open_v2(uri, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW |
				     SQLITE_OPEN_NOMUTEX,
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

void ledger_global_init(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* Opens the connection of ledger_open; its return values. */
static int open_connection(const char *path, enum ledger_mode mode, sqlite3 **db, struct diag *d)
{
	*db = NULL;
	sqlite3 *h = NULL;
	if (mode == LEDGER_READ_ONLY) {
		if (open_reader(path, &h, d) != 0)
			return -1;
	} else if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				   SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		char *why = h ? sqlite_why(h) : xstrdup("out of memory");
		diag_error(d, path, 0, "cannot open the ledger: %s", why);
		free(why);
		sqlite3_close(h);
		return -1;
	}
	sqlite3_busy_timeout(h, LEDGER_BUSY_MS);
	sqlite3_extended_result_codes(h, 1);
	add_functions(h);
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
	/* A new ledger's pages are 8 KiB: an incident's compressed record
	 * (2 KB or so) then leaves little of a page unused.  (Ignored for a
	 * ledger that exists.)  The log is copied into the ledger (and
	 * synced) once it holds 4,000 pages, not SQLite's 1,000: a writer
	 * waits for each copy, and an index or rollup page changed by many
	 * batches is then copied once for all of them (8 % faster ingest
	 * into a ledger of 100,000). */
	if (sqlite3_exec(h, "PRAGMA page_size = 8192", NULL, NULL, NULL) != SQLITE_OK ||
	    set_wal(h) != SQLITE_OK ||
	    sqlite3_file_control(h, "main", SQLITE_FCNTL_PERSIST_WAL, &persist) != SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA synchronous = NORMAL; PRAGMA journal_size_limit = 4194304;"
			 "PRAGMA wal_autocheckpoint = 4000;", NULL,
			 NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		int code = sqlite3_extended_errcode(h);
		diag_error(d, path, 0, "cannot use the ledger: %s",
			   ledger_failure_reason(h, code, ledger_last_errno(h)));
		explain_unwritable(path, d);
		sqlite3_close(h);
		return ledger_cannot_write(code) ? -2 : -1;
	}
	/* Check again inside the write lock: another process may have created
	 * or migrated it meanwhile. */
	int rc = schema_version(h, path, &version, d);
	if (rc == 0 && version == 0)
		rc = create_schema(h, d);
	for (int v = version; rc == 0 && v >= 1 && v < LEDGER_SCHEMA_VERSION; v++) {
		char bump[96];
		snprintf(bump, sizeof(bump), "UPDATE meta SET value = '%d' WHERE key = 'schema_version'", v + 1);
		bool ok = v != 4 || (sqlite3_exec(h, migrate_5_incidents, NULL, NULL, NULL) == SQLITE_OK &&
				     sqlite3_exec(h, migrate_5_rows, NULL, NULL, NULL) == SQLITE_OK &&
				     sqlite3_exec(h, migrate_5_indexes, NULL, NULL, NULL) == SQLITE_OK);
		if (!ok || sqlite3_exec(h, migrations[v], NULL, NULL, NULL) != SQLITE_OK ||
		    (migration_fill[v] && migration_fill[v](h) != SQLITE_OK) ||
		    sqlite3_exec(h, bump, NULL, NULL, NULL) != SQLITE_OK) {
			diag_error(d, path, 0, "migrating the ledger from version %d: %s", v, sqlite3_errmsg(h));
			rc = -1;
		}
	}
	if (rc == 0 && sqlite3_exec(h, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int code = sqlite3_extended_errcode(h);
		diag_error(d, path, 0, "cannot use the ledger: %s",
			   ledger_failure_reason(h, code, ledger_last_errno(h)));
		rc = ledger_cannot_write(code) ? -2 : -1;
	}
	if (rc != 0) {
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(h);
		return rc;
	}
	/* Foreign keys are enforced from here on: not while migrating, where
	 * a table is rebuilt by dropping the old one. */
	sqlite3_exec(h, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	*db = h;
	return 0;
}

int ledger_open(const char *path, enum ledger_mode mode, struct ledger **out, struct diag *d)
{
	*out = NULL;
	sqlite3 *db;
	int rc = open_connection(path, mode, &db, d);
	if (rc == 0)
		*out = new_handle(db, path, mode);
	return rc;
}

int ledger_close(struct ledger *lg)
{
	if (!lg)
		return 0;
	/* SQLite checkpoints on close only when it is the last connection;
	 * a reader still open then would leave the transactions in the log,
	 * and a copy of the ledger file alone would lack them. */
	for (int i = 0; i < LEDGER_ST_COUNT; i++) {
		sqlite3_finalize(lg->put[i]);
		sqlite3_finalize(lg->put_many[i]);
	}
	sqlite3_finalize(lg->view[0]);
	sqlite3_finalize(lg->view[1]);
	for (int i = 0; i < ROLLUP_ST_COUNT; i++)
		sqlite3_finalize(lg->rollup[i]);
	/* A batch not committed is not kept (see ledger_commit). */
	if (lg->in_batch)
		(void)sqlite3_exec(lg->db, "ROLLBACK", NULL, NULL, NULL);
	if (lg->mode == LEDGER_READ_WRITE && lg->path)
		(void)sqlite3_exec(lg->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	int rc = sqlite3_close(lg->db) == SQLITE_OK ? 0 : -1;
	ledger_forget_names(lg);
	free(lg->pending.d);
	free(lg->pending.stage);
	free(lg->pending.slot);
	buf_free(&lg->pending.text);
	free(lg->batch_first);
	free(lg->batch_last);
	free(lg->path);
	free(lg);
	return rc;
}

void ledger_forget_names(struct ledger *lg)
{
	struct name_cache *c = &lg->names;
	for (size_t i = 0; i < c->cap; i++)
		free(c->slots[i].name);
	free(c->slots);
	memset(c, 0, sizeof(*c));
}

/* ---- Statements that stop at the first failure ------------------------- */

void ledger_failed(struct ledger_run *run)
{
	if (run->rc == 0) {
		run->code = sqlite3_extended_errcode(run->db);
		run->sys = ledger_last_errno(run->db);
	}
	diag_error(run->d, run->path, 0, "ledger: %s", sqlite3_errmsg(run->db));
	run->rc = -1;
}

void ledger_exec(struct ledger_run *run, const char *sql)
{
	if (run->rc == 0 && sqlite3_exec(run->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		ledger_failed(run);
}

sqlite3_stmt *ledger_prepare(struct ledger_run *run, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (run->rc == 0 && sqlite3_prepare_v2(run->db, sql, -1, &st, NULL) != SQLITE_OK)
		ledger_failed(run);
	return st;
}

void ledger_step(struct ledger_run *run, sqlite3_stmt *st, const struct ledger_arg *args,
		 size_t n)
{
	if (!st || run->rc != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const struct ledger_arg *a = &args[i];
		int k = (int)i + 1;
		switch (a->type) {
		case LEDGER_ARG_NULL: sqlite3_bind_null(st, k); break;
		case LEDGER_ARG_INT: sqlite3_bind_int64(st, k, a->i); break;
		case LEDGER_ARG_TEXT: sqlite3_bind_text(st, k, a->p, -1, SQLITE_STATIC); break;
		case LEDGER_ARG_BLOB: sqlite3_bind_blob(st, k, a->p, (int)a->n, SQLITE_STATIC); break;
		}
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		ledger_failed(run);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}


const char *ledger_sqlite_version(void)
{
	return sqlite3_libversion();
}
