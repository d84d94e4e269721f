/* odf.c - OpenDocument text from a cmark-gfm document, zipped in memory. */
#include "format/odf.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmark-gfm-core-extensions.h>
#include <utf8proc.h>

/* The GFM extensions' node types.  libcmark-gfm-extensions exports them
 * (it sets them when the extensions register, before any document is
 * parsed), but Debian 12 installs no header that declares them. */
extern cmark_node_type CMARK_NODE_TABLE, CMARK_NODE_TABLE_ROW, CMARK_NODE_TABLE_CELL,
	CMARK_NODE_STRIKETHROUGH;

#include "format/md.h"
#include "format/xmlw.h"
#include "base/ts.h"
#include "format/zipw.h"

/* ODF 1.2 rather than 1.3: nothing here needs 1.3, and 1.2 is what older
 * LibreOffice releases and Google Docs' import read without complaint. */
#define ODF_VERSION "1.2"
#define ODF_MIMETYPE "application/vnd.oasis.opendocument.text"
/* List styles define ten levels; deeper lists are written flat into the
 * tenth, which also bounds the XML nesting. */
#define LIST_LEVELS 10
/* content.xml and meta.xml, which change with every record, are
 * deflated at libdeflate's level 1: over a generated record's 84 KB of
 * content.xml it took 112 us for 7,848 bytes, where zlib's level 3 took
 * 233 us for 7,894 (libdeflate's level 6: 268 us, 6,840 bytes). */
#define RECORD_DEFLATE_LEVEL 1
/* styles.xml and the manifest are the same for every document: deflated
 * once per process, at libdeflate's level 9 (its level 12 took 12M
 * instructions, some 3 ms, which a run drafting one record pays whole,
 * for a few bytes less). */
#define CONSTANT_DEFLATE_LEVEL 9
/* Text width of an A4 page with 2 cm margins, in micrometres. */
#define TEXT_WIDTH_UM 170000

/* ---- Writing XML ------------------------------------------------------ */

/* The documents are written with xmlw (xmlw.h): the first misuse or
 * refused append is kept and later calls do nothing, so callers check
 * once, at the end (xmlw_finish).  The helpers below keep the calls
 * short. */

/* Adds an attribute to the element just started. */
static void xattr(struct xmlw *x, const char *name, const char *value)
{
	xmlw_attr(x, name, value);
}

/* Starts an element with attributes given as name, value pairs ending in
 * NULL.  Values are UTF-8 already cleaned for XML (see clean_text). */
static void xopen_v(struct xmlw *x, const char *name, va_list ap)
{
	xmlw_open(x, name);
	const char *an;
	while ((an = va_arg(ap, const char *)) != NULL)
		xattr(x, an, va_arg(ap, const char *));
}

static void xopen(struct xmlw *x, const char *name, ...)
{
	va_list ap;
	va_start(ap, name);
	xopen_v(x, name, ap);
	va_end(ap);
}

static void xclose(struct xmlw *x)
{
	xmlw_close(x);
}

/* An element with attributes and no content. */
static void xleaf(struct xmlw *x, const char *name, ...)
{
	va_list ap;
	va_start(ap, name);
	xopen_v(x, name, ap);
	va_end(ap);
	xclose(x);
}

static void xtext(struct xmlw *x, const char *s)
{
	xmlw_text(x, s, strlen(s));
}

/* An element holding only text. */
static void xelem(struct xmlw *x, const char *name, const char *text)
{
	xopen(x, name, NULL);
	xtext(x, text);
	xclose(x);
}

/* Appends s as text XML can hold: invalid UTF-8 becomes U+FFFD, and
 * control characters other than tab and line feed, and U+FFFE and
 * U+FFFF, are dropped.  Runs of printable ASCII, nearly all of a draft,
 * are copied whole. */
static void clean_text(struct buf *out, const char *s, size_t n)
{
	size_t run = 0;  /* start of the bytes kept as they are */
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n') {
			i++;
			continue;
		}
		if (c >= 0x80) {
			utf8proc_int32_t cp;
			utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
							      (utf8proc_ssize_t)(n - i), &cp);
			if (k > 0 && cp != 0xfffe && cp != 0xffff) {
				i += (size_t)k;
				continue;
			}
			buf_append(out, s + run, i - run);
			if (k <= 0)
				buf_puts(out, "\xEF\xBF\xBD");
			i += k > 0 ? (size_t)k : 1;
		} else {
			buf_append(out, s + run, i - run);
			i++;
		}
		run = i;
	}
	buf_append(out, s + run, n - run);
}

/* The namespaces the documents use, declared on each root element, and
 * the ODF version: attributes written out (xmlw_attrs). */
#define ROOT_ATTRS \
	" xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"" \
	" xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\"" \
	" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"" \
	" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\"" \
	" xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\"" \
	" xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\"" \
	" xmlns:xlink=\"http://www.w3.org/1999/xlink\"" \
	" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"" \
	" xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\"" \
	" office:version=\"" ODF_VERSION "\""

static void xroot(struct xmlw *x, const char *name)
{
	xmlw_open(x, name);
	xmlw_attrs(x, ROOT_ATTRS);
}

/* Writes a string constant of XML as it is (see xmlw_raw). */
#define XRAW(x, lit) xmlw_raw((x), (lit), sizeof(lit) - 1)

/* Hundredths of a unit as "12.70" followed by the unit. */
static void fmt_hundredths(char *out, size_t n, long v, const char *unit)
{
	snprintf(out, n, "%s%ld.%02ld%s", v < 0 ? "-" : "", labs(v) / 100, labs(v) % 100, unit);
}

/* ---- Styles shared by styles.xml and content.xml ----------------------- */

/*
 * ODF styles text in three scripts, each with its own font and size:
 * Western (Latin, Greek, Cyrillic), Asian (Chinese, Japanese, Korean)
 * and complex (Arabic, Hebrew, Indic, Thai).  A document that names a
 * Western font only leaves the others to the office suite's defaults,
 * and a Japanese title or an Arabic paragraph can come out in the wrong
 * size or not at all.
 *
 * Western text is Arial and Courier New: Google Docs and Word have them,
 * and LibreOffice substitutes its metric-compatible Liberation fonts.
 * Asian and complex text is the generic sans-serif family, which every
 * LibreOffice and Google Docs resolves to a font that has the script
 * (on Linux, fontconfig's choice for the text's language).
 */
#define FONT_WESTERN "Arial"
#define FONT_CODE "Courier New"
#define FONT_OTHER "sans-serif"

