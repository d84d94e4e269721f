/* md.c - Markdown through cmark-gfm: safe parsing, HTML rendering, escaping
 * for templates and display widths.  The plain-text renderer is md_text.c. */
#include "format/md.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <utf8proc.h>

#include "base/asan.h"

/* The GFM extensions every document is parsed with, and rendered with. */
static const char *const extension_names[] = {
	"table", "autolink", "tasklist", "strikethrough", "tagfilter",
};

#define N_EXTENSIONS (sizeof extension_names / sizeof extension_names[0])

/* Invalid UTF-8 becomes U+FFFD, so every output is valid UTF-8.  cmark
 * checks every line byte by byte when asked to; md_parse asks only when
 * md_utf8_valid finds the text is not already valid (most is: it comes
 * from records libxml2 has decoded). */
#define PARSE_OPTIONS CMARK_OPT_DEFAULT

/* Safe mode: raw HTML is omitted.  Never CMARK_OPT_UNSAFE. */
#define HTML_OPTIONS CMARK_OPT_DEFAULT

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool md_url_is_safe(const char *url)
{
	static const char *const allowed[] = { "http", "https", "mailto" };
	size_t n = 0;

	if (!url)
		return false;
	while (is_alpha(url[n]))
		n++;
	if (url[n] != ':')
		return false;
	for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
		if (strlen(allowed[i]) != n)
			continue;
		size_t k = 0;
		while (k < n && (url[k] | 0x20) == allowed[i][k])
			k++;
		if (k == n)
			return true;
	}
	return false;
}

/* Replaces a link or image by its content (its text, an image's alt
 * text).  If cmark refuses a move, the destination is cleared instead. */
static void unwrap(cmark_node *node)
{
	cmark_node *child;

	while ((child = cmark_node_first_child(node)) != NULL) {
		if (!cmark_node_insert_before(node, child)) {
			cmark_node_set_url(node, "");
			return;
		}
	}
	cmark_node_free(node);
}

/* Unwraps every link and image whose destination is not safe.  The nodes
 * are collected first: the tree is changed only after the walk. */
void md_each_node(cmark_node *doc, void (*fn)(cmark_node *node, void *ud), void *ud)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
		if (ev == CMARK_EVENT_ENTER)
			fn(cmark_iter_get_node(it), ud);
	cmark_iter_free(it);
}

struct unsafe {
	cmark_node **nodes;
	size_t n, cap;
};

static void collect_unsafe(cmark_node *node, void *ud)
{
	struct unsafe *u = ud;
	cmark_node_type t = cmark_node_get_type(node);
	if ((t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE) || md_url_is_safe(cmark_node_get_url(node)))
		return;
	if (u->n == u->cap) {
		u->cap = u->cap ? u->cap * 2 : 16;
		u->nodes = xrealloc(u->nodes, u->cap * sizeof(*u->nodes));
	}
	u->nodes[u->n++] = node;
}

static void sanitize(cmark_node *doc)
{
	struct unsafe u = { NULL, 0, 0 };
	md_each_node(doc, collect_unsafe, &u);
	for (size_t i = 0; i < u.n; i++)
		unwrap(u.nodes[i]);
	free(u.nodes);
}

/* ---- The pool (md_pool_begin) -------------------------------------------- */

/* Under AddressSanitizer a freed block is poisoned (base/asan.h), so
 * that a use of a node cmark-gfm has freed is still caught inside the
 * pool. */

/* Each block carries its size in front of it, for realloc; blocks and
 * sizes are multiples of 16, so every block is aligned for any type. */
#define POOL_ALIGN 16
#define POOL_CHUNK ((size_t)64 << 10)

struct pool_chunk {
	struct pool_chunk *next;
	size_t cap, used;
	_Alignas(POOL_ALIGN) unsigned char data[];
};

