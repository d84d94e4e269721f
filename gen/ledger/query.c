/* query.c - one read-only statement from a user, run on the ledger
 * (ledger_query), and its rows as an aligned table for a terminal or as
 * CSV (query_print). */
#include "ledger/query.h"
#include "ledger_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "format/md.h"

/* The widest a table cell prints, in display columns ("…" included). */
#define CELL_MAX 60

/* ---- Running one read-only statement ------------------------------------ */

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

/* Column i of the current row, borrowed from st until it steps again. */
static void column_value(sqlite3_stmt *st, int i, struct ledger_value *v)
{
	/* The type first: reading a number as text converts it. */
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER: v->type = LEDGER_INTEGER; break;
	case SQLITE_FLOAT: v->type = LEDGER_FLOAT; break;
	case SQLITE_TEXT: v->type = LEDGER_TEXT; break;
	case SQLITE_BLOB: v->type = LEDGER_BLOB; break;
	default: v->type = LEDGER_NULL; break;
	}
	if (v->type == LEDGER_NULL)
		v->data = NULL;
	else if (v->type == LEDGER_BLOB)
		v->data = sqlite3_column_blob(st, i);
	else
		v->data = (const char *)sqlite3_column_text(st, i);
	v->len = v->data ? (size_t)sqlite3_column_bytes(st, i) : 0;
	if (!v->data)
		v->data = "";
}

