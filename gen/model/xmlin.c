/* xmlin.c - safe loading of untrusted XML, and RelaxNG validation against
 * the schemas compiled into the binary. */
#define _GNU_SOURCE  /* memmem */
#include "model/xmlin.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlschemastypes.h>
#include <libxml/xmlerror.h>

#include "base/resources.h"

const struct res_file *res_find(const char *name)
{
	for (const struct res_file *r = res_files; r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

int xmlin_read(const char *path, struct diag *d, char **data, size_t *len)
{
	int rc = read_file(path, XMLIN_MAX_BYTES, data, len);
	if (rc == -2) {
		diag_error(d, path, 1, "file is larger than the %zu MiB limit",
			   XMLIN_MAX_BYTES >> 20);
		return -1;
	}
	if (rc != 0) {
		diag_error(d, path, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	return 0;
}

long xmlin_line(const xmlNode *node)
{
	return node ? xmlGetLineNo(node) : 0;
}

char *xmlin_attr(const xmlNode *node, const char *name)
{
	return (char *)xmlGetNoNsProp(node, (const xmlChar *)name);
}

/* The attribute named `name` with no namespace, as xmlGetNoNsProp finds
 * it (records have no DTD, so no defaulted attributes), or NULL. */
static const xmlAttr *prop_find(const xmlNode *node, const char *name)
{
	if (!node || node->type != XML_ELEMENT_NODE)
		return NULL;
	for (const xmlAttr *p = node->properties; p; p = p->next)
		if (!p->ns && strcmp((const char *)p->name, name) == 0)
			return p;
	return NULL;
}

/*
 * The text of an attribute or an element as libxml2's getters return it,
 * without their copy when it is one text node (nearly always): borrowed
 * from the document, or else a copy the caller frees with xmlFree through
 * *owned.  NULL only where xmlGetNoNsProp or xmlNodeGetContent would
 * return NULL.
 */
static const xmlChar *prop_value(const xmlAttr *p, xmlChar **owned)
{
	*owned = NULL;
	const xmlNode *c = p->children;
	if (c && !c->next && (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE))
		return c->content;
	if (c)
		*owned = xmlNodeListGetString(p->doc, c, 1);
	return *owned ? *owned : (const xmlChar *)"";
}

static const xmlChar *node_text(const xmlNode *node, xmlChar **owned)
{
	*owned = NULL;
	if (!node)
		return NULL;
	const xmlNode *c = node->children;
	if (node->type == XML_ELEMENT_NODE) {
		if (!c)
			return (const xmlChar *)"";
		if (!c->next && (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE))
			return c->content ? c->content : (const xmlChar *)"";
	}
	*owned = xmlNodeGetContent(node);
	return *owned;
}

const char *xmlin_attr_in(const xmlNode *node, const char *name, struct arena *a)
{
	const xmlAttr *p = prop_find(node, name);
	if (!p)
		return NULL;
	xmlChar *owned;
	const xmlChar *v = prop_value(p, &owned);
	const char *s = arena_strdup(a, (const char *)v);
	xmlFree(owned);
	return s;
}

void xmlin_attrs_in(const xmlNode *node, const char *const *names, size_t count,
		    const char **values, struct arena *a)
{
	for (size_t i = 0; i < count; i++)
		values[i] = NULL;
	for (const xmlAttr *p = node ? node->properties : NULL; p; p = p->next) {
		if (p->ns)
			continue;
		const char *name = (const char *)p->name;
		for (size_t i = 0; i < count; i++) {
			if (values[i] || name[0] != names[i][0] || strcmp(name, names[i]) != 0)
				continue;
			xmlChar *owned;
			const xmlChar *v = prop_value(p, &owned);
			values[i] = arena_strdup(a, (const char *)v);
			xmlFree(owned);
			break;
		}
	}
}

const char *xmlin_text_in(const xmlNode *node, struct arena *a)
{
	xmlChar *owned;
	const xmlChar *v = node_text(node, &owned);
	const char *s = arena_strdup(a, v ? (const char *)v : "");
	xmlFree(owned);
	return s;
}

const char *xmlin_text_ref(const xmlNode *node, xmlChar **owned)
{
	const xmlChar *v = node_text(node, owned);
	return v ? (const char *)v : "";
}

bool xmlin_has_text(const xmlNode *node)
{
	xmlChar *owned;
	const xmlChar *v = node_text(node, &owned);
	bool found = false;
	for (const xmlChar *p = v; p && *p && !found; p++)
		found = !isspace(*p);
	xmlFree(owned);
	return found;
}

/* Copies v into the arena as a token (libxml2's own collapsing, the one
 * its validator applies to XML Schema types), or NULL for NULL. */
static const char *token_in(const xmlChar *v, struct arena *a)
{
	if (!v)
		return NULL;
	xmlChar *collapsed = xmlSchemaCollapseString(v);   /* NULL: nothing to change */
	const char *s = arena_strdup(a, (const char *)(collapsed ? collapsed : v));
	xmlFree(collapsed);
	return s;
}

const char *xmlin_token_in(const xmlNode *node, const char *name, struct arena *a)
{
	const xmlAttr *p = prop_find(node, name);
	if (!p)
		return NULL;
	xmlChar *owned;
	const char *s = token_in(prop_value(p, &owned), a);
	xmlFree(owned);
	return s;
}

const char *xmlin_text_token_in(const xmlNode *node, struct arena *a)
{
	xmlChar *owned;
	const xmlChar *v = node_text(node, &owned);
	const char *s = token_in(v ? v : (const xmlChar *)"", a);
	xmlFree(owned);
	return s;
}

bool xmlin_is(const xmlNode *node, const char *name)
{
	return node->type == XML_ELEMENT_NODE &&
	       (!name || strcmp((const char *)node->name, name) == 0);
}

const xmlNode *xmlin_child(const xmlNode *node, const char *name)
{
	for (const xmlNode *c = node ? node->children : NULL; c; c = c->next)
		if (xmlin_is(c, name))
			return c;
	return NULL;
}

size_t xmlin_count(const xmlNode *node, const char *name)
{
	size_t k = 0;
	for (const xmlNode *c = node ? node->children : NULL; c; c = c->next)
		k += xmlin_is(c, name);
	return k;
}

/* ---- A look at the root element ------------------------------------ */

struct peek {
	xmlParserCtxtPtr ctxt;
	const char *name;
	char *value;
	long line;
	bool done;
};

static void peek_root(void *ctx, const xmlChar *localname, const xmlChar *prefix,
		      const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
		      int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
	struct peek *pk = ctx;
	/* Five pointers per attribute: name, prefix, URI, value, value end. */
	for (int i = 0; i < nb_attributes && !pk->value; i++) {
		const xmlChar **a = attributes + 5 * i;
		if (!a[1] && strcmp((const char *)a[0], pk->name) == 0)
			pk->value = xstrndup((const char *)a[3], (size_t)(a[4] - a[3]));
	}
	pk->line = pk->ctxt->input ? pk->ctxt->input->line : 0;
	pk->done = true;
	xmlStopParser(pk->ctxt);
}

/* A DOCTYPE: xmlin_load refuses the file; stop before its declarations
 * can matter. */
static void peek_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
			 const xmlChar *system_id)
{
	struct peek *pk = ctx;
	pk->done = true;
	xmlStopParser(pk->ctxt);
}

static void peek_quiet(void *ctx, xmlErrorPtr e)
{
}

/* Feeds the parser from fd (when data is NULL) or from data, in small
 * pieces, until the root's start tag, an error or the end. */
static bool peek(int fd, const char *data, size_t len, const char *name, char **value,
		 long *line)
{
	xmlSAXHandler sax;
	memset(&sax, 0, sizeof(sax));
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = peek_root;
	sax.internalSubset = peek_doctype;
	sax.serror = peek_quiet;
	struct peek pk = { NULL, name, NULL, 0, false };
	char chunk[4096];
	size_t off = 0;
	pk.ctxt = xmlCreatePushParserCtxt(&sax, &pk, NULL, 0, NULL);
	if (!pk.ctxt) {
		fputs("sircomm: fatal: out of memory\n", stderr);
		abort();
	}
	xmlCtxtUseOptions(pk.ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			  XML_PARSE_BIG_LINES);
	while (!pk.done && off <= XMLIN_MAX_BYTES) {
		const char *piece = chunk;
		ssize_t n;
		if (data) {
			n = (ssize_t)(len - off < sizeof(chunk) ? len - off : sizeof(chunk));
			piece = data + off;
		} else {
			do
				n = read(fd, chunk, sizeof(chunk));
			while (n < 0 && errno == EINTR);
		}
		if (n < 0)
			break;
		off += (size_t)n;
		if (xmlParseChunk(pk.ctxt, piece, (int)n, n == 0) != XML_ERR_OK || n == 0)
			break;
	}
	xmlFreeParserCtxt(pk.ctxt);
	*line = pk.line;
	*value = pk.value;
	return pk.value != NULL;
}

bool xmlin_peek_root_attr_fd(int fd, const char *name, char **value, long *line)
{
	return peek(fd, NULL, 0, name, value, line);
}

bool xmlin_peek_root_attr(const char *data, size_t len, const char *name, char **value,
			  long *line)
{
	return peek(-1, data, len, name, value, line);
}

/* ---- Error translation ---------------------------------------------- */

struct errctx {
	const char *path;
	struct diag *d;
	const char *schema;   /* the schema's resource name, for hints */
	bool parser;          /* errors come from the parser, not validation */
	size_t count;
	long last_line;
	struct diag *raw;     /* if set, untranslated schema messages go here */
};

#define MAX_XML_ERRORS 20

/* Makes a libxml2 message read like sircomm's own: one line, no full
 * stop, a lowercase first word unless it is an acronym.  Some messages
 * quote the input after a newline; that part is dropped. */
static char *tidy_message(const char *msg)
{
	/* libxml2's words for a few problems name options the reader cannot
	 * set; say what is wrong instead. */
	static const struct { const char *prefix, *says; } plain[] = {
		{ "Input is not proper UTF-8", "text is not valid UTF-8 (save the file as UTF-8)" },
		{ "Excessive depth in document", "elements are nested deeper than 256 levels" },
		{ "Char 0x0 out of allowed range", "a NUL character is not allowed" },
	};
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (strncmp(msg, plain[i].prefix, strlen(plain[i].prefix)) == 0)
			return xstrdup(plain[i].says);
	size_t n = strcspn(msg, "\n");
	while (n && (isspace((unsigned char)msg[n - 1]) || msg[n - 1] == '.'))
		n--;
	char *s = xstrndup(msg, n);
	if (s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z'))
		s[0] = (char)(s[0] - 'A' + 'a');
	return s;
}

/* ---- Schema hints --------------------------------------------------- */

/* The schema as a document, to say which values an element or attribute
 * takes when validation refuses one: the hint comes from the schema
 * itself, so it can never disagree with it. */
static _Thread_local struct {
	const char *name;
	xmlDocPtr doc;
} hint_docs[4];

static xmlDocPtr hint_doc(const char *schema)
{
	size_t i;
	for (i = 0; i < 4 && hint_docs[i].name; i++)
		if (strcmp(hint_docs[i].name, schema) == 0)
			return hint_docs[i].doc;
	char key[64];
	snprintf(key, sizeof(key), "schemas/%s", schema);
	const struct res_file *res = res_find(key);
	if (i == 4 || !res)
		return NULL;
	hint_docs[i].name = schema;
	hint_docs[i].doc = xmlReadMemory(res->data, (int)res->size, schema, NULL, XML_PARSE_NONET);
	return hint_docs[i].doc;
}

static bool rng_is(const xmlNode *n, const char *kind, const char *name);

/* Whether a name class (a <name>, or a <choice> of them) names `name`. */
static bool rng_names(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (rng_is(c, "name", NULL)) {
			xmlChar *v = xmlNodeGetContent(c);
			bool match = v && strcmp((const char *)v, name) == 0;
			xmlFree(v);
			if (match)
				return true;
		} else if (rng_is(c, "choice", NULL) && rng_names(c, name)) {
			return true;
		}
	}
	return false;
}

/* Whether n is a `kind` schema element named `name` (any name when NULL):
 * by its name attribute, or by the name class inside it, the way the
 * record schema writes an event's optional attributes. */
static bool rng_is(const xmlNode *n, const char *kind, const char *name)
{
	if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, kind) != 0)
		return false;
	if (!name)
		return true;
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)"name");
	bool match = v && strcmp((const char *)v, name) == 0;
	bool named = v != NULL;
	xmlFree(v);
	return match || (!named && rng_names(n, name));
}

