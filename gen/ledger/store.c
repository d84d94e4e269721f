/* store.c - one audited incident into the ledger (ingest), or into an
 * incident database of its own (the bundle's incident.sqlite). */
#include "ledger/ledger.h"
#include "ledger_int.h"
#include "rollup_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>
#include <sodium.h>

/* ---- The rows of one incident ------------------------------------------ */

static const struct rec_event *first_of(const struct record *rec, enum rec_event_type t)
{
	for (size_t i = 0; i < rec->n_events; i++)
		if (rec->events[i].type == t)
			return &rec->events[i];
	return NULL;
}

/* The SQL of each statement of enum ledger_put_stmt. */
static const char *const put_sql[LEDGER_ST_COUNT] = {
	[LEDGER_ST_DELETE] = "DELETE FROM incidents WHERE id = ?",
	[LEDGER_ST_POLICY] =
		"INSERT OR IGNORE INTO policies (sha256, name, title, source) VALUES (?, ?, ?, ?)",
	[LEDGER_ST_INCIDENT] =
		"INSERT INTO incidents (id, title, severity, impact, status, in_scope, users, user_count, "
		"detected_at, comms_started_at, first_deployed_at, resolved_at, audited_at, policy_sha256, "
		"record_sha256, pass, fail, excepted, na, pending, result, first_draft, backups_engaged, "
		"quorum_deployments, turnaround_met, turnaround_missed, turnaround_excepted, "
		"turnaround_pending) "
		"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[LEDGER_ST_RECORD] = "INSERT INTO records (incident, size, data) VALUES (?,?,?)",
	[LEDGER_ST_FACT] = "INSERT INTO facts (incident_id, fact, known_at, line) VALUES (?,?,?,?)",
	[LEDGER_ST_FINDING] =
		"INSERT INTO finding_rows (incident, seq, rule, subject, status, due, met, evidence_lines, "
		"exception_id, retroactive, note) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	[LEDGER_ST_METRIC] =
		"INSERT INTO metric_rows (incident, name, grp, artifact, round, seconds, count, within_window) "
		"VALUES (?,?,?,?,?,?,?,?)",
	[LEDGER_ST_NAME_FIND] = "SELECT code FROM names WHERE name = ?",
	[LEDGER_ST_NAME_ADD] = "INSERT INTO names (name) VALUES (?)",
	[LEDGER_ST_EXCEPTION] =
		"INSERT INTO exceptions (id, incident_id, rule, subject, requested_by, approved_by, "
		"approved_at, expires, justification, compensating_controls, state, findings_excused) "
		"VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
};

/* The handle's statement `which`, prepared on first use and kept for
 * the next incidents (ledger_close finalizes it); NULL after a failure. */
static sqlite3_stmt *put_stmt(struct ledger_run *run, struct ledger *lg, enum ledger_put_stmt which)
{
	if (run->rc != 0)
		return NULL;
	if (!lg->put[which] &&
	    sqlite3_prepare_v3(lg->db, put_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &lg->put[which],
			       NULL) != SQLITE_OK)
		ledger_failed(run);
	return lg->put[which];
}

/* The rows of the events and findings tables go in PUT_ROWS at a time,
 * as one INSERT of PUT_ROWS VALUES: SQLite's work per statement run (a
 * statement journal, its cursors) is then paid once per PUT_ROWS rows. */
#define PUT_ROWS 16
#define PUT_MAX_COLS 11   /* a finding's columns */

struct put_rows {
	enum ledger_put_stmt which;
	size_t ncol;                    /* at most PUT_MAX_COLS */
	size_t n;                       /* rows waiting */
	struct ledger_arg args[PUT_ROWS * PUT_MAX_COLS];
	struct buf text[PUT_ROWS];      /* text a row builds (artifacts, lines): row i's is text[i] */
};

