/* tmpl.c - Mustache templates: a one-pass parser into a flat node list,
 * and a renderer over a context stack of values (tval.c). */
#include "format/tmpl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tval_int.h"

#define NOT_FOUND SIZE_MAX
#define MAX_DEPTH_DEFAULT 32
/* Sections inside one template nest at most this deep, so rendering
 * (which recurses once per section level and per partial) stays within a
 * small, bounded stack whatever the template says. */
#define SECTION_DEPTH_MAX 100

/* ---- Templates ------------------------------------------------------ */

enum node_type {
	N_TEXT,      /* literal text */
	N_INDENT,    /* a line of the source starts here: a partial's indentation */
	N_VAR,       /* {{x}} */
	N_RAW,       /* {{{x}}} and {{&x}} */
	N_SECTION,   /* {{#x}}, children up to `end` */
	N_INVERTED,  /* {{^x}}, children up to `end` */
	N_PARTIAL,   /* {{>x}} */
};

/* One dot-separated part of a name, hashed once for map lookups. */
struct part {
	const char *s;
	size_t len;
	size_t hash;
};

struct node {
	enum node_type type;
	bool standalone;     /* partials: alone on their line, so indented */
	long line;
	const char *text;    /* text: the bytes; standalone partials: the indentation */
	size_t len;
	const char *name;    /* tags: the name, NUL-terminated */
	size_t hash;         /* partials: hash of the name */
	size_t part0, nparts; /* names: parts[part0..], none for "." */
	size_t end;          /* sections: index of the node after the children */
};

struct tmpl {
	char *name;
	char *src;           /* a copy; text nodes point into it */
	struct node *nodes;
	size_t n, cap;
	struct part *parts;
	size_t nparts, parts_cap;
	struct arena arena;  /* names */
};

struct parser {
	struct tmpl *t;
	struct diag *d;
	const char *src;
	size_t len;
	const char *open, *close;  /* current delimiters */
	size_t olen, clen;
	long line;                 /* line of line_pos */
	size_t line_pos;
	long text_line;            /* line of prev_end */
	size_t prev_end;           /* end of the previous tag, 0 at first */
	size_t *open_sections;     /* node indices */
	size_t depth, depth_cap;
};

static size_t find(const char *s, size_t len, size_t from, const char *pat, size_t plen)
{
	while (from + plen <= len) {
		const char *p = memchr(s + from, pat[0], len - from - plen + 1);
		if (!p)
			return NOT_FOUND;
		if (memcmp(p, pat, plen) == 0)
			return (size_t)(p - s);
		from = (size_t)(p - s) + 1;
	}
	return NOT_FOUND;
}

/* Line of a position; positions asked for never go backwards. */
static long line_at(struct parser *p, size_t pos)
{
	while (p->line_pos < pos) {
		const char *nl = memchr(p->src + p->line_pos, '\n', pos - p->line_pos);
		if (!nl) {
			p->line_pos = pos;
			break;
		}
		p->line++;
		p->line_pos = (size_t)(nl - p->src) + 1;
	}
	return p->line;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool at_line_start(const struct parser *p, size_t pos)
{
	return pos == 0 || p->src[pos - 1] == '\n';
}

static struct node *add_node(struct parser *p, enum node_type type, long line)
{
	struct tmpl *t = p->t;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->nodes = xrealloc(t->nodes, t->cap * sizeof(*t->nodes));
	}
	struct node *n = &t->nodes[t->n++];
	*n = (struct node){ .type = type, .line = line };
	return n;
}

static void add_indent(struct parser *p, size_t pos, long line)
{
	if (at_line_start(p, pos))
		add_node(p, N_INDENT, line);
}

/* Text from the end of the previous tag. */
static void add_text(struct parser *p, size_t from, size_t to)
{
	if (from >= to)
		return;
	add_indent(p, from, p->text_line);
	struct node *n = add_node(p, N_TEXT, p->text_line);
	n->text = p->src + from;
	n->len = to - from;
}

/*
 * Whether the tag at [o, end) is alone on its line, with only spaces and
 * tabs around it.  If so, *ls and *le give the line to drop: from its
 * start to past its end of line.
 */
