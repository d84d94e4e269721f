/*
 * cmd_query.c - `sircomm query`: one read-only SQL statement on a ledger,
 * printed as an aligned table or as CSV.
 *
 * Three locks keep the ledger unchanged: the file is opened read-only,
 * with PRAGMA query_only (ledger_open), and a statement SQLite does not
 * call read-only (sqlite3_stmt_readonly) is refused before it runs.
 * Exactly one statement is prepared; anything but white space, semicolons
 * and comments after it is refused, so "SELECT 1; DELETE ..." never gets
 * as far as the second statement.
 *
 * The whole result is built in memory before anything is printed, so an
 * error while stepping (an overflow in sum(), a busy ledger) leaves
 * standard output empty.
 *
 * Table cells are for a terminal: NULL prints as NULL, control
 * characters as escapes (\n, \t, \x1b), bidirectional-text controls as
 * \u202e, invalid UTF-8 as U+FFFD, and a cell wider than 60 display
 * columns is cut with "…".  CSV cells are the values as stored (RFC 4180
 * quoting, CRLF line ends); NULL is an empty field and the empty string
 * "", and a text cell starting with = + - @ (or a tab or CR) gets a
 * leading ' so a spreadsheet does not run it as a formula.  Numbers are
 * never prefixed.  BLOBs print as an SQL hex literal x'...' in both.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <utf8proc.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "sys/output.h"
#include "ledger/ledger.h"
#include "format/md.h"

const struct cli_doc cmd_query_doc = {
	"sircomm query --db LEDGER [--csv] \"SELECT ...\"",
	"Run one read-only SQL statement on a ledger and print the rows as an\n"
	"aligned table, or as CSV.  The ledger is opened read-only, creating no\n"
	"file beside it; a second statement, or one that could write, is\n"
	"refused before anything runs.\n"
	"docs/ledger.md documents the tables; times are UTC epoch seconds\n"
	"(datetime(col, 'unixepoch') shows them).\n"
	"\n"
	"  -d, --db FILE    the ledger\n"
	"      --csv        print CSV (RFC 4180, CRLF line ends) instead of a table\n"
	"  -h, --help       show this help\n"
	"\n"
	"The table has a header, a dashed rule and the row count; NULL shows as\n"
	"NULL, control characters as escapes (\\n, \\x1b), and a cell wider than\n"
	"60 columns is cut with an ellipsis.  CSV holds the values whole: NULL\n"
	"is an empty field, the empty string \"\", and text starting with = + -\n"
	"or @ gets a leading ' so spreadsheets do not run it.  BLOBs show as\n"
	"x'hex' in both.\n"
	"\n"
	"Exit status: 0 done, 2 an SQL error, a refused statement, a bad ledger\n"
	"or bad usage.\n",
};

static const struct option query_options[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "csv", no_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The widest a table cell prints, in display columns ("…" included). */
#define CELL_MAX 60

static const char readonly_msg[] =
	"only read-only statements (SELECT, read-only PRAGMA, EXPLAIN) are allowed";

/* ---- SQL text ------------------------------------------------------- */

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

/* Prints the line of `sql` holding byte `off` and a caret under it, after
 * an error, the way a compiler points at a column. */
