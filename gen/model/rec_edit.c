/* rec_edit.c - events added to a record's timeline as text, every other
 * byte of the file kept. */
#include "model/rec_edit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- Where the timeline's events are -------------------------------- */

/* The byte ranges of <timeline> and of its events, found by a scan of
 * the file.  The record parsed, so the file is well-formed XML without
 * a DOCTYPE: what needs care is only what may hide a '<' (comments,
 * CDATA, processing instructions, attribute values). */
struct layout {
	size_t tl_start;          /* '<' of <timeline> */
	size_t tl_open_end;       /* just past its start tag */
	bool tl_empty;            /* written <timeline/> */
	size_t tl_close;          /* '<' of </timeline> */
	bool found;
	size_t n;
	size_t *ev_start, *ev_end;   /* each event's '<' and just past its end */
};

static bool is_name_end(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>';
}

static bool name_is(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(p, s, n) == 0;
}

/* Skips to just past `end` from p; returns len when it is missing. */
static size_t skip_past(const char *src, size_t len, size_t p, const char *end)
{
	size_t n = strlen(end);
	for (; p + n <= len; p++)
		if (memcmp(src + p, end, n) == 0)
			return p + n;
	return len;
}

static int scan(const char *src, size_t len, struct layout *lay)
{
	/* The names of the open elements down to the events' depth:
	 * incident (1), timeline (2), event (3). */
	const char *open[4] = { NULL };
	size_t open_len[4] = { 0 };
	size_t depth = 0, cap = 0;
	size_t p = 0;
	while (p < len) {
		if (src[p] != '<') {
			p++;
			continue;
		}
		if (len - p >= 4 && memcmp(src + p, "<!--", 4) == 0) {
			p = skip_past(src, len, p + 4, "-->");
		} else if (len - p >= 9 && memcmp(src + p, "<![CDATA[", 9) == 0) {
			p = skip_past(src, len, p + 9, "]]>");
		} else if (len - p >= 2 && src[p + 1] == '?') {
			p = skip_past(src, len, p + 2, "?>");
		} else if (len - p >= 2 && src[p + 1] == '!') {
			return -1;
		} else if (len - p >= 2 && src[p + 1] == '/') {
			size_t q = p + 2, nb = q;
			while (q < len && !is_name_end(src[q]))
				q++;
			size_t nlen = q - nb;
			size_t end = skip_past(src, len, q, ">");
			if (depth == 3 && name_is(src + nb, nlen, "event") &&
			    name_is(open[1], open_len[1], "timeline") &&
			    name_is(open[0], open_len[0], "incident"))
				lay->ev_end[lay->n - 1] = end;
			if (depth == 2 && name_is(src + nb, nlen, "timeline") &&
			    name_is(open[0], open_len[0], "incident"))
				lay->tl_close = p;
			if (depth == 0)
				return -1;
			depth--;
			p = end;
		} else {
			size_t start = p, q = p + 1, nb = q;
			while (q < len && !is_name_end(src[q]))
				q++;
			size_t nlen = q - nb;
			char quote = 0;
			for (; q < len; q++) {
				if (quote) {
					if (src[q] == quote)
						quote = 0;
				} else if (src[q] == '"' || src[q] == '\'') {
					quote = src[q];
				} else if (src[q] == '>') {
					break;
				}
			}
			if (q >= len)
				return -1;
			bool empty = src[q - 1] == '/';
			size_t end = q + 1;
			if (depth == 1 && name_is(src + nb, nlen, "timeline") &&
			    name_is(open[0], open_len[0], "incident")) {
				lay->found = true;
				lay->tl_start = start;
				lay->tl_open_end = end;
				lay->tl_empty = empty;
			}
			if (depth == 2 && name_is(src + nb, nlen, "event") &&
			    name_is(open[1], open_len[1], "timeline") &&
			    name_is(open[0], open_len[0], "incident")) {
				if (lay->n == cap) {
					cap = cap ? 2 * cap : 64;
					lay->ev_start = xrealloc(lay->ev_start, cap * sizeof(size_t));
					lay->ev_end = xrealloc(lay->ev_end, cap * sizeof(size_t));
				}
				lay->ev_start[lay->n] = start;
				lay->ev_end[lay->n] = end;
				lay->n++;
			}
			if (!empty) {
				if (depth < 4) {
					open[depth] = src + nb;
					open_len[depth] = nlen;
				}
				depth++;
			}
			p = end;
		}
	}
	return lay->found ? 0 : -1;
}

/* The white space before the '<' at `at` when nothing else precedes it
 * on its line; "" otherwise. */
