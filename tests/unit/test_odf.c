/* Unit tests for odf.c: the .odt zip, its XML and its determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <zip.h>

#include "base/diag.h"
#include "format/odf.h"
#include "base/util.h"

/* 2026-03-04T09:12:00Z: an even second, as MS-DOS times need. */
#define T0 ((int64_t)1772615520)
#define MIMETYPE "application/vnd.oasis.opendocument.text"

static const char sample[] =
	"# Incident SIRT-2026-0142\n"
	"\n"
	"Plain text with *emphasis*, **strong**, ~~struck~~, `code  span` and\n"
	"a [web link](https://example.com/status?a=1&b=2), a\n"
	"[mail link](mailto:security@example.com), a [bad link](javascript:alert(1))\n"
	"and a [data link](data:text/html,hi).  Hard break here  \n"
	"next line <b>inline html</b>.\n"
	"\n"
	"<script>alert('block html')</script>\n"
	"\n"
	"## Timeline\n"
	"\n"
	"| Time | Event | Who |\n"
	"|:-----|:-----:|----:|\n"
	"| 09:12 | Detected | SecOps |\n"
	"| 09:30 | Engaged |\n"
	"\n"
	"- first\n"
	"  - nested *one*\n"
	"    1. deep\n"
	"- second\n"
	"\n"
	"3) third\n"
	"4) fourth\n"
	"\n"
	"- [x] done task\n"
	"- [ ] open task\n"
	"\n"
	"> Quoted paragraph.\n"
	">\n"
	"> > Nested quote.\n"
	"\n"
	"```\n"
	"  indented   code\n"
	"\tsecond line\n"
	"```\n"
	"\n"
	"---\n"
	"\n"
	"# Customer email\n"
	"\n"
	"### Level three\n"
	"\n"
	"# Security alert\n";

static cmark_node *parse(const char *md)
{
	static const char *const exts[] = {
		"table", "strikethrough", "autolink", "tasklist", "tagfilter",
	};
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
		assert_non_null(e);
		cmark_parser_attach_syntax_extension(p, e);
	}
	cmark_parser_feed(p, md, strlen(md));
	cmark_node *doc = cmark_parser_finish(p);
	cmark_parser_free(p);
	assert_non_null(doc);
	return doc;
}

/* The .odt of md as a new buffer. */
static struct buf odt_of(const char *md, const char *title, int64_t mtime)
{
	cmark_node *doc = parse(md);
	struct odf_meta meta = { title, mtime };
	struct buf out = BUF_INIT;
	struct diag d = DIAG_INIT;
	int rc = odf_write(doc, &meta, &out, &d);
	if (rc != 0)
		fail_msg("odf_write failed: %s", d.n ? d.items[0].msg : "(no diagnostic)");
	assert_int_equal(d.n, 0);
	diag_free(&d);
	cmark_node_free(doc);
	assert_true(out.len > 0);
	return out;
}

static zip_t *open_zip(const struct buf *odt)
{
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_buffer_create(odt->data, odt->len, 0, &err);
	assert_non_null(src);
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	if (!za)
		fail_msg("cannot open the .odt: %s", zip_error_strerror(&err));
	zip_error_fini(&err);
	return za;
}

/* An entry's bytes as a new NUL-terminated string. */
static char *entry(zip_t *za, const char *name)
{
	zip_stat_t st;
	if (zip_stat(za, name, 0, &st) != 0)
		fail_msg("no entry %s", name);
	zip_file_t *f = zip_fopen(za, name, 0);
	assert_non_null(f);
	char *data = xmalloc((size_t)st.size + 1);
	assert_int_equal(zip_fread(f, data, st.size), (zip_int64_t)st.size);
	data[st.size] = '\0';
	zip_fclose(f);
	return data;
}

static xmlDocPtr parse_xml(const char *s, const char *name)
{
	xmlDocPtr doc = xmlReadMemory(s, (int)strlen(s), name, "UTF-8", XML_PARSE_NONET);
	if (!doc)
		fail_msg("%s is not well-formed XML", name);
	return doc;
}