struct pool {
	struct pool_chunk *head;  /* the chunk blocks are taken from */
	unsigned char *last;      /* the last block taken from head, or NULL */
	int depth;                /* md_pool_begin calls not yet ended */
};

/* The initial-exec model: the pool is reached without a call to the
 * dynamic linker's lookup (sircomm links it into executables only), so
 * pool_calloc's common case saves no registers. */
#if defined(__GNUC__)
static _Thread_local struct pool pool __attribute__((tls_model("initial-exec")));
#else
static _Thread_local struct pool pool;
#endif

static size_t pool_round(size_t n)
{
	if (n > SIZE_MAX - 2 * POOL_ALIGN)
		xmalloc(SIZE_MAX); /* the out-of-memory message and abort */
	return (n + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1);
}

/* Carves n bytes (need with their header) from chunk c, the head or a
 * large block's own chunk. */
static void *pool_carve(struct pool_chunk *c, size_t n, size_t need)
{
	unsigned char *p = c->data + c->used;
	memcpy(p, &n, sizeof(n));
	c->used += need;
	if (c == pool.head)
		pool.last = p;
	return p + POOL_ALIGN;
}

/* pool_take when the head chunk has no room: a new chunk.  Out of line,
 * so that the common case saves no registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void *pool_take_fresh(size_t n, size_t need)
{
	struct pool_chunk *c = pool.head;
	size_t cap = need > POOL_CHUNK / 4 ? need : POOL_CHUNK;
	struct pool_chunk *fresh = xmalloc(sizeof(*fresh) + cap);
	fresh->cap = cap;
	fresh->used = 0;
	if (c && cap == need) {
		/* A large block gets a chunk of its own, behind the
		 * current one, which goes on serving small blocks. */
		fresh->next = c->next;
		c->next = fresh;
	} else {
		fresh->next = c;
		pool.head = fresh;
		pool.last = NULL;
	}
	return pool_carve(fresh, n, need);
}

static inline void *pool_take(size_t n)
{
	size_t need = POOL_ALIGN + pool_round(n);
	struct pool_chunk *c = pool.head;
	if (!c || c->cap - c->used < need)
		return pool_take_fresh(n, need);
	unsigned char *p = c->data + c->used;
	memcpy(p, &n, sizeof(n));
	c->used += need;
	pool.last = p;
	return p + POOL_ALIGN;
}

static size_t pool_size(const void *block)
{
	size_t n;
	memcpy(&n, (const unsigned char *)block - POOL_ALIGN, sizeof(n));
	return n;
}

/* pool_calloc when the head chunk has no room (or the size is out of
 * range): out of line, like pool_take_fresh. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void *pool_calloc_slow(size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		xmalloc(SIZE_MAX);
	size_t n = nmemb * size;
	void *p = pool_take(n);
	memset(p, 0, n);
	return p;
}

/* cmark-gfm's calloc: most of its calls (a node, a buffer) fit in the
 * head chunk, and then both calls here are the last thing done, so the
 * common case saves no registers. */
static void *pool_calloc(size_t nmemb, size_t size)
{
	size_t n = nmemb * size;
	struct pool_chunk *c = pool.head;
	/* Small factors cannot overflow, and a small n fits pool_round. */
	if (nmemb > POOL_CHUNK || size > POOL_CHUNK || !c)
		return pool_calloc_slow(nmemb, size);
	size_t need = POOL_ALIGN + pool_round(n);
	if (c->cap - c->used < need)
		return pool_calloc_slow(nmemb, size);
	unsigned char *p = c->data + c->used;
	memcpy(p, &n, sizeof(n));
	c->used += need;
	pool.last = p;
	return memset(p + POOL_ALIGN, 0, n);
}

