/*
 * cmd_exceptions.c - `sircomm exceptions`: the exception register, and
 * importing standing exceptions into the ledger.
 *
 * The register lists every exception in the ledger, one row each: the
 * incidents' own (stored at ingest) and the standing ones (imported
 * here, not tied to one incident), sorted by expiry ("never" last), then
 * id, then incident.
 *
 * Two questions, two columns:
 *  - state: for an incident's exception, the state its audit gave it at
 *    ingest (used, retroactive, unused, expired, not yet approved).  It
 *    is about that incident and stays as recorded whatever --at says.
 *    For a standing exception, its state at --at: active, expired or
 *    not yet approved.
 *  - in force: whether the exception is approved and unexpired at --at
 *    (approved_at <= at, and no expiry or expires > at), for both kinds.
 *    --active, --expired and --expiring filter on this, not on the state.
 *
 * The findings an exception excused are the ledger's findings whose
 * exception_id is its id: for an incident's exception, in that incident;
 * for a standing one, in any incident that has no exception of its own
 * by that id (the incident's own is applied first when auditing).
 *
 * Standing exceptions apply when records are audited, that is at the
 * next `sircomm ingest`: importing does not re-audit the incidents
 * already in the ledger.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "cli/cli.h"
#include "base/esc.h"
#include "base/diag.h"
#include "sys/output.h"
#include "ledger/ledger.h"
#include "format/md.h"
#include "model/policy.h"
#include "model/record.h"
#include "base/ts.h"

const struct cli_doc cmd_exceptions_doc = {
	"sircomm exceptions --db LEDGER [--active|--expired|--expiring DAYS] [--at TIME] [--format FMT] | --import FILE",
	"The exception register: every exception in the ledger, the incidents'\n"
	"own and the standing ones, one row each, sorted by expiry then id: id,\n"
	"rule, subject ((any) for the whole rule), incident (or standing), who\n"
	"requested and approved it and when, expiry (never), state, whether it\n"
	"is in force, and the findings it excused (a count; json lists them).\n"
	"\n"
	"  sircomm exceptions --db FILE [--active | --expired | --expiring 30d]\n"
	"  sircomm exceptions --db FILE --import STANDING.xml\n"
	"\n"
	"  -d, --db FILE        the ledger\n"
	"      --active         only exceptions in force at --at (approved, not expired)\n"
	"      --expired        only exceptions whose expiry is at or before --at\n"
	"      --expiring DAYS  only exceptions in force that expire within DAYS of\n"
	"                       --at (e.g. 30d or 30); the three filters exclude\n"
	"                       each other\n"
	"      --at TIME        judge as of this time (RFC 3339, or now; default: now)\n"
	"  -f, --format FMT     text (default), md, csv or json\n"
	"      --import FILE    import a standing-exceptions file\n"
	"                       (schemas/exceptions.rng): all of it or, on any\n"
	"                       error, nothing; an exception replaces the standing\n"
	"                       one with the same id\n"
	"  -p, --policy FILE    (--import) check against this policy instead of\n"
	"                       the built-in one\n"
	"  -h, --help           show this help\n"
	"\n"
	"State: for an incident's exception, what its audit found at ingest\n"
	"(used, retroactive, unused, expired, not yet approved), kept as\n"
	"recorded; for a standing one, active, expired or not yet approved at\n"
	"--at.  In force: approved at or before --at and not yet expired then.\n"
	"Standing exceptions apply to audits at the next 'sircomm ingest':\n"
	"re-ingest the records already in the ledger to apply them there.\n"
	"\n"
	"Exit status: 0 listed or imported, 2 bad input, usage or ledger (then\n"
	"nothing is imported).\n",
};

enum { OPT_ACTIVE = 256, OPT_EXPIRED, OPT_EXPIRING, OPT_AT, OPT_IMPORT };

static const struct option exceptions_options[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "active", no_argument, NULL, OPT_ACTIVE },
	{ "expired", no_argument, NULL, OPT_EXPIRED },
	{ "expiring", required_argument, NULL, OPT_EXPIRING },
	{ "at", required_argument, NULL, OPT_AT },
	{ "import", required_argument, NULL, OPT_IMPORT },
	{ "policy", required_argument, NULL, 'p' },
	{ "format", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

enum filter { FILTER_ALL = 0, FILTER_ACTIVE, FILTER_EXPIRED, FILTER_EXPIRING };
enum format { FORMAT_TEXT = 0, FORMAT_MD, FORMAT_CSV, FORMAT_JSON };

static const char *const format_names[] = { "text", "md", "csv", "json" };

/* The longest --expiring accepted: up to the last time sircomm knows. */
#define MAX_DAYS ((int64_t)(TS_MAX / 86400))