static void show_position(const char *sql, int off)
{
	if (off < 0 || (size_t)off > strlen(sql))
		return;
	const char *at = sql + off, *start = at, *end = at;
	while (start > sql && start[-1] != '\n')
		start--;
	while (*end && *end != '\n')
		end++;
	if (end - start > 200)
		return;   /* too long to be worth pointing into */
	/* Control characters (a tab) print as one space, so the caret's
	 * column is the display width of what precedes it, as printed. */
	char line[201];
	size_t n = (size_t)(end - start);
	for (size_t i = 0; i < n; i++)
		line[i] = (unsigned char)start[i] < 0x20 || start[i] == 0x7f ? ' ' : start[i];
	line[n] = '\0';
	fprintf(stderr, "    %s\n    %*s^\n", line,
		(int)md_display_width(line, (size_t)(at - start)), "");
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

/* Appends column i of the current row as one CSV field. */
static void csv_field(struct buf *out, sqlite3_stmt *st, int i)
{
	int type = sqlite3_column_type(st, i);
	if (type == SQLITE_NULL)
		return;
	if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
		buf_puts(out, (const char *)sqlite3_column_text(st, i));
		return;
	}
	if (type == SQLITE_BLOB) {
		const void *p = sqlite3_column_blob(st, i);
		hex_literal(out, p, (size_t)sqlite3_column_bytes(st, i));
		return;
	}
	const char *s = (const char *)sqlite3_column_text(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);
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

static void table_row(struct table *t, sqlite3_stmt *st)
{
	table_add_row(t);
	for (int i = 0; i < t->ncol; i++) {
		int type = sqlite3_column_type(st, i);
		size_t w;
		char *cell;
		if (type == SQLITE_NULL) {
			cell = xstrdup("NULL");
			w = 4;
		} else if (type == SQLITE_BLOB) {
			struct buf b = BUF_INIT;
			size_t n = (size_t)sqlite3_column_bytes(st, i);
			/* Only what can show: the cell is cut at CELL_MAX anyway. */
			hex_literal(&b, sqlite3_column_blob(st, i), n > CELL_MAX ? CELL_MAX : n);
			if (n > CELL_MAX)
				buf_puts(&b, "...");
			cell = table_cell(b.data, b.len, &w);
			buf_free(&b);
		} else {
			const char *s = (const char *)sqlite3_column_text(st, i);
			cell = table_cell(s ? s : "", (size_t)sqlite3_column_bytes(st, i), &w);
		}
		if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
			t->seen[i] = true;
		else if (type != SQLITE_NULL)
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

/* ---- The command ---------------------------------------------------- */

/* Runs the prepared statement into out, as a table or CSV.  Returns 0, or
 * -1 after adding an error to d. */
static int run(sqlite3 *db, sqlite3_stmt *st, bool csv, struct buf *out, struct diag *d)
{
	int ncol = sqlite3_column_count(st);
	struct table t = { ncol, NULL, NULL, 0, 0, xcalloc((size_t)ncol + 1, sizeof(size_t)),
			   xcalloc((size_t)ncol + 1, sizeof(bool)), xcalloc((size_t)ncol + 1, sizeof(bool)), 0 };
	if (csv) {
		for (int i = 0; i < ncol; i++) {
			if (i)
				buf_putc(out, ',');
			const char *name = sqlite3_column_name(st, i);
			csv_name(out, name ? name : "");
		}
		if (ncol)
			buf_puts(out, "\r\n");
	} else {
		table_add_row(&t);
		for (int i = 0; i < ncol; i++) {
			const char *name = sqlite3_column_name(st, i);
			size_t w;
			char *cell = table_cell(name ? name : "", name ? strlen(name) : 0, &w);
			t.numeric[i] = true;
			t.colw[i] = 1;
			table_set(&t, i, cell, w);
		}
	}
	int rc = SQLITE_DONE;
	while (!out->overflow && t.bytes <= BUF_DEFAULT_MAX && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (csv) {
			for (int i = 0; i < ncol; i++) {
				if (i)
					buf_putc(out, ',');
				csv_field(out, st, i);
			}
			buf_puts(out, "\r\n");
		} else {
			table_row(&t, st);
		}
	}
	int status = 0;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		diag_error(d, "query", 0, "%s", sqlite3_errmsg(db));
		status = -1;
	} else if (!csv && !out->overflow && t.bytes <= BUF_DEFAULT_MAX) {
		if (ncol)
			table_print(&t, out);
		else
			buf_puts(out, "(0 rows)\n");
	}
	if (status == 0 && (out->overflow || t.bytes > BUF_DEFAULT_MAX)) {
		diag_error(d, "query", 0, "the result is too large to print (over %zu MiB): narrow it, "
			   "e.g. with LIMIT", BUF_DEFAULT_MAX >> 20);
		status = -1;
	}
	table_free(&t);
	return status;
}

int cmd_query(struct cli_env *env, int argc, char **argv)
{
	const char *db_path = NULL;
	bool csv = false;
	int c;
	while ((c = cli_getopt("query", argc, argv, "d:h", query_options)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'c': csv = true; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (!db_path)
		return cli_usage_error("query", "say which ledger with --db FILE");
	if (optind >= argc)
		return cli_usage_error("query", "no SQL statement given");
	if (argc - optind > 1)
		return cli_usage_error("query", "give the SQL statement as one argument (quote it)");
	const char *sql = argv[optind];

	struct diag d = DIAG_INIT;
	sqlite3 *db = NULL;
	if (ledger_open(db_path, LEDGER_READ_ONLY, &db, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_INPUT;
	}

	/* Exactly one statement: empty ones (";", comments) before it are
	 * skipped, and nothing but such may follow it. */
	sqlite3_stmt *st = NULL;
	const char *rest = skip_empty(sql);
	int status = SC_EXIT_OK;
	while (!st && *rest) {
		const char *tail = NULL;
		if (sqlite3_prepare_v2(db, rest, -1, &st, &tail) != SQLITE_OK) {
			diag_error(&d, "query", 0, "%s", sqlite3_errmsg(db));
			diag_print(&d, stderr);
#if SQLITE_VERSION_NUMBER >= 3038000
			show_position(sql, sqlite3_error_offset(db) < 0 ? -1
				      : (int)(rest - sql) + sqlite3_error_offset(db));
#endif
			status = SC_EXIT_INPUT;
			break;
		}
		rest = skip_empty(tail ? tail : "");
	}
	if (status == SC_EXIT_OK && !st) {
		diag_error(&d, "query", 0, "no SQL statement given (only white space and comments)");
		diag_print(&d, stderr);
		status = SC_EXIT_INPUT;
	} else if (status == SC_EXIT_OK && *rest) {
		diag_error(&d, "query", 0, "only one SQL statement is allowed, and more follows the first");
		diag_print(&d, stderr);
		show_position(sql, (int)(rest - sql));
		status = SC_EXIT_INPUT;
	} else if (status == SC_EXIT_OK && !sqlite3_stmt_readonly(st)) {
		diag_error(&d, "query", 0, "%s", readonly_msg);
		diag_print(&d, stderr);
		status = SC_EXIT_INPUT;
	}
	if (status == SC_EXIT_OK) {
		struct buf out = BUF_INIT;
		if (run(db, st, csv, &out, &d) != 0) {
			diag_print(&d, stderr);
			status = SC_EXIT_INPUT;
		} else {
			out_stdout(buf_str(&out), out.len);
		}
		buf_free(&out);
	}
	diag_free(&d);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return status;
}