static void *pool_realloc(void *block, size_t n)
{
	if (!block)
		return pool_take(n);
	size_t old = pool_size(block);
	if (n <= old)
		return block;
	unsigned char *hdr = (unsigned char *)block - POOL_ALIGN;
	struct pool_chunk *c = pool.head;
	if (hdr == pool.last) {
		/* The last block grows where it is when the chunk has room. */
		size_t grow = pool_round(n) - pool_round(old);
		if (c->cap - c->used >= grow) {
			c->used += grow;
			memcpy(hdr, &n, sizeof(n));
			return block;
		}
	}
	void *p = pool_take(n);
	memcpy(p, block, old);
	SC_POISON(block, old);
	return p;
}

static void pool_free(void *block)
{
	/* Everything goes at md_pool_end. */
	if (block)
		SC_POISON(block, pool_size(block));
}

static cmark_mem pool_mem = { pool_calloc, pool_realloc, pool_free };

void md_pool_begin(void)
{
	pool.depth++;
}

void md_pool_end(void)
{
	if (pool.depth == 0 || --pool.depth > 0)
		return;
	struct pool_chunk *c = pool.head;
	while (c) {
		struct pool_chunk *next = c->next;
		SC_UNPOISON(c->data, c->cap);
		free(c);
		c = next;
	}
	pool.head = NULL;
	pool.last = NULL;
}

cmark_node *md_node_new(cmark_node_type type)
{
	return pool.depth ? cmark_node_new_with_mem(type, &pool_mem) : cmark_node_new(type);
}

/* ---- Parsing -------------------------------------------------------------- */

bool md_utf8_valid(const char *text, size_t len)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	size_t i = 0;

	while (i < len) {
		/* Eight ASCII bytes at a time, none of them NUL. */
		while (len - i >= 8) {
			uint64_t v;
			memcpy(&v, p + i, 8);
			if (((v - ones) & ~v & highs) | (v & highs))
				break;
			i += 8;
		}
		if (i == len)
			break;
		if (p[i] > 0 && p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] == 0)
			return false;
		/* utf8proc refuses what cmark's check refuses: overlong
		 * forms, surrogates, and code points past U+10FFFF. */
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i), &cp);
		if (k <= 0)
			return false;
		i += (size_t)k;
	}
	return true;
}

/* The extensions, looked up once (they never change once registered). */
static cmark_syntax_extension *const *extensions(void)
{
	static _Thread_local cmark_syntax_extension *found[N_EXTENSIONS];
	static _Thread_local bool looked;
	if (!looked) {
		cmark_gfm_core_extensions_ensure_registered();
		for (size_t i = 0; i < N_EXTENSIONS; i++)
			found[i] = cmark_find_syntax_extension(extension_names[i]);
		looked = true;
	}
	return found;
}

/* The next occurrence of byte c in [p, end), or NULL. */
static const char *find(const char *p, const char *end, char c)
{
	return p < end ? memchr(p, c, (size_t)(end - p)) : NULL;
}

/* True when text holds a "[ ", "[x" or "[X". */
static bool has_task_box(const char *text, const char *end)
{
	for (const char *p = text; (p = find(p, end - 1, '[')) != NULL; p++)
		if (p[1] == ' ' || p[1] == 'x' || p[1] == 'X')
			return true;
	return false;
}


/* A byte of an autolink that md_parse_extensions vouches for: printable
 * ASCII, but none that could end a construct begun before the autolink
 * (a code span's '`', a table cell's '|', a link destination's ')' or
 * white space, a title's quote, a label's ']') or escape its '<'. */
static bool autolink_byte(unsigned char c)
{
	switch (c) {
	case '<': case '>': case '`': case '|': case '\\':
	case '(': case ')': case '"': case '\'': case '[': case ']':
		return false;
	default:
		return c > 0x20 && c < 0x7f;
	}
}

static bool is_alnum(unsigned char c)
{
	return is_alpha((char)c) || (c >= '0' && c <= '9');
}

/* The length of the autolink at s[0] == '<' ("<https://...>",
 * "<name@example.com>"), or 0 if there is none: a subset of what
 * cmark-gfm reads as one (a scheme of 2 to 32 characters; an address
 * whose labels are at most 63 characters, with no '-' at either end),
 * made of autolink_byte bytes. */