/* The number of nodes an XPath expression selects, ODF prefixes known. */
static int count(xmlDocPtr doc, const char *expr)
{
	static const char *const ns[][2] = {
		{ "office", "urn:oasis:names:tc:opendocument:xmlns:office:1.0" },
		{ "style", "urn:oasis:names:tc:opendocument:xmlns:style:1.0" },
		{ "text", "urn:oasis:names:tc:opendocument:xmlns:text:1.0" },
		{ "table", "urn:oasis:names:tc:opendocument:xmlns:table:1.0" },
		{ "fo", "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" },
		{ "svg", "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" },
		{ "xlink", "http://www.w3.org/1999/xlink" },
		{ "dc", "http://purl.org/dc/elements/1.1/" },
		{ "meta", "urn:oasis:names:tc:opendocument:xmlns:meta:1.0" },
		{ "manifest", "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" },
	};
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		xmlXPathRegisterNs(ctx, BAD_CAST ns[i][0], BAD_CAST ns[i][1]);
	xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	if (!r)
		fail_msg("bad XPath %s", expr);
	int n = 0;
	if (r->type == XPATH_NODESET)
		n = r->nodesetval ? r->nodesetval->nodeNr : 0;
	else if (r->type == XPATH_BOOLEAN)
		n = r->boolval;
	else if (r->type == XPATH_NUMBER)
		n = (int)r->floatval;
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	return n;
}

static void assert_count(xmlDocPtr doc, const char *expr, int want)
{
	int n = count(doc, expr);
	if (n != want)
		fail_msg("%s: %d, expected %d", expr, n, want);
}

/* ---- Tests ------------------------------------------------------------ */

static void test_zip_layout(void **state)
{
	(void)state;
	struct buf odt = odt_of(sample, "SIRT-2026-0142 communications", T0);

	/* The mimetype first, stored, with no extra field, so its name and
	 * value sit at fixed offsets for file(1) and friends. */
	assert_memory_equal(odt.data, "PK\x03\x04", 4);
	assert_int_equal((unsigned char)odt.data[8] | (unsigned char)odt.data[9] << 8, 0);
	assert_int_equal((unsigned char)odt.data[28] | (unsigned char)odt.data[29] << 8, 0);
	assert_memory_equal(odt.data + 30, "mimetype", 8);
	assert_memory_equal(odt.data + 38, MIMETYPE, strlen(MIMETYPE));

	zip_t *za = open_zip(&odt);
	static const char *const names[] = {
		"mimetype", "META-INF/manifest.xml", "meta.xml", "styles.xml", "content.xml",
	};
	assert_int_equal(zip_get_num_entries(za, 0), 5);
	for (zip_uint64_t i = 0; i < 5; i++) {
		zip_stat_t st;
		assert_int_equal(zip_stat_index(za, i, 0, &st), 0);
		assert_string_equal(st.name, names[i]);
		assert_int_equal(st.comp_method, i == 0 ? ZIP_CM_STORE : ZIP_CM_DEFLATE);
	}
	char *mt = entry(za, "mimetype");
	assert_string_equal(mt, MIMETYPE);
	free(mt);

	/* The manifest lists every entry but the mimetype and itself. */
	char *manifest = entry(za, "META-INF/manifest.xml");
	xmlDocPtr m = parse_xml(manifest, "manifest.xml");
	assert_count(m, "/manifest:manifest/manifest:file-entry[@manifest:full-path='/' and "
		     "@manifest:media-type='" MIMETYPE "']", 1);
	for (size_t i = 2; i < 5; i++) {
		char *expr = xasprintf("/manifest:manifest/manifest:file-entry"
				       "[@manifest:full-path='%s' and @manifest:media-type='text/xml']",
				       names[i]);
		assert_count(m, expr, 1);
		free(expr);
	}
	assert_count(m, "/manifest:manifest/manifest:file-entry", 4);
	xmlFreeDoc(m);
	free(manifest);

	/* Every XML entry is well-formed and says its ODF version. */
	static const char *const roots[] = {
		"/office:document-meta", "/office:document-styles", "/office:document-content",
	};
	for (size_t i = 2; i < 5; i++) {
		char *s = entry(za, names[i]);
		xmlDocPtr x = parse_xml(s, names[i]);
		char *expr = xasprintf("%s[@office:version='1.2']", roots[i - 2]);
		assert_count(x, expr, 1);
		free(expr);
		xmlFreeDoc(x);
		free(s);
	}
	zip_close(za);
	buf_free(&odt);
}