static bool standalone(const struct parser *p, size_t o, size_t end, size_t *ls, size_t *le)
{
	const char *s = p->src;
	size_t b = o;
	while (b > p->prev_end && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	if (!at_line_start(p, b))
		return false;
	size_t e = end;
	while (e < p->len && (s[e] == ' ' || s[e] == '\t'))
		e++;
	if (e + 1 < p->len && s[e] == '\r' && s[e + 1] == '\n')
		e += 2;
	else if (e < p->len && s[e] == '\n')
		e++;
	else if (e != p->len)
		return false;
	*ls = b;
	*le = e;
	return true;
}

static void trim(const char *s, size_t *from, size_t *to)
{
	while (*from < *to && is_space(s[*from]))
		(*from)++;
	while (*to > *from && is_space(s[*to - 1]))
		(*to)--;
}

/* Checks and stores the name of a tag: s[from, to) untrimmed.  Dotted
 * names are split into parts unless `whole` (partial names). */
static int set_name(struct parser *p, struct node *n, size_t from, size_t to, bool whole)
{
	struct tmpl *t = p->t;
	trim(p->src, &from, &to);
	const char *s = p->src + from;
	size_t len = to - from;
	if (len == 0) {
		diag_error(p->d, t->name, n->line, "tag has an empty name");
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		if (is_space(s[i])) {
			diag_error(p->d, t->name, n->line, "tag name '%.*s' contains a space",
				   (int)len, s);
			return -1;
		}
	}
	n->name = arena_strndup(&t->arena, s, len);
	if (whole) {
		n->hash = tval_hash(s, len);
		return 0;
	}
	n->part0 = t->nparts;
	if (len == 1 && s[0] == '.')
		return 0;
	for (size_t i = 0; i <= len;) {
		size_t j = i;
		while (j < len && s[j] != '.')
			j++;
		if (j == i) {
			diag_error(p->d, t->name, n->line,
				   "name '%.*s' has an empty part between dots", (int)len, s);
			return -1;
		}
		if (t->nparts == t->parts_cap) {
			t->parts_cap = t->parts_cap ? t->parts_cap * 2 : 32;
			t->parts = xrealloc(t->parts, t->parts_cap * sizeof(*t->parts));
		}
		t->parts[t->nparts++] = (struct part){ n->name + i, j - i, tval_hash(s + i, j - i) };
		n->nparts++;
		i = j + 1;
	}
	return 0;
}

/* {{=OPEN CLOSE=}}: s[from, to) is the content after the '='. */
static int set_delimiters(struct parser *p, size_t from, size_t to, long line)
{
	const char *s = p->src;
	if (to > from && s[to - 1] == '=') {
		to--;
		trim(s, &from, &to);
		size_t a = from;
		while (a < to && !is_space(s[a]))
			a++;
		size_t b = a;
		while (b < to && is_space(s[b]))
			b++;
		bool ok = a > from && b > a && b < to;
		for (size_t i = b; ok && i < to; i++)
			ok = !is_space(s[i]);
		for (size_t i = from; ok && i < to; i++)
			ok = s[i] != '=';
		if (ok) {
			p->open = s + from;
			p->olen = a - from;
			p->close = s + b;
			p->clen = to - b;
			return 0;
		}
	}
	diag_error(p->d, p->t->name, line,
		   "bad set-delimiter tag (expected two delimiters without spaces or '=', "
		   "as in '%.*s=<%% %%>=%.*s')", (int)p->olen, p->open, (int)p->clen, p->close);
	return -1;
}

static int open_section(struct parser *p, size_t node)
{
	if (p->depth == SECTION_DEPTH_MAX) {
		const struct node *n = &p->t->nodes[node];
		diag_error(p->d, p->t->name, n->line, "sections nest deeper than %d levels",
			   SECTION_DEPTH_MAX);
		return -1;
	}
	if (p->depth == p->depth_cap) {
		p->depth_cap = p->depth_cap ? p->depth_cap * 2 : 16;
		p->open_sections = xrealloc(p->open_sections, p->depth_cap * sizeof(*p->open_sections));
	}
	p->open_sections[p->depth++] = node;
	return 0;
}

static int close_section(struct parser *p, size_t from, size_t to, long line)
{
	const struct tmpl *t = p->t;
	trim(p->src, &from, &to);
	const char *s = p->src + from;
	int len = (int)(to - from);
	if (p->depth == 0) {
		diag_error(p->d, t->name, line, "closing tag '%.*s' has no open section", len, s);
		return -1;
	}
	struct node *n = &p->t->nodes[p->open_sections[p->depth - 1]];
	if (strlen(n->name) != to - from || memcmp(n->name, s, to - from) != 0) {
		diag_error(p->d, t->name, line,
			   "closing tag '%.*s' does not match section '%s' opened on line %ld",
			   len, s, n->name, n->line);
		return -1;
	}
	p->depth--;
	n->end = t->n;
	return 0;
}

/* Parses one tag starting at o (the opening delimiter); sets *next past
 * it (and past its line when it stands alone). */
static int parse_tag(struct parser *p, size_t o, size_t *next)
{
	const char *s = p->src;
	p->text_line = line_at(p, p->prev_end);
	long line = line_at(p, o);
	size_t in = o + p->olen;
	char type = in < p->len ? s[in] : '\0';
	size_t c;  /* the closing delimiter */
	if (type == '{') {
		c = in + 1;
		while ((c = find(s, p->len, c + 1, p->close, p->clen)) != NOT_FOUND && s[c - 1] != '}')
			;
	} else {
		c = find(s, p->len, in, p->close, p->clen);
	}
	if (c == NOT_FOUND) {
		diag_error(p->d, p->t->name, line, "unclosed tag: '%.*s%s' has no closing '%s%.*s'",
			   (int)p->olen, p->open, type == '{' ? "{" : "",
			   type == '{' ? "}" : "", (int)p->clen, p->close);
		return -1;
	}
	size_t end = c + p->clen;
	size_t ls = 0, le = 0;
	bool alone = false;
	switch (type) {
	case '!': case '#': case '^': case '/': case '>': case '=':
		alone = standalone(p, o, end, &ls, &le);
		break;
	default:
		break;
	}
	if (alone) {
		add_text(p, p->prev_end, ls);
		*next = le;
	} else {
		add_text(p, p->prev_end, o);
		*next = end;
		/* A tag that starts a line: a partial's indentation goes first. */
		add_indent(p, o, line);
	}

	struct node *n;
	switch (type) {
	case '!':
		return 0;
	case '=':
		return set_delimiters(p, in + 1, c, line);
	case '/':
		return close_section(p, in + 1, c, line);
	case '#': case '^':
		n = add_node(p, type == '#' ? N_SECTION : N_INVERTED, line);
		if (set_name(p, n, in + 1, c, false) != 0)
			return -1;
		return open_section(p, p->t->n - 1);
	case '>':
		n = add_node(p, N_PARTIAL, line);
		if (alone) {
			n->standalone = true;
			n->text = s + ls;
			n->len = o - ls;
		}
		return set_name(p, n, in + 1, c, true);
	case '{':
		n = add_node(p, N_RAW, line);
		return set_name(p, n, in + 1, c - 1, false);
	case '&':
		n = add_node(p, N_RAW, line);
		return set_name(p, n, in + 1, c, false);
	case '<': case '$':
		diag_error(p->d, p->t->name, line,
			   "tag '%c' (template inheritance) is not supported", type);
		return -1;
	default:
		n = add_node(p, N_VAR, line);
		return set_name(p, n, in, c, false);
	}
}

int tmpl_parse(const char *name, const char *src, size_t len, struct diag *d, struct tmpl **out)
{
	*out = NULL;
	struct tmpl *t = xcalloc(1, sizeof(*t));
	t->name = xstrdup(name ? name : "template");
	t->src = xmalloc(len + 1);
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	struct parser p = {
		.t = t, .d = d, .src = t->src, .len = len,
		.open = "{{", .close = "}}", .olen = 2, .clen = 2, .line = 1,
	};
	int rc = 0;
	size_t pos = 0;
	while (pos < len) {
		size_t o = find(p.src, len, pos, p.open, p.olen);
		if (o == NOT_FOUND)
			break;
		if ((rc = parse_tag(&p, o, &pos)) != 0)
			break;
		p.prev_end = pos;
	}
	if (rc == 0) {
		p.text_line = line_at(&p, p.prev_end);
		add_text(&p, p.prev_end, len);
		if (p.depth > 0) {
			const struct node *n = &t->nodes[p.open_sections[p.depth - 1]];
			diag_error(d, t->name, n->line, "section '%s' opened on line %ld is never closed",
				   n->name, n->line);
			rc = -1;
		}
	}
	free(p.open_sections);
	if (rc != 0) {
		tmpl_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->src);
	free(t->nodes);
	free(t->parts);
	arena_free(&t->arena);
	free(t);
}

/* ---- Rendering ------------------------------------------------------ */

/* A partial looked up during one render; t is NULL for a missing one. */
struct cached {
	const char *name;  /* borrowed from the including node */
	size_t hash;
	struct tmpl *t;
};

struct render {
	const struct tmpl_options *opt;
	tmpl_escape_fn escape;
	struct buf *out;
	struct diag *d;
	int max_depth;
	const struct tval **stack;  /* the context stack, top last */
	size_t depth, stack_cap;
	struct cached *cache;             /* open addressing, at most half full */
	size_t ncache, cache_cap;
};

static int overflow(struct render *r, const struct tmpl *t, long line)
{
	diag_error(r->d, t->name, line, "output exceeds the size limit");
	return -1;
}

static void push(struct render *r, const struct tval *v)
{
	if (r->depth == r->stack_cap) {
		r->stack_cap = r->stack_cap ? r->stack_cap * 2 : 16;
		r->stack = xrealloc(r->stack, r->stack_cap * sizeof(*r->stack));
	}
	r->stack[r->depth++] = v;
}

/* The spec's name resolution: the first part up the context stack, the
 * rest strictly inside what it found.  NULL on a miss. */
static const struct tval *lookup(const struct render *r, const struct tmpl *t,
				       const struct node *n)
{
	if (n->nparts == 0)
		return r->stack[r->depth - 1];
	const struct part *part = &t->parts[n->part0];
	const struct tval *v = NULL;
	for (size_t i = r->depth; i > 0 && !v; i--) {
		const struct tval *c = r->stack[i - 1];
		if (c && c->kind == TVAL_MAP) {
			const struct tval_entry *e = tval_find(c, part->s, part->len, part->hash);
			if (e)
				v = e->val;
		}
	}
	for (size_t k = 1; v && k < n->nparts; k++) {
		if (v->kind != TVAL_MAP)
			return NULL;
		const struct tval_entry *e = tval_find(v, part[k].s, part[k].len, part[k].hash);
		v = e ? e->val : NULL;
	}
	return v;
}

static int put(struct render *r, const struct tmpl *t, long line, const char *s, size_t n)
{
	if (n && buf_append(r->out, s, n) != 0)
		return overflow(r, t, line);
	return 0;
}

/* Text, with the indentation after each line break inside it. */
static int put_text(struct render *r, const struct tmpl *t, const struct node *n,
		    const char *indent, size_t ilen)
{
	if (ilen == 0)
		return put(r, t, n->line, n->text, n->len);
	for (size_t a = 0; a < n->len;) {
		const char *nl = memchr(n->text + a, '\n', n->len - a);
		size_t e = nl ? (size_t)(nl - n->text) + 1 : n->len;
		if (put(r, t, n->line, n->text + a, e - a) != 0)
			return -1;
		if (e < n->len && put(r, t, n->line, indent, ilen) != 0)
			return -1;
		a = e;
	}
	return 0;
}

static int put_value(struct render *r, const struct tmpl *t, const struct node *n,
		     const struct tval *v)
{
	const char *s;
	size_t len;
	switch (tval_kind(v)) {
	case TVAL_STRING:
		s = v->s;
		len = v->len;
		break;
	case TVAL_BOOL:
		s = v->b ? "true" : "false";
		len = strlen(s);
		break;
	default:
		return 0;
	}
	if (n->type == N_RAW && !r->opt->raw)
		return put(r, t, n->line, s, len);
	(n->type == N_RAW ? r->opt->raw : r->escape)(r->out, s, len);
	return r->out->overflow ? overflow(r, t, n->line) : 0;
}

static struct cached *cache_slot(struct render *r, const char *name, size_t hash)
{
	size_t mask = r->cache_cap - 1;
	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		struct cached *c = &r->cache[i];
		if (!c->name || (c->hash == hash && strcmp(c->name, name) == 0))
			return c;
	}
}

