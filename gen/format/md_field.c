/* md_field.c - a record's Markdown put into a Markdown template: raw HTML
 * shown as text, continuation lines kept in the template's container, a
 * code block left open closed, so the value stays the text it is and
 * cannot change the template around it. */
#include "format/md.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- The line a value lands on -------------------------------------- */

static bool is_space_or_tab(char c)
{
	return c == ' ' || c == '\t';
}

/* Reads a list marker at s ("-", "*", "+", "1.", "12)") and the white
 * space after it: returns the bytes they take, 0 when s holds none, and
 * sets *width to the columns a continuation line needs to stay in the
 * item (CommonMark: the marker and 1 to 4 spaces; past 4, the marker and
 * 1).  col is the column s starts at, for tabs. */
static size_t list_marker(const char *s, size_t n, size_t col, size_t *width)
{
	size_t m = 0;
	if (n > 0 && (s[0] == '-' || s[0] == '+' || s[0] == '*')) {
		m = 1;
	} else {
		while (m < n && m < 9 && s[m] >= '0' && s[m] <= '9')
			m++;
		if (m == 0 || m == n || (s[m] != '.' && s[m] != ')'))
			return 0;
		m++;
	}
	if (m == n || !is_space_or_tab(s[m]))
		return 0;
	size_t i = m, w = m;
	while (i < n && is_space_or_tab(s[i])) {
		w += s[i] == '\t' ? 4 - (col + w) % 4 : 1;
		i++;
	}
	*width = w - m <= 4 ? w : m + 1;
	return i;
}

/* Appends k copies of c. */
static void put_n(struct buf *b, char c, size_t k)
{
	while (k--)
		buf_putc(b, c);
}

/*
 * Reads the container syntax a line starts with: block quote markers and
 * list markers, and the white space around them.  Appends to prefix
 * (when not NULL) what a following line needs to stay in the same
 * containers: ">" for a quote, spaces as wide as a list item's marker,
 * white space as it is.  Returns the number of containers, and sets
 * *rest to the offset of what follows them (n when nothing does: then
 * what comes next on the line starts a block).
 */
static int containers(const char *s, size_t n, struct buf *prefix, size_t *rest)
{
	size_t i = 0, col = 0, width, used;
	int depth = 0;
	for (;;) {
		while (i < n && is_space_or_tab(s[i])) {
			if (prefix)
				buf_putc(prefix, s[i]);
			col += s[i] == '\t' ? 4 - col % 4 : 1;
			i++;
		}
		if (i < n && s[i] == '>') {
			if (prefix)
				buf_putc(prefix, '>');
			i++;
			col++;
		} else if (i < n && (used = list_marker(s + i, n - i, col, &width)) != 0) {
			if (prefix)
				put_n(prefix, ' ', width);
			i += used;
			col += width;
		} else {
			*rest = i;
			return depth;
		}
		depth++;
	}
}

/* True when the text (after container syntax) is the start of an ATX
 * heading or of a table row: lines that hold one line of text. */
static bool one_line_block(const char *s, size_t n, bool *table)
{
	size_t k = 0;
	*table = n > 0 && s[0] == '|';
	while (k < n && k < 6 && s[k] == '#')
		k++;
	return *table || (k > 0 && k < n && is_space_or_tab(s[k]));
}

/* ---- Raw HTML ------------------------------------------------------- */

static bool is_ascii_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * True when the '<' at s could start raw HTML, inline or as a block: a
 * closing tag "</", a comment, declaration or CDATA "<!", a processing
 * instruction "<?", or a tag name followed by white space, "/", ">" or
 * the end of the line.  Every one of CommonMark's seven HTML block starts
 * (and GFM's, the same) begins so.  An autolink (<https://...>,
 * <a@b.example>) does not: its name runs into ':' or '@'.
 */
