/* link.c - the addresses in a draft, and tracking or redirect links. */
#include "format/link.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <utf8proc.h>

#include "base/util.h"
#include "format/md.h"

/* Query parameters that identify a campaign or a click (compared in lower
 * case; every "utm_..." counts too). */
static const char *const tracking_params[] = {
	"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
	"utm_id", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid",
	"mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "yclid", "igshid",
	"trk", "trkcampaign", "oly_enc_id", "oly_anon_id", "vero_id", "_ke",
};

/* Link shorteners and redirectors: the reader cannot see where they go. */
static const char *const redirect_hosts[] = {
	"t.co", "bit.ly", "lnkd.in", "ow.ly", "buff.ly", "tinyurl.com", "goo.gl",
	"mailchi.mp", "rebrand.ly", "is.gd", "cutt.ly", "shorturl.at",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Reading an address --------------------------------------------- */

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* True when s (n bytes) starts with p (lower case), in any case. */
static bool starts_nocase(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++)
		if (lower(s[i]) != p[i])
			return false;
	return true;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Appends s (n bytes) percent-decoded; '+' as a space when plus. */
static void pct_decode(struct buf *out, const char *s, size_t n, bool plus)
{
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (s[i] == '%' && i + 2 < n && (h = hex(s[i + 1])) >= 0 &&
		    (l = hex(s[i + 2])) >= 0) {
			buf_putc(out, (char)(h * 16 + l));
			i += 2;
		} else {
			buf_putc(out, plus && s[i] == '+' ? ' ' : s[i]);
		}
	}
}

/* The host as IDNA would look it up: percent-decoded, NFKC, case folded,
 * default-ignorable characters dropped, ideographic full stops as '.',
 * no trailing '.'.  Appends it to out. */
static void host_key(struct buf *out, const char *host, size_t n)
{
	struct buf raw = BUF_INIT;
	pct_decode(&raw, host, n, false);
	/* ASCII maps to itself in lower case (no ASCII character has a
	 * compatibility form or is ignorable), which the copy below does:
	 * most hosts need no table. */
	bool ascii = true;
	for (size_t i = 0; i < raw.len && ascii; i++)
		ascii = (unsigned char)raw.data[i] < 0x80;
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t len = raw.len && !ascii ? utf8proc_map((const utf8proc_uint8_t *)raw.data,
						      (utf8proc_ssize_t)raw.len, &mapped,
						      UTF8PROC_STABLE | UTF8PROC_COMPOSE |
						      UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
						      UTF8PROC_IGNORE) : 0;
	const char *h = len > 0 ? (const char *)mapped : buf_str(&raw);
	size_t hn = len > 0 ? (size_t)len : raw.len;
	for (size_t i = 0; i < hn; i++) {
		if (i + 2 < hn && memcmp(h + i, "\xE3\x80\x82", 3) == 0) {
			buf_putc(out, '.');
			i += 2;
		} else {
			buf_putc(out, lower(h[i]));
		}
	}
	while (out->len && out->data[out->len - 1] == '.')
		out->data[--out->len] = '\0';
	free(mapped);
	buf_free(&raw);
}

static const char *shortener(const char *host, size_t n)
{
	for (size_t i = 0; i < COUNT(redirect_hosts); i++) {
		size_t k = strlen(redirect_hosts[i]);
		if (n >= k && memcmp(host + n - k, redirect_hosts[i], k) == 0 &&
		    (n == k || host[n - k - 1] == '.'))
			return redirect_hosts[i];
	}
	return NULL;
}

/* True when a decoded parameter value is an address of its own. */
static bool is_address(const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	return starts_nocase(v, n, "http:") || starts_nocase(v, n, "https:") ||
	       starts_nocase(v, n, "//") || starts_nocase(v, n, "\\\\");
}