static void font_faces(struct xmlw *x)
{
	xopen(x, "office:font-face-decls", NULL);
	xleaf(x, "style:font-face", "style:name", FONT_WESTERN, "svg:font-family", FONT_WESTERN,
	      "style:font-family-generic", "swiss", "style:font-pitch", "variable", NULL);
	xleaf(x, "style:font-face", "style:name", FONT_CODE,
	      "svg:font-family", "'" FONT_CODE "'", "style:font-family-generic", "modern",
	      "style:font-pitch", "fixed", NULL);
	xleaf(x, "style:font-face", "style:name", FONT_OTHER, "svg:font-family", FONT_OTHER,
	      "style:font-family-generic", "swiss", "style:font-pitch", "variable", NULL);
	xclose(x);
}

/* Adds a font size for all three scripts to the text properties just
 * opened: a heading is as large in Japanese as in English. */
static void font_size(struct xmlw *x, const char *size)
{
	xattr(x, "fo:font-size", size);
	xattr(x, "style:font-size-asian", size);
	xattr(x, "style:font-size-complex", size);
}

/* Text properties holding only a font size. */
static void size_props(struct xmlw *x, const char *size)
{
	xopen(x, "style:text-properties", NULL);
	font_size(x, size);
	xclose(x);
}

/* A paragraph style: name, display name (NULL: none), parent (NULL:
 * none); the properties are written by the caller before xclose. */
static void para_style(struct xmlw *x, const char *name, const char *display, const char *parent)
{
	xopen(x, "style:style", "style:name", name, "style:family", "paragraph", NULL);
	if (display)
		xattr(x, "style:display-name", display);
	if (parent)
		xattr(x, "style:parent-style-name", parent);
}

/* An underlined text style for links, in the colour LibreOffice gives
 * them (visited or not). */
static void link_style(struct xmlw *x, const char *name, const char *display, const char *color)
{
	xopen(x, "style:style", "style:name", name, "style:display-name", display,
	      "style:family", "text", NULL);
	xleaf(x, "style:text-properties", "fo:color", color,
	      "style:text-underline-style", "solid", "style:text-underline-width", "auto",
	      "style:text-underline-color", "font-color", NULL);
	xclose(x);
}

static void styles_xml(struct xmlw *x)
{
	xroot(x, "office:document-styles");
	font_faces(x);
	xopen(x, "office:styles", NULL);

	xopen(x, "style:default-style", "style:family", "paragraph", NULL);
	xleaf(x, "style:paragraph-properties", "style:tab-stop-distance", "1.25cm", NULL);
	xopen(x, "style:text-properties", "style:font-name", FONT_WESTERN,
	      "style:font-name-asian", FONT_OTHER, "style:font-name-complex", FONT_OTHER, NULL);
	font_size(x, "11pt");
	xclose(x);
	xclose(x);

	para_style(x, "Standard", NULL, NULL);
	xclose(x);
	para_style(x, "Text_20_body", "Text body", "Standard");
	xleaf(x, "style:paragraph-properties", "fo:margin-top", "0cm",
	      "fo:margin-bottom", "0.25cm", "fo:line-height", "115%", NULL);
	xclose(x);
	para_style(x, "List", NULL, "Text_20_body");
	xleaf(x, "style:paragraph-properties", "fo:margin-top", "0cm",
	      "fo:margin-bottom", "0.1cm", NULL);
	xclose(x);
	para_style(x, "Heading", NULL, "Standard");
	xleaf(x, "style:paragraph-properties", "fo:margin-top", "0.42cm",
	      "fo:margin-bottom", "0.21cm", "fo:keep-with-next", "always", NULL);
	size_props(x, "14pt");
	xclose(x);
	static const char *const sizes[] = { "20pt", "16pt", "14pt", "12pt", "11pt", "11pt" };
	for (int i = 1; i <= 6; i++) {
		char name[16], display[16], level[4];
		snprintf(name, sizeof(name), "Heading_20_%d", i);
		snprintf(display, sizeof(display), "Heading %d", i);
		snprintf(level, sizeof(level), "%d", i);
		para_style(x, name, display, "Heading");
		xattr(x, "style:default-outline-level", level);
		xopen(x, "style:text-properties", "fo:font-weight", "bold",
		      "style:font-weight-asian", "bold", "style:font-weight-complex", "bold", NULL);
		font_size(x, sizes[i - 1]);
		xclose(x);
		xclose(x);
	}
	para_style(x, "Quotations", NULL, "Standard");
	xleaf(x, "style:paragraph-properties", "fo:margin-left", "1cm",
	      "fo:margin-right", "1cm", "fo:margin-top", "0cm", "fo:margin-bottom", "0.25cm",
	      NULL);
	xclose(x);
	para_style(x, "Preformatted_20_Text", "Preformatted Text", "Standard");
	xleaf(x, "style:paragraph-properties", "fo:margin-top", "0cm",
	      "fo:margin-bottom", "0.25cm", "fo:background-color", "#f2f2f2", NULL);
	xopen(x, "style:text-properties", "style:font-name", FONT_CODE, NULL);
	font_size(x, "10pt");
	xclose(x);
	xclose(x);
	para_style(x, "Table_20_Contents", "Table Contents", "Standard");
	xclose(x);
	para_style(x, "Table_20_Heading", "Table Heading", "Table_20_Contents");
	xleaf(x, "style:text-properties", "fo:font-weight", "bold",
	      "style:font-weight-asian", "bold", "style:font-weight-complex", "bold", NULL);
	xclose(x);
	para_style(x, "Horizontal_20_Line", "Horizontal Line", "Standard");
	xleaf(x, "style:paragraph-properties", "fo:margin-top", "0cm",
	      "fo:margin-bottom", "0.5cm", "fo:padding", "0cm",
	      "fo:border-left", "none", "fo:border-right", "none", "fo:border-top", "none",
	      "fo:border-bottom", "0.06pt solid #808080", NULL);
	size_props(x, "6pt");
	xclose(x);

	link_style(x, "Internet_20_link", "Internet link", "#000080");
	link_style(x, "Visited_20_Internet_20_Link", "Visited Internet Link", "#800000");

	/* Headings unnumbered, as LibreOffice writes them by default. */
	xopen(x, "text:outline-style", "style:name", "Outline", NULL);
	for (int i = 1; i <= 10; i++) {
		char level[4];
		snprintf(level, sizeof(level), "%d", i);
		xleaf(x, "text:outline-level-style", "text:level", level, "style:num-format", "", NULL);
	}
	xclose(x);
	xclose(x); /* office:styles */

	xopen(x, "office:automatic-styles", NULL);
	xopen(x, "style:page-layout", "style:name", "pm1", NULL);
	xleaf(x, "style:page-layout-properties", "fo:page-width", "21cm",
	      "fo:page-height", "29.7cm", "style:print-orientation", "portrait",
	      "fo:margin-top", "2cm", "fo:margin-bottom", "2cm", "fo:margin-left", "2cm",
	      "fo:margin-right", "2cm", NULL);
	xclose(x);
	xclose(x);
	xopen(x, "office:master-styles", NULL);
	xleaf(x, "style:master-page", "style:name", "Standard", "style:page-layout-name", "pm1",
	      NULL);
	xclose(x);
	xclose(x); /* office:document-styles */
}

