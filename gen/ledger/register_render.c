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

/* Whether every byte of s is printable ASCII: such a cell prints as it
 * is, one column a byte, and needs none of text_cell's work.  Nearly
 * every cell of a register is one. */
static bool plain_ascii(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	for (; p[i]; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f)
			return false;
	*len = i;
	return true;
}

/* The cell for a terminal and its width in columns: control characters
 * as spaces, so one row stays one line, then what else a terminal would
 * act on rather than show (C1 controls, bidirectional overrides, line
 * separators, invalid UTF-8) escaped the way every line sircomm prints
 * is (esc_term). */
static const char *text_cell(struct arena *a, const char *s, size_t *width)
{
	size_t len;
	if (plain_ascii(s, &len)) {
		*width = len;
		return s;
	}
	char *t = arena_strdup(a, s);
	for (char *p = t; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	struct buf b = BUF_INIT;
	esc_term(&b, t);
	const char *cell = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	*width = md_display_width(cell, strlen(cell));
	return cell;
}

/* n spaces. */
static void pad(struct buf *out, size_t n)
{
	static const char spaces[] = "                                ";
	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		buf_append(out, spaces, k);
		n -= k;
	}
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

/* Each cell's text and width are worked out once, for the column
 * widths, and kept for the rows. */
static void render_text(const struct register_view *r, struct buf *out)
{
	struct arena a = ARENA_INIT;
	const char *(*cells)[NCOL] = arena_alloc(&a, (r->n + 1) * sizeof(*cells));
	size_t (*cw)[NCOL] = arena_alloc(&a, (r->n + 1) * sizeof(*cw));
	size_t w[NCOL];
	for (int c = 0; c < NCOL; c++) {
		cells[0][c] = headers[c];
		cw[0][c] = w[c] = strlen(headers[c]);
	}
	for (size_t i = 0; i < r->n; i++) {
		cells_of(&r->rows[i], &a, cells[i + 1]);
		for (int c = 0; c < NCOL; c++) {
			cells[i + 1][c] = text_cell(&a, cells[i + 1][c], &cw[i + 1][c]);
			w[c] = cw[i + 1][c] > w[c] ? cw[i + 1][c] : w[c];
		}
	}
	title(r, out);
	buf_puts(out, "\n");
	for (size_t i = 0; r->n && i <= r->n; i++) {
		if (i == 0)
			buf_putc(out, '\n');
		for (int c = 0; c < NCOL; c++) {
			const char *s = cells[i][c];
			size_t gap = w[c] - cw[i][c];
			if (c)
				buf_append(out, "  ", 2);
			if (c == COL_EXCUSED) {   /* a count: right-aligned */
				pad(out, gap);
				buf_puts(out, s);
			} else {
				buf_puts(out, s);
				if (c + 1 < NCOL)
					pad(out, gap);
			}
		}
		buf_putc(out, '\n');
	}
	arena_free(&a);
}

/* ---- Markdown ------------------------------------------------------- */

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
			md_escape_str(out, cells[c]);
			buf_puts(out, " |");
		}
		buf_putc(out, '\n');
	}
	arena_free(&a);
}

/* ---- The machine formats: csv and json ------------------------------- */

/*
 * One field of an exception as csv and json write it, in the same order
 * and under the same names, but for two: csv's `kind` (incident or
 * standing) is json's `standing` (true or false), and json alone lists
 * the findings.  Machine-readable: an empty or null subject covers the
 * whole rule, incident a standing exception, expiry never.
 */
struct field {
	const char *csv, *json;   /* the column and the member; NULL: not in that format */
	enum { F_TEXT, F_TIME, F_FLAG, F_COUNT, F_FINDINGS } kind;
	const char *text;         /* F_TEXT, NULL for none */
	bool has;                 /* F_TIME: false for none */
	int64_t t;
	bool flag;                /* F_FLAG: json true or false, csv `yes` or `no` */
	const char *yes, *no;
	size_t count;             /* F_COUNT */
	bool line;                /* json: the member starts a new line */
};

#define NFIELDS 15