struct excused {
	const char *incident, *rule, *subject;
};

/* One row of the register; strings are owned by the register's arena. */
struct exc {
	const char *id, *rule, *subject, *incident;   /* subject, incident: NULL for any, standing */
	const char *requested_by, *approved_by, *justification, *compensating;
	int64_t approved_at;
	bool has_expires;
	int64_t expires;
	const char *state;
	bool in_force;
	struct excused *findings;
	size_t n_findings;
};

struct reg {
	struct exc *rows;
	size_t n, cap;
	struct arena arena;
};

/* ---- Reading the register ------------------------------------------- */

static const char *col_text(struct reg *r, sqlite3_stmt *st, int i)
{
	return arena_strdup(&r->arena, (const char *)sqlite3_column_text(st, i));
}

static bool in_force(const struct exc *e, int64_t at)
{
	return e->approved_at <= at && (!e->has_expires || e->expires > at);
}

static bool keep(const struct exc *e, enum filter f, int64_t at, int64_t days)
{
	switch (f) {
	case FILTER_ALL: return true;
	case FILTER_ACTIVE: return e->in_force;
	case FILTER_EXPIRED: return e->has_expires && e->expires <= at;
	case FILTER_EXPIRING: return e->in_force && e->has_expires && e->expires <= at + days * 86400;
	}
	return true;
}