/* put_stmt's statement `which` with PUT_ROWS groups of ncol values. */
static sqlite3_stmt *put_stmt_many(struct ledger_run *run, struct ledger *lg,
				   enum ledger_put_stmt which, size_t ncol)
{
	if (run->rc != 0)
		return NULL;
	if (!lg->put_many[which]) {
		struct buf sql = BUF_INIT;
		buf_puts(&sql, put_sql[which]);
		for (size_t r = 1; r < PUT_ROWS; r++) {
			buf_puts(&sql, ",(");
			for (size_t c = 0; c < ncol; c++)
				buf_puts(&sql, c ? ",?" : "?");
			buf_putc(&sql, ')');
		}
		if (sqlite3_prepare_v3(lg->db, buf_str(&sql), -1, SQLITE_PREPARE_PERSISTENT,
				       &lg->put_many[which], NULL) != SQLITE_OK)
			ledger_failed(run);
		buf_free(&sql);
	}
	return lg->put_many[which];
}

/* Stores the rows waiting in r: all in one statement when there are
 * PUT_ROWS of them, else one by one. */
static void rows_flush(struct ledger_run *run, struct ledger *lg, struct put_rows *r)
{
	if (r->n == PUT_ROWS)
		ledger_step(run, put_stmt_many(run, lg, r->which, r->ncol), r->args, PUT_ROWS * r->ncol);
	else
		for (size_t i = 0; i < r->n; i++)
			ledger_step(run, put_stmt(run, lg, r->which), r->args + i * r->ncol, r->ncol);
	r->n = 0;
}

/* Adds a row of r->ncol values (borrowed until the next rows_flush);
 * stores PUT_ROWS of them at a time. */
static void rows_add(struct ledger_run *run, struct ledger *lg, struct put_rows *r,
		     const struct ledger_arg *row)
{
	memcpy(r->args + r->n * r->ncol, row, r->ncol * sizeof(*row));
	if (++r->n == PUT_ROWS)
		rows_flush(run, lg, r);
}

static void rows_free(struct put_rows *r)
{
	for (size_t i = 0; i < PUT_ROWS; i++)
		buf_free(&r->text[i]);
}

/* ---- Names ---------------------------------------------------------------- */

/* The code of a word in names: from the handle's cache, else looked up,
 * else added.  0 after a failure (run says which).  The cache holds only
 * codes committed or made in the open transaction: ledger_forget_names
 * empties it whenever a transaction or savepoint is rolled back. */
static int64_t name_code(struct ledger_run *run, struct ledger *lg, const char *name)
{
	struct name_cache *c = &lg->names;
	if (run->rc != 0)
		return 0;
	uint64_t h = 14695981039346656037ull;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	if (c->cap) {
		for (size_t i = h & (c->cap - 1); c->slots[i].name; i = (i + 1) & (c->cap - 1))
			if (c->slots[i].hash == h && strcmp(c->slots[i].name, name) == 0)
				return c->slots[i].code;
	}
	int64_t code = 0;
	sqlite3_stmt *st = put_stmt(run, lg, LEDGER_ST_NAME_FIND);
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		code = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		ledger_failed(run);
		return 0;
	}
	if (rc == SQLITE_DONE) {
		const struct ledger_arg row[] = { arg_text(name) };
		ledger_step(run, put_stmt(run, lg, LEDGER_ST_NAME_ADD), row, 1);
		if (run->rc != 0)
			return 0;
		code = sqlite3_last_insert_rowid(lg->db);
	}
	if (2 * (c->n + 1) > c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		struct name_slot *slots = xcalloc(cap, sizeof(*slots));
		for (size_t i = 0; i < c->cap; i++)
			if (c->slots[i].name) {
				size_t k = c->slots[i].hash & (cap - 1);
				while (slots[k].name)
					k = (k + 1) & (cap - 1);
				slots[k] = c->slots[i];
			}
		free(c->slots);
		c->slots = slots;
		c->cap = cap;
	}
	size_t k = h & (c->cap - 1);
	while (c->slots[k].name)
		k = (k + 1) & (c->cap - 1);
	c->slots[k] = (struct name_slot){ xstrdup(name), h, code };
	c->n++;
	return code;
}

static void put_policy(struct ledger_run *run, struct ledger *lg, const struct policy *pol)
{
	const struct ledger_arg row[] = {
		arg_text(pol->sha256_hex), arg_text(pol->name), arg_text(pol->title),
		arg_blob(pol->source, pol->source_len),
	};
	ledger_step(run, put_stmt(run, lg, LEDGER_ST_POLICY), row, LEDGER_NARGS(row));
}

