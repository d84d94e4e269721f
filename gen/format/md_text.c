/*
 * md_text.c - the plain-text renderer, written on the cmark-gfm AST.
 *
 * Every block renders to complete lines ("...\n") for a given width,
 * without knowing where it sits; a container (block quote, list item)
 * renders its children that much narrower and prefixes their lines ("> ",
 * "- " then a hanging indent).  Inline content is first flattened to one
 * string in which a space may break, GLUE is a space that may not (it
 * keeps a reference mark with its link text, and a code span whole) and
 * '\n' is a hard break; that string is then filled greedily.  A last
 * pass removes trailing spaces and blank lines at the end.
 */
#include "format/md.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <utf8proc.h>

#include "format/link.h"

/* In flattened inline text: a space that does not break.  Control
 * characters are dropped from the document's text, so it cannot clash. */
#define GLUE '\x01'

/* The width when the caller asks for no wrapping: wider than any line,
 * with room left for indentation to be subtracted. */
#define NO_WRAP (SIZE_MAX / 4)

/* Block quotes and lists nested deeper than this render their content
 * without further indentation, so hostile input cannot exhaust the stack
 * or make the output grow with the square of the nesting. */
#define MAX_NEST 32

/* The longest thematic break; shorter when the text is narrower. */
#define RULE_MAX 72

/* Link destinations printed at the end, numbered from 1 in order of first
 * appearance; a hash of the URLs gives repeated ones their number. */
struct refs {
	char **urls;
	size_t n, cap;
	size_t *slots;     /* index into urls plus 1; 0 is an empty slot */
	size_t nslots;     /* a power of two, or 0 */
};

/*
 * What a second rendering of a tree, at another width, takes from the
 * first instead of working it out again: each leaf block's flattened
 * inline text and each table's lines, which do not depend on the width,
 * in the order the walk reaches them (the same order at any width).  An
 * entry the first rendering could not keep whole (a buffer's cap) is
 * marked, and rendered again.
 */
struct memo {
	struct buf bytes;          /* the entries, one after another */
	struct memo_entry {
		size_t end;        /* in bytes; an entry starts where the last ended */
		bool again;        /* not kept: render it again */
	} *e;
	size_t n, cap;
	size_t next;               /* replaying: the entry to take next */
	bool replay;
};

struct text {
	struct refs refs;
	size_t *links;     /* start of each open link's text in the flattened string */
	size_t nlinks, caplinks;
	struct buf para;   /* a paragraph's flattened text, its memory kept for the next */
	struct memo *memo; /* md_render_text2: kept, or replayed; else NULL */
	bool in_table;     /* a table's cells: its lines are the memo's entry */
};

static void render_block(struct text *t, cmark_node *node, size_t width,
			 int depth, struct buf *out);

/* ---- Small helpers -------------------------------------------------- */

static size_t sub(size_t a, size_t b)
{
	return a > b ? a - b : 0;
}

static bool type_is(cmark_node *node, const char *name)
{
	const char *s = cmark_node_get_type_string(node);
	return s && strcmp(s, name) == 0;
}

/* Eight bytes at a time (in any byte order: only "some byte" is asked). */
#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

static uint64_t load8(const char *s)
{
	uint64_t v;
	memcpy(&v, s, 8);
	return v;
}

/* True when some byte of v is a control character (below 0x20, or DEL). */
static bool has_control(uint64_t v)
{
	uint64_t del = v ^ (ONES * 0x7f);
	return (((v - ONES * 0x20) & ~v) | ((del - ONES) & ~del)) & HIGHS;
}

/* Appends inline text: tabs and line breaks become spaces, other control
 * characters are dropped (an ESC must not reach a terminal).  Every
 * literal of every draft passes here, most with no control character:
 * eight bytes are looked at at a time. */
static void put_inline(struct buf *b, const char *s)
{
	if (!s)
		return;
	const char *run = s;  /* the bytes kept as they are, copied whole */
	const char *end = s + strlen(s);
	while (s < end) {
		while (end - s >= 8 && !has_control(load8(s)))
			s += 8;
		if (s == end)
			break;
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != 0x7f) {
			s++;
			continue;
		}
		if (s > run)
			buf_append(b, run, (size_t)(s - run));
		if (c == '\t' || c == '\n' || c == '\r')
			buf_putc(b, ' ');
		run = ++s;
	}
	if (s > run)
		buf_append(b, run, (size_t)(s - run));
}

/* Appends n bytes of a code block's line: tabs are kept, other control
 * characters dropped. */
static void put_code(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t' || (c >= 0x20 && c != 0x7f))
			buf_putc(b, (char)c);
	}
}

/* Appends n copies of c: a table's padding, a rule, an underline.  At
 * once; a byte at a time only when the buffer's cap is near.  Most are
 * a few spaces into room the buffer has (as buf_append sees it). */