static void test_meta(void **state)
{
	(void)state;
	struct buf odt = odt_of("x\n", "SIRT-2026-0142 <communications> & \"drafts\"", T0);
	zip_t *za = open_zip(&odt);
	char *s = entry(za, "meta.xml");
	xmlDocPtr x = parse_xml(s, "meta.xml");
	assert_count(x, "//office:meta/dc:title[.='SIRT-2026-0142 <communications> & \"drafts\"']", 1);
	assert_count(x, "//office:meta/meta:generator[.='sircomm']", 1);
	assert_count(x, "//office:meta/meta:creation-date[.='2026-03-04T09:12:00Z']", 1);
	assert_count(x, "//office:meta/dc:date[.='2026-03-04T09:12:00Z']", 1);
	xmlFreeDoc(x);
	free(s);
	zip_close(za);
	buf_free(&odt);
}

static void test_content(void **state)
{
	(void)state;
	struct buf odt = odt_of(sample, "t", T0);
	zip_t *za = open_zip(&odt);
	char *s = entry(za, "content.xml");
	xmlDocPtr x = parse_xml(s, "content.xml");
	zip_close(za);

	/* Headings, with a page break before every level-1 heading but the first. */
	assert_count(x, "//text:h", 5);
	assert_count(x, "//text:h[@text:outline-level='1' and @text:style-name='Heading_20_1']"
		     "[.='Incident SIRT-2026-0142']", 1);
	assert_count(x, "//text:h[@text:outline-level='2' and @text:style-name='Heading_20_2']"
		     "[.='Timeline']", 1);
	assert_count(x, "//text:h[@text:outline-level='3'][.='Level three']", 1);
	assert_count(x, "//text:h[@text:outline-level='1' and @text:style-name='P_h1_break']", 2);
	assert_count(x, "//style:style[@style:name='P_h1_break' and "
		     "@style:parent-style-name='Heading_20_1']"
		     "/style:paragraph-properties[@fo:break-before='page']", 1);

	/* Inline formatting as spans of automatic styles. */
	assert_count(x, "//text:span[.='emphasis']", 1);
	assert_count(x, "//style:style[@style:name=//text:span[.='emphasis']/@text:style-name]"
		     "/style:text-properties[@fo:font-style='italic']", 1);
	assert_count(x, "//style:style[@style:name=//text:span[.='strong']/@text:style-name]"
		     "/style:text-properties[@fo:font-weight='bold']", 1);
	assert_count(x, "//style:style[@style:name=//text:span[.='struck']/@text:style-name]"
		     "/style:text-properties[@style:text-line-through-style='solid']", 1);
	assert_count(x, "//style:style[@style:name=//text:span[starts-with(., 'code')]"
		     "/@text:style-name]/style:text-properties[@style:font-name='Courier New']", 1);
	/* The two spaces inside the code span survive as text:s. */
	assert_count(x, "//text:span[starts-with(., 'code')]/text:s[@text:c='2']", 1);

	/* Links: web and mail only. */
	assert_count(x, "//text:a", 2);
	assert_count(x, "//text:a[@xlink:type='simple' and "
		     "@xlink:href='https://example.com/status?a=1&b=2'][.='web link']", 1);
	assert_count(x, "//text:a[@xlink:href='mailto:security@example.com'][.='mail link']", 1);
	assert_true(strstr(s, "javascript:") == NULL);
	assert_true(strstr(s, "data:text") == NULL);
	assert_count(x, "//text:p[contains(., 'bad link') and contains(., 'data link')]", 1);

	/* Line breaks, and raw HTML left out. */
	assert_count(x, "//text:p[contains(., 'Hard break here')]/text:line-break", 1);
	assert_true(strstr(s, "alert(") == NULL);
	assert_true(strstr(s, "block html") == NULL);
	assert_true(strstr(s, "&lt;b&gt;") == NULL);
	assert_count(x, "//text:p[contains(., 'inline html')]", 1);

	/* The table: columns, a header row, short rows padded. */
	assert_count(x, "//table:table", 1);
	assert_count(x, "//table:table/table:table-column[@table:number-columns-repeated='3']", 1);
	assert_count(x, "//table:table/table:table-header-rows/table:table-row/table:table-cell", 3);
	assert_count(x, "//table:table-header-rows//text:p[.='Time']", 1);
	assert_count(x, "//table:table/table:table-row", 2);
	assert_count(x, "//table:table/table:table-row/table:table-cell", 6);
	assert_count(x, "//table:table-cell/text:p[@text:style-name='P_cell_center']"
		     "[.='Detected']", 1);
	assert_count(x, "//table:table-cell/text:p[@text:style-name='P_cell_right'][.='SecOps']", 1);

	/* Lists, nested, bullet and numbered, with list styles. */
	assert_count(x, "/office:document-content/office:body/office:text/text:list", 3);
	assert_count(x, "//text:list[@text:style-name='L_bullet']/text:list-item"
		     "/text:list[@text:style-name='L_bullet']/text:list-item"
		     "/text:list[@text:style-name='L_number']/text:list-item[.='deep']", 1);
	assert_count(x, "//text:list[@text:style-name='L_paren']"
		     "/text:list-item[1][@text:start-value='3']", 1);
	assert_count(x, "//text:list-style[@style:name='L_bullet']", 1);
	assert_count(x, "//text:list-style[@style:name='L_number']/text:list-level-style-number"
		     "[@text:level='1' and @style:num-suffix='.']", 1);
	assert_count(x, "//text:list-item/text:p[.='\xE2\x98\x91 done task']", 1);
	assert_count(x, "//text:list-item/text:p[.='\xE2\x98\x90 open task']", 1);

	/* Block quotes as indented paragraphs. */
	assert_count(x, "//text:p[@text:style-name='Quotations'][.='Quoted paragraph.']", 1);
	assert_count(x, "//text:p[@text:style-name='P_quote2'][.='Nested quote.']", 1);

	/* Code blocks: spaces as text:s, tabs as text:tab, lines as line breaks. */
	assert_count(x, "//text:p[@text:style-name='Preformatted_20_Text']", 1);
	assert_count(x, "//text:p[@text:style-name='Preformatted_20_Text']/text:s[@text:c='2']", 1);
	assert_count(x, "//text:p[@text:style-name='Preformatted_20_Text']/text:s[@text:c='3']", 1);
	assert_count(x, "//text:p[@text:style-name='Preformatted_20_Text']/text:line-break", 1);
	assert_count(x, "//text:p[@text:style-name='Preformatted_20_Text']/text:tab", 1);

	/* The thematic break. */
	assert_count(x, "//text:p[@text:style-name='Horizontal_20_Line'][not(node())]", 1);
	xmlFreeDoc(x);
	free(s);
	buf_free(&odt);
}