/* Stores the incidents row; its key, or 0 after a failure. */
static int64_t put_row(struct ledger_run *run, struct ledger *lg, const struct record *rec,
		       const char *hex, const struct policy *pol, const struct audit *au)
{
	const struct rec_event *det = first_of(rec, REC_EV_DETECTED);
	const struct rec_event *res = first_of(rec, REC_EV_RESOLVED);
	const struct rec_event *dep = NULL;
	for (size_t i = 0; i < rec->n_events && !dep; i++)
		if (rec->events[i].type == REC_EV_DEPLOYED)
			for (size_t k = 0; k < rec->events[i].n_artifacts; k++)
				if (pol->artifacts[rec->events[i].artifacts[k]].external)
					dep = &rec->events[i];
	/* The report's per-incident figures (see the metrics and findings
	 * they summarise). */
	const struct audit_metrics *m = &au->metrics;
	int64_t tat[AUDIT_STATUS_COUNT] = { 0 };
	for (size_t i = 0; i < au->n_findings; i++)
		if (au->findings[i].rule == POL_RULE_TURNAROUND)
			tat[au->findings[i].status]++;
	const struct ledger_arg row[] = {
		arg_text(rec->id), arg_text(rec->title), arg_text(pol_severity_name(rec->severity)),
		arg_text(pol_impact_name(rec->impact)), arg_text(rec_status_name(rec->status)),
		arg_int(au->in_scope), arg_text(rec_users_name(rec->users)),
		arg_opt(rec->has_count, (int64_t)rec->count),
		arg_opt(det != NULL, det ? det->at : 0), arg_opt(au->has_t0, au->t0),
		arg_opt(dep != NULL, dep ? dep->at : 0), arg_opt(res != NULL, res ? res->at : 0),
		arg_int(au->audited_at), arg_text(pol->sha256_hex), arg_text(hex),
		arg_int((int64_t)au->counts[AUDIT_PASS]), arg_int((int64_t)au->counts[AUDIT_FAIL]),
		arg_int((int64_t)au->counts[AUDIT_EXCEPTED]), arg_int((int64_t)au->counts[AUDIT_NA]),
		arg_int((int64_t)au->counts[AUDIT_PENDING]), arg_text(audit_failed(au) ? "fail" : "pass"),
		arg_opt(m->has_first_draft, m->first_draft), arg_int((int64_t)m->backups_engaged),
		arg_int((int64_t)m->quorum_deployments), arg_int(tat[AUDIT_PASS]), arg_int(tat[AUDIT_FAIL]),
		arg_int(tat[AUDIT_EXCEPTED]), arg_int(tat[AUDIT_PENDING]),
	};
	ledger_step(run, put_stmt(run, lg, LEDGER_ST_INCIDENT), row, LEDGER_NARGS(row));
	return run->rc == 0 ? sqlite3_last_insert_rowid(lg->db) : 0;
}

/* The record itself, as an SQLite Archive stores a file: zlib's
 * compress() format, or the bytes as they are when that is no smaller
 * (size = length(data)); the sqlite3 shell reads it back with
 * sqlar_uncompress(data, size).  Made by libdeflate at its level 6:
 * over 1,000 generated records, 1,911 bytes a record in 83 us, where
 * zlib's level 6 took 125 us for 1,968. */
void ledger_record_bytes(const struct record *rec, struct ledger_record_bytes *out)
{
	memset(out, 0, sizeof(*out));
	unsigned char h[32];
	crypto_hash_sha256(h, (const unsigned char *)rec->source, rec->source_len);
	sodium_bin2hex(out->sha256, sizeof(out->sha256), h, sizeof(h));
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
	if (!c)
		abort();   /* 6 is a level; memory comes from xmalloc */
	size_t bound = libdeflate_zlib_compress_bound(c, rec->source_len);
	out->z = xmalloc(bound);
	size_t n = libdeflate_zlib_compress(c, rec->source, rec->source_len, out->z, bound);
	libdeflate_free_compressor(c);
	if (n > 0 && n < rec->source_len) {
		out->z_len = n;
	} else {
		free(out->z);
		out->z = NULL;
	}
}

