/* register_render.c - the exception register as a table for a terminal,
 * Markdown, CSV or JSON. */
#include "ledger/register.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/esc.h"
#include "base/ts.h"
#include "format/md.h"

static const char *const format_names[] = { "text", "md", "csv", "json" };

int register_format_parse(const char *s)
{
	return name_index(format_names, 4, s);
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
static void cells_of(const struct register_row *e, struct arena *a, const char *cells[NCOL])
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

/* "Exceptions in force at ...: 3 exceptions", after the filter. */
static void title(const struct register_view *r, struct buf *out)
{
	char s[TS_BUFSZ];
	ts_format_utc(r->at, s);
	switch (r->filter) {
	case REGISTER_ALL: buf_printf(out, "Exception register as of %s", s); break;
	case REGISTER_ACTIVE: buf_printf(out, "Exceptions in force at %s", s); break;
	case REGISTER_EXPIRED: buf_printf(out, "Exceptions expired by %s", s); break;
	case REGISTER_EXPIRING:
		buf_printf(out, "Exceptions in force at %s and expiring within %" PRId64 " day%s", s,
			   r->days, r->days == 1 ? "" : "s");
		break;
	}
	buf_printf(out, ": %zu exception%s", r->n, r->n == 1 ? "" : "s");
}

static void render_text(const struct register_view *r, struct buf *out)
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
	title(r, out);
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

static void render_md(const struct register_view *r, struct buf *out)
{
	struct arena a = ARENA_INIT;
	buf_puts(out, "# Exception register\n\n");
	if (r->filter == REGISTER_ALL) {
		char s[TS_BUFSZ];
		ts_format_utc(r->at, s);
		buf_printf(out, "As of %s: %zu exception%s", s, r->n, r->n == 1 ? "" : "s");
	} else {
		title(r, out);
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
static void render_csv(const struct register_view *r, struct buf *out)
{
	buf_puts(out, "id,kind,rule,subject,incident,requested_by,approved_by,approved_at,expires,state,"
		 "in_force,findings_excused,justification,compensating_controls\r\n");
	for (size_t i = 0; i < r->n; i++) {
		const struct register_row *e = &r->rows[i];
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

static void render_json(const struct register_view *r, struct buf *out)
{
	static const char *const filter_names[] = { "all", "active", "expired", "expiring" };
	buf_puts(out, "{\n  \"as_of\": ");
	esc_json_time(out, true, r->at);
	buf_printf(out, ",\n  \"filter\": \"%s\",\n", filter_names[r->filter]);
	if (r->filter == REGISTER_EXPIRING)
		buf_printf(out, "  \"expiring_within_days\": %" PRId64 ",\n", r->days);
	buf_puts(out, "  \"exceptions\": [");
	for (size_t i = 0; i < r->n; i++) {
		const struct register_row *e = &r->rows[i];
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

void register_render(const struct register_view *r, enum register_format f, struct buf *out)
{
	switch (f) {
	case REGISTER_FORMAT_TEXT: render_text(r, out); break;
	case REGISTER_FORMAT_MD: render_md(r, out); break;
	case REGISTER_FORMAT_CSV: render_csv(r, out); break;
	case REGISTER_FORMAT_JSON: render_json(r, out); break;
	}
}