static void test_edge_cases(void **state)
{
	(void)state;
	/* Runs of spaces in text, a table inside a list (which ODF cannot
	 * hold: written as paragraphs), control characters, and lists nested
	 * far deeper than the ten levels a list style has. */
	struct buf md = BUF_INIT;
	buf_puts(&md, "a   b\n\n- item\n\n  | x | y |\n  |---|---|\n  | 1 | 2 |\n\n"
		      "bell\x07 and \x01 control\n\n");
	for (int i = 0; i < 40; i++)
		buf_puts(&md, "- ");
	buf_puts(&md, "deep\n\n-\n\n* <div>raw</div>\n");
	struct buf odt = odt_of(md.data, "t\x01itle", T0);
	zip_t *za = open_zip(&odt);
	char *s = entry(za, "content.xml");
	xmlDocPtr x = parse_xml(s, "content.xml");
	assert_count(x, "//text:p[.='ab']/text:s[@text:c='3']", 1);
	assert_count(x, "//table:table", 0);
	assert_count(x, "//text:list-item/text:p[.='x | y']", 1);
	assert_count(x, "//text:list-item/text:p[.='1 | 2']", 1);
	/* XPath's string value leaves out the text:s for the two spaces. */
	assert_count(x, "//text:p[.='bell andcontrol']/text:s[@text:c='2']", 1);
	assert_true(strchr(s, '\x07') == NULL && strchr(s, '\x01') == NULL);
	assert_count(x, "//text:list-item[.='deep']", 10);
	assert_count(x, "//text:list[count(ancestor::text:list) >= 10]", 0);
	/* An empty item, or one of raw HTML only, still holds a paragraph. */
	assert_count(x, "//text:list-item[not(node())]", 0);
	assert_count(x, "//text:list-item[text:p[not(node())]]", 2);
	assert_true(strstr(s, "raw") == NULL);
	xmlFreeDoc(x);
	free(s);
	s = entry(za, "meta.xml");
	x = parse_xml(s, "meta.xml");
	assert_count(x, "//dc:title[.='title']", 1);
	xmlFreeDoc(x);
	free(s);
	zip_close(za);
	buf_free(&odt);
	buf_free(&md);

	/* An empty document is still a document. */
	odt = odt_of("", NULL, T0);
	za = open_zip(&odt);
	s = entry(za, "content.xml");
	x = parse_xml(s, "content.xml");
	assert_count(x, "/office:document-content/office:body/office:text", 1);
	xmlFreeDoc(x);
	free(s);
	s = entry(za, "meta.xml");
	x = parse_xml(s, "meta.xml");
	assert_count(x, "//dc:title", 0);
	xmlFreeDoc(x);
	free(s);
	zip_close(za);
	buf_free(&odt);
}