void ledger_record_bytes_free(struct ledger_record_bytes *b)
{
	free(b->z);
	memset(b, 0, sizeof(*b));
}

static void put_record(struct ledger_run *run, struct ledger *lg, const struct record *rec,
		       const struct ledger_record_bytes *bytes, int64_t key)
{
	const struct ledger_arg row[] = {
		arg_int(key), arg_int((int64_t)rec->source_len),
		bytes->z ? arg_blob(bytes->z, bytes->z_len) : arg_blob(rec->source, rec->source_len),
	};
	ledger_step(run, put_stmt(run, lg, LEDGER_ST_RECORD), row, LEDGER_NARGS(row));
}

static void put_facts(struct ledger_run *run, struct ledger *lg, const struct record *rec)
{
	sqlite3_stmt *st = put_stmt(run, lg, LEDGER_ST_FACT);
	for (int f = 0; st && f < POL_FACT_COUNT; f++) {
		const struct rec_fact *rf = &rec->facts[f];
		if (!rf->present)
			continue;
		const struct ledger_arg row[] = {
			arg_text(rec->id), arg_text(pol_fact_name((enum pol_fact)f)),
			arg_opt(rf->has_at, rf->at), arg_int(rf->line),
		};
		ledger_step(run, st, row, LEDGER_NARGS(row));
	}
}

/* The notifications made to regulators (docs/regulatory.md). */
static void put_notifications(struct ledger_run *run, const struct record *rec,
			      const struct policy *pol)
{
	sqlite3_stmt *st = ledger_prepare(run,
		"INSERT INTO notifications (incident_id, seq, line, at, utc_offset, regime, stage, "
		"authority, reference, text) VALUES (?,?,?,?,?,?,?,?,?,?)");
	for (size_t i = 0; st && i < rec->n_events && run->rc == 0; i++) {
		const struct rec_event *ev = &rec->events[i];
		if (ev->type != REC_EV_NOTIFIED || ev->regime < 0 || ev->stage < 0)
			continue;
		const struct legal_regime *r = &pol->legal.regimes[ev->regime];
		const struct ledger_arg row[] = {
			arg_text(rec->id), arg_int((int64_t)i), arg_int(ev->line), arg_int(ev->at),
			arg_int(ev->offset), arg_text(r->id), arg_text(r->stages[ev->stage].id),
			arg_text(ev->authority), arg_text(ev->reference), arg_text(ev->text),
		};
		ledger_step(run, st, row, LEDGER_NARGS(row));
	}
	sqlite3_finalize(st);
}

static void put_findings(struct ledger_run *run, struct ledger *lg, int64_t key,
			 const struct audit *au)
{
	struct put_rows *r = xcalloc(1, sizeof(*r));
	r->which = LEDGER_ST_FINDING;
	r->ncol = 11;
	for (size_t i = 0; i < au->n_findings && run->rc == 0; i++) {
		const struct audit_finding *f = &au->findings[i];
		struct buf *lines = &r->text[r->n];
		buf_reset(lines);
		for (size_t k = 0; k < f->n_evidence; k++) {
			if (k)
				buf_putc(lines, ',');
			buf_put_int(lines, f->evidence[k].line);
		}
		/* No note in a ledger: `sircomm audit` of the stored record
		 * words it, and `sircomm query` does (docs/ledger.md); the
		 * column holds the notes of findings stored before schema
		 * version 5, and those of a bundle's database. */
		const struct ledger_arg row[] = {
			arg_int(key), arg_int((int64_t)i), arg_int(name_code(run, lg, pol_rule_name(f->rule))),
			arg_int(name_code(run, lg, f->subject)), arg_int((int64_t)f->status),
			arg_opt(f->has_due, f->due), arg_opt(f->has_met, f->met), arg_text(buf_str(lines)),
			arg_text(f->exception ? f->exception->id : NULL), arg_int(f->retroactive),
			arg_text(lg->notes ? f->note : NULL),
		};
		rows_add(run, lg, r, row);
	}
	rows_flush(run, lg, r);
	rows_free(r);
	free(r);
}