/* Reads the findings each kept exception excused. */
static int read_findings(sqlite3 *db, struct reg *r, struct diag *d, const char *path)
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
	for (size_t i = 0; i < r->n && rc == SQLITE_DONE; i++) {
		struct exc *e = &r->rows[i];
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
				struct excused *n = arena_alloc(&r->arena, cap * sizeof(*n));
				if (e->n_findings)
					memcpy(n, e->findings, e->n_findings * sizeof(*n));
				e->findings = n;
			}
			e->findings[e->n_findings++] = (struct excused){
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

/* Reads the exceptions that pass the filter, sorted, with the findings
 * each excused.  Returns 0 or -1 after a diagnostic. */
static int read_register(sqlite3 *db, const char *path, enum filter f, int64_t at, int64_t days,
			 struct reg *r, struct diag *d)
{
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
		struct exc e = { 0 };
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
		e.in_force = in_force(&e, at);
		if (e.incident)
			e.state = col_text(r, st, 10);
		else
			e.state = e.in_force ? "active" : e.approved_at > at ? "not yet approved" : "expired";
		if (!keep(&e, f, at, days))
			continue;
		if (r->n == r->cap) {
			r->cap = r->cap ? r->cap * 2 : 16;
			r->rows = xrealloc(r->rows, r->cap * sizeof(*r->rows));
		}
		r->rows[r->n++] = e;
	}
	if (rc != SQLITE_DONE)
		diag_error(d, path, 0, "reading the exceptions: %s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	return read_findings(db, r, d, path);
}

static void reg_free(struct reg *r)
{
	free(r->rows);
	arena_free(&r->arena);
}

/* ---- Cells ---------------------------------------------------------- */

enum { COL_ID, COL_RULE, COL_SUBJECT, COL_INCIDENT, COL_REQUESTED, COL_APPROVED_BY,
       COL_APPROVED_AT, COL_EXPIRES, COL_STATE, COL_IN_FORCE, COL_EXCUSED, NCOL };

static const char *const headers[NCOL] = {
	"ID", "RULE", "SUBJECT", "INCIDENT", "REQUESTED BY", "APPROVED BY", "APPROVED AT",
	"EXPIRES", "STATE", "IN FORCE", "EXCUSED",
};

static const char *utc(struct arena *a, int64_t t)
{
	char s[TS_BUFSZ];
	ts_format_utc(t, s);
	return arena_strdup(a, s);
}

/* The row as people read it (text and Markdown). */
static void cells_of(const struct exc *e, struct arena *a, const char *cells[NCOL])
{
	char n[32];
	snprintf(n, sizeof(n), "%zu", e->n_findings);
	cells[COL_ID] = e->id;
	cells[COL_RULE] = e->rule;
	cells[COL_SUBJECT] = e->subject ? e->subject : "(any)";
	cells[COL_INCIDENT] = e->incident ? e->incident : "standing";
	cells[COL_REQUESTED] = e->requested_by;
	cells[COL_APPROVED_BY] = e->approved_by;
	cells[COL_APPROVED_AT] = utc(a, e->approved_at);
	cells[COL_EXPIRES] = e->has_expires ? utc(a, e->expires) : "never";
	cells[COL_STATE] = e->state;
	cells[COL_IN_FORCE] = e->in_force ? "yes" : "no";
	cells[COL_EXCUSED] = arena_strdup(a, n);
}

/* ---- Text ----------------------------------------------------------- */

/* The cell with control characters as spaces, so one row stays one line. */
static const char *text_cell(struct arena *a, const char *s)
{
	char *t = arena_strdup(a, s);
	for (char *p = t; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return t;
}

static void title(struct buf *out, enum filter f, int64_t at, int64_t days, size_t n)
{
	char s[TS_BUFSZ];
	ts_format_utc(at, s);
	switch (f) {
	case FILTER_ALL: buf_printf(out, "Exception register as of %s", s); break;
	case FILTER_ACTIVE: buf_printf(out, "Exceptions in force at %s", s); break;
	case FILTER_EXPIRED: buf_printf(out, "Exceptions expired by %s", s); break;
	case FILTER_EXPIRING:
		buf_printf(out, "Exceptions in force at %s and expiring within %" PRId64 " day%s", s, days,
			   days == 1 ? "" : "s");
		break;
	}
	buf_printf(out, ": %zu exception%s", n, n == 1 ? "" : "s");
}

static void render_text(const struct reg *r, enum filter f, int64_t at, int64_t days, struct buf *out)
{
	struct arena a = ARENA_INIT;
	const char *(*cells)[NCOL] = arena_alloc(&a, (r->n + 1) * sizeof(*cells));
	size_t w[NCOL];
	for (int c = 0; c < NCOL; c++) {
		cells[0][c] = headers[c];
		w[c] = strlen(headers[c]);
	}
	for (size_t i = 0; i < r->n; i++) {
		cells_of(&r->rows[i], &a, cells[i + 1]);
		for (int c = 0; c < NCOL; c++) {
			cells[i + 1][c] = text_cell(&a, cells[i + 1][c]);
			size_t cw = md_display_width(cells[i + 1][c], strlen(cells[i + 1][c]));
			w[c] = cw > w[c] ? cw : w[c];
		}
	}
	title(out, f, at, days, r->n);
	buf_puts(out, "\n");
	for (size_t i = 0; r->n && i <= r->n; i++) {
		if (i == 0)
			buf_putc(out, '\n');
		for (int c = 0; c < NCOL; c++) {
			const char *s = cells[i][c];
			size_t gap = w[c] - md_display_width(s, strlen(s));
			if (c)
				buf_puts(out, "  ");
			if (c == COL_EXCUSED) {   /* a count: right-aligned */
				buf_printf(out, "%*s%s", (int)gap, "", s);
			} else {
				buf_puts(out, s);
				if (c + 1 < NCOL)
					buf_printf(out, "%*s", (int)gap, "");
			}
		}
		buf_putc(out, '\n');
	}
	arena_free(&a);
}

/* ---- Markdown ------------------------------------------------------- */

static void md_cell(struct buf *out, const char *s)
{
	md_escape(out, s, strlen(s));
}

static void render_md(const struct reg *r, enum filter f, int64_t at, int64_t days, struct buf *out)
{
	struct arena a = ARENA_INIT;
	buf_puts(out, "# Exception register\n\n");
	if (f == FILTER_ALL) {
		char s[TS_BUFSZ];
		ts_format_utc(at, s);
		buf_printf(out, "As of %s: %zu exception%s", s, r->n, r->n == 1 ? "" : "s");
	} else {
		title(out, f, at, days, r->n);
	}
	buf_puts(out, ".\n");
	if (r->n) {
		buf_puts(out, "\n| Id | Rule | Subject | Incident | Requested by | Approved by | Approved at | "
			 "Expires | State | In force | Findings excused |\n"
			 "|---|---|---|---|---|---|---|---|---|---|--:|\n");
	}
	for (size_t i = 0; i < r->n; i++) {
		const char *cells[NCOL];
		cells_of(&r->rows[i], &a, cells);
		buf_puts(out, "|");
		for (int c = 0; c < NCOL; c++) {
			buf_putc(out, ' ');
			md_cell(out, cells[c]);
			buf_puts(out, " |");
		}
		buf_putc(out, '\n');
	}
	arena_free(&a);
}

/* ---- CSV ------------------------------------------------------------ */


static void csv_time(struct buf *out, bool has, int64_t t)
{
	char s[TS_BUFSZ] = "";
	if (has)
		ts_format_utc(t, s);
	esc_csv(out, s);
}

/* Machine-readable: an empty subject covers the whole rule, an empty
 * incident is a standing exception (kind says so too), an empty expiry
 * is never. */
static void render_csv(const struct reg *r, struct buf *out)
{
	buf_puts(out, "id,kind,rule,subject,incident,requested_by,approved_by,approved_at,expires,state,"
		 "in_force,findings_excused,justification,compensating_controls\r\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct exc *e = &r->rows[i];
		esc_csv(out, e->id);
		buf_putc(out, ',');
		esc_csv(out, e->incident ? "incident" : "standing");
		buf_putc(out, ',');
		esc_csv(out, e->rule);
		buf_putc(out, ',');
		esc_csv(out, e->subject);
		buf_putc(out, ',');
		esc_csv(out, e->incident);
		buf_putc(out, ',');
		esc_csv(out, e->requested_by);
		buf_putc(out, ',');
		esc_csv(out, e->approved_by);
		buf_putc(out, ',');
		csv_time(out, true, e->approved_at);
		buf_putc(out, ',');
		csv_time(out, e->has_expires, e->expires);
		buf_putc(out, ',');
		esc_csv(out, e->state);
		buf_putc(out, ',');
		esc_csv(out, e->in_force ? "yes" : "no");
		buf_printf(out, ",%zu,", e->n_findings);
		esc_csv(out, e->justification);
		buf_putc(out, ',');
		esc_csv(out, e->compensating);
		buf_puts(out, "\r\n");
	}
}

/* ---- JSON ----------------------------------------------------------- */



static void render_json(const struct reg *r, enum filter f, int64_t at, int64_t days, struct buf *out)
{
	static const char *const filter_names[] = { "all", "active", "expired", "expiring" };
	buf_puts(out, "{\n  \"as_of\": ");
	esc_json_time(out, true, at);
	buf_printf(out, ",\n  \"filter\": \"%s\",\n", filter_names[f]);
	if (f == FILTER_EXPIRING)
		buf_printf(out, "  \"expiring_within_days\": %" PRId64 ",\n", days);
	buf_puts(out, "  \"exceptions\": [");
	for (size_t i = 0; i < r->n; i++) {
		const struct exc *e = &r->rows[i];
		buf_printf(out, "%s\n    {\"id\": ", i ? "," : "");
		esc_json(out, e->id);
		buf_printf(out, ", \"standing\": %s, \"rule\": ", e->incident ? "false" : "true");
		esc_json(out, e->rule);
		buf_puts(out, ", \"subject\": ");
		esc_json(out, e->subject);
		buf_puts(out, ", \"incident\": ");
		esc_json(out, e->incident);
		buf_puts(out, ",\n     \"requested_by\": ");
		esc_json(out, e->requested_by);
		buf_puts(out, ", \"approved_by\": ");
		esc_json(out, e->approved_by);
		buf_puts(out, ", \"approved_at\": ");
		esc_json_time(out, true, e->approved_at);
		buf_puts(out, ", \"expires\": ");
		esc_json_time(out, e->has_expires, e->expires);
		buf_puts(out, ",\n     \"state\": ");
		esc_json(out, e->state);
		buf_printf(out, ", \"in_force\": %s, \"findings_excused\": %zu, \"findings\": [",
			   e->in_force ? "true" : "false", e->n_findings);
		for (size_t k = 0; k < e->n_findings; k++) {
			buf_puts(out, k ? ", " : "");
			buf_puts(out, "{\"incident\": ");
			esc_json(out, e->findings[k].incident);
			buf_puts(out, ", \"rule\": ");
			esc_json(out, e->findings[k].rule);
			buf_puts(out, ", \"subject\": ");
			esc_json(out, e->findings[k].subject);
			buf_putc(out, '}');
		}
		buf_puts(out, "],\n     \"justification\": ");
		esc_json(out, e->justification);
		buf_puts(out, ",\n     \"compensating_controls\": ");
		esc_json(out, e->compensating);
		buf_putc(out, '}');
	}
	buf_puts(out, r->n ? "\n  ]\n}\n" : "]\n}\n");
}

/* ---- Import --------------------------------------------------------- */

static int import(const char *db_path, const char *file, const char *policy_path)
{
	struct diag d = DIAG_INIT;
	struct policy *pol = NULL;
	struct record *rec = NULL;
	sqlite3 *db = NULL;
	/* The file first: a bad one leaves the ledger untouched, not even
	 * created. */
	if (pol_load(policy_path, &d, &pol) != 0 || rec_load_standing(file, pol, &d, &rec) != 0 ||
	    ledger_open(db_path, LEDGER_READ_WRITE, &db, &d) != 0) {
		diag_add(&d, DIAG_NOTE, db_path, 0, "nothing imported");
		diag_print(&d, stderr);
		diag_free(&d);
		sqlite3_close(db);
		rec_free(rec);
		pol_free(pol);
		return SC_EXIT_INPUT;
	}
	diag_print(&d, stderr);
	diag_free(&d);

	size_t replaced = 0;
	int status = SC_EXIT_OK;
	sqlite3_stmt *exists = NULL;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT 1 FROM exceptions WHERE incident_id IS NULL AND id = ?", -1,
			       &exists, NULL) != SQLITE_OK) {
		diag_error(&d, db_path, 0, "cannot write the ledger: %s", sqlite3_errmsg(db));
		status = SC_EXIT_INPUT;
	}
	for (size_t i = 0; status == SC_EXIT_OK && i < rec->n_exceptions; i++) {
		sqlite3_bind_text(exists, 1, rec->exceptions[i].id, -1, SQLITE_STATIC);
		replaced += sqlite3_step(exists) == SQLITE_ROW;
		sqlite3_reset(exists);
	}
	sqlite3_finalize(exists);
	if (status == SC_EXIT_OK &&
	    (ledger_put_standing(db, rec->exceptions, rec->n_exceptions, db_path, &d) != 0 ||
	     sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)) {
		if (d.errors == 0)
			diag_error(&d, db_path, 0, "cannot write the ledger: %s", sqlite3_errmsg(db));
		status = SC_EXIT_INPUT;
	}
	if (status != SC_EXIT_OK) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		diag_add(&d, DIAG_NOTE, db_path, 0, "nothing imported");
		diag_print(&d, stderr);
	} else {
		size_t n = rec->n_exceptions;
		out_printf("%zu standing exception%s imported (%zu new, %zu replaced by id).\n"
		       "Standing exceptions apply to audits at the next 'sircomm ingest': re-ingest the\n"
		       "records already in the ledger to apply them there.\n",
		       n, n == 1 ? "" : "s", n - replaced, replaced);
	}
	diag_free(&d);
	if (ledger_close(db) != 0 && status == SC_EXIT_OK)
		status = SC_EXIT_INPUT;
	rec_free(rec);
	pol_free(pol);
	return status;
}