/* ---- content.xml: automatic styles ------------------------------------ */

/* Inline formatting in force, as bits; text runs are wrapped in one span
 * of the automatic style "T<bits>", so spans never nest. */
enum { FMT_EM = 1, FMT_STRONG = 2, FMT_STRIKE = 4, FMT_CODE = 8, FMT_ALL = 15 };

static const char *const span_styles[FMT_ALL + 1] = {
	"", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12", "T13",
	"T14", "T15",
};

/* The attribute naming a style, written out (xmlw_attrs). */
#define STYLE_ATTR(name) " text:style-name=\"" name "\""

/* The spans' attributes, by formatting bits. */
static const char *const span_attrs[FMT_ALL + 1] = {
	"", STYLE_ATTR("T1"), STYLE_ATTR("T2"), STYLE_ATTR("T3"), STYLE_ATTR("T4"),
	STYLE_ATTR("T5"), STYLE_ATTR("T6"), STYLE_ATTR("T7"), STYLE_ATTR("T8"),
	STYLE_ATTR("T9"), STYLE_ATTR("T10"), STYLE_ATTR("T11"), STYLE_ATTR("T12"),
	STYLE_ATTR("T13"), STYLE_ATTR("T14"), STYLE_ATTR("T15"),
};

/* The column counts the document's tables use, each once, in increasing
 * order (a document has a handful of tables). */
struct counts {
	unsigned *v;
	size_t n, cap;
};

static void count_columns(cmark_node *n, struct counts *c)
{
	unsigned cols = cmark_gfm_extensions_get_table_columns(n);
	size_t i = 0;
	while (i < c->n && c->v[i] < cols)
		i++;
	if (i < c->n && c->v[i] == cols)
		return;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	memmove(c->v + i + 1, c->v + i, (c->n - i) * sizeof(*c->v));
	c->v[i] = cols;
	c->n++;
}

/* Tables are blocks, and hold no tables: the walk goes down the blocks
 * that hold blocks only, past paragraphs and headings and the inline
 * nodes in them that are most of a document.  No recursion: hostile
 * Markdown nests block quotes as deep as it likes. */