static void indent_of(const char *src, size_t at, const char **ind, size_t *n)
{
	size_t b = at;
	while (b > 0 && (src[b - 1] == ' ' || src[b - 1] == '\t'))
		b--;
	if (b == 0 || src[b - 1] == '\n') {
		*ind = src + b;
		*n = at - b;
	} else {
		*ind = "";
		*n = 0;
	}
}

/* ---- Writing an event ----------------------------------------------- */

static void put_escaped(struct buf *b, const char *s, bool attribute)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"':
			if (attribute) {
				buf_puts(b, "&quot;");
				break;
			}
			buf_putc(b, *s);
			break;
		default: buf_putc(b, *s); break;
		}
	}
}

static void put_attr(struct buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	buf_printf(b, " %s=\"", name);
	put_escaped(b, value, true);
	buf_putc(b, '"');
}

static void put_event(struct buf *b, const struct rec_edit_event *ev)
{
	buf_puts(b, "<event");
	put_attr(b, "at", ev->at_text);
	put_attr(b, "type", rec_event_type_name(ev->type));
	put_attr(b, "group", ev->group);
	put_attr(b, "by", ev->by);
	put_attr(b, "round", ev->round);
	put_attr(b, "artifacts", ev->artifacts);
	put_attr(b, "channel", ev->channel);
	put_attr(b, "cutoff", ev->cutoff);
	if (ev->text && *ev->text) {
		buf_putc(b, '>');
		put_escaped(b, ev->text, false);
		buf_puts(b, "</event>");
	} else {
		buf_puts(b, "/>");
	}
}

/* Why s cannot be written as an attribute (attribute) or as element
 * text, or NULL.  XML 1.0 holds no C0 control but TAB, LF and CR, and
 * a record's attributes are one line. */
static const char *value_problem(const char *s, bool attribute)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n' || *p == '\r') {
			if (attribute)
				return "has a line break";
		} else if (*p == '\t') {
			if (attribute)
				return "has a tab";
		} else if (*p < 0x20 || *p == 0x7f) {
			return "has a control character";
		}
	}
	return NULL;
}

const char *rec_edit_problem(const struct rec_edit_event *ev, const char **field)
{
	const char *vals[] = { ev->at_text, ev->group, ev->by, ev->round, ev->artifacts,
			       ev->channel, ev->cutoff };
	static const char *const names[] = { "at", "group", "by", "round", "artifacts",
					     "channel", "cutoff" };
	for (size_t k = 0; k < sizeof(vals) / sizeof(vals[0]); k++) {
		const char *why = vals[k] ? value_problem(vals[k], true) : NULL;
		if (why) {
			*field = names[k];
			return why;
		}
	}
	const char *why = ev->text ? value_problem(ev->text, false) : NULL;
	*field = "note";
	return why;
}

/* ---- Adding ---------------------------------------------------------- */

struct placed {
	size_t idx;       /* into the events given */
	int64_t at;
	long slot;        /* after the file's event slot; -1 before the first */
};

