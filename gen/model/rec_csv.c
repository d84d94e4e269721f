/* rec_csv.c - a timeline read from CSV with libcsv, row by row, each
 * row's line kept for its errors. */
#include "model/rec_csv.h"

#include <csv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/ts.h"

enum col { COL_AT, COL_TYPE, COL_GROUP, COL_BY, COL_ROUND, COL_ARTIFACTS, COL_CHANNEL,
	   COL_NOTE, COL_CUTOFF, COL_COUNT };

static const char *const col_names[COL_COUNT] = {
	"at", "type", "group", "by", "round", "artifacts", "channel", "note", "cutoff",
};

/* What the libcsv callbacks build. */
struct reader {
	struct rec_csv *csv;
	const struct policy *pol;
	struct diag *d;
	long line;                /* the line being fed */
	long row_newlines;        /* line breaks inside this row's cells */
	char **cells;             /* this row's, in the arena */
	size_t n_cells, cap_cells;
	int map[32];              /* column of each header cell, or -1 */
	size_t n_header;
	bool have_header, bad_header;
	size_t cap;
	size_t errors;
};

char *rec_csv_list(struct arena *a, const char *s)
{
	struct buf b = BUF_INIT;
	const char *p = s;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ',' || *p == ';')
			p++;
		const char *q = p;
		while (*q && *q != ' ' && *q != '\t' && *q != ',' && *q != ';')
			q++;
		if (q > p) {
			if (b.len)
				buf_putc(&b, ' ');
			buf_append(&b, p, (size_t)(q - p));
		}
		p = q;
	}
	char *r = b.len ? arena_strdup(a, buf_str(&b)) : NULL;
	buf_free(&b);
	return r;
}

static void on_cell(void *s, size_t len, void *ud)
{
	struct reader *r = ud;
	if (r->n_cells == r->cap_cells) {
		r->cap_cells = r->cap_cells ? 2 * r->cap_cells : 16;
		r->cells = xrealloc(r->cells, r->cap_cells * sizeof(char *));
	}
	char *c = arena_strndup(&r->csv->arena, s ? s : "", s ? len : 0);
	for (size_t i = 0; i < len; i++)
		r->row_newlines += c[i] == '\n';
	r->cells[r->n_cells++] = c;
}

static void header(struct reader *r, long line)
{
	r->have_header = true;
	r->n_header = r->n_cells;
	bool seen[COL_COUNT] = { false };
	if (r->n_cells > sizeof(r->map) / sizeof(r->map[0])) {
		diag_error(r->d, r->csv->path, line, "the header has %zu columns; sircomm reads "
			   "at most %d: at, type, group, by, round, artifacts, channel, note, cutoff",
			   r->n_cells, COL_COUNT);
		r->bad_header = true;
		return;
	}
	for (size_t i = 0; i < r->n_cells; i++) {
		const char *name = r->cells[i];
		int c = name_index(col_names, COL_COUNT, name);
		if (c < 0) {
			diag_error(r->d, r->csv->path, line, "unknown column '%s' (the columns are "
				   "at, type, group, by, round, artifacts, channel, note and cutoff)",
				   name);
			r->bad_header = true;
		} else if (seen[c]) {
			diag_error(r->d, r->csv->path, line, "column '%s' appears twice", name);
			r->bad_header = true;
		} else {
			seen[c] = true;
		}
		r->map[i] = c;
	}
	for (int c = COL_AT; c <= COL_TYPE; c++)
		if (!seen[c]) {
			diag_error(r->d, r->csv->path, line, "the header has no '%s' column "
				   "(the first row names the columns: at,type,group,by,round,"
				   "artifacts,channel,note)", col_names[c]);
			r->bad_header = true;
		}
}