static void put_repeat(struct buf *b, char c, size_t n)
{
	if (n == 0)
		return;
	if (b->data && n < b->cap - b->len && b->len + n <= (b->max ? b->max : BUF_DEFAULT_MAX)) {
		memset(b->data + b->len, c, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
	if (buf_reserve(b, n) == 0) {
		memset(b->data + b->len, c, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
	while (n--)
		buf_putc(b, c);
}

/* Appends every line of src (complete lines), the first after `first`
 * and the others after `rest`. */
static void prefix_lines(struct buf *out, const char *src, size_t n,
			 const char *first, const char *rest)
{
	size_t i = 0;
	bool is_first = true;

	while (i < n) {
		const char *nl = memchr(src + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - src) : n;
		buf_puts(out, is_first ? first : rest);
		buf_append(out, src + i, end - i);
		buf_putc(out, '\n');
		is_first = false;
		i = end + 1;
	}
}

/* ---- References ----------------------------------------------------- */

static uint64_t hash_str(const char *s)
{
	uint64_t h = 14695981039346656037u;  /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void refs_rehash(struct refs *r)
{
	size_t nslots = r->nslots ? r->nslots * 2 : 16;
	size_t *slots = xcalloc(nslots, sizeof *slots);

	for (size_t k = 0; k < r->n; k++) {
		size_t i = (size_t)hash_str(r->urls[k]) & (nslots - 1);
		while (slots[i])
			i = (i + 1) & (nslots - 1);
		slots[i] = k + 1;
	}
	free(r->slots);
	r->slots = slots;
	r->nslots = nslots;
}

/* Returns url's reference number, giving it the next one the first time. */
static size_t ref_number(struct refs *r, const char *url)
{
	if (2 * (r->n + 1) > r->nslots)
		refs_rehash(r);
	size_t mask = r->nslots - 1;
	size_t i = (size_t)hash_str(url) & mask;
	while (r->slots[i]) {
		if (strcmp(r->urls[r->slots[i] - 1], url) == 0)
			return r->slots[i];
		i = (i + 1) & mask;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->urls = xrealloc(r->urls, r->cap * sizeof *r->urls);
	}
	r->urls[r->n++] = xstrdup(url);
	r->slots[i] = r->n;
	return r->n;
}

static void refs_free(struct refs *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->urls[i]);
	free(r->urls);
	free(r->slots);
}

/* ---- The memo ------------------------------------------------------- */

/* Keeps n bytes at s as the next entry, or marks it to render again. */
static void memo_keep(struct memo *m, const char *s, size_t n, bool again)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->e = xrealloc(m->e, m->cap * sizeof *m->e);
	}
	if (!again && n && buf_append(&m->bytes, s, n) != 0)
		again = true;
	m->e[m->n++] = (struct memo_entry){ m->bytes.len, again };
}

/* Appends the next entry to out; false when it is to be rendered again
 * (or does not fit out whole, where a rendering might fit a part). */
static bool memo_take(struct memo *m, struct buf *out)
{
	if (m->next >= m->n)
		return false;  /* cannot happen: the walks are the same */
	size_t start = m->next ? m->e[m->next - 1].end : 0;
	const struct memo_entry *e = &m->e[m->next++];
	if (e->again)
		return false;
	return e->end == start || buf_append(out, m->bytes.data + start, e->end - start) == 0;
}

/* The memo to keep in or take from now, or NULL. */
static struct memo *memo_of(const struct text *t)
{
	return t->in_table ? NULL : t->memo;
}

/* ---- Inline content ------------------------------------------------- */

/* True when the link text already shows the destination: an autolink
 * (<https://...>, a bare www. or e-mail address) or [URL](URL). */
static bool is_bare(const char *text, const char *url)
{
	static const char *const implied[] = { "", "mailto:", "http://" };

	for (size_t i = 0; i < sizeof implied / sizeof implied[0]; i++) {
		size_t k = strlen(implied[i]);
		if (strncmp(url, implied[i], k) == 0 && strcmp(url + k, text) == 0)
			return true;
	}
	return false;
}

/* Finishes a link whose text starts at s[start]: appends its reference
 * mark, or nothing when the text is the URL or the link is unsafe. */
static void end_link(struct text *t, cmark_node *link, struct buf *s, size_t start)
{
	const char *url = cmark_node_get_url(link);
	const char *text = buf_str(s) + start;

	if (!md_url_is_safe(url) || is_bare(text, url))
		return;
	if (text[strspn(text, " \n")] == '\0') {
		put_inline(s, url);  /* no text at all: show the address */
		return;
	}
	size_t num = ref_number(&t->refs, url);
	char last = s->data[s->len - 1];
	if (last != ' ' && last != '\n')
		buf_putc(s, GLUE);
	buf_putc(s, '[');
	buf_put_int(s, (int64_t)num);
	buf_putc(s, ']');
}

static void whole_address(const char *url, size_t n, void *ud)
{
	const char **s = ud;
	if (*s && url == *s && url[n] == '\0')
		*s = NULL;
}

/* True when s is one web or email address and nothing else: the reader's
 * mail client makes it a link, and a backtick beside it could become
 * part of that link (it may stand in an email address). */
static bool is_address(const char *s)
{
	const char *left = s;
	link_each_in_text(s, strlen(s), whole_address, &left);
	if (!left)
		return true;
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.'))
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("`\"'<>()[],;:", *p))
			return false;
	return at[1] != '.' && s[strlen(s) - 1] != '.';
}

/*
 * Appends a code span as Markdown writes it, between backticks: a reader
 * of the email sees where a command or a setting starts and ends, and
 * that the full stop after it is not part of it.  The delimiter is one
 * backtick longer than the longest run inside, with a space inside it
 * when the code starts or ends with a backtick.  Its spaces are GLUE, so
 * a command is never broken across lines.  Code that is one web or email
 * address prints as the bare address, as it would in running text; code
 * that is nothing but control characters prints nothing.
 */
static void put_code_span(struct buf *s, const char *lit)
{
	struct buf code = BUF_INIT;
	size_t run = 0, longest = 0;

	put_inline(&code, lit);
	if (code.len == 0 || is_address(buf_str(&code))) {
		if (code.len)
			buf_append(s, code.data, code.len);
		buf_free(&code);
		return;
	}
	for (size_t i = 0; i < code.len; i++) {
		run = code.data[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
		if (code.data[i] == ' ')
			code.data[i] = GLUE;
	}
	bool pad = code.data[0] == '`' || code.data[code.len - 1] == '`';
	put_repeat(s, '`', longest + 1);
	if (pad)
		buf_putc(s, GLUE);
	buf_append(s, code.data, code.len);
	if (pad)
		buf_putc(s, GLUE);
	put_repeat(s, '`', longest + 1);
	buf_free(&code);
}

/*
 * Appends the inline content of a leaf block as flattened text.  Raw HTML
 * is dropped; code spans keep their backticks (put_code_span); emphasis
 * is marked _so_ and strong emphasis *so*, the way plain-text mail has
 * long stressed a word, so that "do *not* restart" keeps its stress;
 * strikethrough and images contribute their text; a hard break is '\n',
 * or a space when one_line (table cells).
 */
static void flatten_now(struct text *t, cmark_node *root, bool one_line, struct buf *s)
{
	/* The common case, a block holding one run of text (a plain
	 * paragraph, heading or table cell), without an iterator. */
	cmark_node *only = cmark_node_first_child(root);
	if (only && !cmark_node_next(only) && cmark_node_get_type(only) == CMARK_NODE_TEXT) {
		switch (cmark_node_get_type(root)) {
		case CMARK_NODE_TEXT: case CMARK_NODE_CODE: case CMARK_NODE_EMPH:
		case CMARK_NODE_STRONG: case CMARK_NODE_SOFTBREAK: case CMARK_NODE_LINEBREAK:
		case CMARK_NODE_LINK:
			break;
		default:
			put_inline(s, cmark_node_get_literal(only));
			return;
		}
	}
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	size_t base = t->nlinks;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		switch (cmark_node_get_type(node)) {
		case CMARK_NODE_TEXT:
			put_inline(s, cmark_node_get_literal(node));
			break;
		case CMARK_NODE_CODE:
			put_code_span(s, cmark_node_get_literal(node));
			break;
		case CMARK_NODE_EMPH:
			buf_putc(s, '_');
			break;
		case CMARK_NODE_STRONG:
			buf_putc(s, '*');
			break;
		case CMARK_NODE_SOFTBREAK:
			buf_putc(s, ' ');
			break;
		case CMARK_NODE_LINEBREAK:
			buf_putc(s, one_line ? ' ' : '\n');
			break;
		case CMARK_NODE_LINK:
			if (ev == CMARK_EVENT_ENTER) {
				if (t->nlinks == t->caplinks) {
					t->caplinks = t->caplinks ? t->caplinks * 2 : 8;
					t->links = xrealloc(t->links, t->caplinks * sizeof *t->links);
				}
				t->links[t->nlinks++] = s->len;
			} else if (t->nlinks > base) {
				t->nlinks--;
				end_link(t, node, s, t->links[t->nlinks]);
			}
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	t->nlinks = base;
}

/* flatten_now, or its text taken from the memo. */
static void flatten(struct text *t, cmark_node *root, bool one_line, struct buf *s)
{
	struct memo *m = memo_of(t);
	if (m && m->replay && memo_take(m, s))
		return;
	size_t start = s->len;
	flatten_now(t, root, one_line, s);
	if (m && !m->replay)
		memo_keep(m, buf_str(s) + start, s->len - start, false);
}

/* Display width of a word of flattened text, GLUE counting as a space. */
static size_t word_width(const char *s, size_t n)
{
	size_t w = 0;

	for (;;) {
		const char *g = memchr(s, GLUE, n);
		size_t k = g ? (size_t)(g - s) : n;
		w += md_display_width(s, k);
		if (!g)
			return w;
		w++;
		s += k + 1;
		n -= k + 1;
	}
}

static void put_word(struct buf *out, const char *s, size_t n)
{
	for (;;) {
		const char *g = memchr(s, GLUE, n);
		size_t k = g ? (size_t)(g - s) : n;
		if (k)
			buf_append(out, s, k);
		if (!g)
			return;
		buf_putc(out, ' ');
		s += k + 1;
		n -= k + 1;
	}
}

/* ---- Breaking text written without spaces -------------------------- */

/* The code point at s (n bytes left, n > 0) in cp; returns its length.
 * An invalid byte is read as itself, of length 1. */
static size_t cp_at(const char *s, size_t n, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &c);
	if (k <= 0) {
		*cp = (unsigned char)*s;
		return 1;
	}
	*cp = c;
	return (size_t)k;
}

/* Punctuation a line may not start with (closing marks, small stops) and
 * punctuation a line may not end with (opening marks), as Chinese and
 * Japanese text is set. */
static bool closes(int32_t c)
{
	static const int32_t marks[] = {
		0x3001, 0x3002, 0xFF0C, 0xFF0E, 0x30FB, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF01, 0x30FC,
		0x3005, 0xFF09, 0xFF3D, 0xFF5D, 0x300D, 0x300F, 0x3011, 0x3015, 0x3009, 0x300B,
		0x3019, 0x3017, 0x201D, 0x2019, ')', ']', '}', ',', '.', ':', ';', '!', '?',
	};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (c == marks[i])
			return true;
	return false;
}

static bool opens(int32_t c)
{
	static const int32_t marks[] = {
		0xFF08, 0xFF3B, 0xFF5B, 0x300C, 0x300E, 0x3010, 0x3014, 0x3008, 0x300A, 0x3018,
		0x3016, 0x201C, 0x2018, '(', '[', '{',
	};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (c == marks[i])
			return true;
	return false;
}

static int cp_width(int32_t c)
{
	return c == GLUE ? 1 : c < 0x80 ? 1 : utf8proc_charwidth(c);
}

/* True when a line may break between a and b with no space between
 * them: beside a wide (CJK) character, which such text writes without
 * spaces, unless punctuation or a kept space forbids it. */
static bool may_break(int32_t a, int32_t b)
{
	return (cp_width(a) == 2 || cp_width(b) == 2) && a != GLUE && b != GLUE &&
	       !closes(b) && !opens(a);
}

/* Appends the word s[i, j) that does not fit the current line (col
 * columns used, open when it holds a word), breaking it between wide
 * characters: each line takes as much as fits, a piece wider than a
 * whole line stands alone.  Each character is read about once per line. */
static void fill_wide_word(const char *s, size_t i, size_t j, size_t width, size_t *col,
			   bool *open, struct buf *out)
{
	while (i < j) {
		size_t used = *col + (*open ? 1 : 0);
		size_t room = used < width ? width - used : 0;
		size_t k = i, wk = 0, best = 0, bestw = 0, first = 0, firstw = 0;
		int32_t prev = -1;
		while (k < j) {
			int32_t c;
			size_t len = cp_at(s + k, j - k, &c);
			if (k > i && may_break(prev, c)) {
				if (wk <= room)
					best = k, bestw = wk;
				if (!first)
					first = k, firstw = wk;
				if (wk > room)
					break;
			}
			wk += (size_t)(cp_width(c) > 0 ? cp_width(c) : 0);
			prev = c;
			k += len;
		}
		if (k >= j && wk <= room)
			best = j, bestw = wk;
		if (!best) {
			if (*open) {
				buf_putc(out, '\n');
				*col = 0;
				*open = false;
				continue;
			}
			/* Nothing fits a whole line: the first piece alone. */
			best = first ? first : j;
			bestw = first ? firstw : wk;
		}
		if (*open) {
			buf_putc(out, ' ');
			(*col)++;
		}
		put_word(out, s + i, best - i);
		*col += bestw;
		*open = true;
		i = best;
		if (i < j) {
			buf_putc(out, '\n');
			*col = 0;
			*open = false;
		}
	}
}

/* True when the text holds a byte outside ASCII. */
static bool has_non_ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/* True when s (n bytes) has no two spaces running, no control character
 * but GLUE (*glue says whether it has one), and, when ascii, only ASCII
 * (whose width is its length): it prints as it is, GLUE as a space.
 * Most lines and table cells of a draft are such. */
static bool plain(const char *s, size_t n, bool ascii, bool *glue)
{
	const uint64_t high = ascii ? HIGHS : 0;
	size_t i = 0;
	*glue = false;
	/* Eight bytes at a time: no control character, no byte outside
	 * ASCII when ascii, and no two spaces side by side, within the
	 * eight or across their end. */
	for (; n - i >= 9; i += 8) {
		uint64_t v = load8(s + i), x = v ^ (ONES * ' ');
		uint64_t sp = ~(((x & ~HIGHS) + ~HIGHS) | x | ~HIGHS);  /* high bit of each space */
		if (has_control(v) || (v & high) || (sp & (sp >> 8)) || (s[i + 7] == ' ' && s[i + 8] == ' '))
			break;
	}
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == GLUE)
			*glue = true;
		else if (c < 0x20 || c == 0x7f || (ascii && c >= 0x80))
			return false;
		else if (c == ' ' && i + 1 < n && s[i + 1] == ' ')
			return false;
	}
	return true;
}

