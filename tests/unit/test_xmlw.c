/* Unit tests for xmlw.c: the bytes it writes, its escaping of every
 * special and control character and of invalid UTF-8, its output read
 * back by libxml2's parser, and the same bytes as libxml2's own
 * xmlTextWriter for the same calls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "base/util.h"
#include "format/xmlw.h"

#define DECL "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

/* A document of one element <e a="attr">text</e>, as written. */
static char *one_element(const char *attr, const char *text, size_t text_len)
{
	struct buf out = BUF_INIT;
	struct xmlw w;
	xmlw_begin(&w, &out);
	xmlw_open(&w, "e");
	xmlw_attr(&w, "a", attr);
	xmlw_text(&w, text, text_len);
	xmlw_close(&w);
	assert_int_equal(xmlw_finish(&w), 0);
	return buf_detach(&out);
}

static void assert_one_element(const char *attr, const char *text, const char *want_attr,
			       const char *want_text)
{
	char *got = one_element(attr, text, strlen(text));
	char *want = xasprintf(DECL "<e a=\"%s\">%s</e>\n", want_attr, want_text);
	assert_string_equal(got, want);
	free(got);
	free(want);
}

/* Each character that is escaped, dropped or checked, at every place in
 * a run of plain text (first, last, and either side of each eighth
 * byte): the same as in a text of its own, between the same letters. */
static void test_special_anywhere(void **state)
{
	(void)state;
	static const struct {
		const char *in, *text, *attr;
	} specials[] = {
		{ "&", "&amp;", "&amp;" }, { "<", "&lt;", "&lt;" }, { ">", "&gt;", "&gt;" },
		{ "\"", "&quot;", "&quot;" }, { "\t", "\t", "&#9;" }, { "\x01", "", "" },
		{ "\xC3\xA9", "\xC3\xA9", "\xC3\xA9" }, { "\xFF", "\xEF\xBF\xBD", "\xEF\xBF\xBD" },
		{ "\x7f", "\x7f", "\x7f" },
	};
	const char *letters = "abcdefghijklmnopqrstuvwxyz";
	for (size_t k = 0; k < sizeof(specials) / sizeof(specials[0]); k++) {
		for (size_t at = 0; at <= 20; at++) {
			char *in = xasprintf("%.*s%s%s", (int)at, letters, specials[k].in, letters + at);
			char *text = xasprintf("%.*s%s%s", (int)at, letters, specials[k].text, letters + at);
			char *attr = xasprintf("%.*s%s%s", (int)at, letters, specials[k].attr, letters + at);
			assert_one_element(in, in, attr, text);
			free(in);
			free(text);
			free(attr);
		}
	}
}

static void test_structure(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct xmlw w;
	xmlw_begin(&w, &out);
	xmlw_open(&w, "office:root");
	xmlw_attr(&w, "xmlns:office", "urn:x");
	xmlw_open(&w, "empty");
	xmlw_close(&w);
	xmlw_open(&w, "attrs");
	xmlw_attr(&w, "a", "1");
	xmlw_attr(&w, "b", "");
	xmlw_close(&w);
	xmlw_open(&w, "blank");
	xmlw_text(&w, "", 0);        /* still ends the start tag, as libxml2 does */
	xmlw_close(&w);
	xmlw_open(&w, "p");
	xmlw_text(&w, "one", 3);
	xmlw_open(&w, "s");
	xmlw_close(&w);
	xmlw_text(&w, "two", 3);
	xmlw_open(&w, "unclosed");   /* closed by xmlw_finish */
	xmlw_open(&w, "deeper");
	assert_int_equal(xmlw_finish(&w), 0);
	assert_string_equal(buf_str(&out),
			    DECL "<office:root xmlns:office=\"urn:x\"><empty/><attrs a=\"1\" b=\"\"/>"
			    "<blank></blank><p>one<s/>two<unclosed><deeper/></unclosed></p>"
			    "</office:root>\n");
	buf_free(&out);
}