/* Every script has a font and a size: Western text Arial, Asian (CJK)
 * and complex (Arabic, Hebrew) text the generic sans-serif family, so a
 * Japanese title is neither dropped nor set smaller than its heading. */
static void test_fonts(void **state)
{
	(void)state;
	struct buf odt = odt_of("# 東京リージョン\n\nالعملاء `code` לקוחות\n", "t", T0);
	zip_t *za = open_zip(&odt);
	for (int i = 0; i < 2; i++) {
		const char *name = i ? "content.xml" : "styles.xml";
		char *s = entry(za, name);
		xmlDocPtr x = parse_xml(s, name);
		/* Declared in each file, by family and generic family. */
		assert_count(x, "//office:font-face-decls/style:font-face[@style:name='Arial' and "
			     "@svg:font-family='Arial' and @style:font-family-generic='swiss']", 1);
		assert_count(x, "//office:font-face-decls/style:font-face[@style:name='sans-serif' "
			     "and @svg:font-family='sans-serif' and "
			     "@style:font-family-generic='swiss']", 1);
		assert_count(x, "//office:font-face-decls/style:font-face[@style:name='Courier New' "
			     "and @style:font-family-generic='modern']", 1);
		/* Every font a style names is declared in the same file. */
		assert_count(x, "//@style:font-name[not(. = //style:font-face/@style:name)] | "
			     "//@style:font-name-asian[not(. = //style:font-face/@style:name)] | "
			     "//@style:font-name-complex[not(. = //style:font-face/@style:name)]", 0);
		/* A size set for one script is set for all three. */
		assert_count(x, "//style:text-properties[@fo:font-size or @style:font-size-asian or "
			     "@style:font-size-complex][not(@style:font-size-asian = @fo:font-size "
			     "and @style:font-size-complex = @fo:font-size)]", 0);
		xmlFreeDoc(x);
		free(s);
	}
	char *s = entry(za, "styles.xml");
	xmlDocPtr x = parse_xml(s, "styles.xml");
	assert_count(x, "//office:styles/style:default-style[@style:family='paragraph']/"
		     "style:text-properties[@style:font-name='Arial' and "
		     "@style:font-name-asian='sans-serif' and @style:font-name-complex='sans-serif' "
		     "and @fo:font-size='11pt']", 1);
	assert_count(x, "//style:style[@style:name='Heading_20_1']/style:text-properties"
		     "[@style:font-size-asian='20pt' and @style:font-size-complex='20pt']", 1);
	xmlFreeDoc(x);
	free(s);
	zip_close(za);
	buf_free(&odt);
}