static void row(struct reader *r, long line)
{
	struct rec_csv *csv = r->csv;
	const char *path = csv->path;
	if (r->n_cells != r->n_header) {
		diag_error(r->d, path, line, "this row has %zu cells, the header %zu",
			   r->n_cells, r->n_header);
		return;
	}
	if (csv->n == REC_CSV_ROWS_MAX) {
		if (csv->n++ == REC_CSV_ROWS_MAX)
			diag_error(r->d, path, line, "more than %d rows: no incident's timeline "
				   "is that long", REC_CSV_ROWS_MAX);
		return;
	}
	if (csv->n > REC_CSV_ROWS_MAX)
		return;
	if (csv->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 32;
		csv->evs = xrealloc(csv->evs, r->cap * sizeof(*csv->evs));
		csv->lines = xrealloc(csv->lines, r->cap * sizeof(long));
	}
	struct rec_edit_event *ev = &csv->evs[csv->n];
	*ev = (struct rec_edit_event){ 0 };
	const char *v[COL_COUNT] = { NULL };
	for (size_t i = 0; i < r->n_cells; i++)
		if (r->cells[i][0])
			v[r->map[i]] = r->cells[i];
	size_t before = r->d->errors;
	int off;
	const char *why;
	const char *at_text = v[COL_AT];
	if (!v[COL_AT]) {
		diag_error(r->d, path, line, "no time in the 'at' column");
	} else if (ts_parse(v[COL_AT], &ev->at, &off, &why) != 0) {
		/* A spreadsheet's "2026-03-04 10:30": the display zone's clock. */
		char *msg;
		int lk = pol_zone_parse_local(r->pol, v[COL_AT], &ev->at, &msg);
		if (lk == 0) {
			diag_error(r->d, path, line, "at '%s' %s", v[COL_AT], why);
		} else if (lk < 0) {
			diag_error(r->d, path, line, "at '%s' %s", v[COL_AT], msg);
			free(msg);
		} else {
			char t[TS_BUFSZ];
			ts_format_offset(ev->at, pol_zone_offset_at(r->pol, ev->at), t);
			at_text = arena_strdup(&csv->arena, t);
		}
	}
	int t = v[COL_TYPE] ? rec_event_type_parse(v[COL_TYPE]) : -1;
	if (!v[COL_TYPE])
		diag_error(r->d, path, line, "no event type in the 'type' column");
	else if (t < 0)
		diag_error(r->d, path, line, "unknown event type '%s'", v[COL_TYPE]);
	if (r->d->errors != before)
		return;
	ev->type = (enum rec_event_type)t;
	ev->at_text = at_text;
	ev->group = v[COL_GROUP];
	ev->by = v[COL_BY];
	ev->round = v[COL_ROUND];
	ev->artifacts = v[COL_ARTIFACTS] ? rec_csv_list(&csv->arena, v[COL_ARTIFACTS]) : NULL;
	ev->channel = v[COL_CHANNEL];
	ev->text = v[COL_NOTE];
	ev->cutoff = v[COL_CUTOFF];
	const char *field;
	if ((why = rec_edit_problem(ev, &field)) != NULL) {
		diag_error(r->d, path, line, "the %s %s", field, why);
		return;
	}
	csv->lines[csv->n++] = line;
}

static void on_row(int c, void *ud)
{
	(void)c;
	struct reader *r = ud;
	long line = r->line - r->row_newlines;
	if (!r->have_header)
		header(r, line);
	else if (!r->bad_header)
		row(r, line);
	r->n_cells = 0;
	r->row_newlines = 0;
}

int rec_csv_parse(const char *path, const char *data, size_t len, const struct policy *pol,
		  struct rec_csv *csv, struct diag *d)
{
	*csv = (struct rec_csv)REC_CSV_INIT;
	csv->path = arena_strdup(&csv->arena, path);
	size_t errors = d->errors;
	struct reader r = { .csv = csv, .pol = pol, .d = d };
	struct csv_parser p;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		diag_error(d, path, 0, "cannot set up the CSV reader");
		return -1;
	}
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (memchr(data, '\0', len)) {
		diag_error(d, path, 0, "holds NUL bytes: not a CSV text file");
		csv_free(&p);
		return -1;
	}
	/* Fed a line at a time, so that a row's line is known when it ends. */
	size_t at = 0;
	bool failed = false;
	while (at < len && !failed) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (data + at)) + 1 : len - at;
		r.line++;
		if (csv_parse(&p, data + at, n, on_cell, on_row, &r) != n)
			failed = true;
		at += n;
	}
	if (!failed && csv_fini(&p, on_cell, on_row, &r) != 0)
		failed = true;
	if (failed)
		diag_error(d, path, r.line, "malformed CSV: %s (a quote opens a cell and closes it, "
			   "and a quote inside a quoted cell is written twice)",
			   csv_strerror(csv_error(&p)));
	csv_free(&p);
	free(r.cells);
	if (!r.have_header && !failed)
		diag_error(d, path, 0, "is empty: the first row names the columns "
			   "(at,type,group,by,round,artifacts,channel,note)");
	else if (!r.bad_header && csv->n == 0 && d->errors == errors)
		diag_error(d, path, 0, "has no event rows after its header");
	return d->errors == errors ? 0 : -1;
}

void rec_csv_free(struct rec_csv *csv)
{
	if (!csv)
		return;
	free(csv->evs);
	free(csv->lines);
	arena_free(&csv->arena);
	*csv = (struct rec_csv)REC_CSV_INIT;
}