static void cache_grow(struct render *r)
{
	struct cached *old = r->cache;
	size_t old_cap = r->cache_cap;
	r->cache_cap = old_cap ? old_cap * 2 : 16;
	r->cache = xcalloc(r->cache_cap, sizeof(*r->cache));
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].name)
			*cache_slot(r, old[i].name, old[i].hash) = old[i];
	free(old);
}

/* Finds and parses a partial once per render.  Returns 0 with *out set
 * (NULL for a missing partial the options allow), or -1. */
static int get_partial(struct render *r, const struct tmpl *t, const struct node *n,
		       const struct tmpl **out)
{
	if ((r->ncache + 1) * 2 > r->cache_cap)
		cache_grow(r);
	struct cached *c = cache_slot(r, n->name, n->hash);
	if (c->name) {
		*out = c->t;
		return 0;
	}
	const char *src;
	size_t len;
	struct tmpl *p = NULL;
	if (!r->opt->partial || r->opt->partial(r->opt->partial_ud, n->name, &src, &len) != 0) {
		if (!r->opt->missing_partial_ok) {
			diag_error(r->d, t->name, n->line, "unknown partial '%s'", n->name);
			return -1;
		}
	} else if (tmpl_parse(n->name, src, len, r->d, &p) != 0) {
		diag_add(r->d, DIAG_NOTE, t->name, n->line, "partial '%s' is included here", n->name);
		return -1;
	}
	*c = (struct cached){ n->name, n->hash, p };
	r->ncache++;
	*out = p;
	return 0;
}