/* Appends n bytes of plain text (see plain), GLUE as a space. */
static void put_plain(struct buf *out, const char *s, size_t n, bool glue)
{
	size_t start = out->len;
	buf_append(out, s, n);
	if (glue)
		for (size_t k = start; k < out->len; k++)
			if (out->data[k] == GLUE)
				out->data[k] = ' ';
}

/* The end of the words from s[i] (a word's start) that fit a line of
 * `width` columns counted as bytes, up to a hard break: a word's end
 * (before a space, a '\n' or the end of the text), or i when the first
 * word alone is too wide. */
static size_t line_end(const char *s, size_t i, size_t n, size_t width)
{
	size_t lim = n - i <= width ? n : i + width;
	const char *nl = memchr(s + i, '\n', lim - i);
	size_t e = lim;
	if (nl)
		e = (size_t)(nl - s);
	else if (lim < n && s[lim] != ' ' && s[lim] != '\n')
		while (e > i && s[e - 1] != ' ')
			e--;  /* back to the start of the word that does not fit */
	while (e > i && s[e - 1] == ' ')
		e--;
	return e;
}

/*
 * Appends flattened text as lines of at most width columns, broken at
 * spaces (runs of spaces print as one) and, in text written without
 * them (Chinese, Japanese), between wide characters; a word wider than
 * the line that cannot break stands alone on its line.  Leading and
 * trailing spaces and breaks are dropped.  Appends nothing when there is
 * no text.
 */