static void test_deep(void **state)
{
	(void)state;
	struct buf out = BUF_INIT, want = BUF_INIT;
	struct xmlw w;
	xmlw_begin(&w, &out);
	buf_puts(&want, DECL);
	for (int i = 0; i < 100; i++) {
		xmlw_open(&w, "d");
		buf_puts(&want, "<d>");
		xmlw_text(&w, "x", 1);
		buf_puts(&want, "x");
	}
	for (int i = 0; i < 100; i++) {
		xmlw_close(&w);
		buf_puts(&want, "</d>");
	}
	buf_puts(&want, "\n");
	assert_int_equal(xmlw_finish(&w), 0);
	assert_string_equal(buf_str(&out), buf_str(&want));
	buf_free(&out);
	buf_free(&want);
}

static void test_specials(void **state)
{
	(void)state;
	assert_one_element("a&b<c>d\"e'f", "a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e'f",
			   "a&amp;b&lt;c&gt;d&quot;e'f");
	/* White space: kept in text (a carriage return as a reference, or a
	 * parser would turn it into a line feed); all three as references in
	 * attribute values, which parsers otherwise normalise to spaces. */
	assert_one_element("t\tn\nr\r", "t\tn\nr\r", "t&#9;n&#10;r&#13;", "t\tn\nr&#13;");
	assert_one_element("&amp;", "]]>", "&amp;amp;", "]]&gt;");
}

static void test_controls(void **state)
{
	(void)state;
	/* Every C0 control (NUL included, in text given with its length) but
	 * tab, line feed and carriage return is dropped; DEL is a character
	 * XML 1.0 allows. */
	for (int c = 0; c < 0x20; c++) {
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		char text[4] = { 'a', (char)c, 'b', '\0' };
		char *got = one_element(c ? text : "ab", text, 3);
		assert_string_equal(got, DECL "<e a=\"ab\">ab</e>\n");
		free(got);
	}
	assert_one_element("a\x7f", "a\x7f", "a\x7f", "a\x7f");
}

static void test_utf8(void **state)
{
	(void)state;
	/* Well-formed characters stay as they are, up to U+10FFFF. */
	const char *ok = "\xC2\xA0 \xC3\xA9 \xE2\x82\xAC \xE2\x80\xA2 \xED\x9F\xBF \xEE\x80\x80 "
			 "\xEF\xBF\xBD \xF0\x90\x80\x80 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF";
	assert_one_element(ok, ok, ok, ok);
	/* U+FFFE and U+FFFF are not XML characters: dropped. */
	assert_one_element("a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c", "a\xEF\xBF\xBE" "b\xEF\xBF\xBF" "c",
			   "abc", "abc");
	/* Each byte that does not start a well-formed sequence becomes
	 * U+FFFD, and the bytes after it are read again. */
	static const struct {
		const char *in, *out;
	} bad[] = {
		{ "\x80", "\xEF\xBF\xBD" },                           /* stray continuation */
		{ "\xBF" "a", "\xEF\xBF\xBD" "a" },
		{ "\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD" },          /* overlong '/' */
		{ "\xC1\xBF", "\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\xE0\x80\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\xF0\x80\x80\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" }, /* a surrogate */
		{ "\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\xF5\x80", "\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\xFE\xFF", "\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\xE2\x82" "x", "\xEF\xBF\xBD\xEF\xBF\xBD" "x" },  /* truncated */
		{ "\xE2\x82", "\xEF\xBF\xBD\xEF\xBF\xBD" },          /* truncated at the end */
		{ "\xC3" "<", "\xEF\xBF\xBD" "&lt;" },
		{ "\xF0\x9F\x98", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_one_element(bad[i].in, bad[i].in, bad[i].out, bad[i].out);
}

/* A deterministic generator (xorshift), so failures repeat. */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Random bytes, biased to what needs care: specials, controls, lead
 * and continuation bytes, whole characters. */
static size_t random_bytes(uint32_t *seed, char *out, size_t max)
{
	static const char *const pieces[] = {
		"&", "<", ">", "\"", "'", "\t", "\n", "\r", " ", "a", "Z", "]]>", "\x01", "\x1f",
		"\x7f", "\x80", "\xC3", "\xC3\xA9", "\xE2\x80\xA2", "\xF0\x9F\x98\x80", "\xED\xA0\x80",
		"\xEF\xBF\xBE", "\xEF\xBF\xBD", "\xFF", "&amp;",
	};
	size_t n = 0, k = rnd(seed) % 40;
	for (size_t i = 0; i < k; i++) {
		const char *p = pieces[rnd(seed) % (sizeof(pieces) / sizeof(pieces[0]))];
		size_t len = strlen(p);
		if (n + len >= max)
			break;
		memcpy(out + n, p, len);
		n += len;
	}
	out[n] = '\0';
	return n;
}

/* True when s (n bytes) is what xmlw keeps as it is: well-formed UTF-8
 * of XML characters.  (xmlCheckUTF8 lets surrogates through, and so does
 * xmlTextWriter: xmlw writes U+FFFD for each of their bytes.) */
static bool is_clean(const char *s, size_t n)
{
	if (xmlCheckUTF8((const xmlChar *)s) == 0 || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
			return false;
		if (c == 0xED && i + 1 < n && (unsigned char)s[i + 1] >= 0xA0)
			return false;
		if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
		    ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF))
			return false;
	}
	return true;
}