static void table_column_counts(cmark_node *doc, struct counts *c)
{
	cmark_node *n = cmark_node_first_child(doc);
	while (n) {
		cmark_node_type t = cmark_node_get_type(n);
		cmark_node *down = NULL;
		if (t == CMARK_NODE_TABLE)
			count_columns(n, c);
		else if ((t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK &&
			 t != CMARK_NODE_PARAGRAPH && t != CMARK_NODE_HEADING)
			down = cmark_node_first_child(n);
		if (down) {
			n = down;
			continue;
		}
		while (n != doc && !cmark_node_next(n))
			n = cmark_node_parent(n);
		n = n == doc ? NULL : cmark_node_next(n);
	}
}

static void list_style(struct xmlw *x, const char *name, const char *suffix)
{
	static const char *const bullets[] = { "\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA" };
	xopen(x, "text:list-style", "style:name", name, NULL);
	for (int i = 1; i <= LIST_LEVELS; i++) {
		char level[4], margin[16], tab[16];
		snprintf(level, sizeof(level), "%d", i);
		fmt_hundredths(margin, sizeof(margin), 635L * (i + 1), "mm");
		fmt_hundredths(tab, sizeof(tab), 635L * (i + 1), "mm");
		if (suffix)
			xopen(x, "text:list-level-style-number", "text:level", level,
			      "style:num-suffix", suffix, "style:num-format", "1", NULL);
		else
			xopen(x, "text:list-level-style-bullet", "text:level", level,
			      "text:bullet-char", bullets[(i - 1) % 3], NULL);
		xopen(x, "style:list-level-properties",
		      "text:list-level-position-and-space-mode", "label-alignment", NULL);
		xleaf(x, "style:list-level-label-alignment", "text:label-followed-by", "listtab",
		      "text:list-tab-stop-position", tab, "fo:text-indent", "-6.35mm",
		      "fo:margin-left", margin, NULL);
		xclose(x);
		xclose(x);
	}
	xclose(x);
}

/* The automatic styles before the tables' column styles: the same in
 * every document. */
static void styles_before_columns(struct xmlw *x)
{
	for (unsigned m = 1; m <= FMT_ALL; m++) {
		xopen(x, "style:style", "style:name", span_styles[m], "style:family", "text", NULL);
		xopen(x, "style:text-properties", NULL);
		static const char *const em[] = { "fo:font-style", "style:font-style-asian",
						  "style:font-style-complex" };
		static const char *const strong[] = { "fo:font-weight", "style:font-weight-asian",
						      "style:font-weight-complex" };
		for (int i = 0; i < 3 && (m & FMT_EM); i++)
			xattr(x, em[i], "italic");
		for (int i = 0; i < 3 && (m & FMT_STRONG); i++)
			xattr(x, strong[i], "bold");
		static const char *const strike[] = {
			"style:text-line-through-style", "solid",
			"style:text-line-through-type", "single",
		};
		static const char *const code[] = {
			"style:font-name", FONT_CODE, "fo:background-color", "#f2f2f2",
		};
		for (int i = 0; i < 4 && (m & FMT_STRIKE); i += 2)
			xattr(x, strike[i], strike[i + 1]);
		for (int i = 0; i < 4 && (m & FMT_CODE); i += 2)
			xattr(x, code[i], code[i + 1]);
		xclose(x);
		xclose(x);
	}

	para_style(x, "P_h1_break", NULL, "Heading_20_1");
	xleaf(x, "style:paragraph-properties", "fo:break-before", "page", NULL);
	xclose(x);
	para_style(x, "P_quote2", NULL, "Quotations");
	xleaf(x, "style:paragraph-properties", "fo:margin-left", "2cm", NULL);
	xclose(x);
	para_style(x, "P_quote3", NULL, "Quotations");
	xleaf(x, "style:paragraph-properties", "fo:margin-left", "3cm", NULL);
	xclose(x);
	static const char *const aligns[][2] = {
		{ "left", "start" }, { "center", "center" }, { "right", "end" },
	};
	for (int i = 0; i < 3; i++) {
		char name[24];
		snprintf(name, sizeof(name), "P_cell_%s", aligns[i][0]);
		para_style(x, name, NULL, "Table_20_Contents");
		xleaf(x, "style:paragraph-properties", "fo:text-align", aligns[i][1], NULL);
		xclose(x);
		snprintf(name, sizeof(name), "P_head_%s", aligns[i][0]);
		para_style(x, name, NULL, "Table_20_Heading");
		xleaf(x, "style:paragraph-properties", "fo:text-align", aligns[i][1], NULL);
		xclose(x);
	}

	xopen(x, "style:style", "style:name", "Tbl", "style:family", "table", NULL);
	xleaf(x, "style:table-properties", "style:width", "17cm", "table:align", "margins", NULL);
	xclose(x);
}

/* The automatic styles after the column styles: the same in every
 * document too. */
static void styles_after_columns(struct xmlw *x)
{
	xopen(x, "style:style", "style:name", "Tbl.cell", "style:family", "table-cell", NULL);
	xleaf(x, "style:table-cell-properties", "fo:padding", "0.1cm",
	      "fo:border", "0.5pt solid #000000", NULL);
	xclose(x);
	xopen(x, "style:style", "style:name", "Tbl.head", "style:family", "table-cell", NULL);
	xleaf(x, "style:table-cell-properties", "fo:padding", "0.1cm",
	      "fo:border", "0.5pt solid #000000", "fo:background-color", "#e6e6e6", NULL);
	xclose(x);

	list_style(x, "L_bullet", NULL);
	list_style(x, "L_number", ".");
	list_style(x, "L_paren", ")");
}

/* The constant parts of content.xml, written once per process and
 * copied into each document (fragment_init). */
enum { FRAG_FONTS, FRAG_BEFORE_COLUMNS, FRAG_AFTER_COLUMNS, FRAG_COUNT };
static struct buf fragment[FRAG_COUNT];
static bool fragment_ok;
static pthread_once_t fragment_once = PTHREAD_ONCE_INIT;

static void fragment_init(void)
{
	static void (*const write[FRAG_COUNT])(struct xmlw *) = {
		font_faces, styles_before_columns, styles_after_columns,
	};
	bool ok = true;
	for (int i = 0; i < FRAG_COUNT; i++) {
		struct buf scratch = BUF_INIT;
		struct xmlw x;
		xmlw_begin(&x, &scratch);
		xopen(&x, "f", NULL);
		xmlw_raw(&x, "", 0);  /* ends the start tag */
		size_t start = scratch.len;
		write[i](&x);
		size_t end = scratch.len;
		ok = ok && !x.in_tag && x.depth == 1;
		ok = xmlw_finish(&x) == 0 && ok;
		buf_append(&fragment[i], scratch.data + start, end - start);
		buf_free(&scratch);
	}
	fragment_ok = ok;
}

/* Writes fragment i; a failure to make them fails the document. */
static void put_fragment(struct xmlw *x, int i)
{
	pthread_once(&fragment_once, fragment_init);
	if (!fragment_ok)
		x->failed = true;
	xmlw_raw(x, fragment[i].data, fragment[i].len);
}

/* content.xml up to its tables' column styles: the same in every
 * document, and deflated once a process (constant_init). */
static void content_head(struct xmlw *x)
{
	xroot(x, "office:document-content");
	put_fragment(x, FRAG_FONTS);
	xopen(x, "office:automatic-styles", NULL);
	put_fragment(x, FRAG_BEFORE_COLUMNS);
}

/* A column style of equal widths for each column count the document's
 * tables use, fewest columns first. */
static void column_styles(struct xmlw *x, cmark_node *doc)
{
	struct counts c = { 0 };
	table_column_counts(doc, &c);
	for (size_t i = 0; i < c.n; i++) {
		unsigned cols = c.v[i];
		char name[16], width[24], rel[16];
		long um = TEXT_WIDTH_UM / (long)cols;
		snprintf(name, sizeof(name), "Tbl.C%u", cols);
		fmt_hundredths(width, sizeof(width), um / 10, "mm");
		snprintf(rel, sizeof(rel), "%ld*", um);
		xopen(x, "style:style", "style:name", name, "style:family", "table-column", NULL);
		xleaf(x, "style:table-column-properties", "style:column-width", width,
		      "style:rel-column-width", rel, NULL);
		xclose(x);
	}
	free(c.v);
}

/* ---- content.xml: the body -------------------------------------------- */

struct odt {
	struct xmlw x;
	struct buf clean;    /* a link's URL cleaned for XML */
	int em, strong, strike;
	bool ws;             /* at a paragraph start or after white space */
	int quote;           /* block quote depth */
	int lists;           /* list depth */
	int h1;              /* level-1 headings so far */
	int tables;          /* tables so far, for their names */
	long blocks;         /* paragraphs, headings, lists and tables so far */
	long item_blocks[LIST_LEVELS + 1]; /* blocks when each open item began */
	/* The table being written. */
	bool flat;           /* inside a list: written as paragraphs */
	int cols, cell;
	const uint8_t *align;
	bool head;           /* in the header row */
	/* The text being written (put_text). */
	unsigned span;       /* formatting of a span still to be opened */
	bool in_span;        /* a span was opened */
	size_t columns;      /* where the column styles start in content.xml */
	size_t after_columns; /* and where FRAG_AFTER_COLUMNS starts */
};

/* How put_text takes each byte: as text (printable ASCII but the four
 * XML escapes), white space, an escape, dropped (control characters
 * other than tab and line feed, DEL), or the start of a UTF-8 sequence
 * (or a byte of one), looked at whole. */
enum { B_TEXT, B_SPACE, B_TAB, B_LF, B_ESC, B_DROP, B_HIGH };
#define B1(c) ((c) == ' ' ? B_SPACE : (c) == '\t' ? B_TAB : (c) == '\n' ? B_LF : \
	       (c) == '&' || (c) == '<' || (c) == '>' || (c) == '"' ? B_ESC : \
	       (c) < 0x20 || (c) == 0x7f ? B_DROP : (c) >= 0x80 ? B_HIGH : B_TEXT)
#define B4(c) B1(c), B1((c) + 1), B1((c) + 2), B1((c) + 3)
#define B16(c) B4(c), B4((c) + 4), B4((c) + 8), B4((c) + 12)
static const unsigned char byte_class[256] = {
	B16(0x00), B16(0x10), B16(0x20), B16(0x30), B16(0x40), B16(0x50), B16(0x60), B16(0x70),
	B16(0x80), B16(0x90), B16(0xa0), B16(0xb0), B16(0xc0), B16(0xd0), B16(0xe0), B16(0xf0),
};
#undef B16
#undef B4
#undef B1

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
#define LOWS UINT64_C(0x7f7f7f7f7f7f7f7f)

/* The high bit of each byte of v that is zero, and of no other. */
static uint64_t zero_bytes(uint64_t v)
{
	return ~(((v & LOWS) + LOWS) | v | LOWS);
}

/* True when some byte of v is zero (the bits it sets may be more). */
static uint64_t has_zero(uint64_t v)
{
	return (v - ONES) & ~v & HIGHS;
}