/* Judges the parameters of a query or fragment: "a=1&b=2;c". */
static char *param_problem(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && s[e] != '&' && s[e] != ';')
			e++;
		size_t eq = i;
		while (eq < e && s[eq] != '=')
			eq++;
		struct buf key = BUF_INIT;
		pct_decode(&key, s + i, eq - i, true);
		for (size_t k = 0; k < key.len; k++)
			key.data[k] = lower(key.data[k]);
		const char *name = NULL;
		for (size_t k = 0; k < COUNT(tracking_params) && !name; k++)
			if (strcmp(buf_str(&key), tracking_params[k]) == 0)
				name = tracking_params[k];
		char *why = NULL;
		if (name)
			why = xasprintf("carries the tracking parameter '%s'", name);
		else if (starts_nocase(buf_str(&key), key.len, "utm_"))
			why = xasprintf("carries the tracking parameter '%s'", buf_str(&key));
		buf_free(&key);
		if (why)
			return why;
		if (eq < e) {
			/* A value that is an address makes the link a redirect;
			 * decoded twice, for one encoded twice. */
			struct buf v = BUF_INIT, v2 = BUF_INIT;
			pct_decode(&v, s + eq + 1, e - eq - 1, true);
			pct_decode(&v2, buf_str(&v), v.len, true);
			bool addr = is_address(buf_str(&v), v.len) || is_address(buf_str(&v2), v2.len);
			buf_free(&v);
			buf_free(&v2);
			if (addr)
				return xstrdup("is a redirect to another address");
		}
		i = e + 1;
	}
	return NULL;
}

char *link_problem(const char *url, size_t n)
{
	/* As a browser reads it: no leading or trailing controls or spaces,
	 * no tabs or line breaks anywhere. */
	while (n && (unsigned char)*url <= ' ') {
		url++;
		n--;
	}
	while (n && (unsigned char)url[n - 1] <= ' ')
		n--;
	struct buf u = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (url[i] != '\t' && url[i] != '\n' && url[i] != '\r')
			buf_putc(&u, url[i]);
	const char *s = buf_str(&u);
	size_t len = u.len, i;
	if (starts_nocase(s, len, "http:"))
		i = 5;
	else if (starts_nocase(s, len, "https:"))
		i = 6;
	else if (starts_nocase(s, len, "//") || starts_nocase(s, len, "www."))
		i = 0;
	else {
		buf_free(&u);
		return NULL;
	}
	/* Any number of slashes, either way, then the authority, which the
	 * first '/', '\', '?' or '#' ends. */
	while (i < len && (s[i] == '/' || s[i] == '\\'))
		i++;
	size_t a = i;
	while (i < len && !strchr("/\\?#", s[i]))
		i++;
	size_t host = a, end = i;
	for (size_t k = a; k < end; k++)
		if (s[k] == '@')
			host = k + 1;
	size_t hend = host;
	if (hend < end && s[hend] == '[') {
		while (hend < end && s[hend] != ']')
			hend++;
	} else {
		while (hend < end && s[hend] != ':')
			hend++;
	}
	struct buf key = BUF_INIT;
	host_key(&key, s + host, hend - host);
	const char *via = shortener(buf_str(&key), key.len);
	char *why = via ? xasprintf("goes through the link shortener %s", via) : NULL;
	buf_free(&key);

	const char *q = memchr(s + end, '?', len - end);
	const char *f = memchr(s + end, '#', len - end);
	if (!why && q && (!f || q < f))
		why = param_problem(q + 1, (size_t)((f ? f : s + len) - q - 1));
	if (!why && f)
		why = param_problem(f + 1, (size_t)(s + len - f - 1));
	buf_free(&u);
	return why;
}

static void spelled(struct buf *out, const char *s, size_t n)
{
	if (starts_nocase(s, n, "www."))
		buf_puts(out, "http://");
	pct_decode(out, s, n, false);
}

bool link_same(const char *a, size_t an, const char *b, size_t bn)
{
	struct buf x = BUF_INIT, y = BUF_INIT;
	spelled(&x, a, an);
	spelled(&y, b, bn);
	bool same = x.len == y.len && memcmp(buf_str(&x), buf_str(&y), x.len) == 0;
	buf_free(&x);
	buf_free(&y);
	return same;
}