static void fill(const char *s, size_t n, size_t width, struct buf *out)
{
	size_t i = 0, col = 0;
	bool open = false;  /* the current line has a word */

	while (i < n && (s[i] == ' ' || s[i] == '\n'))
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\n'))
		n--;
	/* No character is wider than its bytes, so text of at most `width`
	 * bytes never wraps: its words need no measuring (the unwrapped
	 * renderings, and short paragraphs). */
	bool fits = n - i <= width;
	while (i < n) {
		if (s[i] == ' ') {
			i++;
			continue;
		}
		if (s[i] == '\n') {
			buf_putc(out, '\n');
			col = 0;
			open = false;
			i++;
			continue;
		}
		if (!open) {
			/* The words that fit a fresh line, copied at once when
			 * they are plain: single spaces, no control character
			 * but GLUE, and ASCII unless the whole text fits (only
			 * then do widths not matter).  Further words that fit,
			 * if any, follow a word at a time. */
			size_t e = line_end(s, i, n, width);
			bool glue;
			if (e > i && plain(s + i, e - i, !fits, &glue)) {
				put_plain(out, s + i, e - i, glue);
				col = e - i;
				open = true;
				i = e;
				continue;
			}
		}
		size_t j = i;
		while (j < n && s[j] != ' ' && s[j] != '\n')
			j++;
		size_t w = fits ? 0 : word_width(s + i, j - i);
		if (!fits && (open ? col + 1 : 0) + w > width && has_non_ascii(s + i, j - i)) {
			fill_wide_word(s, i, j, width, &col, &open, out);
			i = j;
			continue;
		}
		if (!fits && open && col + 1 + w > width) {
			/* The word starts the next line, with the words that
			 * fit after it. */
			buf_putc(out, '\n');
			col = 0;
			open = false;
			continue;
		}
		if (open) {
			buf_putc(out, ' ');
			col++;
		}
		put_word(out, s + i, j - i);
		col += w;
		open = true;
		i = j;
	}
	if (open)
		buf_putc(out, '\n');
}