/* Whatever the bytes, the output parses, and its text and attribute read
 * back as UTF-8; when the bytes were clean, they read back unchanged. */
static void test_parses_back(void **state)
{
	(void)state;
	uint32_t seed = 0x19b;
	char attr[256], text[256];
	int clean_seen = 0;
	for (int round = 0; round < 5000; round++) {
		size_t an = random_bytes(&seed, attr, sizeof(attr));
		size_t tn = random_bytes(&seed, text, sizeof(text));
		(void)an;
		char *xml = one_element(attr, text, tn);
		xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL,
					      XML_PARSE_NONET | XML_PARSE_NOERROR |
					      XML_PARSE_NOWARNING);
		if (!doc)
			fail_msg("libxml2 cannot parse: %s", xml);
		xmlNodePtr root = xmlDocGetRootElement(doc);
		assert_non_null(root);
		assert_string_equal((const char *)root->name, "e");
		xmlChar *a = xmlGetProp(root, BAD_CAST "a");
		xmlChar *t = xmlNodeGetContent(root);
		assert_non_null(a);
		assert_non_null(t);
		assert_true(xmlCheckUTF8(a));
		assert_true(xmlCheckUTF8(t));
		if (is_clean(attr, strlen(attr)))
			assert_string_equal((const char *)a, attr);
		if (is_clean(text, tn)) {
			assert_string_equal((const char *)t, text);
			clean_seen++;
		}
		xmlFree(a);
		xmlFree(t);
		xmlFreeDoc(doc);
		free(xml);
	}
	assert_true(clean_seen > 100);
}

/* libxml2's xmlTextWriter into a buffer, for the comparison below. */
static int writer_out(void *ctx, const char *data, int len)
{
	buf_append(ctx, data, (size_t)len);
	return len;
}

/* For clean text (what the working document writes) the bytes are
 * libxml2's xmlTextWriter's, call for call. */
static void test_same_as_libxml2(void **state)
{
	(void)state;
	uint32_t seed = 42;
	for (int round = 0; round < 2000; round++) {
		struct buf mine = BUF_INIT, theirs = BUF_INIT;
		struct xmlw w;
		xmlOutputBufferPtr ob = xmlOutputBufferCreateIO(writer_out, NULL, &theirs, NULL);
		xmlTextWriterPtr tw = xmlNewTextWriter(ob);
		assert_non_null(tw);
		xmlTextWriterStartDocument(tw, NULL, "UTF-8", NULL);
		xmlw_begin(&w, &mine);
		int depth = 0;
		bool in_tag = false;
		for (int step = 0; step < 60; step++) {
			char s[256];
			size_t n;
			do
				n = random_bytes(&seed, s, sizeof(s));
			while (!is_clean(s, n));
			switch (rnd(&seed) % 5) {
			case 0:
			case 1:
				xmlTextWriterStartElement(tw, BAD_CAST "el");
				xmlw_open(&w, "el");
				depth++;
				in_tag = true;
				break;
			case 2:
				if (!in_tag)
					break;
				xmlTextWriterWriteAttribute(tw, BAD_CAST "at", BAD_CAST s);
				xmlw_attr(&w, "at", s);
				break;
			case 3:
				if (!depth)
					break;
				xmlTextWriterWriteString(tw, BAD_CAST s);
				xmlw_text(&w, s, n);
				in_tag = false;
				break;
			case 4:
				if (!depth)
					break;
				xmlTextWriterEndElement(tw);
				xmlw_close(&w);
				depth--;
				in_tag = false;
				break;
			}
		}
		xmlTextWriterEndDocument(tw);
		xmlFreeTextWriter(tw);
		assert_int_equal(xmlw_finish(&w), 0);
		assert_string_equal(buf_str(&mine), buf_str(&theirs));
		buf_free(&mine);
		buf_free(&theirs);
	}
}