/* ---- Finding addresses ---------------------------------------------- */

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The first ':' or '.' at or after i (before n), or n: every address
 * holds one of them a few bytes after its start (the ':' of "http://"
 * or "https://", the '.' of "www.").  Eight bytes at a time: they are
 * far rarer in a draft's text than the letters that start an address,
 * and this scan runs over every draft, its tree's texts and its
 * outputs. */
static size_t next_mark(const char *text, size_t i, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
	while (n - i >= 8) {
		uint64_t v;
		memcpy(&v, text + i, 8);
		/* A byte of c or d is zero where the text has the mark. */
		uint64_t c = v ^ (ones * ':'), d = v ^ (ones * '.');
		if (((c - ones) & ~c & highs) | ((d - ones) & ~d & highs))
			break;
		i += 8;
	}
	while (i < n && text[i] != ':' && text[i] != '.')
		i++;
	return i;
}

#define NO_START SIZE_MAX

/* Where the address whose ':' or '.' is text[m] starts, at or after
 * `from`: "http://" or "https://" in any case, or a "www." that starts
 * a word; NO_START when there is none.  Two such starts never share a
 * byte, so the marks, taken in order, give the starts in order. */
static size_t start_at(const char *text, size_t m, size_t n, size_t from)
{
	if (text[m] == ':') {
		if (m + 2 >= n || text[m + 1] != '/' || text[m + 2] != '/')
			return NO_START;
		if (m >= from + 4 && starts_nocase(text + m - 4, 4, "http"))
			return m - 4;
		if (m >= from + 5 && starts_nocase(text + m - 5, 5, "https"))
			return m - 5;
		return NO_START;
	}
	if (m < from + 3 || !starts_nocase(text + m - 3, 3, "www"))
		return NO_START;
	size_t p = m - 3;
	if (p > 0 && (is_alnum(text[p - 1]) || text[p - 1] == '.' || text[p - 1] == '-' ||
		      (unsigned char)text[p - 1] >= 0x80))
		return NO_START;
	return p;
}

void link_each_in_text(const char *text, size_t n, link_fn fn, void *ud)
{
	size_t from = 0, m = 0;  /* no address starts before from */
	while ((m = next_mark(text, m, n)) < n) {
		size_t i = start_at(text, m, n, from);
		if (i == NO_START) {
			m++;
			continue;
		}
		const char *p = text + i;
		size_t rest = n - i;
		size_t e = 0;
		while (e < rest && (unsigned char)p[e] > ' ' && p[e] != 0x7f &&
		       p[e] != '<' && p[e] != '>' && p[e] != '"')
			e++;
		size_t end = e;
		while (end && strchr(".,;:!?')]}*_~`", p[end - 1]))
			end--;
		fn(p, end, ud);
		from = m = i + e;
	}
}

static void each_in_literal(cmark_node *node, link_fn fn, void *ud)
{
	const char *s = cmark_node_get_literal(node);
	if (s)
		link_each_in_text(s, strlen(s), fn, ud);
}

struct tree_scan {
	link_fn fn;
	void *ud;
};

static void each_in_node(cmark_node *node, void *ud)
{
	const struct tree_scan *ts = ud;
	link_fn fn = ts->fn;
	void *fud = ts->ud;
	switch (cmark_node_get_type(node)) {
	case CMARK_NODE_LINK:
	case CMARK_NODE_IMAGE: {
		const char *url = cmark_node_get_url(node);
		const char *title = cmark_node_get_title(node);
		if (url && *url)
			fn(url, strlen(url), fud);
		if (title)
			link_each_in_text(title, strlen(title), fn, fud);
		break;
	}
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
	case CMARK_NODE_CODE_BLOCK:
	case CMARK_NODE_HTML_INLINE:
	case CMARK_NODE_HTML_BLOCK:
		each_in_literal(node, fn, fud);
		break;
	default:
		break;
	}
}

void link_each_in_tree(cmark_node *doc, link_fn fn, void *ud)
{
	struct tree_scan ts = { fn, ud };
	md_each_node(doc, each_in_node, &ts);
}

