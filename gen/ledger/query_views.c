/* query_views.c - what schema version 5 no longer stores, given back to
 * `sircomm query` from the records it does store: the timeline (`events`)
 * and the findings' notes (`findings.note`), as temporary views over the
 * stored record, read and audited again on the way out.
 *
 * A note comes back only when the stored record, audited again against
 * the stored policy with the ledger's standing exceptions, gives every
 * stored finding of its incident again (rule, subject, status, times,
 * exception): a newer sircomm whose rules moved on, or a standing
 * exception imported since, gives NULL rather than words that would not
 * be the ones behind the stored status. */
#include "ledger/ledger.h"
#include "ledger_int.h"

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "audit/audit.h"
#include "ledger/register.h"
#include "model/policy.h"
#include "model/record.h"

/* The last incident read and audited (queries read one incident's rows
 * together), and what every incident shares. */
struct views {
	sqlite3 *db;
	struct ledger *lg;
	int64_t key;              /* the incident held; 0: none */
	bool read_ok;             /* its record was read */
	bool audited, agrees;     /* audited again; gives the stored findings */
	struct record *rec;
	struct audit *au;
	char pol_sha[65];
	struct policy *pol;
	bool standing_loaded;
	struct record *standing;  /* the ledger's standing exceptions, or NULL */
};

static void views_drop(struct views *v)
{
	audit_free(v->au);
	rec_free(v->rec);
	v->au = NULL;
	v->rec = NULL;
	v->key = 0;
	v->read_ok = v->audited = v->agrees = false;
}

static void views_free(void *p)
{
	struct views *v = p;
	views_drop(v);
	pol_free(v->pol);
	rec_free(v->standing);
	if (v->lg->views == v)
		v->lg->views = NULL;
	free(v);
}

/* The record of incident `key` read into v (its policy too, when it is
 * not the one held).  False when it cannot be: no record stored (an
 * incident migrated from version 4), or one that no longer reads. */