/* One row of the metrics table: a name, what it is about ("" for
 * nothing), and its value.  within: 1, 0, or -1 for NULL. */
struct metric {
	const char *name, *grp, *artifact, *round;
	struct ledger_arg seconds, count;
	int within;
};

static void put_metric(struct ledger_run *run, struct ledger *lg, sqlite3_stmt *st, int64_t key,
		       const struct metric *m)
{
	const struct ledger_arg row[] = {
		arg_int(key), arg_int(name_code(run, lg, m->name)),
		arg_int(name_code(run, lg, m->grp ? m->grp : "")),
		arg_int(name_code(run, lg, m->artifact ? m->artifact : "")),
		arg_int(name_code(run, lg, m->round ? m->round : "")),
		m->seconds, m->count, arg_opt(m->within >= 0, m->within),
	};
	ledger_step(run, st, row, LEDGER_NARGS(row));
}

static void put_metrics(struct ledger_run *run, struct ledger *lg, int64_t key,
			const struct record *rec, const struct policy *pol, const struct audit *au)
{
	const struct audit_metrics *m = &au->metrics;
	const int64_t window = pol->targets[rec->severity].response;
	const struct ledger_arg none = arg_opt(false, 0);
	sqlite3_stmt *st = put_stmt(run, lg, LEDGER_ST_METRIC);
	if (!st)
		return;
	if (m->has_first_draft)
		put_metric(run, lg, st, key, &(struct metric){ "first_draft", NULL, NULL, NULL,
			   arg_int(m->first_draft), none, -1 });
	for (size_t i = 0; i < m->n_turnaround; i++)
		put_metric(run, lg, st, key, &(struct metric){ "turnaround", NULL,
			   m->turnaround[i].artifact, NULL,
			   arg_opt(m->turnaround[i].deployed, m->turnaround[i].seconds), none, -1 });
	for (size_t i = 0; i < m->n_responses; i++) {
		const struct audit_response *r = &m->responses[i];
		put_metric(run, lg, st, key, &(struct metric){ "response", r->group, r->artifact,
			   rec_round_name(r->round), arg_opt(r->answered, r->seconds), none,
			   r->answered ? r->seconds <= window : 0 });
	}
	put_metric(run, lg, st, key, &(struct metric){ "backups_engaged", NULL, NULL, NULL, none,
		   arg_int((int64_t)m->backups_engaged), -1 });
	put_metric(run, lg, st, key, &(struct metric){ "quorum_deployments", NULL, NULL, NULL, none,
		   arg_int((int64_t)m->quorum_deployments), -1 });
	for (size_t i = 0; i < m->n_gaps; i++)
		put_metric(run, lg, st, key, &(struct metric){ "longest_update_gap", m->gaps[i].group,
			   NULL, NULL, arg_int(m->gaps[i].seconds), none, -1 });
}

static void put_exceptions(struct ledger_run *run, struct ledger *lg, const struct record *rec,
			   const struct audit *au)
{
	sqlite3_stmt *st = put_stmt(run, lg, LEDGER_ST_EXCEPTION);
	for (size_t x = 0; st && x < au->n_exceptions && run->rc == 0; x++) {
		const struct audit_exception_use *u = &au->exceptions[x];
		const struct rec_exception *e = u->exception;
		if (u->standing)
			continue;   /* stored once, by register_import */
		const struct ledger_arg row[] = {
			arg_text(e->id), arg_text(rec->id), arg_text(pol_rule_name(e->rule)),
			arg_text(e->subject), arg_text(e->requested_by), arg_text(e->approved_by),
			arg_int(e->approved_at), arg_opt(e->has_expires, e->expires),
			arg_text(e->justification), arg_text(e->compensating),
			arg_text(audit_exception_state_name(u->state)), arg_int((int64_t)u->n_excused),
		};
		ledger_step(run, st, row, LEDGER_NARGS(row));
	}
}

/* Stores the incident inside a savepoint; on failure run holds the first
 * failure's codes and the savepoint is rolled back.  *replaced says
 * whether an incident with its id was there (and is now replaced). */