/* ---- Leaf blocks ---------------------------------------------------- */

static void render_paragraph(struct text *t, cmark_node *node, size_t width, struct buf *out)
{
	/* Paragraphs do not nest: one buffer serves them all. */
	buf_reset(&t->para);
	flatten(t, node, false, &t->para);
	fill(buf_str(&t->para), t->para.len, width, out);
}

/* The text, filled like a paragraph, then a line of '=' (level 1) or '-'
 * as wide as its widest line. */
static void render_heading(struct text *t, cmark_node *node, size_t width, struct buf *out)
{
	size_t widest = 0, start = out->len;

	/* Headings do not nest in paragraphs: their buffer serves. */
	buf_reset(&t->para);
	flatten(t, node, false, &t->para);
	fill(buf_str(&t->para), t->para.len, width, out);
	for (size_t i = start; i < out->len;) {
		const char *nl = memchr(out->data + i, '\n', out->len - i);
		size_t end = nl ? (size_t)(nl - out->data) : out->len;  /* none: past the cap */
		size_t w = md_display_width(out->data + i, end - i);
		if (w > widest)
			widest = w;
		i = end + 1;
	}
	if (out->len > start) {
		put_repeat(out, cmark_node_get_heading_level(node) == 1 ? '=' : '-', widest);
		buf_putc(out, '\n');
	}
}

/* Every line indented four spaces, never wrapped. */
static void render_code(cmark_node *node, struct buf *out)
{
	const char *s = cmark_node_get_literal(node);
	size_t n = s ? strlen(s) : 0;
	size_t i = 0;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) : n;
		buf_append(out, "    ", 4);
		put_code(out, s + i, end - i);
		buf_putc(out, '\n');
		i = end + 1;
	}
}