static bool starts_html(const char *s, size_t n)
{
	if (n < 2)
		return false;
	if (s[1] == '/' || s[1] == '!' || s[1] == '?')
		return true;
	if (!is_ascii_alpha(s[1]))
		return false;
	size_t i = 2;
	while (i < n && (is_ascii_alpha(s[i]) || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
		i++;
	/* CommonMark's white space: space, tab, line feed, line tabulation,
	 * form feed, carriage return. */
	return i == n || strchr(" \t\n\v\f\r/>", s[i]) != NULL;
}

enum { MARK_HTML = 1, MARK_LINK = 2 };

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Marks in mark[] (n bytes, zeroed) the bytes of s that need a backslash
 * before them: each '<' that could start raw HTML and is not escaped
 * already (slashes: the backslashes just before s), and, in the run of
 * text just before such a '<', the ':' of "://" and the '.' of "www.".
 * GFM's extended autolinks run up to the next '<' and would take the
 * backslash before it into the link, leaving the '<' bare.  Returns
 * true when anything was marked.
 */
static bool mark_escapes(const char *s, size_t n, size_t slashes, unsigned char *mark)
{
	bool any = false;
	size_t scanned = 0;   /* the text before here is looked at already */
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '<' && slashes % 2 == 0 && starts_html(s + i, n - i)) {
			mark[i] = MARK_HTML;
			any = true;
			size_t j = i;
			while (j > scanned && !is_blank(s[j - 1]))
				j--;
			for (size_t k = j; k < i; k++) {
				if (s[k] == ':' && k > 0 && is_ascii_alpha(s[k - 1]) && k + 2 < n &&
				    s[k + 1] == '/' && s[k + 2] == '/')
					mark[k] = MARK_LINK;
				if (s[k] == '.' && k >= 3 && (s[k - 1] | 0x20) == 'w' &&
				    (s[k - 2] | 0x20) == 'w' && (s[k - 3] | 0x20) == 'w')
					mark[k] = MARK_LINK;
			}
			scanned = i;
		}
		slashes = c == '\\' ? slashes + 1 : 0;
	}
	return any;
}

/* ---- Where the code is ---------------------------------------------- */

/* A document being built: its text, where each line starts, and the
 * backslashes put before '<'. */
struct field_doc {
	struct buf text;
	size_t *line_at;        /* line_at[k]: offset of line k + 1 */
	size_t n_lines;
	struct escape {
		size_t at;      /* offset of the backslash */
		bool block;     /* the '<' is where a block may start */
		bool keep;
	} *esc;
	size_t n_esc, cap_esc;
};

static void index_lines(struct field_doc *fd)
{
	free(fd->line_at);
	fd->n_lines = 1;
	for (size_t i = 0; i < fd->text.len; i++)
		fd->n_lines += fd->text.data[i] == '\n';
	fd->line_at = xmalloc((fd->n_lines + 1) * sizeof(*fd->line_at));
	size_t k = 0;
	fd->line_at[k++] = 0;
	for (size_t i = 0; i < fd->text.len; i++)
		if (fd->text.data[i] == '\n')
			fd->line_at[k++] = i + 1;
	fd->line_at[k] = fd->text.len + 1;
}

/* Bounds [*from, *to) of lines first..last (1-based, clamped). */
static void line_span(const struct field_doc *fd, int first, int last, size_t *from, size_t *to)
{
	size_t f = first < 1 ? 1 : (size_t)first;
	size_t l = last < first ? f : (size_t)last;
	if (l > fd->n_lines)
		l = fd->n_lines;
	if (f > l) {
		*from = *to = fd->text.len;
		return;
	}
	*from = fd->line_at[f - 1];
	*to = fd->line_at[l] - 1;
}

/* Frees the backslash before each '<' at an offset in [from, to), but
 * one where a block may start unless blocks_too: that text is code.  The
 * backslashes are in offset order. */
static void keep_as_code(struct field_doc *fd, size_t from, size_t to, bool blocks_too)
{
	size_t lo = 0, hi = fd->n_esc;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (fd->esc[mid].at < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < fd->n_esc && fd->esc[i].at < to; i++)
		if (blocks_too || !fd->esc[i].block)
			fd->esc[i].keep = false;
}

static size_t run_length(const char *s, size_t to, size_t i, char c)
{
	size_t k = i;
	while (k < to && s[k] == c)
		k++;
	return k - i;
}

/* Finds the code spans in the inline text at [from, to), by CommonMark's
 * rule (a run of backticks up to the next run of the same length; a
 * backslash escapes a backtick outside code), autolinks skipped, and
 * frees the backslashes inside them.  An opening run with no closer is
 * text; once one of a length has none, no later one of that length has
 * either, which keeps this linear. */