/* True when the eight bytes at s are text put_text copies as they are:
 * printable ASCII but the escapes, with single spaces that are ordinary
 * ones: none first while o->ws holds (at a paragraph start, after white
 * space), none next to another, and none last unless text follows. */
static bool plain8(const unsigned char *s, size_t left, bool ws)
{
	uint64_t v;
	memcpy(&v, s, 8);
	uint64_t odd = ((v - ONES * 0x20) & ~v & HIGHS) | (v & HIGHS) |
		       has_zero(v ^ (ONES * '&')) | has_zero(v ^ (ONES * '<')) |
		       has_zero(v ^ (ONES * '>')) | has_zero(v ^ (ONES * '"')) |
		       has_zero(v ^ (ONES * 0x7f));
	if (odd)
		return false;
	uint64_t sp = zero_bytes(v ^ (ONES * ' '));
	if (!sp)
		return true;
	/* Two spaces side by side in memory are neighbouring bytes of v,
	 * whatever the byte order. */
	if ((sp & (sp >> 8)) || (ws && s[0] == ' '))
		return false;
	return s[7] != ' ' || left == 8 || byte_class[s[8]] == B_TEXT;
}

/* The length of U+FFFE or U+FFFF at s (of n bytes), which XML cannot
 * hold and put_text drops, or 0. */
static size_t nonchar(const unsigned char *s, size_t n)
{
	return n >= 3 && s[0] == 0xEF && s[1] == 0xBF && (s[2] & 0xFE) == 0xBE ? 3 : 0;
}

/* Writes n bytes already fit for XML, the text's span first when it is
 * still to be opened. */
static void put_out(struct odt *o, const unsigned char *s, size_t n)
{
	if (n == 0)
		return;
	if (o->span) {
		xmlw_open(&o->x, "text:span");
		xmlw_attrs(&o->x, span_attrs[o->span]);
		o->span = 0;
		o->in_span = true;
	}
	xmlw_raw(&o->x, (const char *)s, n);
}

/*
 * Writes text in the current formatting, in one pass: the bytes XML
 * cannot hold are dropped (control characters other than tab and line
 * feed; U+FFFE, U+FFFF) or replaced (invalid UTF-8 by U+FFFD), the four
 * escapes escaped, and white space written as ODF keeps it.  ODF
 * collapses white space, so a run of spaces is <text:s text:c="N"/>, as
 * is a single space where it could be collapsed (at a paragraph start,
 * after white space); tabs are <text:tab/> and line feeds
 * <text:line-break/>.  A dropped byte is no text: the spaces around it
 * are one run.  Text that is all dropped writes nothing, not even its
 * span.
 */
static void put_text(struct odt *o, const char *str, size_t n, unsigned extra)
{
	const unsigned char *s = (const unsigned char *)str;
	o->span = extra | (o->em ? FMT_EM : 0) | (o->strong ? FMT_STRONG : 0) |
		  (o->strike ? FMT_STRIKE : 0);
	o->in_span = false;
	size_t run = 0;  /* start of the bytes waiting to be written as they are */
	size_t i = 0;
	while (i < n) {
		/* Most of a draft is plain words: eight bytes at a time. */
		while (n - i >= 8 && plain8(s + i, n - i, o->ws)) {
			o->ws = s[i + 7] == ' ';
			i += 8;
		}
		if (i == n)
			break;
		unsigned char c = s[i];
		switch (byte_class[c]) {
		case B_TEXT:
			o->ws = false;
			i++;
			continue;
		case B_HIGH: {
			size_t k = nonchar(s + i, n - i);
			if (k) {
				put_out(o, s + run, i - run);
				i += k;
				break;
			}
			utf8proc_int32_t cp;
			utf8proc_ssize_t len = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
			o->ws = false;
			if (len > 0) {
				i += (size_t)len;
				continue;
			}
			put_out(o, s + run, i - run);
			put_out(o, (const unsigned char *)"\xEF\xBF\xBD", 3);
			i++;
			break;
		}
		case B_ESC: {
			static const char *const esc[] = { "&amp;", "&lt;", "&gt;", "&quot;" };
			const char *e = esc[c == '&' ? 0 : c == '<' ? 1 : c == '>' ? 2 : 3];
			put_out(o, s + run, i - run);
			put_out(o, (const unsigned char *)e, strlen(e));
			o->ws = false;
			i++;
			break;
		}
		case B_DROP:
			put_out(o, s + run, i - run);
			i++;
			break;
		case B_TAB:
		case B_LF:
			put_out(o, s + run, i - run);
			if (c == '\t')
				put_out(o, (const unsigned char *)"<text:tab/>", 11);
			else
				put_out(o, (const unsigned char *)"<text:line-break/>", 18);
			o->ws = true;
			i++;
			break;
		case B_SPACE: {
			/* The run of spaces, and of bytes dropped among them. */
			size_t j = i, spaces = 0, k;
			while (j < n) {
				if (s[j] == ' ') {
					spaces++;
					j++;
				} else if (byte_class[s[j]] == B_DROP) {
					j++;
				} else if ((k = nonchar(s + j, n - j)) != 0) {
					j += k;
				} else {
					break;
				}
			}
			if (spaces == 1 && !o->ws) {
				o->ws = true;  /* an ordinary space: part of the text */
				i++;
				continue;
			}
			put_out(o, s + run, i - run);
			if (spaces == 1) {
				put_out(o, (const unsigned char *)"<text:s/>", 9);
			} else {
				char tag[FMT_INT_SIZE + 24] = "<text:s text:c=\"";
				size_t len = 16;
				len += fmt_uint(spaces, tag + len);
				memcpy(tag + len, "\"/>", 3);
				put_out(o, (const unsigned char *)tag, len + 3);
			}
			o->ws = true;
			i = j;
			break;
		}
		default:
			break;
		}
		run = i;
	}
	put_out(o, s + run, n - run);
	o->span = 0;
	if (o->in_span)
		xclose(&o->x);
}

static void put_str(struct odt *o, const char *s)
{
	put_text(o, s, strlen(s), 0);
}

/* Starts a paragraph; `style` is its style attribute (STYLE_ATTR). */
static void open_para(struct odt *o, const char *style)
{
	xmlw_open(&o->x, "text:p");
	xmlw_attrs(&o->x, style);
	o->ws = true;
	o->blocks++;
}

static const char *body_style(const struct odt *o)
{
	if (o->quote >= 3)
		return STYLE_ATTR("P_quote3");
	if (o->quote == 2)
		return STYLE_ATTR("P_quote2");
	if (o->quote == 1)
		return STYLE_ATTR("Quotations");
	return o->lists > 0 ? STYLE_ATTR("List") : STYLE_ATTR("Text_20_body");
}