/* ---- The command ---------------------------------------------------- */

/* Parses --expiring: a number of days, "30" or "30d". */
static int parse_days(const char *s, int64_t *days)
{
	const char *p = s;
	int64_t n = 0;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > MAX_DAYS)
			return -1;
	}
	if (*p == 'd')
		p++;
	if (*p)
		return -1;
	*days = n;
	return 0;
}

int cmd_exceptions(struct cli_env *env, int argc, char **argv)
{
	const char *db_path = NULL, *import_path = NULL, *policy_path = NULL;
	enum filter filter = FILTER_ALL;
	enum format format = FORMAT_TEXT;
	int64_t at = (int64_t)time(NULL), days = 0;
	int n_filters = 0;
	bool listing_opts = false;
	int c;
	while ((c = cli_getopt("exceptions", argc, argv, "d:p:f:h", exceptions_options)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case OPT_ACTIVE: filter = FILTER_ACTIVE; n_filters++; break;
		case OPT_EXPIRED: filter = FILTER_EXPIRED; n_filters++; break;
		case OPT_EXPIRING:
			if (parse_days(optarg, &days) != 0)
				return cli_usage_error("exceptions", "--expiring '%s' is not a number of days "
						       "(e.g. 30 or 30d)", optarg);
			filter = FILTER_EXPIRING;
			n_filters++;
			break;
		case OPT_AT:
			if (cli_parse_at("exceptions", optarg, &at) != 0)
				return SC_EXIT_INPUT;
			listing_opts = true;
			break;
		case OPT_IMPORT: import_path = optarg; break;
		case 'p': policy_path = optarg; break;
		case 'f': {
			int f = name_index(format_names, 4, optarg);
			if (f < 0)
				return cli_usage_error("exceptions", "format '%s' is not text, md, csv or json",
						       optarg);
			format = (enum format)f;
			listing_opts = true;
			break;
		}
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (!db_path)
		return cli_usage_error("exceptions", "say which ledger with --db FILE");
	if (optind < argc)
		return cli_usage_error("exceptions", "unexpected argument '%s'", argv[optind]);
	if (n_filters > 1)
		return cli_usage_error("exceptions", "--active, --expired and --expiring exclude each other");
	if (import_path) {
		if (n_filters || listing_opts)
			return cli_usage_error("exceptions", "--import lists nothing: leave out --active, "
					       "--expired, --expiring, --at and --format");
		return import(db_path, import_path, policy_path);
	}
	if (policy_path)
		return cli_usage_error("exceptions", "--policy is for checking a file to --import");

	struct diag d = DIAG_INIT;
	sqlite3 *db = NULL;
	struct reg r = { NULL, 0, 0, ARENA_INIT };
	if (ledger_open(db_path, LEDGER_READ_ONLY, &db, &d) != 0 ||
	    read_register(db, db_path, filter, at, days, &r, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		reg_free(&r);
		sqlite3_close(db);
		return SC_EXIT_INPUT;
	}
	sqlite3_close(db);
	struct buf out = BUF_INIT;
	switch (format) {
	case FORMAT_TEXT: render_text(&r, filter, at, days, &out); break;
	case FORMAT_MD: render_md(&r, filter, at, days, &out); break;
	case FORMAT_CSV: render_csv(&r, &out); break;
	case FORMAT_JSON: render_json(&r, filter, at, days, &out); break;
	}
	int status = SC_EXIT_OK;
	if (out.overflow) {
		errorf("the register is too large to print");
		status = SC_EXIT_INPUT;
	} else {
		out_stdout(buf_str(&out), out.len);
	}
	buf_free(&out);
	reg_free(&r);
	return status;
}