static void put_incident(struct ledger_run *run, struct ledger *lg, const struct record *rec,
			 const struct ledger_record_bytes *given, const struct policy *pol,
			 const struct audit *au, bool *replaced)
{
	struct ledger_record_bytes own;
	const struct ledger_record_bytes *bytes = given;
	if (!bytes) {
		ledger_record_bytes(rec, &own);
		bytes = &own;
	}
	*replaced = false;
	bool stored = rollup_stored(run, lg, rec->id);
	ledger_exec(run, "SAVEPOINT put_incident");
	if (run->rc != 0) {
		if (!given)
			ledger_record_bytes_free(&own);
		return;
	}
	/* Exceptions of this incident go with it; an id used elsewhere is a
	 * conflict the INSERT reports. */
	const struct ledger_arg id[] = { arg_text(rec->id) };
	if (stored)
		rollup_sub(run, lg, rec->id);
	ledger_step(run, put_stmt(run, lg, LEDGER_ST_DELETE), id, 1);
	if (run->rc == 0)
		*replaced = sqlite3_changes(lg->db) > 0;
	put_policy(run, lg, pol);
	int64_t key = put_row(run, lg, rec, bytes->sha256, pol, au);
	put_record(run, lg, rec, bytes, key);
	put_facts(run, lg, rec);
	put_notifications(run, rec, pol);
	put_findings(run, lg, key, au);
	put_metrics(run, lg, key, rec, pol, au);
	put_exceptions(run, lg, rec, au);
	rollup_add(run, lg, rec, pol, au);
	if (run->rc == 0)
		ledger_exec(run, "RELEASE put_incident");
	if (run->rc != 0) {
		sqlite3_exec(run->db, "ROLLBACK TO put_incident; RELEASE put_incident", NULL, NULL, NULL);
		ledger_forget_names(lg);   /* names added in the savepoint are gone */
	}
	rollup_settle(lg, run->rc == 0);
	if (!given)
		ledger_record_bytes_free(&own);
}

/* ---- Into a ledger ----------------------------------------------------- */

/* No batch open. */
static void batch_reset(struct ledger *lg)
{
	lg->in_batch = false;
	lg->batch_n = 0;
	free(lg->batch_first);
	free(lg->batch_last);
	lg->batch_first = lg->batch_last = NULL;
}

/* What a failed commit was doing: "storing SIRT-2026-0142", or
 * "storing 500 incidents, SIRT-2026-0142 to SIRT-2026-0641".  A new
 * string the caller frees. */
static char *batch_doing(const struct ledger *lg)
{
	if (lg->batch_n == 1)
		return xasprintf("storing %s", lg->batch_first);
	return xasprintf("storing %zu incidents, %s to %s", lg->batch_n, lg->batch_first,
			 lg->batch_last);
}

/* After the ledger itself failed (run.code): one line with the real
 * reason, what the transaction held rolled back. */
static void batch_failed(struct ledger *lg, const struct ledger_run *run, const char *doing,
			 struct diag *d)
{
	diag_error(d, lg->path, 0, "cannot write the ledger while %s: %s", doing,
		   ledger_failure_reason(lg->db, run->code, run->sys));
	if (!sqlite3_get_autocommit(lg->db))
		sqlite3_exec(lg->db, "ROLLBACK", NULL, NULL, NULL);
	ledger_forget_names(lg);
	rollup_forget(lg);
	batch_reset(lg);
}

enum ledger_put ledger_ingest(struct ledger *lg, const struct record *rec, const struct policy *pol,
			      const struct audit *au, bool *replaced, struct diag *d)
{
	return ledger_ingest_bytes(lg, rec, NULL, pol, au, replaced, d);
}