static void test_deterministic(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	struct buf a = odt_of(sample, "t", T0);
	/* Another time zone gives the same bytes: zip times are UTC. */
	setenv("TZ", "America/New_York", 1);
	tzset();
	struct buf b = odt_of(sample, "t", T0);
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);

	/* Every entry has the fixed time (read back in UTC). */
	zip_t *za = open_zip(&a);
	for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); i++) {
		zip_stat_t st;
		assert_int_equal(zip_stat_index(za, (zip_uint64_t)i, 0, &st), 0);
		assert_true(st.valid & ZIP_STAT_MTIME);
		assert_int_equal((int64_t)st.mtime, T0);
	}
	zip_close(za);

	/* A different time or text changes the bytes. */
	struct buf c = odt_of(sample, "t", T0 + 3600);
	assert_true(c.len != a.len || memcmp(a.data, c.data, a.len) != 0);
	struct buf e = odt_of("other\n", "t", T0);
	assert_true(e.len != a.len || memcmp(a.data, e.data, e.len < a.len ? e.len : a.len) != 0);

	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
	buf_free(&e);
}

static void test_appends(void **state)
{
	(void)state;
	/* odf_write appends to what the buffer holds. */
	cmark_node *doc = parse("# x\n");
	struct odf_meta meta = { "t", T0 };
	struct buf out = BUF_INIT;
	buf_puts(&out, "prefix");
	struct diag d = DIAG_INIT;
	assert_int_equal(odf_write(doc, &meta, &out, &d), 0);
	assert_memory_equal(out.data, "prefixPK\x03\x04", 10);
	struct buf alone = odt_of("# x\n", "t", T0);
	assert_int_equal(out.len, alone.len + 6);
	assert_memory_equal(out.data + 6, alone.data, alone.len);
	buf_free(&alone);
	buf_free(&out);
	diag_free(&d);
	cmark_node_free(doc);
}

/* The body of md's content.xml, what <office:text> holds, as a new
 * string. */
static char *body_of(const char *md)
{
	struct buf odt = odt_of(md, "t", T0);
	zip_t *za = open_zip(&odt);
	char *s = entry(za, "content.xml");
	zip_close(za);
	buf_free(&odt);
	char *start = strstr(s, "<office:text>"), *end = strstr(s, "</office:text>");
	if (!start || !end)
		fail_msg("no office:text in %s", s);
	start += strlen("<office:text>");
	char *body = xstrndup(start, (size_t)(end - start));
	free(s);
	return body;
}

#define P(x) "<text:p text:style-name=\"Text_20_body\">" x "</text:p>"

/* Text as ODF holds it, byte for byte: what XML cannot hold dropped or
 * replaced, the escapes, and white space that ODF would collapse written
 * as elements, with a dropped character no break in a run of spaces. */