static size_t pointy_autolink(const char *s, const char *end)
{
	const unsigned char *p = (const unsigned char *)s + 1, *e = (const unsigned char *)end;
	const unsigned char *q = p;
	if (q < e && is_alpha((char)*q)) {
		q++;
		while (q < e && (is_alnum(*q) || *q == '.' || *q == '+' || *q == '-'))
			q++;
		if (q < e && *q == ':' && q - p >= 2 && q - p <= 32) {
			while (++q < e && *q != '>')
				if (!autolink_byte(*q))
					return 0;
			return q < e ? (size_t)(q + 1 - (const unsigned char *)s) : 0;
		}
	}
	q = p;
	while (q < e && *q && (is_alnum(*q) || strchr("._%+-", *q) != NULL))
		q++;
	if (q == p || q >= e || *q != '@')
		return 0;
	do {
		const unsigned char *label = ++q;
		while (q < e && (is_alnum(*q) || *q == '-'))
			q++;
		if (q == label || q - label > 63 || label[0] == '-' || q[-1] == '-')
			return 0;
	} while (q < e && *q == '.');
	return q < e && *q == '>' ? (size_t)(q + 1 - (const unsigned char *)s) : 0;
}

/* True when the n bytes at p lie inside an autolink "<...>" that
 * cmark-gfm takes whole, whatever stands around it: its '<' is not
 * escaped, and it holds no byte that could end a construct begun
 * before it.  Such an autolink is a link, or part of code, raw HTML or
 * a link destination, never text. */
static bool in_pointy_autolink(const char *text, const char *p, size_t n, const char *end)
{
	const char *q = p;
	while (q > text && q[-1] != '<') {
		if (!autolink_byte((unsigned char)q[-1]))
			return false;
		q--;
	}
	if (q == text)
		return false;
	q--;
	if (q > text && q[-1] == '\\')
		return false;
	size_t len = pointy_autolink(q, end);
	return len > 0 && p + n <= q + len;
}

/* Whether text holds a ':' with a '-' on either side (*dash), and a
 * "://" outside every autolink "<...>" (*url), in one pass over its
 * ':' (times of day make them many). */
static void colons(const char *text, const char *end, bool *dash, bool *url)
{
	*dash = *url = false;
	for (const char *p = text; (p = find(p, end, ':')) != NULL; p++) {
		if ((p > text && p[-1] == '-') || (p + 1 < end && p[1] == '-'))
			*dash = true;
		if (!*url && end - p >= 3 && p[1] == '/' && p[2] == '/' &&
		    !in_pointy_autolink(text, p, 3, end))
			*url = true;
		if (*dash && *url)
			return;
	}
}

/* True when the bytes s occur in [text, end) outside every autolink
 * "<...>" (in_pointy_autolink). */
static bool has_outside_autolinks(const char *text, const char *end, const char *s)
{
	size_t n = strlen(s);
	if ((size_t)(end - text) < n)
		return false;
	for (const char *p = text; (p = find(p, end - (n - 1), s[0])) != NULL; p++) {
		size_t k = 1;
		while (k < n && p[k] == s[k])
			k++;
		if (k == n && !in_pointy_autolink(text, p, n, end))
			return true;
	}
	return false;
}

/* True when text holds an '@' that could be in an e-mail address of a
 * text node outside every autolink "<...>".  The extension takes one
 * only where the '@' follows a letter, digit, '.', '+', '-', '_' or the
 * ':' of "mailto:" or "xmpp:" in that node: the byte before it in text,
 * or a backslash escape (or an entity, which has_outside_autolinks("&")
 * answers for) before it. */