static void code_block(struct odt *o, cmark_node *n)
{
	const char *lit = cmark_node_get_literal(n);
	size_t len = lit ? strlen(lit) : 0;
	if (len && lit[len - 1] == '\n')
		len--;
	open_para(o, STYLE_ATTR("Preformatted_20_Text"));
	put_text(o, lit ? lit : "", len, 0);
	xclose(&o->x);
}

static void heading(struct odt *o, cmark_node *n)
{
#define HEADING(style, level) STYLE_ATTR(style) " text:outline-level=\"" #level "\""
	/* By level; 0: a level-1 heading after the first, on a new page. */
	static const char *const attrs[7] = {
		HEADING("P_h1_break", 1), HEADING("Heading_20_1", 1), HEADING("Heading_20_2", 2),
		HEADING("Heading_20_3", 3), HEADING("Heading_20_4", 4), HEADING("Heading_20_5", 5),
		HEADING("Heading_20_6", 6),
	};
#undef HEADING
	int level = cmark_node_get_heading_level(n);
	if (level < 1 || level > 6)
		level = 1;
	if (level == 1 && o->h1++ > 0)
		level = 0;
	xmlw_open(&o->x, "text:h");
	xmlw_attrs(&o->x, attrs[level]);
	o->ws = true;
	o->blocks++;
}

static void list_item(struct odt *o, cmark_node *n)
{
	cmark_node *list = cmark_node_parent(n);
	int start = list ? cmark_node_get_list_start(list) : 1;
	if (list && cmark_node_get_list_type(list) == CMARK_ORDERED_LIST &&
	    !cmark_node_previous(n) && start != 1) {
		char sv[FMT_INT_SIZE];
		fmt_int(start < 0 ? 0 : start, sv);
		xopen(&o->x, "text:list-item", "text:start-value", sv, NULL);
	} else {
		xopen(&o->x, "text:list-item", NULL);
	}
	o->item_blocks[o->lists] = o->blocks;
}

/* Ends an item; one that got no block (empty, or only raw HTML) gets an
 * empty paragraph, so that it still shows its bullet or number. */
static void list_item_end(struct odt *o)
{
	if (o->blocks == o->item_blocks[o->lists]) {
		open_para(o, body_style(o));
		xclose(&o->x);
	}
	xclose(&o->x);
}

static void paragraph(struct odt *o, cmark_node *n)
{
	open_para(o, body_style(o));
	cmark_node *item = cmark_node_parent(n);
	/* A task list item is an item the tasklist extension marked, known
	 * by its name only. */
	if (item && cmark_node_get_type(item) == CMARK_NODE_ITEM &&
	    cmark_node_first_child(item) == n &&
	    strcmp(cmark_node_get_type_string(item), "tasklist") == 0)
		put_str(o, cmark_gfm_extensions_get_tasklist_item_checked(item) ?
			   "\xE2\x98\x91 " : "\xE2\x98\x90 ");
}

/* Starts a cell and its paragraph; an empty one (padding a short row) is
 * closed again at once. */
static void table_cell_open(struct odt *o, bool empty)
{
	static const char *const names[][2] = {
		{ STYLE_ATTR("P_cell_left"), STYLE_ATTR("P_head_left") },
		{ STYLE_ATTR("P_cell_center"), STYLE_ATTR("P_head_center") },
		{ STYLE_ATTR("P_cell_right"), STYLE_ATTR("P_head_right") },
	};
	static const char *const cells[2] = {
		" table:style-name=\"Tbl.cell\" office:value-type=\"string\"",
		" table:style-name=\"Tbl.head\" office:value-type=\"string\"",
	};
	int a = 0;
	if (o->align && o->cell < o->cols)
		a = o->align[o->cell] == 'c' ? 1 : o->align[o->cell] == 'r' ? 2 : 0;
	xmlw_open(&o->x, "table:table-cell");
	xmlw_attrs(&o->x, cells[o->head]);
	open_para(o, names[a][o->head]);
	if (empty) {
		xclose(&o->x);
		xclose(&o->x);
	}
}

static void table_row_end(struct odt *o)
{
	for (; o->cell < o->cols; o->cell++)
		table_cell_open(o, true);
}