static void test_text(void **state)
{
	(void)state;
	static const struct { const char *md, *want; } cases[] = {
		{ "plain words, one space each", P("plain words, one space each") },
		{ "a & b < c > \"d\" 'e'", P("a &amp; b &lt; c &gt; &quot;d&quot; 'e'") },
		{ "one  two   three", P("one<text:s text:c=\"2\"/>two<text:s text:c=\"3\"/>three") },
		/* Dropped characters join the spaces around them. */
		{ "a \x01 b", P("a<text:s text:c=\"2\"/>b") },
		{ "x \xEF\xBF\xBE y\xEF\xBF\xBFz", P("x<text:s text:c=\"2\"/>yz") },
		{ "three\x01\x7f end \x01", P("three end ") },
		{ "bell\x07 and \x01 control", P("bell and<text:s text:c=\"2\"/>control") },
		/* Invalid UTF-8, byte by byte; valid kept as it is. */
		{ "bad \xFF byte \xE2.", P("bad \xEF\xBF\xBD byte \xEF\xBF\xBD.") },
		{ "caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 ok", P("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x98\x80 ok") },
		{ "\xED\xA0\x80 \xF4\x90\x80\x80", P("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") },
		/* Text that is all dropped has no span; a space at a paragraph
		 * start, or after a space a span ended with, is kept. */
		{ "*\x01* and `  code \x01 ` end",
		  P("<text:s/>and <text:span text:style-name=\"T8\"><text:s/>code </text:span><text:s/>end") },
		{ "~~\x01~~x", P("x") },
		{ "**bold** *it* ~~gone~~ `c`", P("<text:span text:style-name=\"T2\">bold</text:span> "
						   "<text:span text:style-name=\"T1\">it</text:span> "
						   "<text:span text:style-name=\"T4\">gone</text:span> "
						   "<text:span text:style-name=\"T8\">c</text:span>") },
		/* Eight bytes at a time and one at a time agree at the seams. */
		{ "abcdefg  hijklmno pqrstuvw xyz", P("abcdefg<text:s text:c=\"2\"/>hijklmno pqrstuvw xyz") },
		{ "abcdefg hijklmn\x01 opqrstu", P("abcdefg hijklmn opqrstu") },
		{ "abcdefg \x01 hijklmn", P("abcdefg<text:s text:c=\"2\"/>hijklmn") },
		{ "    lead\ttab\n    \x01 x", "<text:p text:style-name=\"Preformatted_20_Text\">lead<text:tab/>"
						  "tab<text:line-break/><text:s/>x</text:p>" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *body = body_of(cases[i].md);
		if (strcmp(body, cases[i].want) != 0)
			fail_msg("case %zu:\n got  %s\n want %s", i, body, cases[i].want);
		free(body);
	}
}

/* One column style for each column count the tables use, fewest first,
 * wherever the tables are (in a quote, or in a list, where they are
 * written flat). */
static void test_column_styles(void **state)
{
	(void)state;
	const char *md =
		"| a | b | c | d |\n|---|---|---|---|\n| 1 | 2 | 3 | 4 |\n\n"
		"> | a | b |\n> |---|---|\n> | 1 | 2 |\n\n"
		"| a | b | c | d |\n|---|---|---|---|\n\n"
		"- item\n\n  | a | b | c | d | e | f | g |\n  |---|---|---|---|---|---|---|\n\n"
		"| x |\n|---|\n";
	struct buf odt = odt_of(md, "t", T0);
	zip_t *za = open_zip(&odt);
	char *s = entry(za, "content.xml");
	zip_close(za);
	buf_free(&odt);
	const char *want =
		"<style:style style:name=\"Tbl.C1\" style:family=\"table-column\">"
		"<style:table-column-properties style:column-width=\"170.00mm\" "
		"style:rel-column-width=\"170000*\"/></style:style>"
		"<style:style style:name=\"Tbl.C2\" style:family=\"table-column\">"
		"<style:table-column-properties style:column-width=\"85.00mm\" "
		"style:rel-column-width=\"85000*\"/></style:style>"
		"<style:style style:name=\"Tbl.C4\" style:family=\"table-column\">"
		"<style:table-column-properties style:column-width=\"42.50mm\" "
		"style:rel-column-width=\"42500*\"/></style:style>"
		"<style:style style:name=\"Tbl.C7\" style:family=\"table-column\">"
		"<style:table-column-properties style:column-width=\"24.28mm\" "
		"style:rel-column-width=\"24285*\"/></style:style>"
		"<style:style style:name=\"Tbl.cell\"";
	if (!strstr(s, want))
		fail_msg("column styles not as expected in %s", s);
	xmlDocPtr x = parse_xml(s, "content.xml");
	assert_count(x, "//style:style[@style:family='table-column']", 4);
	assert_count(x, "//table:table", 4);
	assert_count(x, "//table:table-column[@table:style-name='Tbl.C4']", 2);
	xmlFreeDoc(x);
	free(s);
}

/* A table of n columns and one row, as Markdown. */
static void table_md(struct buf *md, int n)
{
	buf_reset(md);
	for (int i = 0; i < n; i++)
		buf_puts(md, "| c ");
	buf_puts(md, "|\n");
	for (int i = 0; i < n; i++)
		buf_puts(md, "|---");
	buf_puts(md, "|\n");
}

/* The column styles are deflated once a process for the first sets of
 * column counts met, and a document's bytes must not depend on that:
 * a document whose set comes after the kept ones are all taken is the
 * same .odt as when it is the first document of its process (a bundle
 * made alone and one made in a long batch hash the same). */
static void test_column_sets_any_order(void **state)
{
	(void)state;
	/* A document of many tables, each with its own count, so that its
	 * column styles are kilobytes long. */
	struct buf md = BUF_INIT, one = BUF_INIT;
	for (int n = 41; n <= 120; n++) {
		table_md(&one, n);
		buf_append(&md, one.data, one.len);
		buf_puts(&md, "\n");
	}
	buf_free(&one);
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		/* Its set is met while there is room to keep it. */
		struct buf odt = odt_of(md.data, "t", T0);
		size_t done = 0;
		while (done < odt.len) {
			ssize_t w = write(fd[1], odt.data + done, odt.len - done);
			if (w <= 0)
				_exit(1);
			done += (size_t)w;
		}
		_exit(0);
	}
	close(fd[1]);
	struct buf alone = BUF_INIT;
	char chunk[4096];
	ssize_t r;
	while ((r = read(fd[0], chunk, sizeof chunk)) > 0)
		buf_append(&alone, chunk, (size_t)r);
	close(fd[0]);
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	/* Forty other sets first: more than are kept. */
	for (int n = 1; n <= 40; n++) {
		struct buf other = BUF_INIT;
		table_md(&other, n);
		struct buf odt = odt_of(other.data, "t", T0);
		buf_free(&odt);
		buf_free(&other);
	}
	struct buf late = odt_of(md.data, "t", T0);
	assert_int_equal(late.len, alone.len);
	assert_memory_equal(late.data, alone.data, alone.len);
	buf_free(&late);
	buf_free(&alone);
	buf_free(&md);
}