static int placed_cmp(const void *x, const void *y)
{
	const struct placed *a = x, *b = y;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

int rec_edit_add(const struct record *rec, const struct rec_edit_event *evs, size_t n,
		 struct rec_edit *ed, struct diag *d)
{
	for (size_t i = 0; i < n; i++) {
		const char *field;
		const char *why = rec_edit_problem(&evs[i], &field);
		if (why) {
			diag_error(d, rec->path, 0, "the %s of event %zu %s", field, i + 1, why);
			return -1;
		}
	}

	const char *src = rec->source;
	size_t len = rec->source_len;
	struct layout lay = { 0 };
	if (scan(src, len, &lay) != 0 || lay.n != rec->n_events) {
		diag_error(d, rec->path, 0, "cannot find the timeline's events in the file");
		free(lay.ev_start);
		free(lay.ev_end);
		return -1;
	}
	/* The time of each event in file order. */
	int64_t *at = xcalloc(lay.n ? lay.n : 1, sizeof(*at));
	for (size_t i = 0; i < rec->n_events; i++)
		at[rec->events[i].seq] = rec->events[i].at;

	struct placed *pl = xcalloc(n ? n : 1, sizeof(*pl));
	for (size_t i = 0; i < n; i++) {
		pl[i].idx = i;
		pl[i].at = evs[i].at;
	}
	qsort(pl, n, sizeof(*pl), placed_cmp);
	for (size_t i = 0; i < n; i++) {
		long slot = -1;
		for (size_t k = 0; k < lay.n; k++)
			if (at[k] <= evs[pl[i].idx].at)
				slot = (long)k;
		pl[i].slot = slot;
	}

	*ed = (struct rec_edit)REC_EDIT_INIT;
	ed->n = n;
	ed->first = xcalloc(n ? n : 1, sizeof(long));
	ed->last = xcalloc(n ? n : 1, sizeof(long));
	ed->shift = xcalloc(n ? n : 1, sizeof(long));
	size_t *from = xcalloc(n ? n : 1, sizeof(size_t)), *to = xcalloc(n ? n : 1, sizeof(size_t));

	struct buf *out = &ed->text;
	const char *ind;
	size_t ind_n;
	size_t copied = 0;
	size_t i = 0;
	if (lay.n == 0) {
		/* An empty timeline: one level deeper than <timeline>. */
		const char *tind;
		size_t tind_n;
		indent_of(src, lay.tl_start, &tind, &tind_n);
		bool tabs = memchr(tind, '\t', tind_n) != NULL;
		size_t at_pos = lay.tl_empty ? lay.tl_start : lay.tl_open_end;
		buf_append(out, src, at_pos);
		if (lay.tl_empty)
			buf_puts(out, "<timeline>");
		for (; i < n; i++) {
			buf_putc(out, '\n');
			buf_append(out, tind, tind_n);
			buf_puts(out, tabs ? "\t" : "  ");
			from[pl[i].idx] = out->len;
			put_event(out, &evs[pl[i].idx]);
			to[pl[i].idx] = out->len;
		}
		/* </timeline> on a line of its own, as opened. */
		if (lay.tl_empty || !memchr(src + lay.tl_open_end, '\n',
					    lay.tl_close - lay.tl_open_end)) {
			buf_putc(out, '\n');
			buf_append(out, tind, tind_n);
		}
		if (lay.tl_empty)
			buf_puts(out, "</timeline>");
		copied = lay.tl_open_end;
	} else {
		/* Before the first event: each on its line, then the first. */
		if (i < n && pl[i].slot < 0) {
			buf_append(out, src, lay.ev_start[0]);
			copied = lay.ev_start[0];
			indent_of(src, lay.ev_start[0], &ind, &ind_n);
			for (; i < n && pl[i].slot < 0; i++) {
				from[pl[i].idx] = out->len;
				put_event(out, &evs[pl[i].idx]);
				to[pl[i].idx] = out->len;
				buf_putc(out, '\n');
				buf_append(out, ind, ind_n);
			}
		}
		for (size_t k = 0; k < lay.n && i < n; k++) {
			if (pl[i].slot != (long)k)
				continue;
			buf_append(out, src + copied, lay.ev_end[k] - copied);
			copied = lay.ev_end[k];
			indent_of(src, lay.ev_start[k], &ind, &ind_n);
			for (; i < n && pl[i].slot == (long)k; i++) {
				buf_putc(out, '\n');
				buf_append(out, ind, ind_n);
				from[pl[i].idx] = out->len;
				put_event(out, &evs[pl[i].idx]);
				to[pl[i].idx] = out->len;
			}
		}
	}
	buf_append(out, src + copied, len - copied);

	/* Lines: of each event, and how many each added. */
	long line = 1;
	size_t pos = 0;
	for (size_t k = 0; k < n; k++) {
		size_t j = pl[k].idx;
		for (; pos < from[j]; pos++)
			line += out->data[pos] == '\n';
		ed->first[j] = line;
		for (; pos < to[j]; pos++)
			line += out->data[pos] == '\n';
		ed->last[j] = line;
	}
	long total = 1, orig_total = 1;
	for (size_t k = 0; k < out->len; k++)
		total += out->data[k] == '\n';
	for (size_t k = 0; k < len; k++)
		orig_total += src[k] == '\n';
	/* Each event added its own lines and a line break; the last one
	 * also what closing a <timeline/> took. */
	long sum = 0;
	for (size_t k = 0; k < n; k++) {
		size_t j = pl[k].idx;
		ed->shift[j] = ed->last[j] - ed->first[j] + 1;
		sum += ed->shift[j];
	}
	if (n)
		ed->shift[pl[n - 1].idx] += (total - orig_total) - sum;

	free(from);
	free(to);
	free(pl);
	free(at);
	free(lay.ev_start);
	free(lay.ev_end);
	return out->overflow ? (diag_error(d, rec->path, 0, "the record grew too large"), -1) : 0;
}

long rec_edit_event_of_line(const struct rec_edit *ed, long line, long *orig)
{
	long shift = 0;
	for (size_t i = 0; i < ed->n; i++) {
		if (line >= ed->first[i] && line <= ed->last[i])
			return (long)i;
		if (ed->last[i] < line)
			shift += ed->shift[i];
	}
	*orig = line > 0 ? line - shift : 0;
	return -1;
}

void rec_edit_free(struct rec_edit *ed)
{
	if (!ed)
		return;
	buf_free(&ed->text);
	free(ed->first);
	free(ed->last);
	free(ed->shift);
	*ed = (struct rec_edit)REC_EDIT_INIT;
}