/* Attributes whose value is an address (HTML 4 and 5). */
static bool url_attribute(const char *name)
{
	static const char *const names[] = {
		"href", "src", "action", "formaction", "cite", "poster", "data",
		"background", "longdesc", "codebase", "manifest", "icon", "ping",
		"xlink:href", "srcset",
	};
	for (size_t i = 0; i < COUNT(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/*
 * The page is read by libxml2's HTML parser, the way a browser reads it
 * (entities decoded, implied and misplaced tags resolved), through its
 * SAX callbacks: a start tag brings its attributes, and the character
 * data between two other events is one text node of the page's tree.
 * No tree is built: only addresses are wanted of it.
 */
struct html_scan {
	link_fn fn;
	void *ud;
	struct buf text;   /* the text node being read */
	bool cdata;        /* it is a script's or style's */
};

static void html_flush(struct html_scan *h)
{
	if (h->text.len) {
		const char *s = buf_str(&h->text);
		link_each_in_text(s, strlen(s), h->fn, h->ud);
		buf_reset(&h->text);
	}
}

static void html_put(struct html_scan *h, const xmlChar *ch, int len, bool cdata)
{
	if (h->cdata != cdata) {
		html_flush(h);
		h->cdata = cdata;
	}
	if (len > 0)
		buf_append(&h->text, (const char *)ch, (size_t)len);
}

static void html_start(void *ud, const xmlChar *name, const xmlChar **atts)
{
	struct html_scan *h = ud;
	(void)name;
	html_flush(h);
	for (size_t i = 0; atts && atts[i]; i += 2) {
		const char *a = (const char *)atts[i], *s = (const char *)atts[i + 1];
		if (!s)
			continue;  /* no value: none is an address */
		if (url_attribute(a) && strcmp(a, "srcset") != 0)
			h->fn(s, strlen(s), h->ud);
		link_each_in_text(s, strlen(s), h->fn, h->ud);
	}
}

/* An end tag, a comment or a processing instruction ends a text node. */
static void html_end(void *ud, const xmlChar *name)
{
	(void)name;
	html_flush(ud);
}

static void html_comment(void *ud, const xmlChar *value)
{
	(void)value;
	html_flush(ud);
}

static void html_pi(void *ud, const xmlChar *target, const xmlChar *data)
{
	(void)target;
	(void)data;
	html_flush(ud);
}

static void html_characters(void *ud, const xmlChar *ch, int len)
{
	html_put(ud, ch, len, false);
}

static void html_cdata(void *ud, const xmlChar *ch, int len)
{
	html_put(ud, ch, len, true);
}

void link_each_in_html(const char *html, size_t n, link_fn fn, void *ud)
{
	/* As htmlReadMemory sets the parser up, with these callbacks. */
	xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(html, (int)(n > (size_t)INT32_MAX ? INT32_MAX : n));
	if (!ctxt)
		return;
	xmlSAXHandlerV1 sax;
	memset(&sax, 0, sizeof(sax));
	sax.startElement = html_start;
	sax.endElement = html_end;
	sax.characters = html_characters;
	sax.cdataBlock = html_cdata;
	sax.comment = html_comment;
	sax.processingInstruction = html_pi;
	sax.initialized = 1;
	memcpy(ctxt->sax, &sax, sizeof(sax));
	struct html_scan h = { fn, ud, BUF_INIT, false };
	ctxt->userData = &h;
	htmlCtxtUseOptions(ctxt, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	ctxt->html = 1;
	xmlCharEncodingHandlerPtr utf8 = xmlFindCharEncodingHandler("UTF-8");
	if (utf8) {
		xmlSwitchToEncoding(ctxt, utf8);
		if (ctxt->input->encoding)
			xmlFree((xmlChar *)ctxt->input->encoding);
		ctxt->input->encoding = xmlStrdup((const xmlChar *)"UTF-8");
	}
	htmlParseDocument(ctxt);
	html_flush(&h);
	buf_free(&h.text);
	if (ctxt->myDoc)
		xmlFreeDoc(ctxt->myDoc);
	ctxt->myDoc = NULL;
	xmlFreeParserCtxt(ctxt);
}