static const xmlNode *rng_find(const xmlNode *n, const char *kind, const char *name, int depth)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next) {
		if (rng_is(c, kind, name))
			return c;
		/* An element's own attributes and values, not its children's. */
		if (depth > 0 && !rng_is(c, "element", NULL)) {
			const xmlNode *r = rng_find(c, kind, name, depth - 1);
			if (r)
				return r;
		}
	}
	return NULL;
}

static const xmlNode *rng_element(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next) {
		if (rng_is(c, "element", name))
			return c;
		const xmlNode *r = rng_element(c, name);
		if (r)
			return r;
	}
	return NULL;
}

/* Appends the <value>s directly under a definition: "S1, S2, S3 or S4". */
static bool rng_values(const xmlNode *def, struct buf *out)
{
	const xmlNode *choice = def ? rng_find(def, "choice", NULL, 0) : NULL;
	size_t n = 0, k = 0;
	for (const xmlNode *c = choice ? choice->children : NULL; c; c = c->next)
		n += rng_is(c, "value", NULL);
	if (n == 0)
		return false;
	for (const xmlNode *c = choice->children; c; c = c->next) {
		if (!rng_is(c, "value", NULL))
			continue;
		xmlChar *v = xmlNodeGetContent(c);
		buf_printf(out, "%s%s", k == 0 ? "" : k + 1 == n ? " or " : ", ", (const char *)v);
		xmlFree(v);
		k++;
	}
	return true;
}