static void render_rule(size_t width, struct buf *out)
{
	size_t n = width < RULE_MAX ? width : RULE_MAX;

	put_repeat(out, '-', n < 3 ? 3 : n);
	buf_putc(out, '\n');
}

struct cell {
	size_t off, len;   /* in the table's text buffer */
	size_t width;
};

static void put_cell(struct buf *out, const char *text, const struct cell *c,
		     size_t colw, uint8_t align)
{
	size_t pad = sub(colw, c->width);
	size_t left = align == 'r' ? pad : align == 'c' ? pad / 2 : 0;

	put_repeat(out, ' ', left);
	buf_append(out, text + c->off, c->len);
	put_repeat(out, ' ', pad - left);
}

/*
 * Columns as wide as their widest cell, two spaces apart, each cell
 * aligned as the table says (left when it says nothing); the header row
 * is underlined with dashes, and left out when all its cells are empty.
 * Cells are one line, runs of spaces printed as one, as in paragraphs; a
 * table wider than the page is not wrapped.
 */
static void render_table_now(struct text *t, cmark_node *table, struct buf *out)
{
	size_t ncols = cmark_gfm_extensions_get_table_columns(table);
	uint8_t *align = cmark_gfm_extensions_get_table_alignments(table);
	size_t nrows = 0;
	cmark_node *row, *cell;

	for (row = cmark_node_first_child(table); row; row = cmark_node_next(row))
		nrows++;
	if (ncols == 0 || nrows == 0)
		return;

	struct cell *cells = xcalloc(nrows * ncols, sizeof *cells);
	size_t *colw = xcalloc(ncols, sizeof *colw);
	struct buf text = BUF_INIT, s = BUF_INIT;
	bool header = false;
	size_t r = 0;

	for (row = cmark_node_first_child(table); row; row = cmark_node_next(row), r++) {
		size_t c = 0;
		for (cell = cmark_node_first_child(row); cell && c < ncols;
		     cell = cmark_node_next(cell), c++) {
			buf_reset(&s);
			flatten(t, cell, true, &s);
			const char *p = buf_str(&s);
			size_t n = s.len;
			while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == GLUE))
				n--;
			while (n > 0 && (*p == ' ' || *p == GLUE)) {
				p++;
				n--;
			}
			struct cell *cl = &cells[r * ncols + c];
			cl->off = text.len;
			/* Most cells are plain ASCII: copied whole, as wide as
			 * they are long.  Others are written into room made
			 * for the whole cell: appending a byte at a time was
			 * most of a table's cost. */
			bool glue, ascii = plain(p, n, true, &glue);
			if (ascii) {
				put_plain(&text, p, n, glue);
			} else if (n && buf_reserve(&text, n) == 0) {
				char *d = text.data + text.len;
				for (size_t i = 0; i < n; i++)
					if (p[i] != ' ' || i + 1 == n || p[i + 1] != ' ')
						*d++ = p[i] == GLUE ? ' ' : p[i];
				text.len = (size_t)(d - text.data);
				text.data[text.len] = '\0';
			} else {
				for (size_t i = 0; i < n; i++)
					if (p[i] != ' ' || i + 1 == n || p[i + 1] != ' ')
						buf_putc(&text, p[i] == GLUE ? ' ' : p[i]);
			}
			cl->len = text.len - cl->off;
			cl->width = ascii && cl->len == n ? n : md_display_width(buf_str(&text) + cl->off, cl->len);
			if (cl->width > colw[c])
				colw[c] = cl->width;
			if (r == 0 && n > 0)
				header = true;
		}
	}
	bool header_row = cmark_gfm_extensions_get_table_row_is_header(cmark_node_first_child(table));
	header = header && header_row;

	for (r = header_row && !header ? 1 : 0; r < nrows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			if (c > 0)
				buf_append(out, "  ", 2);
			put_cell(out, buf_str(&text), &cells[r * ncols + c],
				 colw[c], align ? align[c] : 0);
		}
		buf_putc(out, '\n');
		if (r == 0 && header) {
			for (size_t c = 0; c < ncols; c++) {
				if (c > 0)
					buf_append(out, "  ", 2);
				put_repeat(out, '-', colw[c] ? colw[c] : 1);
			}
			buf_putc(out, '\n');
		}
	}
	free(cells);
	free(colw);
	buf_free(&text);
	buf_free(&s);
}

/* render_table_now, or its lines taken from the memo: a table is not
 * wrapped, so it is the same at any width. */
static void render_table(struct text *t, cmark_node *table, struct buf *out)
{
	struct memo *m = memo_of(t);
	if (m && m->replay && memo_take(m, out))
		return;
	size_t start = out->len;
	bool overflow = out->overflow;
	out->overflow = false;
	t->in_table = true;
	render_table_now(t, table, out);
	t->in_table = false;
	if (m && !m->replay)
		memo_keep(m, buf_str(out) + start, out->len - start, out->overflow);
	out->overflow |= overflow;
}

/* ---- Containers ----------------------------------------------------- */

static bool is_container(cmark_node *node)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_DOCUMENT:
	case CMARK_NODE_BLOCK_QUOTE:
	case CMARK_NODE_LIST:
	case CMARK_NODE_ITEM:
	case CMARK_NODE_CUSTOM_BLOCK:
	case CMARK_NODE_FOOTNOTE_DEFINITION:
		return true;
	default:
		return false;
	}
}