static bool has_address(const char *text, const char *end)
{
	for (const char *p = text; (p = find(p, end, '@')) != NULL; p++) {
		if (p == text)
			continue;
		unsigned char c = (unsigned char)p[-1];
		if ((is_alnum(c) || c == '.' || c == '+' || c == '-' || c == '_' || c == ':' || c == '\\') &&
		    !in_pointy_autolink(text, p, 1, end))
			return true;
	}
	return false;
}

unsigned md_parse_extensions(const char *text, size_t len)
{
	const char *end = text + len;
	unsigned set = 0;
	if (len == 0)
		return 0;
	/* table: a table starts at its delimiter row, a line of '-', ':',
	 * '|' and spaces (which for cmark-gfm include \v and \f).  Without
	 * '|', ':' beside a '-', \v or \f, such a line is a run of '-' and
	 * spaces or tabs: a setext underline, which comes first. */
	bool dash, url;
	colons(text, end, &dash, &url);
	if (dash || memchr(text, '|', len) || memchr(text, '\v', len) || memchr(text, '\f', len))
		set |= MD_EXT_TABLE;
	/* autolink: a link starts at the ':' of "://" or the 'w' of
	 * "www.", or is an e-mail address around an '@' of a text node
	 * (has_address), which an entity can also write (&#64; &#x40;
	 * &commat;).  Inside an autolink "<...>" they never reach a text
	 * node. */
	if (has_address(text, end) || has_outside_autolinks(text, end, "&") ||
	    url || has_outside_autolinks(text, end, "www."))
		set |= MD_EXT_AUTOLINK;
	/* tasklist: an item that starts "[ ]", "[x]" or "[X]". */
	if (has_task_box(text, end))
		set |= MD_EXT_TASKLIST;
	if (memchr(text, '~', len))
		set |= MD_EXT_STRIKETHROUGH;
	/* tagfilter acts only when HTML is rendered (md_render_html). */
	return set;
}

/* True when the tree of text can hold a link or an image whose
 * destination md_url_is_safe refuses.  Links and images start at a '['
 * or a '<', or are made by the autolink extension (which also links
 * ftp:); an autolink "<...>" (pointy_autolink) to an address, or with
 * the scheme http, https or mailto, is safe. */
static bool may_link_unsafe(const char *text, size_t len, unsigned set)
{
	if (len == 0)
		return false;   /* and text may be NULL */
	const char *end = text + len;
	if ((set & MD_EXT_AUTOLINK) || memchr(text, '[', len))
		return true;
	for (const char *p = text; (p = find(p, end, '<')) != NULL; p++) {
		size_t n = pointy_autolink(p, end);
		if (n == 0)
			return true;
		const char *colon = memchr(p, ':', n);
		if (colon && !md_url_is_safe(p + 1))
			return true;
		p += n - 1;
	}
	return false;
}

/* cmark-gfm keeps one table, for the whole process, of the characters
 * that stop its inline parser: each parse marks its extensions' own
 * (autolink's ':' and 'w', strikethrough's '~') when it starts reading
 * inlines, in cmark_parser_finish, and unmarks them when it is done.
 * Two threads reading inlines at once (draft -j 2) unmark them under
 * each other, and a bare address would then stay text, or a ~~strike~~
 * stay tildes, by timing.  So the inline pass is one thread's at a
 * time; the block pass (cmark_parser_feed) does not touch the table. */
static pthread_mutex_t inline_pass = PTHREAD_MUTEX_INITIALIZER;

cmark_node *md_parse(const char *text, size_t len)
{
	int options = PARSE_OPTIONS;
	if (!md_utf8_valid(text, len))
		options |= CMARK_OPT_VALIDATE_UTF8;
	cmark_syntax_extension *const *ext = extensions();
	unsigned set = md_parse_extensions(text, len);
	cmark_parser *parser = pool.depth ? cmark_parser_new_with_mem(options, &pool_mem)
					  : cmark_parser_new(options);
	/* In extension_names' order, which is the order cmark-gfm tries
	 * them in. */
	for (size_t i = 0; i < N_EXTENSIONS; i++)
		if (ext[i] && (set >> i & 1))
			cmark_parser_attach_syntax_extension(parser, ext[i]);
	if (len)
		cmark_parser_feed(parser, text, len);
	pthread_mutex_lock(&inline_pass);
	cmark_node *doc = cmark_parser_finish(parser);
	pthread_mutex_unlock(&inline_pass);
	cmark_parser_free(parser);
	if (may_link_unsafe(text, len, set))
		sanitize(doc);
	return doc;
}