static bool views_read(struct views *v, int64_t key)
{
	if (v->key == key)
		return v->read_ok;
	sqlite3_stmt **get = &v->lg->view[0];   /* the record and policy of an incident */
	views_drop(v);
	v->key = key;
	if (!*get && sqlite3_prepare_v2(v->db,
			"SELECT r.data, r.size, p.sha256, p.source FROM main.incidents i "
			"JOIN main.records r ON r.incident = i.key "
			"JOIN main.policies p ON p.sha256 = i.policy_sha256 WHERE i.key = ?",
			-1, get, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_int64(*get, 1, key);
	if (sqlite3_step(*get) == SQLITE_ROW) {
		const void *data = sqlite3_column_blob(*get, 0);
		int len = sqlite3_column_bytes(*get, 0);
		sqlite3_int64 size = sqlite3_column_int64(*get, 1);
		const char *sha = (const char *)sqlite3_column_text(*get, 2);
		struct diag d = DIAG_INIT;
		if (sha && strcmp(sha, v->pol_sha) != 0) {
			pol_free(v->pol);
			v->pol = NULL;
			v->pol_sha[0] = '\0';
			if (pol_parse("policy", sqlite3_column_blob(*get, 3),
				      (size_t)sqlite3_column_bytes(*get, 3), &d, &v->pol) == 0)
				snprintf(v->pol_sha, sizeof(v->pol_sha), "%s", sha);
		}
		char *xml = NULL;
		uLongf n = (uLongf)size;
		if (size == len) {
			xml = xmalloc((size_t)len + 1);
			memcpy(xml, data, (size_t)len);
		} else if (size > 0 && size <= 1 << 30) {
			xml = xmalloc((size_t)size + 1);
			if (uncompress((Bytef *)xml, &n, data, (uLong)len) != Z_OK || n != (uLongf)size) {
				free(xml);
				xml = NULL;
			}
		}
		if (xml && v->pol)
			v->read_ok = rec_parse("record", xml, (size_t)size, v->pol, &d, &v->rec) == 0;
		free(xml);
		diag_free(&d);
	}
	sqlite3_reset(*get);
	return v->read_ok;
}

/* Whether the held incident's stored findings are those its record
 * gives when audited again. */
static bool views_agree(struct views *v)
{
	sqlite3_stmt **stored = &v->lg->view[1];   /* its stored findings, in order */
	if (!v->standing_loaded) {
		struct diag d = DIAG_INIT;
		if (register_load_standing(v->lg, &v->standing, &d) != 0)
			v->standing = NULL;
		diag_free(&d);
		v->standing_loaded = true;
	}
	if (!v->standing)
		return false;
	if (!v->audited) {
		v->audited = true;
		if (audit_run_with(v->rec, v->pol, AUDIT_AT_RECORD, v->standing->exceptions,
				   v->standing->n_exceptions, &v->au) != 0 ||
		    (!*stored && sqlite3_prepare_v2(v->db,
				"SELECT f.seq, r.name, s.name, f.status, f.due, f.met, f.exception_id "
				"FROM main.finding_rows f JOIN main.names r ON r.code = f.rule "
				"JOIN main.names s ON s.code = f.subject WHERE f.incident = ? ORDER BY f.seq",
				-1, stored, NULL) != SQLITE_OK))
			return false;
		sqlite3_bind_int64(*stored, 1, v->key);
		size_t i = 0;
		bool same = true;
		while (same && sqlite3_step(*stored) == SQLITE_ROW) {
			const struct audit_finding *f = i < v->au->n_findings ? &v->au->findings[i] : NULL;
			const char *rule = (const char *)sqlite3_column_text(*stored, 1);
			const char *subject = (const char *)sqlite3_column_text(*stored, 2);
			const char *ex = (const char *)sqlite3_column_text(*stored, 6);
			same = f && sqlite3_column_int64(*stored, 0) == (sqlite3_int64)i && rule &&
			       strcmp(rule, pol_rule_name(f->rule)) == 0 && subject &&
			       strcmp(subject, f->subject) == 0 &&
			       sqlite3_column_int(*stored, 3) == (int)f->status &&
			       (sqlite3_column_type(*stored, 4) == SQLITE_NULL
					? !f->has_due : f->has_due && sqlite3_column_int64(*stored, 4) == f->due) &&
			       (sqlite3_column_type(*stored, 5) == SQLITE_NULL
					? !f->has_met : f->has_met && sqlite3_column_int64(*stored, 5) == f->met) &&
			       (ex ? f->exception && strcmp(ex, f->exception->id) == 0 : !f->exception);
			i++;
		}
		sqlite3_reset(*stored);
		v->agrees = same && i == v->au->n_findings;
	}
	return v->agrees;
}

/* sircomm_note(key, seq): the note of finding seq of incident key. */
static void note_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	struct views *v = sqlite3_user_data(ctx);
	sqlite3_int64 key = sqlite3_value_int64(argv[0]), seq = sqlite3_value_int64(argv[1]);
	if (views_read(v, key) && views_agree(v) && seq >= 0 && (size_t)seq < v->au->n_findings &&
	    v->au->findings[seq].note)
		sqlite3_result_text(ctx, v->au->findings[seq].note, -1, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx);
}

/* ---- sircomm_events(key): the timeline of a stored record ---------------- */

enum { EV_SEQ, EV_LINE, EV_AT, EV_OFFSET, EV_TYPE, EV_GRP, EV_BY, EV_ARTIFACTS, EV_ROUND,
       EV_CHANNEL, EV_CUTOFF, EV_TEXT, EV_KEY };

struct ev_vtab {
	sqlite3_vtab base;
	struct views *v;
};

struct ev_cursor {
	sqlite3_vtab_cursor base;
	size_t i, n;
	sqlite3_int64 key;
};

static int ev_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
		      sqlite3_vtab **out, char **err)
{
	(void)argc;
	(void)argv;
	(void)err;
	int rc = sqlite3_declare_vtab(db, "CREATE TABLE x (seq INTEGER, line INTEGER, at INTEGER, "
				      "utc_offset INTEGER, type TEXT, grp TEXT, by TEXT, artifacts TEXT, "
				      "round TEXT, channel TEXT, cutoff INTEGER, text TEXT, "
				      "incident HIDDEN INTEGER)");
	if (rc != SQLITE_OK)
		return rc;
	struct ev_vtab *t = sqlite3_malloc(sizeof(*t));
	if (!t)
		return SQLITE_NOMEM;
	memset(t, 0, sizeof(*t));
	t->v = aux;
	*out = &t->base;
	return SQLITE_OK;
}

