/* register.c - the exception register read from the ledger, and standing
 * exceptions imported into it. */
#include "ledger/register.h"
#include "ledger_int.h"

#include <stdlib.h>
#include <string.h>

/* The register and what only this file touches: room for more rows, and
 * the arena of every string and finding.  The view comes first, so a
 * pointer to it is a pointer to the whole. */
struct register_all {
	struct register_view view;
	size_t cap;
	struct arena arena;
};

/* ---- Reading the register -------------------------------------------- */

static const char *col_text(struct register_all *r, sqlite3_stmt *st, int i)
{
	return arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, i));
}

static bool in_force(const struct register_row *e, int64_t at)
{
	return e->approved_at <= at && (!e->has_expires || e->expires > at);
}

static bool keep(const struct register_row *e, enum register_filter f, int64_t at, int64_t days)
{
	switch (f) {
	case REGISTER_ALL: return true;
	case REGISTER_ACTIVE: return e->in_force;
	case REGISTER_EXPIRED: return e->has_expires && e->expires <= at;
	case REGISTER_EXPIRING: return e->in_force && e->has_expires && e->expires <= at + days * 86400;
	}
	return true;
}

/* Reads the findings each kept exception excused. */
static int read_findings(sqlite3 *db, const char *path, struct register_all *r, struct diag *d)
{
	sqlite3_stmt *own = NULL, *standing = NULL;
	if (sqlite3_prepare_v2(db, "SELECT ?1, r.name, s.name FROM finding_rows f "
			       "JOIN names r ON r.code = f.rule JOIN names s ON s.code = f.subject "
			       "WHERE f.exception_id = ?2 "
			       "AND f.incident = (SELECT key FROM incidents WHERE id = ?1) ORDER BY f.seq",
			       -1, &own, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT i.id, r.name, s.name FROM finding_rows f "
			       "JOIN incidents i ON i.key = f.incident "
			       "JOIN names r ON r.code = f.rule JOIN names s ON s.code = f.subject "
			       "WHERE f.exception_id = ?1 AND NOT EXISTS (SELECT 1 FROM exceptions x "
			       "WHERE x.incident_id = i.id AND x.id = f.exception_id) "
			       "ORDER BY i.id, f.seq", -1, &standing, NULL) != SQLITE_OK) {
		diag_error(d, path, 0, "reading the findings: %s", sqlite3_errmsg(db));
		sqlite3_finalize(own);
		return -1;
	}
	int rc = SQLITE_DONE;
	for (size_t i = 0; i < r->view.n && rc == SQLITE_DONE; i++) {
		struct register_row *e = &r->view.rows[i];
		sqlite3_stmt *st = e->incident ? own : standing;
		if (e->incident) {
			sqlite3_bind_text(st, 1, e->incident, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, e->id, -1, SQLITE_STATIC);
		} else {
			sqlite3_bind_text(st, 1, e->id, -1, SQLITE_STATIC);
		}
		size_t cap = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (e->n_findings == cap) {
				cap = cap ? cap * 2 : 4;
				struct register_finding *n = arena_alloc(&r->arena, cap * sizeof(*n));
				if (e->n_findings)
					memcpy(n, e->findings, e->n_findings * sizeof(*n));
				e->findings = n;
			}
			e->findings[e->n_findings++] = (struct register_finding){
				col_text(r, st, 0), col_text(r, st, 1), col_text(r, st, 2),
			};
		}
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
	if (rc != SQLITE_DONE)
		diag_error(d, path, 0, "reading the findings: %s", sqlite3_errmsg(db));
	sqlite3_finalize(own);
	sqlite3_finalize(standing);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Reads the exceptions that pass the filter, sorted. */
static int read_rows(sqlite3 *db, const char *path, struct register_all *r, struct diag *d)
{
	const struct register_view *v = &r->view;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db,
		"SELECT id, rule, subject, incident_id, requested_by, approved_by, approved_at, expires, "
		"justification, compensating_controls, state FROM exceptions "
		"ORDER BY expires IS NULL, expires, id, incident_id IS NOT NULL, incident_id",
		-1, &st, NULL) != SQLITE_OK) {
		diag_error(d, path, 0, "reading the exceptions: %s", sqlite3_errmsg(db));
		return -1;
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct register_row e = { 0 };
		e.id = col_text(r, st, 0);
		e.rule = col_text(r, st, 1);
		e.subject = col_text(r, st, 2);
		e.incident = col_text(r, st, 3);
		e.requested_by = col_text(r, st, 4);
		e.approved_by = col_text(r, st, 5);
		e.approved_at = sqlite3_column_int64(st, 6);
		e.has_expires = sqlite3_column_type(st, 7) != SQLITE_NULL;
		e.expires = sqlite3_column_int64(st, 7);
		e.justification = col_text(r, st, 8);
		e.compensating = col_text(r, st, 9);
		e.in_force = in_force(&e, v->at);
		if (e.incident) {
			e.state = col_text(r, st, 10);
			/* Approved by someone the policy does not let approve
			 * exceptions: it excuses nothing, whatever its dates. */
			if (strcmp(e.state, "unauthorized") == 0)
				e.in_force = false;
		} else {
			e.state = e.in_force ? "active" : e.approved_at > v->at ? "not yet approved" : "expired";
		}
		if (!keep(&e, v->filter, v->at, v->days))
			continue;
		if (r->view.n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 16;
			r->view.rows = xrealloc(r->view.rows, r->cap * sizeof(*r->view.rows));
		}
		r->view.rows[r->view.n++] = e;
	}
	if (rc != SQLITE_DONE)
		diag_error(d, path, 0, "reading the exceptions: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int register_read(struct ledger *lg, enum register_filter f, int64_t at, int64_t days,
		  struct register_view **out, struct diag *d)
{
	*out = NULL;
	struct register_all *r = xcalloc(1, sizeof(*r));
	r->view.filter = f;
	r->view.at = at;
	r->view.days = days;
	if (read_rows(lg->db, lg->path, r, d) != 0 || read_findings(lg->db, lg->path, r, d) != 0) {
		register_free(&r->view);
		return -1;
	}
	*out = &r->view;
	return 0;
}