/* Drops what was appended to out after its first `len` bytes. */
static void truncate_to(struct buf *out, size_t len)
{
	if (out->len > len) {
		out->len = len;
		out->data[len] = '\0';
	}
}

/* Appends the children's lines, a blank line between blocks unless
 * tight.  Blocks that render to nothing (raw HTML) leave no gap.  Each
 * child renders straight into out, after the blank line it would need,
 * which is taken back when the child adds nothing: copying every
 * block's lines up through each level of nesting cost more than the
 * rendering. */
static void render_children(struct text *t, cmark_node *parent, size_t width,
			    int depth, bool tight, struct buf *out)
{
	bool any = false;

	for (cmark_node *c = cmark_node_first_child(parent); c; c = cmark_node_next(c)) {
		size_t mark = out->len;
		if (any && !tight)
			buf_putc(out, '\n');
		size_t start = out->len;
		render_block(t, c, width, depth, out);
		if (out->len == start) {
			truncate_to(out, mark);
			continue;
		}
		any = true;
	}
}

/* Past MAX_NEST: the leaf blocks inside node, one after the other, with
 * no further indentation.  Walks with an iterator, not recursion. */
static void render_flat(struct text *t, cmark_node *node, size_t width, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(node);
	struct buf tmp = BUF_INIT;
	bool any = false;
	cmark_event_type ev;

	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER || is_container(n))
			continue;
		buf_reset(&tmp);
		render_block(t, n, width, MAX_NEST, &tmp);
		cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
		if (tmp.len == 0)
			continue;
		if (any)
			buf_putc(out, '\n');
		buf_append(out, tmp.data, tmp.len);
		any = true;
	}
	cmark_iter_free(it);
	buf_free(&tmp);
}

static void render_quote(struct text *t, cmark_node *node, size_t width, int depth, struct buf *out)
{
	struct buf body = BUF_INIT;

	render_children(t, node, sub(width, 2), depth + 1, false, &body);
	prefix_lines(out, buf_str(&body), body.len, "> ", "> ");
	buf_free(&body);
}

static int count_digits(long long n)
{
	int d = 1;

	for (; n >= 10; n /= 10)
		d++;
	return d;
}

/*
 * Items start with "- " or their number ("1. ", right-aligned once the
 * numbers reach two digits), then "[ ] " or "[x] " for a task; wrapped
 * lines and the item's further blocks hang under the text.  A loose list
 * has a blank line between items and between an item's blocks.
 */
static void render_list(struct text *t, cmark_node *list, size_t width, int depth, struct buf *out)
{
	bool tight = cmark_node_get_list_tight(list);
	bool ordered = cmark_node_get_list_type(list) == CMARK_ORDERED_LIST;
	char delim = cmark_node_get_list_delim(list) == CMARK_PAREN_DELIM ? ')' : '.';
	long long num = cmark_node_get_list_start(list);
	long long count = 0;
	struct buf marker = BUF_INIT, indent = BUF_INIT, body = BUF_INIT;
	bool first = true;
	cmark_node *item;

	for (item = cmark_node_first_child(list); item; item = cmark_node_next(item))
		count++;
	int digits = count_digits(count ? num + count - 1 : num);

	for (item = cmark_node_first_child(list); item; item = cmark_node_next(item), num++) {
		buf_reset(&marker);
		buf_reset(&indent);
		buf_reset(&body);
		if (ordered) {
			/* "%*lld%c " */
			char n[FMT_INT_SIZE];
			size_t len = fmt_int((int64_t)num, n);
			put_repeat(&marker, ' ', sub((size_t)digits, len));
			buf_append(&marker, n, len);
			buf_putc(&marker, delim);
			buf_putc(&marker, ' ');
		} else
			buf_append(&marker, "- ", 2);
		if (type_is(item, "tasklist"))
			buf_puts(&marker, cmark_gfm_extensions_get_tasklist_item_checked(item) ? "[x] " : "[ ] ");
		put_repeat(&indent, ' ', marker.len);

		render_children(t, item, sub(width, marker.len), depth + 1, tight, &body);
		if (!first && !tight)
			buf_putc(out, '\n');
		first = false;
		if (body.len)
			prefix_lines(out, body.data, body.len, marker.data, indent.data);
		else {
			buf_append(out, marker.data, marker.len);
			buf_putc(out, '\n');
		}
	}
	buf_free(&marker);
	buf_free(&indent);
	buf_free(&body);
}