static void code_spans(struct field_doc *fd, size_t from, size_t to)
{
	const char *s = fd->text.data;
	unsigned char *none = NULL;  /* none[k]: no closing run of k */
	size_t i = from;
	while (i < to) {
		char c = s[i];
		if (c == '\\') {
			i += 2;
			continue;
		}
		if (c == '<' && i + 2 < to && is_ascii_alpha(s[i + 1])) {
			size_t k = i + 1;
			while (k < to && s[k] != '>' && s[k] != '<' && (unsigned char)s[k] > ' ')
				k++;
			if (k < to && s[k] == '>' && memchr(s + i, ':', k - i)) {
				i = k + 1;  /* an autolink */
				continue;
			}
		}
		if (c != '`') {
			i++;
			continue;
		}
		size_t open = run_length(s, to, i, '`'), k = i + open, close = 0;
		if (!none)
			none = xcalloc(to - from + 1, 1);
		while (!none[open] && k < to) {
			if (s[k] != '`') {
				k++;
				continue;
			}
			size_t r = run_length(s, to, k, '`');
			if (r == open) {
				close = k;
				break;
			}
			k += r;
		}
		if (close) {
			keep_as_code(fd, i + open, close, false);
			i = close + open;
		} else {
			none[open] = 1;
			i += open;  /* no closer: the backticks are text */
		}
	}
	free(none);
}

/* The cells of a table row at [from, to), each its own inline text. */
static void table_row_code(struct field_doc *fd, size_t from, size_t to)
{
	const char *s = fd->text.data;
	size_t cell = from;
	for (size_t i = from; i < to; i++) {
		if (s[i] == '\\') {
			i++;
		} else if (s[i] == '|') {
			code_spans(fd, cell, i);
			cell = i + 1;
		}
	}
	code_spans(fd, cell, to);
}

/* Frees the backslashes that stand in code in the document's tree. */
static void code_in_node(cmark_node *node, void *ud)
{
	struct field_doc *fd = ud;
	int first = cmark_node_get_start_line(node), last = cmark_node_get_end_line(node);
	int flen, foff;
	char fch;
	size_t from, to;
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_CODE_BLOCK:
		/* Lines after a fence, every line of an indented block:
		 * their text is code whatever it starts with. */
		if (cmark_node_get_fenced(node, &flen, &foff, &fch))
			first++;
		line_span(fd, first, last, &from, &to);
		keep_as_code(fd, from, to, true);
		break;
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		line_span(fd, first, last, &from, &to);
		code_spans(fd, from, to);
		break;
	default:
		if (strcmp(cmark_node_get_type_string(node), "table") == 0) {
			for (int l = first; l <= last; l++) {
				line_span(fd, l, l, &from, &to);
				table_row_code(fd, from, to);
			}
		}
		break;
	}
}

static void find_code(struct field_doc *fd, cmark_node *doc)
{
	md_each_node(doc, code_in_node, fd);
}

/* Raw HTML nodes in a tree. */
static void count_if_html(cmark_node *node, void *ud)
{
	cmark_node_type t = cmark_node_get_type(node);
	if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE)
		(*(size_t *)ud)++;
}

static size_t count_html(cmark_node *doc)
{
	size_t n = 0;
	md_each_node(doc, count_if_html, &n);
	return n;
}

/* The text with the backslashes still kept. */
static void rebuild(const struct field_doc *fd, struct buf *out)
{
	size_t a = 0;
	for (size_t i = 0; i < fd->n_esc; i++) {
		if (fd->esc[i].keep)
			continue;
		buf_append(out, fd->text.data + a, fd->esc[i].at - a);
		a = fd->esc[i].at + 1;
	}
	buf_append(out, fd->text.data + a, fd->text.len - a);
}

/* ---- A fence left open ---------------------------------------------- */

/* The last block of the document, and how many quotes and list items it
 * is in. */
static cmark_node *last_block(cmark_node *doc, int *depth)
{
	cmark_node *n = doc;
	*depth = 0;
	for (;;) {
		cmark_node *c = cmark_node_last_child(n);
		cmark_node_type t = c ? cmark_node_get_type(c) : CMARK_NODE_NONE;
		if (t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_ITEM)
			(*depth)++;
		if (t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_ITEM || t == CMARK_NODE_LIST) {
			n = c;
			continue;
		}
		return c;
	}
}