int ledger_query(struct ledger *lg, const char *sql, ledger_row_fn *fn, void *ud, int *error_at,
		 struct diag *d)
{
	sqlite3 *db = lg->db;
	*error_at = -1;
	sqlite3_stmt *st = NULL;
	if (!lg->views && ledger_query_views(lg, d) != 0)
		return -1;
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
		for (int i = 0; i < ncol; i++)
			column_value(st, i, &values[i]);
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

/* ---- Cells ---------------------------------------------------------- */

/* True for characters a terminal would act on rather than show: C0 and
 * C1 controls, DEL, and the bidirectional-text overrides and isolates
 * that can make a cell read differently from what it holds. */
static bool is_control(utf8proc_int32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
	       (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/*
 * Makes the printable form of n bytes of s for the table: escapes for
 * control characters, U+FFFD for invalid UTF-8, cut at CELL_MAX display
 * columns with "…".  Returns a new string the caller frees and its width
 * in *width.
 */
static char *table_cell(const char *s, size_t n, size_t *width)
{
	struct buf out = BUF_INIT;
	size_t w = 0, cut_len = 0, cut_w = 0, i = 0;
	bool have_cut = false;
	buf_puts(&out, "");
	while (i < n) {
		char piece[16];
		size_t plen, pw;
		utf8proc_int32_t c;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(n - i), &c);
		if (k <= 0) {
			memcpy(piece, "\xef\xbf\xbd", 3);   /* U+FFFD */
			plen = 3;
			pw = 1;
			k = 1;
		} else if (is_control(c)) {
			if (c == '\n' || c == '\t' || c == '\r')
				plen = (size_t)snprintf(piece, sizeof(piece), "\\%c",
							c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
			else if (c < 0x80)
				plen = (size_t)snprintf(piece, sizeof(piece), "\\x%02x", (unsigned)c);
			else
				plen = (size_t)snprintf(piece, sizeof(piece), "\\u%04x", (unsigned)c);
			pw = plen;
		} else {
			memcpy(piece, s + i, (size_t)k);
			plen = (size_t)k;
			pw = (size_t)utf8proc_charwidth(c);
		}
		i += (size_t)k;
		/* The longest prefix that leaves room for the "…". */
		if (!have_cut && w + pw > CELL_MAX - 1) {
			cut_len = out.len;
			cut_w = w;
			have_cut = true;
		}
		if (w + pw > CELL_MAX) {
			char *cell = xmalloc(cut_len + sizeof("\xe2\x80\xa6"));
			memcpy(cell, out.data, cut_len);
			memcpy(cell + cut_len, "\xe2\x80\xa6", sizeof("\xe2\x80\xa6"));
			buf_free(&out);
			*width = cut_w + 1;
			return cell;
		}
		buf_append(&out, piece, plen);
		w += pw;
	}
	*width = w;
	return buf_detach(&out);
}

static void hex_literal(struct buf *out, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	buf_puts(out, "x'");
	for (size_t i = 0; i < n; i++) {
		buf_putc(out, digits[p[i] >> 4]);
		buf_putc(out, digits[p[i] & 15]);
	}
	buf_putc(out, '\'');
}

/* Appends one value as a CSV field. */
static void csv_field(struct buf *out, const struct ledger_value *v)
{
	if (v->type == LEDGER_NULL)
		return;
	if (v->type == LEDGER_INTEGER || v->type == LEDGER_FLOAT) {
		buf_append(out, v->data, v->len);
		return;
	}
	if (v->type == LEDGER_BLOB) {
		hex_literal(out, (const unsigned char *)v->data, v->len);
		return;
	}
	const char *s = v->data;
	size_t n = v->len;
	bool formula = n && strchr("=+-@\t\r", s[0]);
	bool quote = n == 0 || formula || memchr(s, '"', n) || memchr(s, ',', n) ||
		     memchr(s, '\n', n) || memchr(s, '\r', n);
	if (quote)
		buf_putc(out, '"');
	if (formula)
		buf_putc(out, '\'');
	for (size_t k = 0; k < n; k++) {
		if (s[k] == '"')
			buf_putc(out, '"');
		buf_putc(out, s[k]);
	}
	if (quote)
		buf_putc(out, '"');
}

static void csv_name(struct buf *out, const char *s)
{
	bool quote = !*s || strchr("=+-@\t\r", s[0]) || strpbrk(s, "\",\r\n");
	if (quote)
		buf_putc(out, '"');
	if (*s && strchr("=+-@\t\r", s[0]))
		buf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(out, '"');
		buf_putc(out, *s);
	}
	if (quote)
		buf_putc(out, '"');
}

/* ---- The table ------------------------------------------------------ */

struct table {
	int ncol;
	char **cells;        /* rows * ncol printable cells, header first */
	size_t *widths;      /* of each cell */
	size_t n_rows, cap_rows;   /* rows of cells, the header included */
	size_t *colw;        /* column widths */
	bool *numeric;       /* every value a number: right-aligned */
	bool *seen;          /* a number was seen in the column */
	size_t bytes;        /* held by the cells, capped like a buffer */
};

static void table_init(struct table *t, int ncol)
{
	*t = (struct table){ ncol, NULL, NULL, 0, 0, xcalloc((size_t)ncol + 1, sizeof(size_t)),
			     xcalloc((size_t)ncol + 1, sizeof(bool)),
			     xcalloc((size_t)ncol + 1, sizeof(bool)), 0 };
}

static void table_add_row(struct table *t)
{
	if (t->n_rows == t->cap_rows) {
		t->cap_rows = t->cap_rows ? t->cap_rows * 2 : 64;
		t->cells = xrealloc(t->cells, t->cap_rows * (size_t)t->ncol * sizeof(*t->cells));
		t->widths = xrealloc(t->widths, t->cap_rows * (size_t)t->ncol * sizeof(*t->widths));
	}
	t->n_rows++;
}

static void table_set(struct table *t, int col, char *cell, size_t w)
{
	size_t k = (t->n_rows - 1) * (size_t)t->ncol + (size_t)col;
	t->cells[k] = cell;
	t->widths[k] = w;
	t->bytes += strlen(cell) + 2 + sizeof(char *) + sizeof(size_t);
	if (w > t->colw[col])
		t->colw[col] = w;
}

static void table_row(struct table *t, const struct ledger_value *values)
{
	table_add_row(t);
	for (int i = 0; i < t->ncol; i++) {
		const struct ledger_value *v = &values[i];
		size_t w;
		char *cell;
		if (v->type == LEDGER_NULL) {
			cell = xstrdup("NULL");
			w = 4;
		} else if (v->type == LEDGER_BLOB) {
			struct buf b = BUF_INIT;
			/* Only what can show: the cell is cut at CELL_MAX anyway. */
			hex_literal(&b, (const unsigned char *)v->data, v->len > CELL_MAX ? CELL_MAX : v->len);
			if (v->len > CELL_MAX)
				buf_puts(&b, "...");
			cell = table_cell(b.data, b.len, &w);
			buf_free(&b);
		} else {
			cell = table_cell(v->data, v->len, &w);
		}
		if (v->type == LEDGER_INTEGER || v->type == LEDGER_FLOAT)
			t->seen[i] = true;
		else if (v->type != LEDGER_NULL)
			t->numeric[i] = false;
		table_set(t, i, cell, w);
	}
}

static void pad(struct buf *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_putc(out, ' ');
}

static void table_print_row(const struct table *t, size_t r, struct buf *out)
{
	for (int i = 0; i < t->ncol; i++) {
		size_t k = r * (size_t)t->ncol + (size_t)i;
		size_t gap = t->colw[i] - t->widths[k];
		bool right = t->numeric[i] && t->seen[i];
		if (i)
			buf_puts(out, "  ");
		if (right)
			pad(out, gap);
		buf_puts(out, t->cells[k]);
		if (!right && i + 1 < t->ncol)
			pad(out, gap);
	}
	buf_putc(out, '\n');
}

static void table_print(const struct table *t, struct buf *out)
{
	table_print_row(t, 0, out);
	for (int i = 0; i < t->ncol; i++) {
		if (i)
			buf_puts(out, "  ");
		for (size_t k = 0; k < t->colw[i]; k++)
			buf_putc(out, '-');
	}
	buf_putc(out, '\n');
	for (size_t r = 1; r < t->n_rows; r++)
		table_print_row(t, r, out);
	size_t n = t->n_rows - 1;
	buf_printf(out, "(%zu row%s)\n", n, n == 1 ? "" : "s");
}

static void table_free(struct table *t)
{
	for (size_t k = 0; k < t->n_rows * (size_t)t->ncol; k++)
		free(t->cells[k]);
	free(t->cells);
	free(t->widths);
	free(t->colw);
	free(t->numeric);
	free(t->seen);
}

/* ---- Printing the rows ------------------------------------------------ */

struct printer {
	enum query_format format;
	struct buf *out;
	struct table t;
};

/* True once the result is past what sircomm prints. */
static bool too_large(const struct printer *p)
{
	return p->out->overflow || p->t.bytes > BUF_DEFAULT_MAX;
}

static void csv_header(struct buf *out, int ncol, const char *const *names)
{
	for (int i = 0; i < ncol; i++) {
		if (i)
			buf_putc(out, ',');
		csv_name(out, names[i]);
	}
	if (ncol)
		buf_puts(out, "\r\n");
}

static void csv_row(struct buf *out, int ncol, const struct ledger_value *values)
{
	for (int i = 0; i < ncol; i++) {
		if (i)
			buf_putc(out, ',');
		csv_field(out, &values[i]);
	}
	buf_puts(out, "\r\n");
}

static void table_header(struct table *t, const char *const *names)
{
	table_add_row(t);
	for (int i = 0; i < t->ncol; i++) {
		size_t w;
		char *cell = table_cell(names[i], strlen(names[i]), &w);
		t->numeric[i] = true;
		t->colw[i] = 1;
		table_set(t, i, cell, w);
	}
}

static int print_row(void *ud, int ncol, const char *const *names,
		     const struct ledger_value *values)
{
	struct printer *p = ud;
	if (!values)
		table_init(&p->t, ncol);
	if (p->format == QUERY_CSV && !values)
		csv_header(p->out, ncol, names);
	else if (p->format == QUERY_CSV)
		csv_row(p->out, ncol, values);
	else if (!values)
		table_header(&p->t, names);
	else
		table_row(&p->t, values);
	return too_large(p);
}

int query_print(struct ledger *lg, const char *sql, enum query_format f, struct buf *out,
		int *error_at, struct diag *d)
{
	struct printer p = { f, out, { 0 } };
	int rc = ledger_query(lg, sql, print_row, &p, error_at, d);
	int status = rc < 0 ? -1 : 0;
	if (status == 0 && f == QUERY_TABLE && !too_large(&p)) {
		if (p.t.ncol)
			table_print(&p.t, out);
		else
			buf_puts(out, "(0 rows)\n");
	}
	if (status == 0 && too_large(&p)) {
		diag_error(d, "query", 0, "the result is too large to print (over %zu MiB): narrow it, "
			   "e.g. with LIMIT", BUF_DEFAULT_MAX >> 20);
		status = -1;
	}
	table_free(&p.t);
	return status;
}