static void fields_of(const struct register_row *e, struct field f[NFIELDS])
{
	const struct field list[NFIELDS] = {
		{ "id", "id", F_TEXT, .text = e->id },
		{ "kind", "standing", F_FLAG, .flag = !e->incident, .yes = "standing", .no = "incident" },
		{ "rule", "rule", F_TEXT, .text = e->rule },
		{ "subject", "subject", F_TEXT, .text = e->subject },
		{ "incident", "incident", F_TEXT, .text = e->incident },
		{ "requested_by", "requested_by", F_TEXT, .text = e->requested_by, .line = true },
		{ "approved_by", "approved_by", F_TEXT, .text = e->approved_by },
		{ "approved_at", "approved_at", F_TIME, .has = true, .t = e->approved_at },
		{ "expires", "expires", F_TIME, .has = e->has_expires, .t = e->expires },
		{ "state", "state", F_TEXT, .text = e->state, .line = true },
		{ "in_force", "in_force", F_FLAG, .flag = e->in_force, .yes = "yes", .no = "no" },
		{ "findings_excused", "findings_excused", F_COUNT, .count = e->n_findings },
		{ NULL, "findings", F_FINDINGS, .text = NULL },
		{ "justification", "justification", F_TEXT, .text = e->justification, .line = true },
		{ "compensating_controls", "compensating_controls", F_TEXT, .text = e->compensating,
		  .line = true },
	};
	memcpy(f, list, sizeof(list));
}

static void csv_field(struct buf *out, const struct field *f)
{
	char s[TS_BUFSZ] = "";
	switch (f->kind) {
	case F_TEXT: esc_csv(out, f->text); break;
	case F_TIME:
		if (f->has)
			ts_format_utc(f->t, s);
		esc_csv(out, s);
		break;
	case F_FLAG: esc_csv(out, f->flag ? f->yes : f->no); break;
	case F_COUNT: buf_printf(out, "%zu", f->count); break;
	case F_FINDINGS: break;
	}
}

static void render_csv(const struct register_view *r, struct buf *out)
{
	struct field f[NFIELDS];
	fields_of(&(struct register_row){ 0 }, f);   /* for the names only */
	for (size_t k = 0, n = 0; k < NFIELDS; k++)
		if (f[k].csv)
			buf_printf(out, "%s%s", n++ ? "," : "", f[k].csv);
	buf_puts(out, "\r\n");
	for (size_t i = 0; i < r->n; i++) {
		fields_of(&r->rows[i], f);
		for (size_t k = 0, n = 0; k < NFIELDS; k++) {
			if (!f[k].csv)
				continue;
			if (n++)
				buf_putc(out, ',');
			csv_field(out, &f[k]);
		}
		buf_puts(out, "\r\n");
	}
}

/* The findings an exception excused, as a json array on one line. */
static void json_findings(struct buf *out, const struct register_row *e)
{
	buf_putc(out, '[');
	for (size_t k = 0; k < e->n_findings; k++) {
		const struct register_finding *x = &e->findings[k];
		const char *const names[] = { "incident", "rule", "subject" };
		const char *const values[] = { x->incident, x->rule, x->subject };
		buf_puts(out, k ? ", {" : "{");
		for (size_t v = 0; v < 3; v++) {
			buf_printf(out, "%s\"%s\": ", v ? ", " : "", names[v]);
			esc_json(out, values[v]);
		}
		buf_putc(out, '}');
	}
	buf_putc(out, ']');
}

static void json_field(struct buf *out, const struct field *f, const struct register_row *e)
{
	switch (f->kind) {
	case F_TEXT: esc_json(out, f->text); break;
	case F_TIME: esc_json_time(out, f->has, f->t); break;
	case F_FLAG: buf_puts(out, f->flag ? "true" : "false"); break;
	case F_COUNT: buf_printf(out, "%zu", f->count); break;
	case F_FINDINGS: json_findings(out, e); break;
	}
}

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
		struct field f[NFIELDS];
		fields_of(&r->rows[i], f);
		buf_puts(out, i ? ",\n    {" : "\n    {");
		for (size_t k = 0; k < NFIELDS; k++) {
			buf_printf(out, "%s\"%s\": ", k == 0 ? "" : f[k].line ? ",\n     " : ", ", f[k].json);
			json_field(out, &f[k], &r->rows[i]);
		}
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