void md_render_html(cmark_node *doc, struct buf *out)
{
	cmark_mem *mem = cmark_get_default_mem_allocator();
	cmark_llist *exts = NULL;

	sanitize(doc);
	cmark_syntax_extension *const *ext = extensions();
	for (size_t i = 0; i < N_EXTENSIONS; i++)
		if (ext[i])
			exts = cmark_llist_append(mem, exts, ext[i]);
	/* With the allocator named: cmark_render_html would take the
	 * document's, which may be a pool's (md_pool_begin). */
	char *html = cmark_render_html_with_mem(doc, HTML_OPTIONS, exts, mem);
	buf_puts(out, html);
	mem->free(html);
	cmark_llist_free(mem, exts);
}

/* ---- Escaping for templates ----------------------------------------- */

/*
 * md_escape escapes only what could start markup where a value lands,
 * so the Markdown drafts stay readable ("SIRT-2026-0142", not
 * "SIRT\-2026\-0142"):
 * - anywhere: \ ` * [ ] < > & | ~ (emphasis, code, links, HTML,
 *   entities, table cells, strikethrough);
 * - '_' unless it stands between two letters, digits or marks, where
 *   it cannot emphasise.  CommonMark decides with Unicode punctuation
 *   and white space on either side (cmark-gfm 0.29: the categories P*
 *   and Zs, plus tab, line feed, form feed and CR), so "«_x_»" is
 *   emphasis; the test is by code point, and every other character (a
 *   symbol, an unassigned or invalid one) counts as punctuation, which
 *   also covers later versions where symbols count as punctuation;
 * - at the value's start, which may be a line's start: # + - = and the
 *   '.' or ')' after leading digits (headings, lists, setext underlines);
 * - a run of '#' after a space at its end, which would close a heading
 *   the value is in ("Issue #" would lose its '#');
 * - the ':' of "://" and the '.' of a leading "www.", so no address in a
 *   value becomes a GFM autolink.
 * Line breaks become spaces, so no other position starts a line.  An
 * e-mail address still becomes a mailto: link to itself in HTML: the
 * extension finds it after escapes are resolved.
 */
static bool word_byte(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0x80;
}

/* A letter, digit or mark: a character beside which '_' neither opens
 * nor closes emphasis. */
static bool word_char(utf8proc_int32_t cp)
{
	if (cp < 0x80)
		return cp >= 0 && word_byte((unsigned char)cp);
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

/* The character that ends just before s[i], or -1 (none, or invalid). */
static utf8proc_int32_t char_before(const char *s, size_t i)
{
	size_t k = i;
	while (k > 0 && i - k < 4 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
		k--;
	if (k == 0 || i - k >= 4)
		return -1;
	k--;
	utf8proc_int32_t cp;
	utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s + k,
						(utf8proc_ssize_t)(i - k), &cp);
	return len == (utf8proc_ssize_t)(i - k) ? cp : -1;
}

/* The character that starts at s[i], or -1 (none, or invalid). */
static utf8proc_int32_t char_at(const char *s, size_t n, size_t i)
{
	utf8proc_int32_t cp;
	if (i >= n)
		return -1;
	utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						(utf8proc_ssize_t)(n - i), &cp);
	return len > 0 ? cp : -1;
}

static bool is_blank_byte(char c)
{
	return (unsigned char)c <= 0x20 || c == 0x7f;
}