/* Raw XML ends an open start tag and is written as it is, between the
 * calls around it. */
static void test_raw(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct xmlw w;
	xmlw_begin(&w, &out);
	xmlw_open(&w, "r");
	xmlw_attr(&w, "a", "1");
	xmlw_raw(&w, "<k b=\"&amp;\"/>", 14);
	xmlw_raw(&w, "", 0);
	xmlw_open(&w, "e");
	xmlw_raw(&w, "<x/>", 4);
	xmlw_close(&w);
	xmlw_text(&w, "t", 1);
	assert_int_equal(xmlw_finish(&w), 0);
	assert_string_equal(buf_str(&out), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			    "<r a=\"1\"><k b=\"&amp;\"/><e><x/></e>t</r>\n");
	buf_free(&out);
}

/* Attributes written out, beside ones escaped, in the order given; and
 * long names closed whole. */
static void test_attrs(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct xmlw w;
	xmlw_begin(&w, &out);
	xmlw_open(&w, "office:document-content");
	xmlw_attrs(&w, " a=\"1\" b=\"x &amp; y\"");
	xmlw_attr(&w, "c", "<3>");
	xmlw_attrs(&w, "");
	xmlw_attrs(&w, " d=\"4\"");
	xmlw_open(&w, "text:p");
	xmlw_attrs(&w, " text:style-name=\"P\"");
	xmlw_close(&w);
	xmlw_open(&w, "table:table-header-rows");
	xmlw_text(&w, "t", 1);
	xmlw_close(&w);
	assert_int_equal(xmlw_finish(&w), 0);
	assert_string_equal(buf_str(&out),
			    DECL "<office:document-content a=\"1\" b=\"x &amp; y\" c=\"&lt;3&gt;\" "
			    "d=\"4\"><text:p text:style-name=\"P\"/><table:table-header-rows>t"
			    "</table:table-header-rows></office:document-content>\n");

	buf_reset(&out);
	xmlw_begin(&w, &out);  /* attributes after content */
	xmlw_open(&w, "e");
	xmlw_text(&w, "x", 1);
	xmlw_attrs(&w, " a=\"1\"");
	assert_int_equal(xmlw_finish(&w), -1);
	buf_free(&out);
}

static void test_misuse(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	struct xmlw w;

	xmlw_begin(&w, &out);  /* an attribute after content */
	xmlw_open(&w, "e");
	xmlw_text(&w, "x", 1);
	xmlw_attr(&w, "a", "1");
	assert_int_equal(xmlw_finish(&w), -1);

	buf_reset(&out);
	xmlw_begin(&w, &out);  /* a close with nothing open */
	xmlw_open(&w, "e");
	xmlw_close(&w);
	xmlw_close(&w);
	assert_int_equal(xmlw_finish(&w), -1);

	buf_reset(&out);
	xmlw_begin(&w, &out);  /* text outside the root */
	xmlw_text(&w, "x", 1);
	assert_int_equal(xmlw_finish(&w), -1);

	buf_reset(&out);
	xmlw_begin(&w, &out);  /* raw XML outside the root */
	xmlw_raw(&w, "<a/>", 4);
	assert_int_equal(xmlw_finish(&w), -1);
	buf_free(&out);

	struct buf small = BUF_INIT;  /* a buffer refusing to grow */
	small.max = 64;
	xmlw_begin(&w, &small);
	xmlw_open(&w, "e");
	for (int i = 0; i < 100; i++)
		xmlw_text(&w, "0123456789", 10);
	assert_int_equal(xmlw_finish(&w), -1);
	buf_free(&small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_specials),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_parses_back),
		cmocka_unit_test(test_same_as_libxml2),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_attrs),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_special_anywhere),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