/* Says what is wrong with one attribute of an element, from the schema:
 * appends a message to out and returns true when it finds a problem. */
static bool attribute_problem(const xmlNode *def, const xmlNode *node, const char *at,
			      struct buf *out)
{
	const char *el = (const char *)node->name;
	const xmlNode *adef = rng_find(def, "attribute", at, 3);
	if (!adef) {
		buf_printf(out, "<%s> has no attribute '%s'", el, at);
		return true;
	}
	struct buf vals = BUF_INIT;
	bool problem = false;
	if (rng_values(adef, &vals)) {
		char *val = xmlin_attr(node, at);
		/* Compared as the validator compares a <value>: as a token. */
		xmlChar *token = val ? xmlSchemaCollapseString((const xmlChar *)val) : NULL;
		const char *cmp = token ? (const char *)token : val;
		const xmlNode *choice = rng_find(adef, "choice", NULL, 0);
		bool ok = false;
		for (const xmlNode *c = choice->children; c && cmp; c = c->next) {
			if (!rng_is(c, "value", NULL))
				continue;
			xmlChar *v = xmlNodeGetContent(c);
			ok |= strcmp((const char *)v, cmp) == 0;
			xmlFree(v);
		}
		xmlFree(token);
		if (!ok) {
			buf_printf(out, "<%s> %s=\"%s\" is not allowed: expected %s", el, at,
				   val ? val : "", buf_str(&vals));
			problem = true;
		}
		xmlFree(val);
	}
	buf_free(&vals);
	return problem;
}

/* Rewrites libxml2's RelaxNG messages that name no value or no choice
 * into ones that do, adding them to the diagnostics.  Returns false to
 * keep the original message instead. */