void register_free(struct register_view *v)
{
	if (!v)
		return;
	struct register_all *r = (struct register_all *)v;
	free(r->view.rows);
	arena_free(&r->arena);
	free(r);
}

/* ---- Standing exceptions ----------------------------------------------- */

int register_import(struct ledger *lg, const struct rec_exception *x, size_t n,
		    size_t *replaced, struct diag *d)
{
	*replaced = 0;
	sqlite3 *db = lg->db;
	sqlite3_stmt *exists = NULL;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT 1 FROM exceptions WHERE incident_id IS NULL AND id = ?", -1,
			       &exists, NULL) != SQLITE_OK) {
		diag_error(d, lg->path, 0, "cannot write the ledger: %s", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(exists, 1, x[i].id, -1, SQLITE_STATIC);
		*replaced += sqlite3_step(exists) == SQLITE_ROW;
		sqlite3_reset(exists);
	}
	sqlite3_finalize(exists);
	struct ledger_run run = LEDGER_RUN_INIT(db, d, lg->path);
	sqlite3_stmt *st = ledger_prepare(&run,
		"INSERT INTO exceptions (id, incident_id, rule, subject, requested_by, approved_by, "
		"approved_at, expires, justification, compensating_controls, state, findings_excused) "
		"VALUES (?1, NULL, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'standing', 0) "
		"ON CONFLICT (id) WHERE incident_id IS NULL DO UPDATE SET rule = ?2, subject = ?3, "
		"requested_by = ?4, approved_by = ?5, approved_at = ?6, expires = ?7, "
		"justification = ?8, compensating_controls = ?9");
	for (size_t i = 0; st && i < n && run.rc == 0; i++) {
		const struct rec_exception *e = &x[i];
		const struct ledger_arg row[] = {
			arg_text(e->id), arg_text(pol_rule_name(e->rule)), arg_text(e->subject),
			arg_text(e->requested_by), arg_text(e->approved_by), arg_int(e->approved_at),
			arg_opt(e->has_expires, e->expires), arg_text(e->justification),
			arg_text(e->compensating),
		};
		ledger_step(&run, st, row, LEDGER_NARGS(row));
	}
	sqlite3_finalize(st);
	if (run.rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		diag_error(d, lg->path, 0, "cannot write the ledger: %s", sqlite3_errmsg(db));
		run.rc = -1;
	}
	if (run.rc != 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		*replaced = 0;
		return -1;
	}
	return 0;
}

/* The message of a failed read of the standing exceptions. */
static int standing_error(sqlite3 *db, struct diag *d)
{
	diag_error(d, NULL, 0, "ledger: reading standing exceptions: %s", sqlite3_errmsg(db));
	return -1;
}

int register_load_standing(struct ledger *lg, struct record **out, struct diag *d)
{
	sqlite3 *db = lg->db;
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
		return standing_error(db, d);
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
		return standing_error(db, d);
	}
	*out = rec;
	return 0;
}