/* If the document ends in a fenced code block, at the depth `depth`,
 * with no closing fence, appends one to out on a line of its own after
 * prefix. */
static void close_fence(cmark_node *doc, const char *text, size_t len, int depth,
			const struct buf *prefix, struct buf *out)
{
	int d;
	cmark_node *last = last_block(doc, &d);
	int flen, foff;
	char fch;
	if (!last || d != depth || cmark_node_get_type(last) != CMARK_NODE_CODE_BLOCK ||
	    !cmark_node_get_fenced(last, &flen, &foff, &fch) || flen <= 0)
		return;
	/* Closed when its last line, after the containers, is a fence at
	 * least as long, of the same character, with only spaces after. */
	int first = cmark_node_get_start_line(last), end = cmark_node_get_end_line(last);
	if (end > first) {
		const char *l = text, *stop = text + len;
		for (int k = 1; k < end && l < stop; k++) {
			const char *nl = memchr(l, '\n', (size_t)(stop - l));
			l = nl ? nl + 1 : stop;
		}
		const char *nl = memchr(l, '\n', (size_t)(stop - l));
		size_t n = (size_t)((nl ? nl : stop) - l);
		if (prefix->len <= n && memcmp(l, buf_str(prefix), prefix->len) == 0) {
			l += prefix->len;
			n -= prefix->len;
		}
		size_t i = 0;
		while (i < n && i < 3 && l[i] == ' ')
			i++;
		size_t run = run_length(l, n, i, fch);
		size_t k = i + run;
		while (k < n && is_space_or_tab(l[k]))
			k++;
		if (run >= (size_t)flen && k == n)
			return;
	}
	buf_putc(out, '\n');
	buf_append(out, buf_str(prefix), prefix->len);
	put_n(out, fch, (size_t)flen);
}

/* ---- md_field ------------------------------------------------------- */

/* What goes_in_as_is looks at a byte for: a line break or a '<'
 * (FIELD_BREAK), a '|' (FIELD_PIPE), a backtick or a tilde (FIELD_FENCE). */
enum { FIELD_BREAK = 1, FIELD_PIPE = 2, FIELD_FENCE = 4 };
static const unsigned char field_byte[256] = {
	['\n'] = FIELD_BREAK, ['\r'] = FIELD_BREAK, ['<'] = FIELD_BREAK,
	['|'] = FIELD_PIPE, ['`'] = FIELD_FENCE, ['~'] = FIELD_FENCE,
};

/* Bytes the copy below looks at one by one when the value holds no
 * '<' (nothing else is marked then): the rest are copied in runs. */
static const unsigned char copy_alone[256] = {
	['\n'] = 1, ['\r'] = 1, ['|'] = 1, ['`'] = 1, ['~'] = 1, ['\\'] = 1,
};

/* True when the value goes in as it is: one line with no '<', no '|'
 * in a table row, and no run of three backticks or tildes that could
 * open a fence.  Most values are such a line, and this one pass spares
 * them the copy, byte by byte, that the others need; it looks each
 * byte up once in a table. */
static bool goes_in_as_is(const char *s, size_t n, bool table, bool one_line)
{
	unsigned mask = FIELD_BREAK | (table ? FIELD_PIPE : 0u) | (one_line ? 0u : FIELD_FENCE);
	for (size_t i = 0; i < n; i++) {
		unsigned k = field_byte[(unsigned char)s[i]] & mask;
		if (!k)
			continue;
		if (k != FIELD_FENCE)
			return false;
		if (i + 2 < n && s[i + 1] == s[i] && s[i + 2] == s[i])
			return false;
	}
	return true;
}