static int ev_disconnect(sqlite3_vtab *t)
{
	sqlite3_free(t);
	return SQLITE_OK;
}

/* Only with the incident given: reading every stored record is what
 * a join with incidents asks for, one incident at a time. */
static int ev_best_index(sqlite3_vtab *t, sqlite3_index_info *info)
{
	(void)t;
	for (int i = 0; i < info->nConstraint; i++) {
		const struct sqlite3_index_constraint *c = &info->aConstraint[i];
		if (c->iColumn == EV_KEY && c->op == SQLITE_INDEX_CONSTRAINT_EQ) {
			if (!c->usable)
				return SQLITE_CONSTRAINT;
			info->aConstraintUsage[i].argvIndex = 1;
			info->aConstraintUsage[i].omit = 1;
			info->idxNum = 1;
			info->estimatedCost = 100;
			info->estimatedRows = 100;
			if (info->nOrderBy == 1 && info->aOrderBy[0].iColumn == EV_SEQ && !info->aOrderBy[0].desc)
				info->orderByConsumed = 1;
			return SQLITE_OK;
		}
	}
	return SQLITE_CONSTRAINT;
}

static int ev_open(sqlite3_vtab *t, sqlite3_vtab_cursor **out)
{
	(void)t;
	struct ev_cursor *c = sqlite3_malloc(sizeof(*c));
	if (!c)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof(*c));
	*out = &c->base;
	return SQLITE_OK;
}

static int ev_close(sqlite3_vtab_cursor *c)
{
	sqlite3_free(c);
	return SQLITE_OK;
}

static int ev_filter(sqlite3_vtab_cursor *cur, int idx, const char *idx_str, int argc,
		     sqlite3_value **argv)
{
	(void)idx;
	(void)idx_str;
	struct ev_cursor *c = (struct ev_cursor *)cur;
	struct views *v = ((struct ev_vtab *)cur->pVtab)->v;
	c->i = c->n = 0;
	if (argc < 1)
		return SQLITE_OK;
	c->key = sqlite3_value_int64(argv[0]);
	if (!views_read(v, c->key)) {
		/* Never an empty timeline for one that cannot be read. */
		sqlite3_vtab *t = cur->pVtab;
		sqlite3_free(t->zErrMsg);
		t->zErrMsg = sqlite3_mprintf("events: the stored record of incident key %lld cannot "
					     "be read (missing, damaged, or not valid against its "
					     "stored policy)", (long long)c->key);
		return SQLITE_ERROR;
	}
	c->n = v->rec->n_events;
	return SQLITE_OK;
}

static int ev_next(sqlite3_vtab_cursor *cur)
{
	((struct ev_cursor *)cur)->i++;
	return SQLITE_OK;
}

static int ev_eof(sqlite3_vtab_cursor *cur)
{
	const struct ev_cursor *c = (const struct ev_cursor *)cur;
	return c->i >= c->n;
}

static void result_text(sqlite3_context *ctx, const char *s)
{
	if (s && *s)
		sqlite3_result_text(ctx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_result_null(ctx);
}

static int ev_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
	const struct ev_cursor *c = (const struct ev_cursor *)cur;
	struct views *v = ((struct ev_vtab *)cur->pVtab)->v;
	if (!views_read(v, c->key) || c->i >= v->rec->n_events) {
		sqlite3_result_null(ctx);
		return SQLITE_OK;
	}
	const struct policy *pol = v->pol;
	const struct rec_event *ev = &v->rec->events[c->i];
	switch (col) {
	case EV_SEQ: sqlite3_result_int64(ctx, (sqlite3_int64)c->i); break;
	case EV_LINE: sqlite3_result_int64(ctx, ev->line); break;
	case EV_AT: sqlite3_result_int64(ctx, ev->at); break;
	case EV_OFFSET: sqlite3_result_int64(ctx, ev->offset); break;
	case EV_TYPE: result_text(ctx, rec_event_type_name(ev->type)); break;
	case EV_GRP: result_text(ctx, ev->group >= 0 ? pol->groups[ev->group].id : NULL); break;
	case EV_BY: result_text(ctx, ev->by); break;
	case EV_ARTIFACTS: {
		struct buf b = BUF_INIT;
		for (size_t k = 0; k < ev->n_artifacts; k++)
			buf_printf(&b, "%s%s", k ? " " : "", pol->artifacts[ev->artifacts[k]].id);
		result_text(ctx, ev->n_artifacts ? buf_str(&b) : NULL);
		buf_free(&b);
		break;
	}
	case EV_ROUND: result_text(ctx, ev->round ? rec_round_name(ev->round) : NULL); break;
	case EV_CHANNEL: result_text(ctx, ev->channel); break;
	case EV_CUTOFF:
		if (ev->has_cutoff)
			sqlite3_result_int64(ctx, ev->cutoff);
		else
			sqlite3_result_null(ctx);
		break;
	case EV_TEXT: result_text(ctx, ev->text); break;
	case EV_KEY: sqlite3_result_int64(ctx, c->key); break;
	}
	return SQLITE_OK;
}