static bool escape_at(const char *s, size_t n, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if (strchr("\\`*[]<>&|~", c))
		return true;
	if (c == '_')
		return !(word_char(char_before(s, i)) && word_char(char_at(s, n, i + 1)));
	if (i == 0 && strchr("#+-=", c))
		return true;
	if (c == '#' && i > 0 && is_blank_byte(s[i - 1]) && (i + 1 == n || s[i + 1] == '#')) {
		size_t k = i;
		while (k < n && s[k] == '#')
			k++;
		if (k == n)
			return true;   /* in a heading, a closing sequence: dropped */
	}
	if (c == '.' || c == ')') {
		size_t k = 0;
		while (k < i && s[k] >= '0' && s[k] <= '9')
			k++;
		if (k == i && i > 0)
			return true;   /* "1." or "1)" at the start: a list item */
	}
	if (c == ':' && i + 2 < n && s[i + 1] == '/' && s[i + 2] == '/')
		return true;
	if (c == '.' && i >= 3 && (s[i - 1] == 'w' || s[i - 1] == 'W') &&
	    (s[i - 2] == 'w' || s[i - 2] == 'W') && (s[i - 3] == 'w' || s[i - 3] == 'W') &&
	    (i == 3 || !word_byte((unsigned char)s[i - 4])))
		return true;
	return false;
}

/* The bytes md_escape copies without a look: letters, digits, the space
 * and every byte outside ASCII. */
static const unsigned char inert[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

void md_escape(struct buf *out, const char *s, size_t n)
{
	/* White space at either end goes: at the start of a line it could
	 * make an indented code block, in which escapes show; at the end of
	 * one, a hard line break. */
	while (n > 0 && is_blank_byte(*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_blank_byte(s[n - 1]))
		n--;
	size_t run = 0;  /* start of the bytes copied as they are */
	for (size_t i = 0; i < n; i++) {
		/* Letters, digits, spaces and non-ASCII bytes never start
		 * markup (escape_at): most of a value, copied in runs. */
		while (i < n && inert[(unsigned char)s[i]])
			i++;
		if (i == n)
			break;
		unsigned char c = (unsigned char)s[i];
		if (i > run)
			buf_append(out, s + run, i - run);
		run = i + 1;
		if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
			continue;  /* CRLF is one line break: one space */
		if (c < 0x20 || c == 0x7f)
			buf_putc(out, ' ');
		else if (escape_at(s, n, i)) {
			buf_putc(out, '\\');
			buf_putc(out, (char)c);
		} else
			buf_putc(out, (char)c);
	}
	if (n > run)
		buf_append(out, s + run, n - run);
}

void md_escape_str(struct buf *out, const char *s)
{
	if (s)
		md_escape(out, s, strlen(s));
}

/* ---- Display width -------------------------------------------------- */

/* True when the eight bytes at s are all printable ASCII (0x20 to 0x7e):
 * in any byte order, since only "some byte" is asked. */
static bool printable8(const unsigned char *s)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	uint64_t v;
	memcpy(&v, s, 8);
	uint64_t del = v ^ (ones * 0x7f);
	return ((((v - ones * 0x20) & ~v) | ((del - ones) & ~del) | v) & highs) == 0;
}

size_t md_display_width(const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	size_t w = 0, i = 0;

	while (i < n) {
		/* Words and cells are mostly ASCII: eight columns at a time. */
		while (n - i >= 8 && printable8(p + i)) {
			w += 8;
			i += 8;
		}
		if (i == n)
			break;
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			w++;
			i++;
			continue;
		}
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0) {
			w++;  /* an invalid byte */
			i++;
			continue;
		}
		w += (size_t)utf8proc_charwidth(cp);
		i += (size_t)k;
	}
	return w;
}

const char *md_cmark_version(void)
{
	return cmark_version_string();
}

const char *md_utf8proc_version(void)
{
	return utf8proc_version();
}