static int render_nodes(struct render *r, const struct tmpl *t, size_t from, size_t to,
			const char *indent, size_t ilen, int depth);

static int render_partial(struct render *r, const struct tmpl *t, const struct node *n,
			  const char *indent, size_t ilen, int depth)
{
	if (depth >= r->max_depth) {
		diag_error(r->d, t->name, n->line,
			   "partial '%s' nests deeper than %d levels (a recursive partial?)",
			   n->name, r->max_depth);
		return -1;
	}
	const struct tmpl *p;
	if (get_partial(r, t, n, &p) != 0)
		return -1;
	if (!p)
		return 0;
	if (!n->standalone)
		return render_nodes(r, p, 0, p->n, "", 0, depth + 1);
	/* Every line of a standalone partial gets the tag's indentation,
	 * after the indentation the including template has itself. */
	char *ind = xmalloc(ilen + n->len + 1);
	memcpy(ind, indent, ilen);
	memcpy(ind + ilen, n->text, n->len);
	ind[ilen + n->len] = '\0';
	int rc = render_nodes(r, p, 0, p->n, ind, ilen + n->len, depth + 1);
	free(ind);
	return rc;
}

static int render_section(struct render *r, const struct tmpl *t, size_t i,
			  const char *indent, size_t ilen, int depth)
{
	const struct node *n = &t->nodes[i];
	const struct tval *v = lookup(r, t, n);
	int rc = 0;
	if (n->type == N_INVERTED) {
		if (!tval_truthy(v))
			rc = render_nodes(r, t, i + 1, n->end, indent, ilen, depth);
	} else if (tval_kind(v) == TVAL_LIST) {
		for (size_t k = 0; k < v->len && rc == 0; k++) {
			push(r, v->items[k]);
			rc = render_nodes(r, t, i + 1, n->end, indent, ilen, depth);
			r->depth--;
		}
	} else if (tval_truthy(v)) {
		push(r, v);
		rc = render_nodes(r, t, i + 1, n->end, indent, ilen, depth);
		r->depth--;
	}
	return rc;
}