void md_field(struct buf *out, const char *s, size_t n)
{
	/* The line the value lands on, as rendered so far, and what a line
	 * after it needs to stay in the same containers. */
	size_t ls = out->len;
	while (ls > 0 && out->data[ls - 1] != '\n')
		ls--;
	const char *line = out->data ? out->data + ls : "";
	size_t line_n = out->len - ls, rest;
	containers(line, line_n, NULL, &rest);
	bool table, one_line = one_line_block(line + rest, line_n - rest, &table);
	if (goes_in_as_is(s, n, table, one_line)) {
		buf_append(out, s, n);
		return;
	}
	struct buf prefix = BUF_INIT;
	int depth = containers(line, line_n, &prefix, &rest);

	/* The document as the drafts will parse it, from the start of this
	 * line: the value's lines after the first get the prefix (in a
	 * heading or a table cell, the value stays on one line, and a table
	 * cell gets its '|' escaped), and every '<' that could start raw
	 * HTML gets a backslash, unless backslashes just before it already
	 * escape it. */
	struct field_doc fd = { BUF_INIT, NULL, 0, NULL, 0, 0 };
	buf_append(&fd.text, line, line_n);
	size_t base = fd.text.len, line_start = 0, slashes = 0;
	bool line_seen = false;
	for (size_t k = line_n; k > 0 && line[k - 1] == '\\'; k--)
		slashes++;
	unsigned char *mark = memchr(s, '<', n) ? xcalloc(n, 1) : NULL;
	bool has_html = mark && mark_escapes(s, n, slashes, mark), has_fence = false;
	for (size_t i = 0; i < n; i++) {
		if (!mark) {
			size_t j = i;
			while (j < n && !copy_alone[(unsigned char)s[j]])
				j++;
			if (j > i) {
				buf_append(&fd.text, s + i, j - i);
				slashes = 0;
				if ((i = j) == n)
					break;
			}
		}
		char c = s[i];
		if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
			continue;
		if (c == '\n' || c == '\r') {
			if (one_line) {
				buf_putc(&fd.text, ' ');
			} else {
				buf_putc(&fd.text, '\n');
				line_start = fd.text.len;
				line_seen = false;
				buf_append(&fd.text, buf_str(&prefix), prefix.len);
			}
			slashes = 0;
			continue;
		}
		if (mark && mark[i]) {
			if (fd.n_esc == fd.cap_esc) {
				fd.cap_esc = fd.cap_esc ? fd.cap_esc * 2 : 8;
				fd.esc = xrealloc(fd.esc, fd.cap_esc * sizeof(*fd.esc));
			}
			/* Only the first '<' of a line may follow nothing but
			 * container syntax. */
			bool block = false;
			if (!line_seen && mark[i] == MARK_HTML) {
				size_t before;
				containers(fd.text.data + line_start, fd.text.len - line_start, NULL, &before);
				block = before == fd.text.len - line_start;
				line_seen = true;
			}
			fd.esc[fd.n_esc++] = (struct escape){ fd.text.len, block, true };
			buf_putc(&fd.text, '\\');
		} else if (table && c == '|' && slashes % 2 == 0) {
			buf_putc(&fd.text, '\\');
		}
		if ((c == '`' || c == '~') && i + 2 < n && s[i + 1] == c && s[i + 2] == c)
			has_fence = true;
		slashes = c == '\\' ? slashes + 1 : 0;
		buf_putc(&fd.text, c);
	}
	free(mark);

	/* Most values hold neither: they go in as they are. */
	if (!has_html && (!has_fence || one_line)) {
		buf_append(out, fd.text.data + base, fd.text.len - base);
		goto done;
	}

	/* Parsed with every '<' escaped, the document shows where its code
	 * is: there the backslashes would show, so they go, except before a
	 * '<' that starts a line (a code span does not stop an HTML block). */
	index_lines(&fd);
	cmark_node *escaped = md_parse(fd.text.data, fd.text.len);
	find_code(&fd, escaped);
	struct buf final = BUF_INIT;
	rebuild(&fd, &final);
	cmark_node *doc = md_parse(buf_str(&final), final.len);
	/* Should a pairing of backticks here differ from cmark's, raw HTML
	 * would come back: then every backslash stays. */
	if (count_html(doc) > count_html(escaped)) {
		cmark_node_free(doc);
		doc = escaped;
		escaped = NULL;
		buf_reset(&final);
		buf_append(&final, fd.text.data, fd.text.len);
	}
	buf_append(out, buf_str(&final) + base, final.len - base);
	if (!one_line)
		close_fence(doc, buf_str(&final), final.len, depth, &prefix, out);
	cmark_node_free(doc);
	if (escaped)
		cmark_node_free(escaped);
	buf_free(&final);
done:
	buf_free(&fd.text);
	buf_free(&prefix);
	free(fd.line_at);
	free(fd.esc);
}