/* Block quotes nested far deeper than any stack would hold a call for
 * each, around a table: its columns are still found. */
static void test_deep_quotes(void **state)
{
	(void)state;
	enum { DEPTH = 300000 };
	struct buf md = BUF_INIT;
	for (int line = 0; line < 2; line++) {
		for (int i = 0; i < DEPTH; i++)
			buf_puts(&md, ">");
		buf_puts(&md, line ? " |---|---|---|\n" : " | a | b | c |\n");
	}
	char *body = body_of(md.data);
	assert_non_null(strstr(body, "<table:table table:name=\"Table1\" table:style-name=\"Tbl\">"
				     "<table:table-column table:style-name=\"Tbl.C3\""));
	free(body);
	struct buf odt = odt_of(md.data, "t", T0);
	zip_t *za = open_zip(&odt);
	char *s = entry(za, "content.xml");
	assert_non_null(strstr(s, "<style:style style:name=\"Tbl.C3\" style:family=\"table-column\">"));
	free(s);
	zip_close(za);
	buf_free(&odt);
	buf_free(&md);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zip_layout),
		cmocka_unit_test(test_meta),
		cmocka_unit_test(test_content),
		cmocka_unit_test(test_edge_cases),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_column_styles),
		cmocka_unit_test(test_deep_quotes),
		cmocka_unit_test(test_fonts),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_column_sets_any_order),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