static int ev_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((const struct ev_cursor *)cur)->i;
	return SQLITE_OK;
}

static const sqlite3_module events_module = {
	.iVersion = 0,
	.xConnect = ev_connect,
	.xBestIndex = ev_best_index,
	.xDisconnect = ev_disconnect,
	.xOpen = ev_open,
	.xClose = ev_close,
	.xFilter = ev_filter,
	.xNext = ev_next,
	.xEof = ev_eof,
	.xColumn = ev_column,
	.xRowid = ev_rowid,
};

/* ---- The views ------------------------------------------------------------ */

/* In the temp schema, so they shadow the ledger's own `findings` (whose
 * notes of version 5 rows are NULL) and stand for the `events` a
 * version 5 ledger has no table of; a ledger migrated from version 4
 * keeps its old incidents' events in main.events, added to the view. */
static const char findings_view[] =
	"CREATE TEMP VIEW findings AS\n"
	"SELECT i.id AS incident_id, f.seq, r.name AS rule, s.name AS subject,\n"
	"       CASE f.status WHEN 0 THEN 'pass' WHEN 1 THEN 'fail' WHEN 2 THEN 'excepted'\n"
	"                     WHEN 3 THEN 'n/a' ELSE 'pending' END AS status,\n"
	"       f.due, f.met, f.evidence_lines, f.exception_id, f.retroactive,\n"
	"       coalesce(f.note, sircomm_note(f.incident, f.seq)) AS note\n"
	"FROM main.finding_rows f\n"
	"JOIN main.incidents i ON i.key = f.incident\n"
	"JOIN main.names r ON r.code = f.rule\n"
	"JOIN main.names s ON s.code = f.subject";

static const char events_view[] =
	"CREATE TEMP VIEW events AS\n"
	"SELECT i.id AS incident_id, e.seq, e.line, e.at, e.utc_offset, e.type, e.grp, e.by,\n"
	"       e.artifacts, e.round, e.channel, e.cutoff, e.text\n"
	"FROM main.incidents i JOIN main.records r ON r.incident = i.key\n"
	"JOIN sircomm_events e ON e.incident = i.key";

static const char events_legacy[] =
	"\nUNION ALL\n"
	"SELECT incident_id, seq, line, at, utc_offset, type, grp, by, artifacts, round, channel,\n"
	"       cutoff, text FROM main.events";

int ledger_query_views(struct ledger *lg, struct diag *d)
{
	sqlite3 *db = lg->db;
	struct views *v = xcalloc(1, sizeof(*v));
	v->db = db;
	v->lg = lg;
	sqlite3_stmt *st = NULL;
	bool legacy = sqlite3_prepare_v2(db, "SELECT 1 FROM main.sqlite_schema WHERE type = 'table' "
					 "AND name = 'events'", -1, &st, NULL) == SQLITE_OK &&
		      sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	char *events = xasprintf("%s%s", events_view, legacy ? events_legacy : "");
	/* The module owns v from here (views_free when the connection closes). */
	lg->views = v;
	int rc = sqlite3_create_module_v2(db, "sircomm_events", &events_module, v, views_free);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(db, "sircomm_note", 2, SQLITE_UTF8, v, note_fn, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA query_only = OFF", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, findings_view, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, events, NULL, NULL, NULL);
	free(events);
	sqlite3_exec(db, "PRAGMA query_only = ON", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		diag_error(d, lg->path, 0, "ledger: preparing the views of the stored records: %s",
			   sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}