static bool schema_message(struct errctx *ec, xmlErrorPtr e, long line)
{
	const char *m = e->message;
	const xmlNode *node = e->node;
	char el[64], at[64];
	bool attrs_failed = strstr(m, "failed to validate attributes") != NULL;
	if (strstr(m, "failed to validate content") && line == ec->last_line)
		return true;
	xmlDocPtr schema = hint_doc(ec->schema);
	if (!schema || !node || node->type != XML_ELEMENT_NODE)
		return attrs_failed;   /* a detailed message follows */
	const xmlNode *def = rng_element(xmlDocGetRootElement(schema), (const char *)node->name);
	struct buf b = BUF_INIT;
	bool done = false;
	if (attrs_failed || sscanf(m, "Invalid attribute %63s for element %63s", at, el) == 2) {
		for (const xmlAttr *a = node->properties; a; a = a->next) {
			if (attrs_failed || strcmp((const char *)a->name, at) == 0) {
				buf_reset(&b);
				if (attribute_problem(def, node, (const char *)a->name, &b)) {
					diag_error(ec->d, ec->path, line, "%s", buf_str(&b));
					done = true;
				}
			}
		}
	} else if (strstr(m, "rror validating value")) {
		xmlChar *v = xmlNodeGetContent(node);
		buf_printf(&b, "<%s> value '%s' is not allowed", (const char *)node->name, (const char *)v);
		xmlFree(v);
		struct buf vals = BUF_INIT;
		if (rng_values(def, &vals))
			buf_printf(&b, ": expected %s", buf_str(&vals));
		buf_free(&vals);
		diag_error(ec->d, ec->path, line, "%s", buf_str(&b));
		done = true;
	}
	buf_free(&b);
	return done;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	struct errctx *ec = ctx;
	if (!e || !e->message)
		return;
	bool warning = e->level == XML_ERR_WARNING;
	long line = e->line;
	if (line <= 0 && e->node)
		line = xmlin_line(e->node);
	if (line <= 0)
		line = ec->last_line > 0 ? ec->last_line : 1;
	/* A parser error is fatal; what follows it only echoes it. */
	if (ec->parser && ec->count > 0)
		return;
	if (!warning && ++ec->count > MAX_XML_ERRORS) {
		if (ec->count == MAX_XML_ERRORS + 1)
			diag_error(ec->d, ec->path, line, "too many errors; stopping");
		return;
	}
	if (!ec->parser && schema_message(ec, e, line)) {
		ec->last_line = line;
		return;
	}
	char *msg = tidy_message(e->message);
	diag_add(ec->raw && !ec->parser ? ec->raw : ec->d, warning ? DIAG_WARNING : DIAG_ERROR,
		 ec->path, line, "%s%s",
		 ec->parser ? "malformed XML: " : "", msg);
	ec->last_line = line;
	free(msg);
}

/* ---- Content models ------------------------------------------------ */

/*
 * libxml2's RelaxNG messages about element content ("did not expect
 * element impact there", "expecting an element, got nothing", "extra
 * element faq in interleave") rarely say what was expected.  When
 * validation fails, sircomm walks the document against a simplified
 * reading of the same schema (sequences, interleaves, optional and
 * repeated elements, refs) and, where it finds the problem, says it in
 * those terms: "<incident> is missing <severity> (expected before
 * <impact>)".  Attribute and value problems keep their own messages.
 */

#define MAX_PARTICLES 32
#define MAX_NAMES 8

struct particle {
	const char *names[MAX_NAMES];  /* borrowed from the schema document */
	size_t n_names;
	unsigned min, max;             /* max 0 means unbounded */
	unsigned seen;
};

struct model {
	struct particle p[MAX_PARTICLES];
	size_t n;
	bool interleave;
	bool overflow;
};

static const char *rng_name(const xmlNode *n)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, "name") == 0 && a->children)
			return (const char *)a->children->content;
	return "";
}

static const xmlNode *rng_define(const xmlNode *root, const char *name)
{
	for (const xmlNode *c = root->children; c; c = c->next)
		if (rng_is(c, "define", name))
			return c;
	return NULL;
}

static void model_add(struct model *m, const xmlNode *root, const xmlNode *n,
		      unsigned min, unsigned max, int depth);