enum ledger_put ledger_ingest_bytes(struct ledger *lg, const struct record *rec,
				    const struct ledger_record_bytes *bytes, const struct policy *pol,
				    const struct audit *au, bool *replaced, struct diag *d)
{
	*replaced = false;
	/* Messages about the record are kept aside: when the ledger itself
	 * failed, one line with the real reason says more. */
	struct diag aside = DIAG_INIT;
	struct ledger_run run = LEDGER_RUN_INIT(lg->db, &aside, rec->path);
	if (!lg->in_batch) {
		ledger_exec(&run, "BEGIN IMMEDIATE");
		lg->in_batch = run.rc == 0;
	}
	put_incident(&run, lg, rec, bytes, pol, au, replaced);
	if (run.rc == 0) {
		if (lg->batch_n++ == 0)
			lg->batch_first = xstrdup(rec->id);
		free(lg->batch_last);
		lg->batch_last = xstrdup(rec->id);
		diag_free(&aside);
		return LEDGER_PUT_OK;
	}
	*replaced = false;
	enum ledger_put result = LEDGER_PUT_REFUSED;
	if (ledger_cannot_write(run.code) || (lg->in_batch && sqlite3_get_autocommit(lg->db))) {
		/* The ledger's fault (or SQLite rolled the whole transaction
		 * back): the batch is gone, and the run stops. */
		char *doing = lg->batch_n == 0 ? xasprintf("storing %s", rec->id)
			      : lg->batch_n == 1 ? xasprintf("storing %s after %s in its transaction", rec->id,
							     lg->batch_first)
			      : xasprintf("storing %s after %zu incidents in its transaction, %s to %s",
					  rec->id, lg->batch_n, lg->batch_first, lg->batch_last);
		batch_failed(lg, &run, doing, d);
		free(doing);
		result = LEDGER_PUT_FAILED;
	} else {
		for (size_t i = 0; i < aside.n; i++)
			diag_add(d, aside.items[i].level, aside.items[i].file, aside.items[i].line, "%s",
				 aside.items[i].msg);
		if (lg->in_batch && lg->batch_n == 0) {
			/* Nothing in the transaction: let another writer in. */
			sqlite3_exec(lg->db, "ROLLBACK", NULL, NULL, NULL);
			ledger_forget_names(lg);
			rollup_forget(lg);
			batch_reset(lg);
		}
	}
	diag_free(&aside);
	return result;
}

size_t ledger_pending(const struct ledger *lg)
{
	return lg->in_batch ? lg->batch_n : 0;
}

int ledger_commit(struct ledger *lg, struct diag *d)
{
	if (!lg->in_batch)
		return 0;
	struct ledger_run run = LEDGER_RUN_INIT(lg->db, d, lg->path);
	/* The rollups' rows, summed over the batch, go in with it. */
	struct diag aside = DIAG_INIT;
	struct ledger_run flush = LEDGER_RUN_INIT(lg->db, &aside, lg->path);
	rollup_flush(&flush, lg);
	diag_free(&aside);
	bool failed = flush.rc != 0;
	if (failed) {
		run.code = flush.code;
		run.sys = flush.sys;
	} else if (sqlite3_exec(lg->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		run.code = sqlite3_extended_errcode(lg->db);
		run.sys = ledger_last_errno(lg->db);
		failed = true;
	}
	if (failed) {
		char *doing = batch_doing(lg);
		batch_failed(lg, &run, doing, d);
		free(doing);
		return -1;
	}
	batch_reset(lg);
	return 0;
}

/* ---- Into a database of its own ---------------------------------------- */

int ledger_write_incident(const struct record *rec, const struct policy *pol,
			  const struct audit *au, struct buf *out, struct diag *d)
{
	struct ledger *lg;
	if (ledger_open_memory(&lg, d) != 0)
		return -1;
	struct ledger_run run = LEDGER_RUN_INIT(lg->db, d, rec->path);
	bool replaced;
	put_incident(&run, lg, rec, NULL, pol, au, &replaced);
	rollup_flush(&run, lg);
	int rc = run.rc;
	if (rc == 0) {
		sqlite3_int64 size = 0;
		unsigned char *bytes = sqlite3_serialize(lg->db, "main", &size, 0);
		if (!bytes) {
			diag_error(d, NULL, 0, "ledger: serializing: %s", sqlite3_errmsg(lg->db));
			rc = -1;
		} else if (buf_append(out, bytes, (size_t)size) != 0) {
			diag_error(d, NULL, 0, "ledger: the database is too large to bundle");
			rc = -1;
		}
		sqlite3_free(bytes);
	}
	ledger_close(lg);
	return rc;
}
