/* register.c - the exception register read from the ledger, and standing
 * exceptions imported into it. */
#include "ledger/register.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/ledger.h"

/* The register and what only this file touches: room for more rows, and
 * the arena of every string and finding. */
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
static int read_findings(sqlite3 *db, struct register_all *r, struct diag *d, const char *path)
{
	sqlite3_stmt *own = NULL, *standing = NULL;
	if (sqlite3_prepare_v2(db, "SELECT incident_id, rule, subject FROM findings "
			       "WHERE incident_id = ?1 AND exception_id = ?2 ORDER BY seq",
			       -1, &own, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT f.incident_id, f.rule, f.subject FROM findings f "
			       "WHERE f.exception_id = ?1 AND NOT EXISTS (SELECT 1 FROM exceptions x "
			       "WHERE x.incident_id = f.incident_id AND x.id = f.exception_id) "
			       "ORDER BY f.incident_id, f.seq", -1, &standing, NULL) != SQLITE_OK) {
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
		if (e.incident)
			e.state = col_text(r, st, 10);
		else
			e.state = e.in_force ? "active" : e.approved_at > v->at ? "not yet approved" : "expired";
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

int register_read(sqlite3 *db, const char *path, enum register_filter f, int64_t at,
		  int64_t days, struct register_view **out, struct diag *d)
{
	*out = NULL;
	struct register_all *r = xcalloc(1, sizeof(*r));
	r->view.filter = f;
	r->view.at = at;
	r->view.days = days;
	if (read_rows(db, path, r, d) != 0 || read_findings(db, r, d, path) != 0) {
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

int register_import(sqlite3 *db, const char *path, const struct rec_exception *x, size_t n,
		    size_t *replaced, struct diag *d)
{
	*replaced = 0;
	size_t errors = d->errors;
	sqlite3_stmt *exists = NULL;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT 1 FROM exceptions WHERE incident_id IS NULL AND id = ?", -1,
			       &exists, NULL) != SQLITE_OK) {
		diag_error(d, path, 0, "cannot write the ledger: %s", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_text(exists, 1, x[i].id, -1, SQLITE_STATIC);
		*replaced += sqlite3_step(exists) == SQLITE_ROW;
		sqlite3_reset(exists);
	}
	sqlite3_finalize(exists);
	if (ledger_put_standing(db, x, n, path, d) != 0 ||
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		if (d->errors == errors)
			diag_error(d, path, 0, "cannot write the ledger: %s", sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		*replaced = 0;
		return -1;
	}
	return 0;
}