static void model_children(struct model *m, const xmlNode *root, const xmlNode *parent,
			   unsigned min, unsigned max, int depth)
{
	for (const xmlNode *c = parent->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			model_add(m, root, c, min, max, depth);
}

/* Adds the particles a schema node contributes, with the given bounds
 * (min 0 inside optional or zeroOrMore; max 0 inside a repetition). */
static void model_add(struct model *m, const xmlNode *root, const xmlNode *n,
		      unsigned min, unsigned max, int depth)
{
	const char *kind = (const char *)n->name;
	if (depth > 16)
		return;
	if (strcmp(kind, "element") == 0) {
		if (m->n == MAX_PARTICLES) {
			m->overflow = true;
			return;
		}
		struct particle *p = &m->p[m->n++];
		*p = (struct particle){ { rng_name(n) }, 1, min, max, 0 };
	} else if (strcmp(kind, "optional") == 0) {
		model_children(m, root, n, 0, max, depth + 1);
	} else if (strcmp(kind, "zeroOrMore") == 0) {
		model_children(m, root, n, 0, 0, depth + 1);
	} else if (strcmp(kind, "oneOrMore") == 0) {
		model_children(m, root, n, min, 0, depth + 1);
	} else if (strcmp(kind, "interleave") == 0) {
		m->interleave = true;
		model_children(m, root, n, min, max, depth + 1);
	} else if (strcmp(kind, "group") == 0) {
		model_children(m, root, n, min, max, depth + 1);
	} else if (strcmp(kind, "ref") == 0) {
		const xmlNode *def = rng_define(root, rng_name(n));
		if (def)
			model_children(m, root, def, min, max, depth + 1);
	} else if (strcmp(kind, "choice") == 0) {
		/* A choice of elements is one particle with several names. */
		struct model alt = { .n = 0 };
		model_children(&alt, root, n, 1, 1, depth + 1);
		if (alt.n == 0)
			return;
		if (m->n == MAX_PARTICLES) {
			m->overflow = true;
			return;
		}
		struct particle *p = &m->p[m->n++];
		*p = (struct particle){ { NULL }, 0, min, max, 0 };
		for (size_t i = 0; i < alt.n && p->n_names < MAX_NAMES; i++)
			p->names[p->n_names++] = alt.p[i].names[0];
	}
	/* attribute, text, empty, data, value, list: no element content */
}

static bool particle_has(const struct particle *p, const char *name)
{
	for (size_t i = 0; i < p->n_names; i++)
		if (strcmp(p->names[i], name) == 0)
			return true;
	return false;
}

static void particle_names(const struct particle *p, struct buf *out)
{
	for (size_t i = 0; i < p->n_names; i++)
		buf_printf(out, "%s<%s>", i == 0 ? "" : i + 1 == p->n_names ? " or " : ", ",
			   p->names[i]);
}

static long find_particle(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (particle_has(&m->p[i], name))
			return (long)i;
	return -1;
}

/* Checks one element's children against its content model; adds at most
 * one problem and returns true when it found one. */
static bool check_content(const xmlNode *root, const xmlNode *el, const char *path,
			  struct diag *out)
{
	const char *name = (const char *)el->name;
	const xmlNode *def = rng_element(root, name);
	if (!def)
		return false;
	struct model m = { .n = 0 };
	model_children(&m, root, def, 1, 1, 0);
	if (m.overflow)
		return false;
	struct buf b = BUF_INIT;
	size_t cur = 0;
	bool found = false;
	for (const xmlNode *c = el->children; c && !found; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		const char *cn = (const char *)c->name;
		long line = xmlin_line(c);
		long k = find_particle(&m, cn);
		if (k < 0) {
			if (m.n == 0) {
				diag_error(out, path, line, "<%s> holds text only, not <%s>", name, cn);
			} else {
				buf_printf(&b, "<%s> is not allowed inside <%s> (allowed: ", cn, name);
				for (size_t i = 0; i < m.n; i++) {
					if (i)
						buf_puts(&b, ", ");
					particle_names(&m.p[i], &b);
				}
				buf_puts(&b, ")");
				diag_error(out, path, line, "%s", buf_str(&b));
			}
			found = true;
			break;
		}
		struct particle *p = &m.p[k];
		if (m.interleave) {
			if (p->max && p->seen == p->max) {
				diag_error(out, path, line, "<%s> appears more than once inside <%s>", cn, name);
				found = true;
			}
			p->seen++;
			continue;
		}
		if ((size_t)k < cur) {
			/* An element seen again after later ones. */
			struct particle *q = &m.p[cur];
			if (p->max && p->seen >= p->max) {
				diag_error(out, path, line, "<%s> appears more than once inside <%s>", cn, name);
			} else {
				buf_printf(&b, "<%s> is out of order inside <%s>: it must come before ", cn, name);
				particle_names(q, &b);
				diag_error(out, path, line, "%s", buf_str(&b));
			}
			found = true;
			break;
		}
		for (size_t i = cur; i < (size_t)k; i++) {
			if (m.p[i].seen < m.p[i].min) {
				buf_printf(&b, "<%s> is missing ", name);
				particle_names(&m.p[i], &b);
				buf_printf(&b, " (expected before <%s>)", cn);
				diag_error(out, path, line, "%s", buf_str(&b));
				found = true;
				break;
			}
		}
		if (found)
			break;
		cur = (size_t)k;
		if (p->max && p->seen == p->max) {
			diag_error(out, path, line, "<%s> appears more than once inside <%s>", cn, name);
			found = true;
			break;
		}
		p->seen++;
	}
	for (size_t i = m.interleave ? 0 : cur; i < m.n && !found; i++) {
		if (m.p[i].seen < m.p[i].min) {
			buf_reset(&b);
			buf_printf(&b, "<%s> is missing ", name);
			particle_names(&m.p[i], &b);
			diag_error(out, path, xmlin_line(el), "%s", buf_str(&b));
			found = true;
		}
	}
	buf_free(&b);
	return found;
}

/* Walks the document, checking every element's content; stops after a
 * few problems so one mistake does not bury the rest in echoes. */
static void check_structure(const xmlNode *root, const xmlNode *el, const char *path,
			    struct diag *out)
{
	for (; el; el = el->next) {
		if (el->type != XML_ELEMENT_NODE || out->errors >= 5)
			continue;
		if (!check_content(root, el, path, out))
			check_structure(root, el->children, path, out);
	}
}

/* Adds the items of a and b to d, in line order. */
static void merge_by_line(struct diag *d, const struct diag *a, const struct diag *b)
{
	size_t n = a->n + b->n;
	const struct diag_item **items = xcalloc(n, sizeof(*items));
	/* a's and b's items sit in two arrays; order them by line, then by
	 * which came first (a before b, each in its own order). */
	for (size_t i = 0; i < a->n; i++)
		items[i] = &a->items[i];
	for (size_t i = 0; i < b->n; i++)
		items[a->n + i] = &b->items[i];
	for (size_t i = 1; i < n; i++) {
		/* insertion sort: stable, and n is small (errors are capped) */
		const struct diag_item *x = items[i];
		size_t j = i;
		while (j > 0 && items[j - 1]->line > x->line) {
			items[j] = items[j - 1];
			j--;
		}
		items[j] = x;
	}
	for (size_t i = 0; i < n; i++)
		diag_add(d, items[i]->level, items[i]->file, items[i]->line, "%s", items[i]->msg);
	free(items);
}

/* ---- Checks before parsing ------------------------------------------ */

static long line_at(const char *data, size_t off)
{
	long line = 1;
	for (size_t i = 0; i < off; i++)
		if (data[i] == '\n')
			line++;
	return line;
}

/* Refuses what no record or policy needs, before libxml2 sees it. */
static int precheck(const char *path, const char *data, size_t len, struct diag *d)
{
	const unsigned char *u = (const unsigned char *)data;
	if (len == 0) {
		diag_error(d, path, 1, "file is empty");
		return -1;
	}
	if ((len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xFE && u[3] == 0xFF) ||
	    (len >= 4 && u[0] == 0xFF && u[1] == 0xFE && u[2] == 0 && u[3] == 0)) {
		diag_error(d, path, 1, "file is UTF-32; sircomm reads UTF-8 only "
			   "(convert it with iconv -f UTF-32 -t UTF-8)");
		return -1;
	}
	if ((len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) ||
	    (len >= 2 && ((u[0] == '<' && u[1] == 0) || (u[0] == 0 && u[1] == '<')))) {
		diag_error(d, path, 1, "file is UTF-16; sircomm reads UTF-8 only "
			   "(convert it with iconv -f UTF-16 -t UTF-8)");
		return -1;
	}
	const char *nul = memchr(data, '\0', len);
	if (nul) {
		size_t off = (size_t)(nul - data);
		diag_error(d, path, line_at(data, off),
			   "NUL byte at offset %zu: this is a binary file, not XML", off);
		return -1;
	}
	/* Walk the prolog: a DOCTYPE can only stand before the root element. */
	size_t i = 0;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
		i = 3;
	while (i < len) {
		if (isspace(u[i])) {
			i++;
		} else if (len - i >= 2 && data[i] == '<' && data[i + 1] == '?') {
			const char *end = memmem(data + i + 2, len - i - 2, "?>", 2);
			if (!end)
				break;
			i = (size_t)(end - data) + 2;
		} else if (len - i >= 4 && memcmp(data + i, "<!--", 4) == 0) {
			const char *end = memmem(data + i + 4, len - i - 4, "-->", 3);
			if (!end)
				break;
			i = (size_t)(end - data) + 3;
		} else if (len - i >= 9 && memcmp(data + i, "<!DOCTYPE", 9) == 0) {
			diag_error(d, path, line_at(data, i),
				   "DOCTYPE declarations are not allowed: sircomm reads no DTDs "
				   "and expands no entities");
			return -1;
		} else {
			break;
		}
	}
	return 0;
}

/* ---- Schemas -------------------------------------------------------- */

static _Thread_local struct {
	const char *name;
	xmlRelaxNGPtr rng;
	/* A validation context kept from a document that passed, for the
	 * next: its pools of validation states are then already there (a
	 * new context for every record cost 26,000 instructions). */
	xmlRelaxNGValidCtxtPtr vc;
} schemas[4];

/* A validation context for rng: the one kept, or a new one. */
static xmlRelaxNGValidCtxtPtr valid_ctxt_take(xmlRelaxNGPtr rng)
{
	for (size_t i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
		if (schemas[i].rng == rng && schemas[i].vc) {
			xmlRelaxNGValidCtxtPtr vc = schemas[i].vc;
			schemas[i].vc = NULL;
			return vc;
		}
	}
	xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(rng);
	if (!vc) {
		fputs("sircomm: fatal: out of memory\n", stderr);
		abort();
	}
	return vc;
}

/* Keeps vc for the next document when the last one passed (a context
 * that reported errors may hold some of them still), or frees it. */
static void valid_ctxt_give_back(xmlRelaxNGPtr rng, xmlRelaxNGValidCtxtPtr vc, bool passed)
{
	for (size_t i = 0; passed && i < sizeof(schemas) / sizeof(schemas[0]); i++) {
		if (schemas[i].rng == rng && !schemas[i].vc) {
			xmlRelaxNGSetValidStructuredErrors(vc, NULL, NULL);
			schemas[i].vc = vc;
			return;
		}
	}
	xmlRelaxNGFreeValidCtxt(vc);
}

/* Skips white space from p; returns where it stops. */
static const char *skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* The end of a <choice> of plain <value>s (`<value>TEXT</value>` and
 * white space only) that starts at p, or NULL when p starts none. */
static const char *value_choice_end(const char *p, const char *end, size_t *n_values)
{
	static const char open[] = "<choice>", vopen[] = "<value>", vclose[] = "</value>",
			  close[] = "</choice>";
	*n_values = 0;
	if ((size_t)(end - p) < sizeof(open) - 1 || memcmp(p, open, sizeof(open) - 1) != 0)
		return NULL;
	p += sizeof(open) - 1;
	for (;;) {
		p = skip_space(p, end);
		if ((size_t)(end - p) >= sizeof(close) - 1 && memcmp(p, close, sizeof(close) - 1) == 0)
			return *n_values ? p + sizeof(close) - 1 : NULL;
		if ((size_t)(end - p) < sizeof(vopen) - 1 || memcmp(p, vopen, sizeof(vopen) - 1) != 0)
			return NULL;
		p += sizeof(vopen) - 1;
		const char *text_end = memchr(p, '<', (size_t)(end - p));
		if (!text_end || (size_t)(end - text_end) < sizeof(vclose) - 1 ||
		    memcmp(text_end, vclose, sizeof(vclose) - 1) != 0)
			return NULL;
		p = text_end + sizeof(vclose) - 1;
		++*n_values;
	}
}

/*
 * Before a schema is compiled, gives every <choice> of plain <value>s (an
 * enumeration: an event's type, a severity) a copy of its values compared
 * as exact strings, ahead of the originals:
 *
 *   <choice><value>S1</value><value>S2</value></choice>
 *   becomes
 *   <choice><value datatypeLibrary="" type="string">S1</value>
 *           <value datatypeLibrary="" type="string">S2</value>
 *           <value>S1</value><value>S2</value></choice>
 *
 * The accepted values are the same: a plain <value> compares as a token
 * (white space collapsed), and a string equal to the value is equal to
 * it as a token too.  But libxml2 compares a plain <value> by making
 * collapsed copies of both strings, two allocations for every value it
 * tries, so matching an event's type against 22 values was 28 % of
 * validating a record; a value written as the schema writes it now
 * matches by a string comparison, and one with white space around it
 * still matches the originals.  The schema's messages and hints are
 * unchanged: they come from the schema as written (hint_doc).  The
 * schemas are sircomm's own, written with <choice> and <value> in that
 * form (a choice written otherwise is left as it is); the rewrite is on
 * their text, so the schema is parsed once, as before.
 */
static void exact_values_first(const char *xml, size_t len, struct buf *out)
{
	static const char exact[] = "<value datatypeLibrary=\"\" type=\"string\">";
	const char *p = xml, *end = xml + len;
	for (;;) {
		const char *c = memmem(p, (size_t)(end - p), "<choice>", 8);
		size_t n;
		const char *c_end = c ? value_choice_end(c, end, &n) : NULL;
		if (!c) {
			buf_append(out, p, (size_t)(end - p));
			return;
		}
		if (!c_end) {
			buf_append(out, p, (size_t)(c + 8 - p));
			p = c + 8;
			continue;
		}
		buf_append(out, p, (size_t)(c + 8 - p));
		for (const char *v = memmem(c, (size_t)(c_end - c), "<value>", 7); v;
		     v = memmem(v, (size_t)(c_end - v), "<value>", 7)) {
			v += 7;
			const char *text_end = memchr(v, '<', (size_t)(c_end - v));
			buf_append(out, exact, sizeof(exact) - 1);
			buf_append(out, v, (size_t)(text_end - v));
			buf_puts(out, "</value>");
		}
		buf_append(out, c + 8, (size_t)(c_end - (c + 8)));
		p = c_end;
	}
}

static xmlRelaxNGPtr schema_get(const char *name, struct diag *d)
{
	size_t i;
	for (i = 0; i < sizeof(schemas) / sizeof(schemas[0]) && schemas[i].name; i++)
		if (strcmp(schemas[i].name, name) == 0)
			return schemas[i].rng;
	char key[64];
	snprintf(key, sizeof(key), "schemas/%s", name);
	const struct res_file *res = res_find(key);
	if (!res || i == sizeof(schemas) / sizeof(schemas[0])) {
		diag_error(d, name, 0, "built-in schema missing");
		return NULL;
	}
	struct errctx ec = { name, d, name, false, 0, 0, NULL };
	struct buf text = BUF_INIT;
	exact_values_first(res->data, res->size, &text);
	xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewMemParserCtxt(text.data, (int)text.len);
	xmlRelaxNGSetParserStructuredErrors(pc, on_xml_error, &ec);
	xmlRelaxNGPtr rng = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
	buf_free(&text);
	if (!rng) {
		diag_error(d, name, 0, "built-in schema does not compile");
		return NULL;
	}
	schemas[i].name = name;
	schemas[i].rng = rng;
	return rng;
}

void xmlin_cleanup(void)
{
	for (size_t i = 0; i < sizeof(hint_docs) / sizeof(hint_docs[0]); i++) {
		xmlFreeDoc(hint_docs[i].doc);
		hint_docs[i].name = NULL;
		hint_docs[i].doc = NULL;
	}
	for (size_t i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
		if (schemas[i].vc)
			xmlRelaxNGFreeValidCtxt(schemas[i].vc);
		schemas[i].vc = NULL;
		if (schemas[i].rng)
			xmlRelaxNGFree(schemas[i].rng);
		schemas[i].name = NULL;
		schemas[i].rng = NULL;
	}
}

/* ---- Loading -------------------------------------------------------- */

static bool encoding_ok(const xmlChar *enc)
{
	if (!enc)
		return true;
	const char *e = (const char *)enc;
	return ascii_eq_nocase(e, "UTF-8") || ascii_eq_nocase(e, "UTF8") ||
	       ascii_eq_nocase(e, "US-ASCII") || ascii_eq_nocase(e, "ASCII");
}

static const char *root_for_schema(const char *schema)
{
	if (strcmp(schema, "record.rng") == 0)
		return "incident";
	if (strcmp(schema, "exceptions.rng") == 0)
		return "standing-exceptions";
	return "policy";
}

int xmlin_load(const char *path, const char *data, size_t len,
	       const char *schema, struct diag *d, xmlDocPtr *out)
{
	return xmlin_load_checked(path, data, len, schema, NULL, d, out);
}

int xmlin_load_checked(const char *path, const char *data, size_t len, const char *schema,
		       xmlin_check_fn check, struct diag *d, xmlDocPtr *out)
{
	*out = NULL;
	if (precheck(path, data, len, d) != 0)
		return -1;
	if (len > XMLIN_MAX_BYTES) {
		diag_error(d, path, 1, "file is larger than the %zu MiB limit",
			   XMLIN_MAX_BYTES >> 20);
		return -1;
	}
	xmlRelaxNGPtr rng = schema_get(schema, d);
	if (!rng)
		return -1;

	size_t errors_before = d->errors;
	struct errctx ec = { path, d, schema, true, 0, 0, NULL };
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		fputs("sircomm: fatal: out of memory\n", stderr);
		abort();
	}
	xmlSetStructuredErrorFunc(&ec, on_xml_error);
	/* No NOENT (entities are never substituted), no DTDLOAD, no network;
	 * the precheck has already refused any DOCTYPE.  COMPACT keeps short
	 * texts (a record's indentation, most of its nodes) inside their
	 * nodes instead of allocating each; nothing here edits a text. */
	xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, path, NULL,
					  XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_COMPACT);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlFreeParserCtxt(ctxt);
	if (!doc || d->errors > errors_before) {
		if (d->errors == errors_before)
			diag_error(d, path, 1, "malformed XML");
		xmlFreeDoc(doc);
		return -1;
	}
	if (!encoding_ok(doc->encoding)) {
		diag_error(d, path, 1, "encoding '%s' is not supported: save the file as UTF-8",
			   (const char *)doc->encoding);
		xmlFreeDoc(doc);
		return -1;
	}
	if (doc->intSubset || doc->extSubset) {
		diag_error(d, path, 1, "DOCTYPE declarations are not allowed");
		xmlFreeDoc(doc);
		return -1;
	}

	xmlNodePtr root = xmlDocGetRootElement(doc);
	const char *want = root_for_schema(schema);
	if (!root || strcmp((const char *)root->name, want) != 0 || root->ns) {
		diag_error(d, path, xmlin_line(root),
			   "root element is <%s%s%s>, expected <%s> with no namespace",
			   root && root->ns && root->ns->prefix ? (const char *)root->ns->prefix : "",
			   root && root->ns && root->ns->prefix ? ":" : "",
			   root ? (const char *)root->name : "", want);
		xmlFreeDoc(doc);
		return -1;
	}
	/* Read as the schema's <value>1</value> reads it: a token. */
	char *version = xmlin_attr(root, "version");
	xmlChar *token = version ? xmlSchemaCollapseString((const xmlChar *)version) : NULL;
	if (version && strcmp(token ? (const char *)token : version, "1") != 0) {
		diag_error(d, path, xmlin_line(root),
			   "<%s> version '%s' is not supported: this sircomm reads version 1",
			   want, version);
		xmlFree(token);
		xmlFree(version);
		xmlFreeDoc(doc);
		return -1;
	}
	xmlFree(token);
	xmlFree(version);
	if (check && check(root, path, d) != 0) {
		xmlFreeDoc(doc);
		return -1;
	}

	/* Translated messages (attributes, values) and libxml2's own ones
	 * about content are kept apart until we know whether the content
	 * check below can say better. */
	struct diag translated = DIAG_INIT, raw = DIAG_INIT, content = DIAG_INIT;
	ec.d = &translated;
	ec.raw = &raw;
	ec.parser = false;
	ec.count = 0;
	xmlRelaxNGValidCtxtPtr vc = valid_ctxt_take(rng);
	xmlRelaxNGSetValidStructuredErrors(vc, on_xml_error, &ec);
	int rc = xmlRelaxNGValidateDoc(vc, doc);
	valid_ctxt_give_back(rng, vc, rc == 0 && !translated.errors && !raw.errors);
	if (rc != 0 || translated.errors || raw.errors) {
		xmlDocPtr sdoc = hint_doc(schema);
		if (raw.errors && sdoc)
			check_structure(xmlDocGetRootElement(sdoc), root, path, &content);
		merge_by_line(d, &translated, content.errors ? &content : &raw);
		if (d->errors == errors_before)
			diag_error(d, path, 1, "does not match the %s schema", want);
	}
	diag_free(&translated);
	diag_free(&raw);
	diag_free(&content);
	if (d->errors > errors_before) {
		xmlFreeDoc(doc);
		return -1;
	}
	*out = doc;
	return 0;
}

void xmlin_libxml2_version(char out[16])
{
	/* xmlParserVersion is "20914" for 2.9.14. */
	unsigned long v = strtoul(xmlParserVersion, NULL, 10);
	snprintf(out, 16, "%u.%u.%u", (unsigned)(v / 10000 % 100), (unsigned)(v / 100 % 100),
		 (unsigned)(v % 100));
}