/* Handles one iterator event; returns false to skip the node's children. */
static bool event(struct odt *o, cmark_event_type ev, cmark_node *n)
{
	bool enter = ev == CMARK_EVENT_ENTER;
	struct xmlw *x = &o->x;
	cmark_node_type type = cmark_node_get_type(n);

	switch (type) {
	case CMARK_NODE_DOCUMENT:
		return true;
	case CMARK_NODE_BLOCK_QUOTE:
		o->quote += enter ? 1 : -1;
		return true;
	case CMARK_NODE_LIST:
		if (enter) {
			if (++o->lists <= LIST_LEVELS) {
				const char *style = STYLE_ATTR("L_bullet");
				if (cmark_node_get_list_type(n) == CMARK_ORDERED_LIST)
					style = cmark_node_get_list_delim(n) == CMARK_PAREN_DELIM ?
						STYLE_ATTR("L_paren") : STYLE_ATTR("L_number");
				xmlw_open(x, "text:list");
				xmlw_attrs(x, style);
				o->blocks++;
			}
		} else {
			if (o->lists-- <= LIST_LEVELS)
				xclose(x);
		}
		return true;
	case CMARK_NODE_ITEM:
		if (o->lists <= LIST_LEVELS) {
			if (enter)
				list_item(o, n);
			else
				list_item_end(o);
		}
		return true;
	case CMARK_NODE_PARAGRAPH:
		if (enter)
			paragraph(o, n);
		else
			xclose(x);
		return true;
	case CMARK_NODE_HEADING:
		if (enter)
			heading(o, n);
		else
			xclose(x);
		return true;
	case CMARK_NODE_CODE_BLOCK:
		code_block(o, n);
		return false;
	case CMARK_NODE_THEMATIC_BREAK:
		XRAW(x, "<text:p" STYLE_ATTR("Horizontal_20_Line") "/>");
		o->blocks++;
		return false;
	case CMARK_NODE_HTML_BLOCK:
	case CMARK_NODE_HTML_INLINE:
		return false;
	case CMARK_NODE_TEXT: {
		const char *lit = cmark_node_get_literal(n);
		put_text(o, lit ? lit : "", lit ? strlen(lit) : 0, 0);
		return false;
	}
	case CMARK_NODE_SOFTBREAK:
		put_str(o, " ");
		return false;
	case CMARK_NODE_LINEBREAK:
		XRAW(x, "<text:line-break/>");
		o->ws = true;
		return false;
	case CMARK_NODE_CODE: {
		const char *lit = cmark_node_get_literal(n);
		put_text(o, lit ? lit : "", lit ? strlen(lit) : 0, FMT_CODE);
		return false;
	}
	case CMARK_NODE_EMPH:
		o->em += enter ? 1 : -1;
		return true;
	case CMARK_NODE_STRONG:
		o->strong += enter ? 1 : -1;
		return true;
	case CMARK_NODE_LINK: {
		const char *url = cmark_node_get_url(n);
		if (!md_url_is_safe(url))
			return true;
		if (enter) {
			buf_reset(&o->clean);
			clean_text(&o->clean, url, strlen(url));
			xmlw_open(x, "text:a");
			xmlw_attrs(x, " xlink:type=\"simple\"");
			xattr(x, "xlink:href", buf_str(&o->clean));
			xmlw_attrs(x, STYLE_ATTR("Internet_20_link")
				   " text:visited-style-name=\"Visited_20_Internet_20_Link\"");
		} else {
			xclose(x);
		}
		return true;
	}
	default:
		break;
	}

	/* The GFM extensions' nodes, whose types are set at run time. */
	if (type == CMARK_NODE_STRIKETHROUGH) {
		o->strike += enter ? 1 : -1;
	} else if (type == CMARK_NODE_TABLE) {
		if (enter) {
			o->flat = o->lists > 0; /* a list item cannot hold a table */
			o->cols = cmark_gfm_extensions_get_table_columns(n);
			o->align = cmark_gfm_extensions_get_table_alignments(n);
			if (!o->flat) {
				char name[FMT_INT_SIZE + 8] = "Table", cols[FMT_INT_SIZE],
				     colstyle[FMT_INT_SIZE + 8] = "Tbl.C";
				fmt_int(++o->tables, name + 5);
				fmt_int(o->cols, cols);
				fmt_int(o->cols, colstyle + 5);
				xopen(x, "table:table", "table:name", name, "table:style-name", "Tbl",
				      NULL);
				o->blocks++;
				if (o->cols > 1)
					xleaf(x, "table:table-column", "table:style-name", colstyle,
					      "table:number-columns-repeated", cols, NULL);
				else
					xleaf(x, "table:table-column", "table:style-name", colstyle,
					      NULL);
			}
		} else {
			if (!o->flat)
				xclose(x);
			o->flat = false;
		}
	} else if (type == CMARK_NODE_TABLE_ROW) {  /* header rows too */
		if (enter) {
			o->head = cmark_gfm_extensions_get_table_row_is_header(n) != 0;
			o->cell = 0;
			if (o->flat) {
				open_para(o, body_style(o));
				o->strong += o->head;
			} else {
				if (o->head)
					xopen(x, "table:table-header-rows", NULL);
				xopen(x, "table:table-row", NULL);
			}
		} else if (o->flat) {
			o->strong -= o->head;
			xclose(x);
		} else {
			table_row_end(o);
			xclose(x);
			if (o->head)
				xclose(x);
		}
	} else if (type == CMARK_NODE_TABLE_CELL) {
		if (enter && o->cell >= o->cols)
			return false;
		if (o->flat) {
			if (enter && o->cell > 0)
				put_str(o, " | ");
			if (!enter)
				o->cell++;
		} else if (enter) {
			table_cell_open(o, false);
		} else {
			xclose(x);
			xclose(x);
			o->cell++;
		}
	}
	/* Anything else (images, footnotes, custom nodes): its text only. */
	return true;
}

static void content_xml(struct odt *o, cmark_node *doc)
{
	struct xmlw *x = &o->x;
	content_head(x);
	o->columns = x->out->len;
	column_styles(x, doc);
	o->after_columns = x->out->len;
	put_fragment(x, FRAG_AFTER_COLUMNS);
	xclose(x); /* office:automatic-styles */
	xopen(x, "office:body", NULL);
	xopen(x, "office:text", NULL);

	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while (!x->failed && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (!event(o, ev, n) && ev == CMARK_EVENT_ENTER)
			cmark_iter_reset(it, n, CMARK_EVENT_EXIT);
	}
	cmark_iter_free(it);

	xclose(x);
	xclose(x);
	xclose(x);
}

/* ---- meta.xml and the manifest ---------------------------------------- */

/* meta.xml up to its title: the same in every document, and deflated
 * once a process (constant_init). */
static void meta_head(struct xmlw *x)
{
	xroot(x, "office:document-meta");
	xopen(x, "office:meta", NULL);
	xelem(x, "meta:generator", "sircomm");
}

static void meta_xml(struct xmlw *x, const struct odf_meta *meta, int64_t t)
{
	char when[TS_BUFSZ];
	ts_format_utc(t, when);
	meta_head(x);
	if (meta->title && *meta->title) {
		struct buf title = BUF_INIT;
		clean_text(&title, meta->title, strlen(meta->title));
		xelem(x, "dc:title", buf_str(&title));
		buf_free(&title);
	}
	xelem(x, "meta:creation-date", when);
	xelem(x, "dc:date", when);
	xclose(x);
	xclose(x);
}

static void manifest_xml(struct xmlw *x, const char *const *names, size_t n)
{
	xopen(x, "manifest:manifest",
	      "xmlns:manifest", "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
	      "manifest:version", ODF_VERSION, NULL);
	xleaf(x, "manifest:file-entry", "manifest:full-path", "/",
	      "manifest:version", ODF_VERSION, "manifest:media-type", ODF_MIMETYPE, NULL);
	for (size_t i = 0; i < n; i++)
		xleaf(x, "manifest:file-entry", "manifest:full-path", names[i],
		      "manifest:media-type", "text/xml", NULL);
	xclose(x);
}

/* ---- The zip ---------------------------------------------------------- */

/* The entries in the order written: "mimetype" must come first. */
enum { E_MIMETYPE, E_MANIFEST, E_META, E_STYLES, E_CONTENT, E_COUNT };

static const char *const entry_names[E_COUNT] = {
	"mimetype", "META-INF/manifest.xml", "meta.xml", "styles.xml", "content.xml",
};

/* The members every document shares, deflated once (constant_init). */
static struct zipw_deflated constant_z[E_COUNT];
/* The constant runs of the members that change, deflated once:
 * content.xml's everything before the tables' column styles and its
 * automatic styles after them, and meta.xml's start. */
enum { PART_HEAD, PART_AFTER_COLUMNS, PART_META_HEAD, PART_COUNT };
static struct zipw_part content_part[PART_COUNT];
static bool constant_ok;
static pthread_once_t constant_once = PTHREAD_ONCE_INIT;

/*
 * The column styles of each set of column counts met, deflated once: a
 * run's documents come from a few templates and use a few sets.  At most
 * COLUMN_SETS are kept (for the process, never freed); a document with
 * a set beyond them has its own part made the same way, and dropped.
 */
#define COLUMN_SETS 32
static struct zipw_part column_set[COLUMN_SETS];
static size_t column_sets;
static pthread_mutex_t column_lock = PTHREAD_MUTEX_INITIALIZER;

