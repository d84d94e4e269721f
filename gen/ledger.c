/* ledger.c - the SQLite schema and storing audited incidents. */
#include "ledger.h"

#include <stdio.h>
#include <string.h>

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

static int schema_version(sqlite3 *db, const char *path, int *version, struct diag *d)
{
	sqlite3_stmt *st;
	*version = 0;
	int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		diag_error(d, path, 0, "not a sircomm ledger: %s", sqlite3_errmsg(db));
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

int ledger_open(const char *path, enum ledger_mode mode, sqlite3 **db, struct diag *d)
{
	*db = NULL;
	sqlite3 *h = NULL;
	int flags = mode == LEDGER_READ_ONLY ? SQLITE_OPEN_READONLY
					     : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &h, flags | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		diag_error(d, path, 0, "cannot open the ledger: %s", h ? sqlite3_errmsg(h) : "out of memory");
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
	if (set_wal(h) != SQLITE_OK ||
	    sqlite3_exec(h, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		diag_error(d, path, 0, "cannot use the ledger: %s", sqlite3_errmsg(h));
		sqlite3_close(h);
		return -1;
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
		diag_error(d, path, 0, "cannot use the ledger: %s", sqlite3_errmsg(h));
		rc = -1;
	}
	if (rc != 0) {
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(h);
		return -1;
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
};

static sqlite3_stmt *prepare(struct put *p, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (p->rc == 0 && sqlite3_prepare_v2(p->db, sql, -1, &st, NULL) != SQLITE_OK) {
		diag_error(p->d, p->path, 0, "ledger: %s", sqlite3_errmsg(p->db));
		p->rc = -1;
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
		diag_error(p->d, p->path, 0, "ledger: %s", sqlite3_errmsg(p->db));
		p->rc = -1;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void exec(struct put *p, const char *sql)
{
	if (p->rc == 0 && sqlite3_exec(p->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		diag_error(p->d, p->path, 0, "ledger: %s", sqlite3_errmsg(p->db));
		p->rc = -1;
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

int ledger_put_incident(sqlite3 *db, const struct record *rec, const struct policy *pol,
			const struct audit *au, struct diag *d)
{
	struct put p = { db, d, rec->path, 0 };
	exec(&p, "SAVEPOINT put_incident");
	if (p.rc != 0)
		return -1;
	sqlite3_stmt *del = prepare(&p, "DELETE FROM incidents WHERE id = ?");
	if (del) {
		bind_text(del, 1, rec->id);
		run(&p, del);
		sqlite3_finalize(del);
	}
	/* Exceptions of this incident go with it; an id used elsewhere is a
	 * conflict the INSERT reports. */
	put_policy(&p, pol);
	put_row(&p, rec, pol, au);
	put_events(&p, rec, pol);
	put_findings(&p, rec, au);
	put_metrics(&p, rec, pol, au);
	put_exceptions(&p, rec, au);
	if (p.rc == 0) {
		exec(&p, "RELEASE put_incident");
	} else {
		sqlite3_exec(db, "ROLLBACK TO put_incident; RELEASE put_incident", NULL, NULL, NULL);
	}
	return p.rc;
}

int ledger_put_standing(sqlite3 *db, const struct rec_exception *x, size_t n,
			const char *path, struct diag *d)
{
	struct put p = { db, d, path, 0 };
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