static int render_nodes(struct render *r, const struct tmpl *t, size_t from, size_t to,
			const char *indent, size_t ilen, int depth)
{
	for (size_t i = from; i < to; i++) {
		const struct node *n = &t->nodes[i];
		int rc = 0;
		switch (n->type) {
		case N_TEXT:
			rc = put_text(r, t, n, indent, ilen);
			break;
		case N_INDENT:
			if (ilen)
				rc = put(r, t, n->line, indent, ilen);
			break;
		case N_VAR: case N_RAW:
			rc = put_value(r, t, n, lookup(r, t, n));
			break;
		case N_SECTION: case N_INVERTED:
			rc = render_section(r, t, i, indent, ilen, depth);
			i = n->end - 1;
			break;
		case N_PARTIAL:
			rc = render_partial(r, t, n, indent, ilen, depth);
			break;
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

int tmpl_render(const struct tmpl *t, const struct tval *ctx,
		const struct tmpl_options *opt, struct buf *out, struct diag *d)
{
	static const struct tmpl_options defaults = TMPL_OPTIONS_INIT;
	if (!opt)
		opt = &defaults;
	struct render r = {
		.opt = opt,
		.escape = opt->escape ? opt->escape : tmpl_escape_html,
		.out = out,
		.d = d,
		.max_depth = opt->max_depth > 0 ? opt->max_depth : MAX_DEPTH_DEFAULT,
	};
	/* Overflow is watched for this render only (the escape hook reports
	 * it through the flag); an earlier refusal is kept. */
	bool was_overflow = out->overflow;
	out->overflow = false;
	push(&r, ctx);
	int rc = render_nodes(&r, t, 0, t->n, "", 0, 0);
	if (was_overflow)
		out->overflow = true;
	for (size_t i = 0; i < r.cache_cap; i++)
		tmpl_free(r.cache[i].t);
	free(r.cache);
	free(r.stack);
	return rc;
}

void tmpl_escape_html(struct buf *out, const char *s, size_t n)
{
	size_t a = 0;
	for (size_t i = 0; i < n; i++) {
		const char *ent;
		switch (s[i]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		if (buf_append(out, s + a, i - a) != 0 || buf_puts(out, ent) != 0)
			return;
		a = i + 1;
	}
	buf_append(out, s + a, n - a);
}