/* The kept part whose text is the len bytes at s, or NULL; column_lock
 * held. */
static const struct zipw_part *find_column_set(const char *s, size_t len)
{
	for (size_t i = 0; i < column_sets; i++)
		if (column_set[i].text.len == len && memcmp(column_set[i].text.data, s, len) == 0)
			return &column_set[i];
	return NULL;
}

/* The part for the column styles at s (len bytes): the one kept for the
 * process, made and kept on first meeting them while there is room, or
 * else made into `scratch` for this document alone (the caller frees
 * it).  Either way the same bytes: a document's .odt never depends on
 * which sets its process met first.  NULL when there are no column
 * styles, or their part cannot be made. */
static const struct zipw_part *column_part(const char *s, size_t len, struct zipw_part *scratch)
{
	if (len == 0)
		return NULL;
	pthread_mutex_lock(&column_lock);
	const struct zipw_part *found = find_column_set(s, len);
	pthread_mutex_unlock(&column_lock);
	if (found)
		return found;

	/* Made outside the lock; another thread may keep the same first. */
	struct zipw_part made = ZIPW_PART_INIT;
	if (zipw_part_make(s, len, &made) != 0) {
		zipw_part_free(&made);
		return NULL;
	}
	pthread_mutex_lock(&column_lock);
	found = find_column_set(s, len);
	if (!found && column_sets < COLUMN_SETS) {
		column_set[column_sets] = made;
		found = &column_set[column_sets++];
		made = (struct zipw_part)ZIPW_PART_INIT;
	}
	pthread_mutex_unlock(&column_lock);
	if (found) {
		zipw_part_free(&made);
		return found;
	}
	*scratch = made;
	return scratch;
}

static void constant_init(void)
{
	struct buf xml = BUF_INIT;
	struct xmlw x;
	bool ok = true;

	xmlw_begin(&x, &xml);
	manifest_xml(&x, entry_names + E_META, E_COUNT - E_META);
	ok = ok && xmlw_finish(&x) == 0 &&
	     zipw_deflate(xml.data, xml.len, CONSTANT_DEFLATE_LEVEL, &constant_z[E_MANIFEST]) == 0;
	buf_reset(&xml);
	xmlw_begin(&x, &xml);
	styles_xml(&x);
	ok = ok && xmlw_finish(&x) == 0 &&
	     zipw_deflate(xml.data, xml.len, CONSTANT_DEFLATE_LEVEL, &constant_z[E_STYLES]) == 0;

	/* The head's bytes as content_xml writes them, before its elements
	 * are closed. */
	buf_reset(&xml);
	xmlw_begin(&x, &xml);
	content_head(&x);
	ok = ok && !x.failed && !x.in_tag &&
	     zipw_part_make(xml.data, xml.len, &content_part[PART_HEAD]) == 0;
	ok = xmlw_finish(&x) == 0 && ok;
	ok = ok && fragment_ok &&
	     zipw_part_make(fragment[FRAG_AFTER_COLUMNS].data, fragment[FRAG_AFTER_COLUMNS].len,
			    &content_part[PART_AFTER_COLUMNS]) == 0;
	buf_reset(&xml);
	xmlw_begin(&x, &xml);
	meta_head(&x);
	ok = ok && !x.failed && !x.in_tag &&
	     zipw_part_make(xml.data, xml.len, &content_part[PART_META_HEAD]) == 0;
	ok = xmlw_finish(&x) == 0 && ok;
	buf_free(&xml);
	constant_ok = ok;
}

int odf_write(cmark_node *doc, const struct odf_meta *meta, struct buf *out, struct diag *d)
{
	int64_t t = meta->mtime < TS_MIN ? TS_MIN : meta->mtime > TS_MAX ? TS_MAX : meta->mtime;
	struct buf data[E_COUNT] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
	struct zipw_deflated z[E_COUNT] = { ZIPW_DEFLATED_INIT, ZIPW_DEFLATED_INIT, ZIPW_DEFLATED_INIT,
					    ZIPW_DEFLATED_INIT, ZIPW_DEFLATED_INIT };
	int rc = 0;

	pthread_once(&constant_once, constant_init);
	if (!constant_ok)
		rc = -1;

	struct xmlw x;
	xmlw_begin(&x, &data[E_META]);
	meta_xml(&x, meta, t);
	if (xmlw_finish(&x) != 0)
		rc = -1;

	struct odt o = { .clean = BUF_INIT };
	xmlw_begin(&o.x, &data[E_CONTENT]);
	content_xml(&o, doc);
	if (xmlw_finish(&o.x) != 0)
		rc = -1;
	buf_free(&o.clean);

	/* The members but for their constant runs, which zipw checks are
	 * there before it copies their deflated blocks. */
	struct zipw_at meta_at = { 0, &content_part[PART_META_HEAD] };
	struct zipw_at at[3];
	size_t n = 0;
	at[n++] = (struct zipw_at){ 0, &content_part[PART_HEAD] };
	const struct zipw_part *columns = NULL;
	struct zipw_part columns_scratch = ZIPW_PART_INIT;
	if (rc == 0)
		columns = column_part(data[E_CONTENT].data + o.columns, o.after_columns - o.columns,
				      &columns_scratch);
	if (columns)
		at[n++] = (struct zipw_at){ o.columns, columns };
	at[n++] = (struct zipw_at){ o.after_columns, &content_part[PART_AFTER_COLUMNS] };
	if (rc == 0 &&
	    (zipw_deflate_parts(data[E_META].data, data[E_META].len, &meta_at, 1,
				RECORD_DEFLATE_LEVEL, &z[E_META]) != 0 ||
	     zipw_deflate_parts(data[E_CONTENT].data, data[E_CONTENT].len, at, n,
				RECORD_DEFLATE_LEVEL, &z[E_CONTENT]) != 0))
		rc = -1;

	if (rc != 0) {
		diag_error(d, NULL, 0, "cannot write the .odt: its XML is too large");
	} else {
		/* "mimetype" first and stored, as OpenDocument requires. */
		struct zipw_entry entries[E_COUNT];
		entries[E_MIMETYPE] = (struct zipw_entry){ entry_names[E_MIMETYPE], ODF_MIMETYPE,
							   strlen(ODF_MIMETYPE), true, 0, NULL };
		for (int i = E_MANIFEST; i < E_COUNT; i++)
			entries[i] = (struct zipw_entry){
				entry_names[i], NULL, 0, false, 0,
				i == E_MANIFEST || i == E_STYLES ? &constant_z[i] : &z[i] };
		rc = zipw_build(entries, E_COUNT, t, out, "the .odt", d);
	}
	for (int i = 0; i < E_COUNT; i++) {
		buf_free(&data[i]);
		zipw_deflated_free(&z[i]);
	}
	zipw_part_free(&columns_scratch);
	return rc;
}