static void render_block(struct text *t, cmark_node *node, size_t width,
			 int depth, struct buf *out)
{
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_PARAGRAPH:
		render_paragraph(t, node, width, out);
		return;
	case CMARK_NODE_HEADING:
		render_heading(t, node, width, out);
		return;
	case CMARK_NODE_CODE_BLOCK:
		render_code(node, out);
		return;
	case CMARK_NODE_THEMATIC_BREAK:
		render_rule(width, out);
		return;
	case CMARK_NODE_HTML_BLOCK:
		return;
	case CMARK_NODE_BLOCK_QUOTE:
		if (depth >= MAX_NEST)
			render_flat(t, node, width, out);
		else
			render_quote(t, node, width, depth, out);
		return;
	case CMARK_NODE_LIST:
		if (depth >= MAX_NEST)
			render_flat(t, node, width, out);
		else
			render_list(t, node, width, depth, out);
		return;
	default:
		break;
	}
	if (type_is(node, "table"))
		render_table(t, node, out);
	else if (depth >= MAX_NEST)
		render_flat(t, node, width, out);
	else
		render_children(t, node, width, depth + 1, false, out);
}

/* ---- The document --------------------------------------------------- */

/* Appends src's lines without their trailing spaces, each blank line
 * as a newline, and a newline after the last; blank lines at the start
 * are left out unless `any` (a line came before). */
static void finish_lines(const char *src, size_t n, bool any, struct buf *out)
{
	size_t i = 0, blank = 0;

	while (i < n) {
		const char *nl = memchr(src + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - src) : n;
		size_t e = end;
		while (e > i && (src[e - 1] == ' ' || src[e - 1] == '\t'))
			e--;
		if (e == i) {
			blank += any;
		} else {
			if (blank)
				put_repeat(out, '\n', blank);
			blank = 0;
			buf_append(out, src + i, e - i);
			buf_putc(out, '\n');
			any = true;
		}
		i = end + 1;
	}
}

/* Appends src (n bytes) from `from` to `to`, lines that finish_lines
 * would write as they are, at once; line by line as finish_lines would
 * when the buffer's cap refuses them at once (it might take some). */
static void put_run(const char *src, size_t from, size_t to, struct buf *out)
{
	if (to > from && buf_append(out, src + from, to - from) != 0)
		finish_lines(src + from, to - from, true, out);
}

/* Appends src without trailing spaces on its lines, without blank lines
 * at its start or end, and with a newline after the last line: what
 * finish_lines does, but the lines that need no change (nearly all)
 * are appended in runs, not one at a time. */
static void finish(const char *src, size_t n, struct buf *out)
{
	size_t i = 0, blank = 0;
	size_t from = 0, to = 0;   /* lines kept as they are, not appended yet */
	bool any = false, exact = true;  /* the blank lines since the last line are empty */

	while (i < n) {
		const char *nl = memchr(src + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - src) : n;
		size_t e = end;
		while (e > i && (src[e - 1] == ' ' || src[e - 1] == '\t'))
			e--;
		if (e == i) {
			blank += any;
			exact = exact && end == i;
		} else if (!any) {
			/* The first line: blank lines before it are left out. */
			from = to = i;
			exact = true;
			if (e == end && nl) {
				to = end + 1;
			} else {
				buf_append(out, src + i, e - i);
				buf_putc(out, '\n');
				from = to = end + 1;
			}
			any = true;
		} else if (e == end && nl && (blank == 0 || exact)) {
			to = end + 1;  /* the blank lines and this one, as they are */
			blank = 0;
			exact = true;
		} else {
			put_run(src, from, to, out);
			if (blank)
				put_repeat(out, '\n', blank);
			buf_append(out, src + i, e - i);
			buf_putc(out, '\n');
			from = to = end + 1;
			blank = 0;
			exact = true;
		}
		i = end + 1;
	}
	put_run(src, from, to, out);
}

static void render_doc(struct text *t, cmark_node *doc, int width, struct buf *out)
{
	struct buf body = BUF_INIT;

	render_block(t, doc, width > 0 ? (size_t)width : NO_WRAP, 0, &body);
	if (t->refs.n && body.len)
		buf_putc(&body, '\n');
	for (size_t i = 0; i < t->refs.n; i++) {
		buf_putc(&body, '[');
		buf_put_int(&body, (int64_t)(i + 1));
		buf_append(&body, "] ", 2);
		put_inline(&body, t->refs.urls[i]);
		buf_putc(&body, '\n');
	}
	finish(buf_str(&body), body.len, out);
	buf_free(&body);
}

static void text_free(struct text *t)
{
	refs_free(&t->refs);
	free(t->links);
	buf_free(&t->para);
}

void md_render_text(cmark_node *doc, int width, struct buf *out)
{
	struct text t = { { NULL, 0, 0, NULL, 0 }, NULL, 0, 0, BUF_INIT, NULL, false };

	render_doc(&t, doc, width, out);
	text_free(&t);
}

/* The second rendering keeps the first one's references: its walk
 * reaches the same links in the same order, so it would number them
 * the same, and those it renders again find their numbers there. */
void md_render_text2(cmark_node *doc, int width, struct buf *out, int width2, struct buf *out2)
{
	struct memo m = { BUF_INIT, NULL, 0, 0, 0, false };
	struct text t = { { NULL, 0, 0, NULL, 0 }, NULL, 0, 0, BUF_INIT, &m, false };

	render_doc(&t, doc, width, out);
	m.replay = true;
	render_doc(&t, doc, width2, out2);
	text_free(&t);
	buf_free(&m.bytes);
	free(m.e);
}
