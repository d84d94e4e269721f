/* Unit tests for md.c and md_text.c: parsing, the plain-text and HTML
 * renderers, link safety, escaping for templates and display widths.
 * Every rendering is compared with the exact expected text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>

#include <cmark-gfm-core-extensions.h>

#include "base/asan.h"
#include "format/md.h"

/* Checks what every plain-text rendering promises: no trailing spaces,
 * and one final newline unless nothing was printed. */
static void check_text_shape(const char *s)
{
	size_t n = strlen(s);

	assert_null(strstr(s, " \n"));
	assert_null(strchr(s, '\r'));
	if (n == 0)
		return;
	assert_int_equal(s[n - 1], '\n');
	if (n >= 2)
		assert_int_not_equal(s[n - 2], '\n');
	assert_int_not_equal(s[0], '\n');
}

static char *text_of(const char *md, int width)
{
	cmark_node *doc = md_parse(md, strlen(md));
	struct buf out = BUF_INIT;

	md_render_text(doc, width, &out);
	cmark_node_free(doc);
	char *s = buf_detach(&out);
	check_text_shape(s);
	return s;
}

static char *html_of(const char *md)
{
	cmark_node *doc = md_parse(md, strlen(md));
	struct buf out = BUF_INIT;

	md_render_html(doc, &out);
	cmark_node_free(doc);
	return buf_detach(&out);
}

static void assert_text(const char *md, int width, const char *want)
{
	char *got = text_of(md, width);
	assert_string_equal(got, want);
	free(got);
}

static void assert_html(const char *md, const char *want)
{
	char *got = html_of(md);
	assert_string_equal(got, want);
	free(got);
}

static char *escaped(const char *s)
{
	struct buf b = BUF_INIT;
	md_escape(&b, s, strlen(s));
	return buf_detach(&b);
}

/* ---- Wrapping ------------------------------------------------------- */

static void test_wrap_exact_width(void **state)
{
	(void)state;
	/* The first line is exactly 72 columns: it stays whole. */
	assert_text("abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefghi next\n", 72,
		    "abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefghi\n"
		    "next\n");
	/* One more column would make 73: the last word moves down. */
	assert_text("abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefghij next\n", 72,
		    "abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh abcdefgh\n"
		    "abcdefghij next\n");
}

static void test_wrap_paragraphs(void **state)
{
	(void)state;
	assert_text("We detected unauthorized access to a database that stores customer contact\n"
		    "details.  Passwords   and payment data were *not* affected.\n"
		    "\n"
		    "We have rotated all credentials.\n", 72,
		    "We detected unauthorized access to a database that stores customer\n"
		    "contact details. Passwords and payment data were _not_ affected.\n"
		    "\n"
		    "We have rotated all credentials.\n");
}

static void test_wrap_long_word(void **state)
{
	(void)state;
	/* A word longer than the width stands alone, unbroken. */
	assert_text("Download it from https://downloads.example.com/releases/2026/03/04/security-fix-for-cve-2026-12345.tar.gz today.\n",
		    40,
		    "Download it from\n"
		    "https://downloads.example.com/releases/2026/03/04/security-fix-for-cve-2026-12345.tar.gz\n"
		    "today.\n");
	assert_text("tiny superextraordinarily x\n", 5,
		    "tiny\nsuperextraordinarily\nx\n");
}

/* Lines are filled greedily, whichever way a line is laid (copied whole
 * when its words are plain, a word at a time otherwise): random
 * paragraphs of ASCII words and words with a two-byte letter (one
 * column), single and double spaces, hard breaks, words longer than
 * the line, and link marks, against a word-at-a-time fill written here. */
static void test_wrap_matches_greedy(void **state)
{
	(void)state;
	uint32_t seed = 12345;
	for (int round = 0; round < 400; round++) {
		struct buf md = BUF_INIT, want = BUF_INIT;
		size_t width = 1 + (seed >> 8) % 40, col = 0;
		bool open = false;
		int words = 1 + (int)((seed >> 4) % 30);
		for (int w = 0; w < words; w++) {
			seed = seed * 1103515245u + 12345u;
			if (w > 0) {
				unsigned sep = (seed >> 16) % 10;
				if (sep == 0) {
					buf_puts(&md, "\\\n");
					buf_putc(&want, '\n');
					col = 0;
					open = false;
				} else {
					buf_puts(&md, sep == 1 ? "  " : " ");
				}
			}
			struct buf word = BUF_INIT;
			size_t len = 1 + (seed >> 20) % (seed % 7 == 0 ? 45 : 9), cols = 0;
			for (size_t k = 0; k < len; k++) {
				if ((seed >> 3) % 5 == 0 && k == len / 2)
					buf_puts(&word, "\xc3\xa9");  /* e acute: 2 bytes, 1 column */
				else
					buf_putc(&word, (char)('a' + (k * 7 + (seed >> 11)) % 26));
				cols++;
			}
			bool link = (seed >> 24) % 9 == 0;
			buf_puts(&md, link ? "[" : "");
			buf_append(&md, word.data, word.len);
			buf_puts(&md, link ? "](https://example.com/)" : "");
			if (link) {
				buf_puts(&word, " [1]");  /* the mark is kept with the word */
				cols += 4;
			}
			if (open && col + 1 + cols > width) {
				buf_putc(&want, '\n');
				col = 0;
				open = false;
			}
			if (open) {
				buf_putc(&want, ' ');
				col++;
			}
			buf_append(&want, word.data, word.len);
			col += cols;
			open = true;
			buf_free(&word);
		}
		buf_puts(&md, "\n");
		buf_puts(&want, "\n");
		if (strstr(buf_str(&md), "](https:"))
			buf_puts(&want, "\n[1] https://example.com/\n");
		char *got = text_of(buf_str(&md), (int)width);
		assert_string_equal(got, buf_str(&want));
		free(got);
		buf_free(&md);
		buf_free(&want);
	}
}

static void test_wrap_wide_characters(void **state)
{
	(void)state;
	/* CJK counts two columns a character: 8 + 1 + 8 = 17 fits in 18,
	 * one more word would not. */
	assert_text("漢字漢字 漢字漢字 漢字\n", 18, "漢字漢字 漢字漢字\n漢字\n");
	assert_text("漢字漢字 漢字漢字 漢字\n", 22, "漢字漢字 漢字漢字 漢字\n");
	/* Emoji count two. */
	assert_text("\xf0\x9f\x98\x80\xf0\x9f\x98\x80 \xf0\x9f\x98\x80\xf0\x9f\x98\x80 \xf0\x9f\x98\x80\xf0\x9f\x98\x80\n", 10,
		    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80 \xf0\x9f\x98\x80\xf0\x9f\x98\x80\n"
		    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\n");
	/* Combining marks count nothing: "e" + U+0301 is one column, so
	 * 5 + 1 + 4 = 10 fits exactly. */
	assert_text("e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81 "
		    "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81 x\n", 10,
		    "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81 "
		    "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81\n"
		    "x\n");
}

static void test_wrap_never_splits_characters(void **state)
{
	(void)state;
	/* Narrower than one character: each character whole on its own
	 * line (CJK breaks between characters). */
	assert_text("漢字 字 é ü\n", 1, "漢\n字\n字\né\nü\n");
	/* Text written without spaces breaks between wide characters, as
	 * much on each line as fits, but never before a closing mark such
	 * as "。" or after an opening one such as "「". */
	assert_text("日本語のテキストです。日本語のテキストです。\n", 20,
		    "日本語のテキストで\nす。日本語のテキスト\nです。\n");
	assert_text("これは「テスト」です。\n", 10, "これは「テ\nスト」で\nす。\n");
	/* Latin text beside it still breaks at spaces only; a word of
	 * Latin letters joined to CJK may break where the script changes. */
	assert_text("Example Cloud から送信された通知\n", 20,
		    "Example Cloud から送\n信された通知\n");
	/* A long address stays whole. */
	assert_text("見る https://example.com/a/very/long/path/indeed\n", 10,
		    "見る\nhttps://example.com/a/very/long/path/indeed\n");
}

static void test_wrap_disabled(void **state)
{
	(void)state;
	assert_text("one two three four five six seven\n", 0,
		    "one two three four five six seven\n");
	assert_text("one two three four five six seven\n", -1,
		    "one two three four five six seven\n");
}

static void test_display_width(void **state)
{
	(void)state;
	assert_int_equal(md_display_width("", 0), 0);
	assert_int_equal(md_display_width("abc", 3), 3);
	assert_int_equal(md_display_width("漢字", strlen("漢字")), 4);
	assert_int_equal(md_display_width("\xf0\x9f\x98\x80", 4), 2);
	assert_int_equal(md_display_width("e\xcc\x81", 3), 1);
	assert_int_equal(md_display_width("caf\xc3\xa9", 5), 4);
	/* Invalid bytes, a truncated sequence, an encoded surrogate: 1 each. */
	assert_int_equal(md_display_width("\xff\xfe", 2), 2);
	assert_int_equal(md_display_width("a\xe6\xbc", 3), 3);
	assert_int_equal(md_display_width("\xed\xa0\x80", 3), 3);
	/* Only n bytes are read. */
	assert_int_equal(md_display_width("abcdef", 2), 2);
	assert_int_equal(md_display_width("abcdefghijklmnopq", 9), 9);
	/* Long ASCII runs with a wide character, a tab or DEL anywhere in
	 * them, or a byte past ASCII at the end of eight. */
	assert_int_equal(md_display_width("abcdefghijklmnop", 16), 16);
	for (size_t at = 0; at <= 16; at++) {
		char s[64];
		const char *const mid[] = { "\xe6\xbc\xa2", "\t", "\x7f", "\xc3\xa9" };
		const size_t width[] = { 2, 0, 0, 1 };
		for (size_t k = 0; k < 4; k++) {
			int len = snprintf(s, sizeof(s), "%.*s%s%s", (int)at, "abcdefghijklmnopq",
					   mid[k], "rstuvwxyzABCDEFG");
			assert_int_equal(md_display_width(s, (size_t)len), at + width[k] + 16);
		}
	}
}

/* ---- Blocks --------------------------------------------------------- */

static void test_headings(void **state)
{
	(void)state;
	assert_text("# Service notice\n\nBody text.\n\n## Next steps\n\n### Details\n", 72,
		    "Service notice\n"
		    "==============\n"
		    "\n"
		    "Body text.\n"
		    "\n"
		    "Next steps\n"
		    "----------\n"
		    "\n"
		    "Details\n"
		    "-------\n");
	/* The underline is as wide as the text's display width. */
	assert_text("# 東京 update\n", 72, "東京 update\n===========\n");
	assert_text("Setext *title*\n==============\n", 72, "Setext _title_\n==============\n");
	/* A heading wider than the page wraps; underlined to its widest line. */
	assert_text("## Unauthorized access to the customer support portal\n", 30,
		    "Unauthorized access to the\n"
		    "customer support portal\n"
		    "--------------------------\n");
}

static void test_nested_lists(void **state)
{
	(void)state;
	assert_text("1. First item text that wraps onto a second line\n"
		    "   - nested bullet\n"
		    "   - another nested bullet that wraps too\n"
		    "2. Second\n", 30,
		    "1. First item text that wraps\n"
		    "   onto a second line\n"
		    "   - nested bullet\n"
		    "   - another nested bullet\n"
		    "     that wraps too\n"
		    "2. Second\n");
	assert_text("* a\n"
		    "  * b\n"
		    "    1. c\n"
		    "    2. d\n"
		    "* e\n", 72,
		    "- a\n"
		    "  - b\n"
		    "    1. c\n"
		    "    2. d\n"
		    "- e\n");
}

static void test_list_numbers(void **state)
{
	(void)state;
	/* The list's start is kept; numbers right-align once they reach 10,
	 * and wrapped lines hang under the text. */
	assert_text("8. eight\n9. nine\n10. ten is long enough to wrap\n", 20,
		    " 8. eight\n"
		    " 9. nine\n"
		    "10. ten is long\n"
		    "    enough to wrap\n");
	assert_text("3) three\n4) four\n", 72, "3) three\n4) four\n");
	assert_text("0. zero\n", 72, "0. zero\n");
	/* Three digits: the two-digit numbers get a space before them. */
	assert_text("98. a\n99. b\n100. c\n", 72, " 98. a\n 99. b\n100. c\n");
	assert_text("999999999. a\n", 72, "999999999. a\n");
}

static void test_loose_and_tight_lists(void **state)
{
	(void)state;
	assert_text("- one\n- two\n- three\n\nAfter.\n", 72,
		    "- one\n- two\n- three\n\nAfter.\n");
	assert_text("- one\n\n- two\n\n  second paragraph of two\n", 72,
		    "- one\n"
		    "\n"
		    "- two\n"
		    "\n"
		    "  second paragraph of two\n");
	/* Code inside an item hangs under its text. */
	assert_text("1. Run:\n\n       make install\n\n2. Restart.\n", 72,
		    "1. Run:\n"
		    "\n"
		    "       make install\n"
		    "\n"
		    "2. Restart.\n");
}

static void test_task_lists(void **state)
{
	(void)state;
	assert_text("- [ ] Rotate the service account credentials today\n"
		    "- [x] Notify legal\n", 30,
		    "- [ ] Rotate the service\n"
		    "      account credentials\n"
		    "      today\n"
		    "- [x] Notify legal\n");
}

/* md_parse_extensions: which extensions a text could use. */
static void test_parse_extensions(void **state)
{
	(void)state;
#define EXTS(md) md_parse_extensions(md, sizeof(md) - 1)
	assert_int_equal(EXTS(""), 0);
	assert_int_equal(EXTS("Plain words, with dates 2026-03-04 and times 09:46.\n"), 0);
	/* table: a pipe, or a delimiter row without one ("a\n:-:" is a
	 * table); "a\n---" is a setext heading, whatever the extension */
	assert_int_equal(EXTS("a | b\n"), MD_EXT_TABLE);
	assert_int_equal(EXTS("a\n:-:\n"), MD_EXT_TABLE);
	assert_int_equal(EXTS("a\n--:\n"), MD_EXT_TABLE);
	assert_int_equal(EXTS("a\n---\f\n"), MD_EXT_TABLE);
	assert_int_equal(EXTS("a\n\v---\n"), MD_EXT_TABLE);
	assert_int_equal(EXTS("a\n---\n"), 0);
	/* tasklist: cmark-gfm takes [X] as well as [x] */
	assert_int_equal(EXTS("- [ ] a\n"), MD_EXT_TASKLIST);
	assert_int_equal(EXTS("- [x] a\n"), MD_EXT_TASKLIST);
	assert_int_equal(EXTS("- [X] a\n"), MD_EXT_TASKLIST);
	assert_int_equal(EXTS("- [a] b\n"), 0);
	assert_int_equal(EXTS("~~gone~~\n"), MD_EXT_STRIKETHROUGH);
	/* autolink: "://", "www.", '@', and '&' (an entity can write '@') */
	assert_int_equal(EXTS("see https://example.com\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("see www.example.com\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("mail a@example.com\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("mail a&#64;example.com\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("Q&A\n"), MD_EXT_AUTOLINK);
	/* an address needs a letter, digit, '.', '+', '-' or '_' (or a
	 * backslash escape) before its '@' */
	assert_int_equal(EXTS("Slack (@devrel-team), @here\n"), 0);
	assert_int_equal(EXTS("x\\@example.com\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("_@example.com\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("mailto:@example.com\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("www,wwW.\n"), 0);
	/* ... but not inside an autolink "<...>", which is a link already */
	assert_int_equal(EXTS("<https://www.example.com/a?b&c> <security@example.com>\n"), 0);
	assert_int_equal(EXTS("<mailto:a@example.com>\n"), 0);
	/* unless something before it could take its '<' or part of it */
	assert_int_equal(EXTS("\\<https://example.com>\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("`<a`b@example.com>\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("[a](x<https://b)c@example.com>\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("| <https://a|b> |\n"), MD_EXT_TABLE | MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("<https://a b.com>\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("<h:/x> ://\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("<a@-b.com>\n"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("<a@b.com"), MD_EXT_AUTOLINK);
	assert_int_equal(EXTS("- [x] ~~a~~ | b@c.de\n"),
			 MD_EXT_TABLE | MD_EXT_AUTOLINK | MD_EXT_TASKLIST | MD_EXT_STRIKETHROUGH);
#undef EXTS
}

/* The old md_parse: all five extensions, then unsafe links unwrapped. */
static cmark_node *parse_with_all(const char *md, size_t n)
{
	static const char *const names[] = { "table", "autolink", "tasklist", "strikethrough", "tagfilter" };
	int options = CMARK_OPT_DEFAULT;
	if (!md_utf8_valid(md, n))
		options |= CMARK_OPT_VALIDATE_UTF8;
	cmark_gfm_core_extensions_ensure_registered();
	cmark_parser *parser = cmark_parser_new(options);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(names[i]));
	cmark_parser_feed(parser, md, n);
	cmark_node *doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
	struct buf scratch = BUF_INIT;
	md_render_html(doc, &scratch);
	buf_free(&scratch);
	return doc;
}

/* The tree as XML with source positions, and as HTML. */
static char *tree_of(cmark_node *doc)
{
	struct buf out = BUF_INIT;
	char *xml = cmark_render_xml(doc, CMARK_OPT_SOURCEPOS);
	buf_puts(&out, xml);
	free(xml);
	md_render_html(doc, &out);
	cmark_node_free(doc);
	return buf_detach(&out);
}

static void assert_same_tree(const char *md, size_t n)
{
	char *want = tree_of(parse_with_all(md, n));
	char *got = tree_of(md_parse(md, n));
	if (strcmp(want, got) != 0) {
		fprintf(stderr, "input:\n%.*s\nall five:\n%s\nmd_parse:\n%s\n", (int)n, md, want, got);
		fail();
	}
	free(want);
	free(got);
}

/* md_parse attaches only the extensions md_parse_extensions names: the
 * tree (with source positions) and the HTML are those of a parse with
 * all five, for the cases at the edges and for random documents made
 * of the bytes the extensions key on. */
static void test_parse_same_tree(void **state)
{
	static const char *const cases[] = {
		"a\n:-:\n", "a\n---\n", "a\n---\f\n", "- [X] done\n", "- [ ] not\n", "x &#64;example.com\n",
		"`<a`b@example.com>\n", "<https://a.b> and <a@b.co>\n", "[a](x<https://b)c@d.ef>\n",
		"| <https://a|b> |\n|-|\n", "see www.example.com and ftp://f.example\n", "\\<https://a.b>\n",
		"<javascript:alert(1)> [x](javascript:y)\n", "~~a~~ ~b~\n", "plain text with w and : only\n",
		"<javascript:alert(1)> <ftp://a.example> <HTTPS://ok.example>\n", "(@devrel-team) *a*@b.co \\_@c.de\n",
		"x\\@example.com\n", "y&#64;example.com\n", "mailto:@b.coexample\n", "xmpp:a@b.co/r\n",
	};
	static const char *const tokens[] = {
		"|", "-", ":", ":-", "-:", "---", "~", "~~", "[", "]", "[ ]", "[x]", "[X]", " ", "  ", "\n", "\n\n",
		"\t", "\v", "\f", "@", ".", "w", "www.", "://", "http", "ftp", "&", "&#64;", "&commat;", "*", "_",
		"`", "\\", "> ", "<", ">", "- ", "1. ", "# ", "=", "(", ")", "'", "\"", "a", "b.co", "a@b.co",
		"<https://a.b>", "<a@b.co>", "<a:b>", "](", "!",
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_same_tree(cases[i], strlen(cases[i]));
	uint32_t seed = 1;
	struct buf md = BUF_INIT;
	for (int doc = 0; doc < 3000; doc++) {
		buf_reset(&md);
		seed = seed * 1103515245u + 12345u;
		int n = (int)(seed >> 16) % 40;
		for (int k = 0; k < n; k++) {
			seed = seed * 1103515245u + 12345u;
			buf_puts(&md, tokens[(seed >> 16) % (sizeof tokens / sizeof tokens[0])]);
		}
		assert_same_tree(md.data ? md.data : "", md.len);
	}
	buf_free(&md);
}

static void test_block_quotes(void **state)
{
	(void)state;
	/* Wrapping leaves room for the "> " prefix. */
	assert_text("> A quote that is long enough to be wrapped here.\n"
		    ">\n"
		    "> > inner\n"
		    "\n"
		    "After.\n", 20,
		    "> A quote that is\n"
		    "> long enough to be\n"
		    "> wrapped here.\n"
		    ">\n"
		    "> > inner\n"
		    "\n"
		    "After.\n");
	assert_text("> - item in a quote\n>   that wraps\n", 14,
		    "> - item in a\n"
		    ">   quote that\n"
		    ">   wraps\n");
}

static void test_code_blocks(void **state)
{
	(void)state;
	assert_text("Run:\n"
		    "\n"
		    "```sh\n"
		    "curl -fsS https://status.example.com/api/v2/incidents/unresolved.json | jq .incidents\n"
		    "\n"
		    "  indented   spaces  kept\n"
		    "```\n"
		    "\n"
		    "Done.\n", 40,
		    "Run:\n"
		    "\n"
		    "    curl -fsS https://status.example.com/api/v2/incidents/unresolved.json | jq .incidents\n"
		    "\n"
		    "      indented   spaces  kept\n"
		    "\n"
		    "Done.\n");
	assert_text("    indented code\n", 72, "    indented code\n");
	/* Inline code keeps its backticks (test_code_spans). */
	assert_text("Set `max_retries = 3` now.\n", 72, "Set `max_retries = 3` now.\n");
}

static void test_inlines(void **state)
{
	(void)state;
	assert_text("*em* **strong** ~~struck~~ ***both*** _under_\n", 72,
		    "_em_ *strong* struck _*both*_ _under_\n");
	/* Soft break: a space; hard break (backslash or two spaces): a newline. */
	assert_text("one\ntwo\\\nthree  \nfour\n", 72, "one two\nthree\nfour\n");
	/* Images: their alt text. */
	assert_text("See ![the *status* chart](https://example.com/c.png).\n", 72,
		    "See the _status_ chart.\n");
	/* Control characters never reach the output. */
	assert_text("a\x1b[31mred\x07 b\n", 72, "a[31mred b\n");
}

/* Code spans keep their backticks: a reader sees where a command starts
 * and ends, and that the full stop after it is not part of it. */
/* md_render_text2 is md_render_text at each width, though the second
 * rendering takes the inline text and the tables from the first. */
static void test_two_widths(void **state)
{
	(void)state;
	const char *md = "# A heading that wraps at twenty\n\n"
			 "See [the advisory](https://a.example/adv) and `run this`, then\n"
			 "[the advisory](https://a.example/adv) again.\n\n"
			 "> - quoted item with [a link](https://b.example/)\n\n"
			 "| Who | When |\n|:--|--:|\n| [Legal](https://c.example/) | 10:00 |\n";
	const char *refs = "[1] https://a.example/adv\n"
			   "[2] https://b.example/\n"
			   "[3] https://c.example/\n";
	const char *table = "Who         When\n"
			    "---------  -----\n"
			    "Legal [3]  10:00\n";
	cmark_node *doc = md_parse(md, strlen(md));
	struct buf narrow = BUF_INIT, wide = BUF_INIT;
	md_render_text2(doc, 20, &narrow, 1000, &wide);
	char *want_narrow = xasprintf(
			     "A heading that wraps\nat twenty\n====================\n\n"
			     "See the advisory [1]\nand `run this`, then\nthe advisory [1]\nagain.\n\n"
			     "> - quoted item with\n>   a link [2]\n\n%s\n%s", table, refs);
	char *want_wide = xasprintf(
			     "A heading that wraps at twenty\n==============================\n\n"
			     "See the advisory [1] and `run this`, then the advisory [1] again.\n\n"
			     "> - quoted item with a link [2]\n\n%s\n%s", table, refs);
	assert_string_equal(buf_str(&narrow), want_narrow);
	assert_string_equal(buf_str(&wide), want_wide);
	free(want_narrow);
	free(want_wide);

	/* The other way round, and the same as one rendering at a time. */
	char *one_narrow = text_of(md, 20), *one_wide = text_of(md, 1000);
	buf_reset(&narrow);
	buf_reset(&wide);
	md_render_text2(doc, 1000, &wide, 20, &narrow);
	assert_string_equal(buf_str(&narrow), one_narrow);
	assert_string_equal(buf_str(&wide), one_wide);
	free(one_narrow);
	free(one_wide);
	buf_free(&narrow);
	buf_free(&wide);
	cmark_node_free(doc);
}

static void test_code_spans(void **state)
{
	(void)state;
	assert_text("1. **Upgrade to 18.2.1 immediately.** If you cannot upgrade, disable the\n"
		    "   importer: set `importer.enabled: false` in `pipelines.yml` and restart.\n", 72,
		    "1. *Upgrade to 18.2.1 immediately.* If you cannot upgrade, disable the\n"
		    "   importer: set `importer.enabled: false` in `pipelines.yml` and\n"
		    "   restart.\n");
	assert_text("Then run `systemctl restart pipelines`.\n", 72,
		    "Then run `systemctl restart pipelines`.\n");
	/* A command is never broken across lines, even where a line would
	 * hold part of it. */
	assert_text("Then run `systemctl restart pipelines` now.\n", 24,
		    "Then run\n`systemctl restart pipelines`\nnow.\n");
	/* Backticks inside: a longer delimiter, and a space inside it when
	 * the code starts or ends with one. */
	assert_text("Quote with ``a`b`` or `` `x` `` or ` `` `.\n", 72,
		    "Quote with ``a`b`` or `` `x` `` or ``` `` ```.\n");
	/* Runs of spaces inside code are kept; code of control characters
	 * only prints nothing. */
	assert_text("Pad `a  b` here and `\x07` there.\n", 72,
		    "Pad `a  b` here and there.\n");
	/* An address alone is printed bare, as in running text: a mail
	 * client makes it a link, and must not take a backtick with it. */
	assert_text("Sign in at `https://cloud.example.com`, `www.example.com` or mail\n"
		    "`security@example.com`; not `https://x.example/a b` or `a@b`.\n", 0,
		    "Sign in at https://cloud.example.com, www.example.com or mail "
		    "security@example.com; not `https://x.example/a b` or `a@b`.\n");
	/* In a table cell and a link text too. */
	assert_text("| key |\n|---|\n| `x: 1` |\n\n[`sircomm check`](https://example.com/c)\n", 72,
		    "key\n------\n`x: 1`\n\n`sircomm check` [1]\n\n[1] https://example.com/c\n");
}

/* Emphasis shows as _this_ and strong emphasis as *this*, as plain-text
 * mail writes them, so a stressed "not" stays stressed. */
static void test_emphasis(void **state)
{
	(void)state;
	assert_text("Passwords were *not* affected; do **not** reply.\n", 72,
		    "Passwords were _not_ affected; do *not* reply.\n");
	assert_text("__Strong__ and _em_ and ***both*** and **`code`**.\n", 72,
		    "*Strong* and _em_ and _*both*_ and *`code`*.\n");
	/* Intraword, and across a line break: the marks stay with their words. */
	assert_text("un**believ**able and *two words*\n", 14,
		    "un*believ*able\nand _two\nwords_\n");
}

static void test_thematic_break(void **state)
{
	(void)state;
	assert_text("a\n\n---\n\nb\n", 72,
		    "a\n\n"
		    "------------------------------------------------------------------------\n"
		    "\nb\n");
	assert_text("a\n\n***\n\nb\n", 20, "a\n\n--------------------\n\nb\n");
	assert_text("a\n\n***\n\nb\n", 0,
		    "a\n\n"
		    "------------------------------------------------------------------------\n"
		    "\nb\n");
}

static void test_tables(void **state)
{
	(void)state;
	assert_text("| Item | Qty | Note |\n"
		    "|:-----|----:|:----:|\n"
		    "| 東京 | 1 | *ok* |\n"
		    "| b | 1000 | x |\n", 72,
		    "Item   Qty  Note\n"
		    "----  ----  ----\n"
		    "東京     1  _ok_\n"
		    "b     1000   x\n");
	/* No alignment given: left.  Inline markup becomes text; a short row
	 * gets empty cells. */
	assert_text("| Service | Status |\n"
		    "|---|---|\n"
		    "| `api` | **degraded** |\n"
		    "| web |\n", 72,
		    "Service  Status\n"
		    "-------  ----------\n"
		    "`api`    *degraded*\n"
		    "web\n");
	/* Wider than the page: laid out anyway, never wrapped. */
	assert_text("| a | b |\n|---|---|\n| a long cell value | another long cell value |\n", 20,
		    "a                  b\n"
		    "-----------------  -----------------------\n"
		    "a long cell value  another long cell value\n");
	/* Runs of spaces in a cell print as one, a code span's as they are;
	 * centred cells split their padding, the odd column on the right. */
	assert_text("| a | b |\n|:-:|---|\n| x  y   z | `p  q` |\n| long cell | r |\n", 72,
		    "    a      b\n"
		    "---------  ------\n"
		    "  x y z    `p  q`\n"
		    "long cell  r\n");
	/* An empty header row is left out. */
	assert_text("| | |\n|---|--:|\n| x | 10 |\n| yy | 2 |\n", 72,
		    "x   10\n"
		    "yy   2\n");
	/* Cells of plain ASCII, short and longer than eight bytes, beside
	 * cells that are not: a link's mark and a code span (kept spaces), a
	 * letter of two bytes and one column, runs of spaces; every column
	 * as wide as its widest cell in columns, not bytes. */
	assert_text("| plain | other |\n|--:|---|\n"
		    "| abcdefghijklmnop | [see](https://a.example/) |\n"
		    "| x | `a b c d e f` |\n"
		    "| caf\xc3\xa9 caf\xc3\xa9 | one  two   three four |\n"
		    "| a b c d e f g h | \xc3\xa9 |\n", 72,
		    "           plain  other\n"
		    "----------------  ------------------\n"
		    "abcdefghijklmnop  see [1]\n"
		    "               x  `a b c d e f`\n"
		    "       caf\xc3\xa9 caf\xc3\xa9  one two three four\n"
		    " a b c d e f g h  \xc3\xa9\n"
		    "\n"
		    "[1] https://a.example/\n");
}

/* ---- Links ---------------------------------------------------------- */

static void test_link_references(void **state)
{
	(void)state;
	assert_text("Read [the advisory](https://example.com/a) and [our post](https://example.com/b),\n"
		    "then [the advisory again](https://example.com/a).\n", 1000,
		    "Read the advisory [1] and our post [2], then the advisory again [1].\n"
		    "\n"
		    "[1] https://example.com/a\n"
		    "[2] https://example.com/b\n");
	/* Numbers follow first appearance through every block. */
	assert_text("# [Heading](https://h.example)\n\n"
		    "- [item](https://i.example)\n\n"
		    "| c |\n|---|\n| [cell](https://c.example) and [again](https://h.example) |\n", 72,
		    "Heading [1]\n"
		    "===========\n"
		    "\n"
		    "- item [2]\n"
		    "\n"
		    "c\n"
		    "----------------------\n"
		    "cell [3] and again [1]\n"
		    "\n"
		    "[1] https://h.example\n"
		    "[2] https://i.example\n"
		    "[3] https://c.example\n");
	/* Two-digit numbers, in the text and in the list; a heading with
	 * links is underlined as wide as its marks make it. */
	{
		struct buf md = BUF_INIT, want = BUF_INIT, refs = BUF_INIT;
		buf_puts(&md, "# [h](https://h.example/0)\n\n");
		buf_puts(&want, "h [1]\n=====\n\n");
		buf_puts(&refs, "[1] https://h.example/0\n");
		for (int i = 1; i <= 11; i++) {
			buf_printf(&md, "[w%d](https://w.example/%d) ", i, i);
			buf_printf(&want, "%sw%d [%d]", i > 1 ? " " : "", i, i + 1);
			buf_printf(&refs, "[%d] https://w.example/%d\n", i + 1, i);
		}
		buf_puts(&md, "\n");
		buf_printf(&want, "\n\n%s", buf_str(&refs));
		assert_text(buf_str(&md), 1000, buf_str(&want));
		buf_free(&md);
		buf_free(&want);
		buf_free(&refs);
	}
	/* The mark stays with its word when the line breaks. */
	assert_text("[word](https://e.example) tail\n", 6,
		    "word [1]\ntail\n\n[1] https://e.example\n");
}

static void test_autolinks_bare(void **state)
{
	(void)state;
	assert_text("Status: <https://status.example.com>, www.example.org, security@example.com,\n"
		    "[https://x.example/p](https://x.example/p) and [](https://empty.example).\n", 1000,
		    "Status: https://status.example.com, www.example.org, security@example.com, "
		    "https://x.example/p and https://empty.example.\n");
	/* A bare URL used again as a real link gets a number there. */
	assert_text("<https://a.example> [here](https://a.example)\n", 72,
		    "https://a.example here [1]\n\n[1] https://a.example\n");
}

static void test_unsafe_links_text(void **state)
{
	(void)state;
	assert_text("[a](javascript:alert(1)) [b](data:text/html,x) [c](/relative) [d](#frag)\n"
		    "[e](JavaScript:x) ![f](data:image/png;base64,AAAA) [g](vbscript:x)\n"
		    "[h](file:///etc/passwd) [i](jav&#x61;script:x) <javascript:alert(1)>\n"
		    "[j](HTTPS://ok.example) [k](mailto:sec@example.com)\n", 1000,
		    "a b c d e f g h i javascript:alert(1) j [1] k [2]\n"
		    "\n"
		    "[1] HTTPS://ok.example\n"
		    "[2] mailto:sec@example.com\n");
}

static void test_unsafe_links_html(void **state)
{
	(void)state;
	assert_html("[a](javascript:alert(1)) [b](data:text/html,x) [c](/relative) [d](#frag)\n"
		    "![e](data:image/png;base64,AAAA) [f](jav&#x61;script:x) <javascript:alert(1)>\n"
		    "[**g**](vbscript:x) [h](https://ok.example/?a=1&b=2 \"T\") [i](mailto:s@example.com)\n",
		    "<p>a b c d\n"
		    "e f javascript:alert(1)\n"
		    "<strong>g</strong> <a href=\"https://ok.example/?a=1&amp;b=2\" title=\"T\">h</a> "
		    "<a href=\"mailto:s@example.com\">i</a></p>\n");
	assert_html("![chart](https://example.com/c.png)\n",
		    "<p><img src=\"https://example.com/c.png\" alt=\"chart\" /></p>\n");
}

/* Documents that did not come from md_parse are made safe by the
 * renderers too: md_render_html changes the tree, md_render_text only
 * declines to print the destination. */
static void test_unsafe_links_foreign_tree(void **state)
{
	(void)state;
	const char *md = "[x](javascript:alert(1)) [y](https://ok.example)\n";
	cmark_node *doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	struct buf out = BUF_INIT;

	md_render_text(doc, 72, &out);
	assert_string_equal(buf_str(&out), "x y [1]\n\n[1] https://ok.example\n");
	buf_reset(&out);
	md_render_html(doc, &out);
	assert_string_equal(buf_str(&out), "<p>x <a href=\"https://ok.example\">y</a></p>\n");
	buf_free(&out);
	cmark_node_free(doc);
}

/* ---- Raw HTML ------------------------------------------------------- */

static void test_raw_html(void **state)
{
	(void)state;
	const char *md = "<script>alert(1)</script>\n"
			 "\n"
			 "Hello <b>world</b><img src=x onerror=alert(1)>!\n"
			 "\n"
			 "<div onclick=\"steal()\">block</div>\n"
			 "\n"
			 "<scrIpt >alert(2)</script>\n";
	char *html = html_of(md);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<scrIpt"));
	assert_null(strstr(html, "<b>"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<div"));
	assert_null(strstr(html, "alert"));
	assert_null(strstr(html, "onclick"));
	assert_non_null(strstr(html, "<p>Hello "));
	free(html);
	assert_text(md, 72, "Hello world!\n");
}

/* ---- Empty documents ------------------------------------------------ */

static void test_empty_document(void **state)
{
	(void)state;
	/* Nothing to print appends nothing at all (see md.h). */
	assert_text("", 72, "");
	assert_text("\n\n   \n", 72, "");
	assert_text("<!-- only a comment -->\n", 72, "");
	assert_html("", "");

	cmark_node *doc = md_parse(NULL, 0);
	struct buf out = BUF_INIT;
	buf_puts(&out, "kept");
	md_render_text(doc, 72, &out);
	assert_string_equal(buf_str(&out), "kept");
	buf_free(&out);
	cmark_node_free(doc);
}

/* ---- Escaping for templates ----------------------------------------- */

static void test_escape_exact(void **state)
{
	(void)state;
	char *s = escaped("a*b_c [x](y) <t> #1. done!\r\n\tz");
	assert_string_equal(s, "a\\*b_c \\[x\\](y) \\<t\\> #1. done!  z");
	free(s);
	s = escaped("50% & \"quotes\" 'ok' / \\ ~ | = : @ _x_ x_ SIRT-2026-0142 09:12");
	assert_string_equal(s, "50% \\& \"quotes\" 'ok' / \\\\ \\~ \\| = : @ \\_x\\_ x\\_ SIRT-2026-0142 09:12");
	free(s);
	/* Every byte between two letters: letters, digits, the space and
	 * bytes outside ASCII as they are; the markup characters escaped;
	 * control characters as a space. */
	for (int c = 1; c < 256; c++) {
		char in[4] = { 'x', (char)c, 'y', '\0' }, want[8];
		bool inert = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			     c == ' ' || c >= 0x80;
		if (inert || !strchr("\\`*[]<>&|~", c))
			snprintf(want, sizeof want, "x%cy", c < 0x20 || c == 0x7f ? ' ' : c);
		else
			snprintf(want, sizeof want, "x\\%cy", c);
		s = escaped(in);
		assert_string_equal(s, want);
		free(s);
	}
	/* What could start a block is escaped at the value's start only. */
	s = escaped("# not a heading - 1. x");
	assert_string_equal(s, "\\# not a heading - 1. x");
	free(s);
	s = escaped("- item");
	assert_string_equal(s, "\\- item");
	free(s);
	s = escaped("12. list");
	assert_string_equal(s, "12\\. list");
	free(s);
	s = escaped("3) list");
	assert_string_equal(s, "3\\) list");
	free(s);
	s = escaped("=== and +1");
	assert_string_equal(s, "\\=== and +1");
	free(s);
	/* A heading would take a trailing run of '#' for its closing. */
	s = escaped("Issue # and C# and ## ###  ");
	assert_string_equal(s, "Issue # and C# and ## \\###");
	free(s);
	/* No autolinks from values. */
	s = escaped("see https://x.example and www.example.org, not awww.x");
	assert_string_equal(s, "see https\\://x.example and www\\.example.org, not awww.x");
	free(s);
	/* White space at the ends goes, inside it stays. */
	s = escaped(" \t\r\n    four  spaces \n ");
	assert_string_equal(s, "four  spaces");
	free(s);
	s = escaped(" \t ");
	assert_string_equal(s, "");
	free(s);
	s = escaped("Über 東京 \xf0\x9f\x98\x80");
	assert_string_equal(s, "Über 東京 \xf0\x9f\x98\x80");
	free(s);
	/* n bytes, embedded NUL included. */
	struct buf b = BUF_INIT;
	md_escape(&b, "a\0b*", 4);
	assert_int_equal(b.len, 5);
	assert_memory_equal(b.data, "a b\\*", 5);
	buf_free(&b);
}

static void test_escape_hostile_title(void **state)
{
	(void)state;
	const char *title = "<script>alert(1)</script> [x](javascript:alert(1))";
	char *md = escaped(title);

	assert_text(md, 1000, "<script>alert(1)</script> [x](javascript:alert(1))\n");
	assert_html(md, "<p>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))</p>\n");
	free(md);
}

/* cmark-gfm's own test for Unicode punctuation and white space, the ones
 * its flanking rules use (exported by the library, declared in its
 * internal utf8.h only). */
int cmark_utf8proc_is_punctuation(int32_t uc);
int cmark_utf8proc_is_space(int32_t uc);

static void put_utf8(char *p, int32_t c)
{
	if (c < 0x80) {
		p[0] = (char)c;
		p[1] = 0;
	} else if (c < 0x800) {
		p[0] = (char)(0xC0 | (c >> 6));
		p[1] = (char)(0x80 | (c & 0x3F));
		p[2] = 0;
	} else if (c < 0x10000) {
		p[0] = (char)(0xE0 | (c >> 12));
		p[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		p[2] = (char)(0x80 | (c & 0x3F));
		p[3] = 0;
	} else {
		p[0] = (char)(0xF0 | (c >> 18));
		p[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		p[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		p[3] = (char)(0x80 | (c & 0x3F));
		p[4] = 0;
	}
}

/* An underscore beside anything cmark-gfm counts as punctuation or white
 * space could open or close emphasis: every one of them, over all of
 * Unicode, gets the underscore escaped, on either side. */
static void test_escape_underscore_by_category(void **state)
{
	(void)state;
	size_t checked = 0;
	for (int32_t c = 0x21; c <= 0x10FFFF; c++) {
		if ((c >= 0xD800 && c <= 0xDFFF) || c == '_' ||
		    !(cmark_utf8proc_is_punctuation(c) || cmark_utf8proc_is_space(c)))
			continue;
		char ch[5], in[16];
		put_utf8(ch, c);
		snprintf(in, sizeof in, "a%s_b", ch);
		char *s = escaped(in);
		assert_non_null(strstr(s, "\\_b"));
		free(s);
		snprintf(in, sizeof in, "a_%sb", ch);
		s = escaped(in);
		assert_memory_equal(s, "a\\_", 3);
		free(s);
		checked++;
	}
	assert_true(checked > 500);

	/* Inside a word of any script, '_' stays as written. */
	char *s = escaped("snake_case東京_大阪 Ünï_çødé x\xcc\x81_y");
	assert_string_equal(s, "snake_case東京_大阪 Ünï_çødé x\xcc\x81_y");
	free(s);
	/* Beside punctuation or a symbol, it is escaped, and the value
	 * comes out as its literal text. */
	s = escaped("«_private_» “_x_” ¡_y_! €_z_€");
	assert_string_equal(s, "«\\_private\\_» “\\_x\\_” ¡\\_y\\_! €\\_z\\_€");
	assert_text(s, 0, "«_private_» “_x_” ¡_y_! €_z_€\n");
	assert_html(s, "<p>«_private_» “_x_” ¡_y_! €_z_€</p>\n");
	free(s);
}

/* Each value, escaped and put where a template would put it, comes out as
 * its literal text: no markup, no links, no HTML. */
static void test_escape_round_trip(void **state)
{
	(void)state;
	static const struct {
		const char *value;
		const char *literal;  /* as the text renderer shows it */
	} cases[] = {
		{ "# not a heading", "# not a heading" },
		{ "- not an item", "- not an item" },
		{ "+ not an item", "+ not an item" },
		{ "1. not a list", "1. not a list" },
		{ "2) not a list", "2) not a list" },
		{ "> not a quote", "> not a quote" },
		{ "===", "===" },
		{ "---", "---" },
		{ "***", "***" },
		{ "| a | b |", "| a | b |" },
		{ "*em* **strong** _u_ ~~del~~ `code`", "*em* **strong** _u_ ~~del~~ `code`" },
		{ "[x]: https://evil.example", "[x]: https://evil.example" },
		{ "![img](https://evil.example/t.png)", "![img](https://evil.example/t.png)" },
		{ "<https://evil.example>", "<https://evil.example>" },
		{ "visit https://evil.example or www.evil.example", "visit https://evil.example or www.evil.example" },
		{ "&lt;b&gt; &amp; &#60;", "&lt;b&gt; &amp; &#60;" },
		{ "<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>" },
		{ "trailing backslash \\", "trailing backslash \\" },
		{ "line one\nline two\r\n\tthree", "line one line two three" },
		{ "```", "```" },
		{ "~~~", "~~~" },
		{ "[^1]", "[^1]" },
		{ "- [ ] task", "- [ ] task" },
		{ "    not code: *x*", "not code: *x*" },
		{ "\t\tnot code either", "not code either" },
		{ "no hard break  ", "no hard break" },
		{ "Issue #", "Issue #" },
		{ "project ###", "project ###" },
	};
	static const char *const places[][2] = {
		{ "", "\n" },
		{ "# ", "\n" },
		{ "- ", "\n" },
		{ "Intro\n", "\n" },
		{ "| h |\n|---|\n| ", " |\n" },
		{ "", "\nafter\n" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *esc = escaped(cases[i].value);
		for (size_t p = 0; p < sizeof places / sizeof places[0]; p++) {
			struct buf md = BUF_INIT;
			buf_puts(&md, places[p][0]);
			buf_puts(&md, esc);
			buf_puts(&md, places[p][1]);
			cmark_node *doc = md_parse(md.data, md.len);
			struct buf text = BUF_INIT, html = BUF_INIT;
			md_render_text(doc, 0, &text);
			md_render_html(doc, &html);
			cmark_node_free(doc);

			const char *t = buf_str(&text);
			switch (p) {
			case 0:
				assert_int_equal(strlen(t), strlen(cases[i].literal) + 1);
				assert_memory_equal(t, cases[i].literal, strlen(cases[i].literal));
				break;
			case 2:
				assert_memory_equal(t, "- ", 2);
				assert_memory_equal(t + 2, cases[i].literal, strlen(cases[i].literal));
				break;
			case 3:
				assert_memory_equal(t, "Intro ", 6);
				assert_memory_equal(t + 6, cases[i].literal, strlen(cases[i].literal));
				break;
			case 5:
				assert_memory_equal(t, cases[i].literal, strlen(cases[i].literal));
				assert_string_equal(t + strlen(cases[i].literal), " after\n");
				break;
			default:
				assert_non_null(strstr(t, cases[i].literal));
				break;
			}
			const char *h = buf_str(&html);
			static const char *const tags[] = {
				"<a", "<img", "<em", "<strong", "<del", "<code", "<script",
				"<blockquote", "<ol", "<hr", "<h2", "<input", "<sup",
			};
			for (size_t k = 0; k < sizeof tags / sizeof tags[0]; k++)
				assert_null(strstr(h, tags[k]));
			/* Only the place's own structure: one paragraph, heading,
			 * item or cell. */
			if (p == 0 || p == 3 || p == 5)
				assert_memory_equal(h, "<p>", 3);
			assert_null(strstr(h, "<br"));
			assert_null(strstr(h, "<pre"));
			buf_free(&md);
			buf_free(&text);
			buf_free(&html);
		}
		free(esc);
	}
}

/* ---- Record Markdown in templates ----------------------------------- */

/* value put by md_field after `line` (the template's text before the
 * tag, on the tag's line). */
static char *field_after(const char *line, const char *value)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "Earlier text.\n");
	size_t start = b.len;
	buf_puts(&b, line);
	md_field(&b, value, strlen(value));
	char *s = xstrdup(b.data + start + strlen(line));
	buf_free(&b);
	return s;
}

static void assert_field(const char *line, const char *value, const char *want)
{
	char *got = field_after(line, value);
	assert_string_equal(got, want);
	free(got);
}

static void test_field_exact(void **state)
{
	(void)state;
	/* Each of the seven HTML block starts, and inline tags. */
	assert_field("", "<script>\nx", "\\<script>\nx");
	assert_field("", "<!-- a\nb", "\\<!-- a\nb");
	assert_field("", "<?php\n<!DOCTYPE html>\n<![CDATA[ x", "\\<?php\n\\<!DOCTYPE html>\n\\<![CDATA[ x");
	assert_field("", "<div>\n</section>\n<x-y a=\"1\">", "\\<div>\n\\</section>\n\\<x-y a=\"1\">");
	assert_field("", "a <b>bold</b> <br/> c", "a \\<b>bold\\</b> \\<br/> c");
	assert_field("", "<b\fx>y <i\vz=1>", "\\<b\fx>y \\<i\vz=1>");
	/* Not HTML: autolinks, escaped or lone '<'. */
	assert_field("", "<https://x.example> <a@b.example> \\<div> a < b <3",
		     "<https://x.example> <a@b.example> \\<div> a < b <3");
	/* Code keeps its '<' as written... */
	assert_field("", "a `<b>` c ``<i> ` </i>``", "a `<b>` c ``<i> ` </i>``");
	assert_field("", "```html\n<div>\n```\n\n    <pre>", "```html\n<div>\n```\n\n    <pre>");
	/* ...except at the start of a line, where cmark would start an
	 * HTML block before it sees the code span. */
	assert_field("", "`a\n<div>`", "`a\n\\<div>`");
	/* An unmatched backtick is text, and the '<' after it is escaped. */
	assert_field("", "a ` <b>", "a ` \\<b>");
	/* A URL just before a tag would take the backslash into a link. */
	assert_field("", "see https://x.example<b> www.y.example<i>",
		     "see https\\://x.example\\<b> www\\.y.example\\<i>");
	/* Lines after the first stay in the template's containers. */
	assert_field("- ", "a\n- b\n\nc", "a\n  - b\n  \n  c");
	assert_field("10. ", "a\nb", "a\n    b");
	assert_field("> ", "a\n\n<div>", "a\n> \n> \\<div>");
	assert_field("> - ", "a\nb", "a\n>   b");
	/* In a heading or a table row, the value keeps to the line. */
	assert_field("### ", "a\nb <i>", "a b \\<i>");
	assert_field("| x | ", "a | b\nc", "a \\| b c");
	/* A fence left open is closed, in the right container. */
	assert_field("", "```\ncode", "```\ncode\n```");
	assert_field("", "para\n~~~~ sh\ncode", "para\n~~~~ sh\ncode\n~~~~");
	assert_field("- ", "```\ncode", "```\n  code\n  ```");
	assert_field("- ", "```\ncode\n```", "```\n  code\n  ```");
	assert_field("", "```\ncode\n```", "```\ncode\n```");
	assert_field("", "- ```\n  code", "- ```\n  code");
	/* Plain values, as they are: a '|' outside a table, two backticks,
	 * a fence's run where no fence can open (a heading, a table row). */
	assert_field("", "a | b `` c ~~ d", "a | b `` c ~~ d");
	assert_field("- ", "item > text # x", "item > text # x");
	assert_field("### ", "a ``` b ~~~", "a ``` b ~~~");
	assert_field("| x | ", "a ``` b", "a ``` b");
	assert_field("", "~~~ sh", "~~~ sh\n~~~");
	assert_field("| x | ", "a|b", "a\\|b");
}

/* Control characters are dropped wherever they fall in a run of text,
 * first, last or beside the eighth byte; and a line with two spaces or
 * glue anywhere, across any eight bytes, fills word by word. */
static void test_control_and_spaces_anywhere(void **state)
{
	(void)state;
	assert_text("\x1b" "abcdefghijklmnop\x7f\n", 100000, "abcdefghijklmnop\n");
	assert_text("abcdefg\x1bhijklmno\x7fpqrstuvwxyz\n", 100000, "abcdefghijklmnopqrstuvwxyz\n");
	assert_text("abcdefgh\x01ijklmnop\x1f\n", 100000, "abcdefghijklmnop\n");
	assert_text("`abcdefghij\x7fklmnop`\n", 100000, "`abcdefghijklmnop`\n");
	/* Runs of spaces print as one, wherever the run starts. */
	for (size_t at = 1; at < 20; at++) {
		char md[64], want[64];
		memset(md, 'x', 30);
		memcpy(md + at, "  ", 2);
		strcpy(md + 30, "\n");
		memcpy(want, md, at);
		want[at] = ' ';
		memcpy(want + at + 1, md + at + 2, 29 - at);
		strcpy(want + 29, "\n");
		assert_text(md, 100000, want);
	}
	/* A code span's spaces, glue, at the end of eight bytes. */
	assert_text("abcdef `a b` ghijklmnopq\n", 100000, "abcdef `a b` ghijklmnopq\n");
}

/* Hostile values in every place a template puts a record's Markdown:
 * the template's text after them is still there, as its own paragraph,
 * and nothing is raw HTML. */
static void test_field_keeps_template_whole(void **state)
{
	(void)state;
	static const char *const values[] = {
		"<script>alert(1)", "<SCRIPT src=x>", "<pre>", "<style>", "<textarea>",
		"<!-- x", "<?x", "<!DOCTYPE x", "<![CDATA[ x", "<div>", "</div>", "<table>",
		"<x-y z='1'>", "</x-y>", "a\n<script>\nb", "a\n<!--\nb", "```", "~~~",
		"a\n```\nb", "```\na\n```", "- a\n```\nb", "> a\n```", "`a\n<!--`",
		"a `<div>` b", "[x](https://y.example/<b>)", "https://x.example<!--",
		"| a |\n|---|\n| <div> |", "<div>\n```\n<!--", "<div\f>\n\nx", "<b\vx=1>",
	};
	static const char *const lines[] = { "", "- ", "1. ", "> ", "### ", "| a | ", "Intro: " };

	for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
		for (size_t l = 0; l < sizeof lines / sizeof lines[0]; l++) {
			struct buf md = BUF_INIT;
			buf_puts(&md, "# Top\n\n");
			if (lines[l][0] == '|')
				buf_puts(&md, "| a | b |\n|---|---|\n");
			buf_puts(&md, lines[l]);
			md_field(&md, values[v], strlen(values[v]));
			buf_puts(&md, "\n\nAFTER the field\n");
			cmark_node *doc = md_parse(md.data, md.len);
			cmark_node *last = cmark_node_last_child(doc);
			if (cmark_node_get_type(last) != CMARK_NODE_PARAGRAPH) {
				print_error("value %zu after '%s' swallowed the text after it:\n%s\n",
					    v, lines[l], md.data);
				fail();
			}
			cmark_iter *it = cmark_iter_new(doc);
			cmark_event_type ev;
			while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
				cmark_node_type t = cmark_node_get_type(cmark_iter_get_node(it));
				if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE) {
					print_error("value %zu after '%s' is raw HTML:\n%s\n", v, lines[l], md.data);
					fail();
				}
			}
			cmark_iter_free(it);
			struct buf text = BUF_INIT;
			md_render_text(doc, 0, &text);
			assert_non_null(strstr(text.data, "AFTER the field\n"));
			cmark_node_free(doc);
			buf_free(&text);
			buf_free(&md);
		}
	}
}

/* ---- Robustness ----------------------------------------------------- */

static void test_deep_nesting(void **state)
{
	(void)state;
	struct buf md = BUF_INIT;
	for (int i = 0; i < 5000; i++)
		buf_putc(&md, '>');
	buf_puts(&md, " deep\n");
	char *t = text_of(md.data, 72);
	/* Indentation stops growing; the text is still there. */
	assert_true(strlen(t) < 200);
	assert_non_null(strstr(t, "> deep\n"));
	free(t);
	buf_free(&md);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* Invalid bytes become U+FFFD at parse time. */
	assert_text("a\xff b\n", 72, "a\xef\xbf\xbd b\n");
	/* What cmark-gfm's own check refuses is refused before the parse
	 * (md_parse asks for that check only then), at any position
	 * against the sixteen- and eight-byte steps. */
	static const struct {
		const char *s;
		size_t n;
		bool valid;
	} cases[] = {
		{ "", 0, true },
		{ "plain ASCII text, longer than eight bytes", 41, true },
		{ "caf\xc3\xa9 \xe2\x80\x94 \xe4\xb8\xad \xf0\x9f\x98\x80", 18, true },
		{ "\xc0\xaf", 2, false },               /* overlong '/' */
		{ "\xe0\x80\xaf", 3, false },           /* overlong, three bytes */
		{ "\xed\xa0\x80", 3, false },           /* a surrogate */
		{ "\xf4\x90\x80\x80", 4, false },       /* past U+10FFFF */
		{ "\xf8\x88\x80\x80\x80", 5, false },   /* five bytes */
		{ "\x80", 1, false },                   /* a lone continuation */
		{ "\xe2\x80", 2, false },               /* cut short */
		{ "\xe2\x80\n\x94", 4, false },         /* cut by a line break */
		{ "a\0b", 3, false },                   /* NUL */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		for (size_t pad = 0; pad < 34; pad++) {
			struct buf b = BUF_INIT;
			for (size_t k = 0; k < pad; k++)
				buf_putc(&b, 'x');
			buf_append(&b, cases[i].s, cases[i].n);
			buf_puts(&b, "tail");
			assert_int_equal(md_utf8_valid(b.data, b.len), cases[i].valid);
			/* Invalid text parses as cmark-gfm's check makes it:
			 * no invalid byte reaches the tree. */
			cmark_node *doc = md_parse(b.data, b.len);
			struct buf out = BUF_INIT;
			md_render_text(doc, 0, &out);
			assert_true(md_utf8_valid(out.data, out.len));
			assert_int_equal(strstr(out.data, "\xef\xbf\xbd") != NULL, !cases[i].valid);
			cmark_node_free(doc);
			buf_free(&out);
			buf_free(&b);
		}
	}
	assert_false(md_utf8_valid("abcdefg\xff", 8));
	assert_true(md_utf8_valid("abcdefg\xff", 7));
	assert_false(md_utf8_valid("abcdefghijklmno\xff", 16));
	assert_true(md_utf8_valid("abcdefghijklmno\xff", 15));
	assert_false(md_utf8_valid("abcdefghijklmnop\0", 17));
	assert_true(md_utf8_valid("abcdefghijklmnop\0", 16));
}

/* Renders md as HTML and as text at 40 columns, into one string. */
static char *both(cmark_node *doc)
{
	struct buf out = BUF_INIT;
	md_render_html(doc, &out);
	buf_puts(&out, "----\n");
	md_render_text(doc, 40, &out);
	return buf_detach(&out);
}

/* Trees parsed in a pool render as trees parsed without one, can be
 * joined under md_node_new's nodes, and survive the pool's chunks
 * filling (a text larger than a chunk, many documents, nesting). */
/* Under AddressSanitizer a node cmark-gfm frees inside the pool is
 * poisoned (a use of it is caught); a live one is not. */
static void test_pool_poison(void **state)
{
	(void)state;
#ifdef SC_ASAN
	md_pool_begin();
	cmark_node *keep = md_node_new(CMARK_NODE_PARAGRAPH);
	cmark_node *gone = md_node_new(CMARK_NODE_PARAGRAPH);
	cmark_node_free(gone);
	assert_true(__asan_address_is_poisoned(gone));
	assert_false(__asan_address_is_poisoned(keep));
	cmark_node_free(keep);
	md_pool_end();
#else
	skip();
#endif
}

/* pool_calloc: blocks larger than a chunk, blocks that fill the head
 * chunk's last bytes, and zeroed memory every time (a parse in the
 * pool renders as one outside it, for documents of many sizes). */
static void test_pool_calloc(void **state)
{
	(void)state;
	struct buf md = BUF_INIT;
	for (int size = 1; size < 400000; size = size * 3 + 7) {
		buf_reset(&md);
		buf_puts(&md, "`");
		for (int i = 0; i < size; i++)
			buf_putc(&md, (char)('a' + i % 26));
		buf_puts(&md, "` *x* &amp; | a | b |\n|---|---|\n| c | d |\n\n    code\n");
		for (int i = 0; i < size % 97; i++)
			buf_puts(&md, "- [x] ~~item~~ a@b.co\n");
		cmark_node *plain = md_parse(md.data, md.len);
		char *want = both(plain);
		cmark_node_free(plain);
		md_pool_begin();
		for (int k = 0; k < 3; k++) {
			cmark_node *pooled = md_parse(md.data, md.len);
			char *got = both(pooled);
			assert_string_equal(got, want);
			free(got);
			cmark_node_free(pooled);
		}
		md_pool_end();
		free(want);
	}
	buf_free(&md);
}

static void test_pool(void **state)
{
	(void)state;
	struct buf big = BUF_INIT;
	buf_puts(&big, "# Timeline\n\n| when | what |\n|---|---|\n");
	for (int i = 0; i < 3000; i++)
		buf_printf(&big, "| 09:%02d | step *%d* of [the fix](https://example.com/%d) |\n",
			   i % 60, i, i);
	buf_puts(&big, "\n- [x] done ~~old~~ www.example.com\n\n<b>raw</b> [x](javascript:y)\n");

	cmark_node *plain = md_parse(big.data, big.len);
	char *want = both(plain);
	cmark_node_free(plain);

	md_pool_begin();
	md_pool_begin(); /* nested: only the outer end releases */
	cmark_node *a = md_parse(big.data, big.len);
	md_pool_end();
	cmark_node *b = md_parse("Second *part*.\n", strlen("Second *part*.\n"));
	char *got = both(a);
	assert_string_equal(got, want);
	free(got);

	/* Joined: b's paragraph moves under a new document with a's. */
	cmark_node *doc = md_node_new(CMARK_NODE_DOCUMENT);
	cmark_node *h = md_node_new(CMARK_NODE_HEADING);
	cmark_node *t = md_node_new(CMARK_NODE_TEXT);
	assert_true(cmark_node_set_literal(t, "Joined"));
	assert_true(cmark_node_append_child(h, t));
	assert_true(cmark_node_append_child(doc, h));
	cmark_node *c;
	while ((c = cmark_node_first_child(b)) != NULL)
		assert_true(cmark_node_append_child(doc, c));
	got = both(doc);
	assert_string_equal(got, "<h1>Joined</h1>\n<p>Second <em>part</em>.</p>\n----\n"
			    "Joined\n======\n\nSecond _part_.\n");
	free(got);
	cmark_node_free(doc);
	cmark_node_free(b);
	cmark_node_free(a);
	md_pool_end();
	md_pool_end(); /* unbalanced: nothing to do */

	/* After the pool, md_parse allocates as before. */
	plain = md_parse(big.data, big.len);
	got = both(plain);
	assert_string_equal(got, want);
	free(got);
	cmark_node_free(plain);
	free(want);
	buf_free(&big);
}

/* Text shorter than the line: written as it is, whether a line is
 * copied whole (single spaces) or word by word (runs of spaces, code
 * spans' unbreakable spaces, trailing spaces before a hard break). */
static void test_unwrapped(void **state)
{
	(void)state;
	assert_text("one two three\n", 100000, "one two three\n");
	assert_text("one  two   three\n", 100000, "one two three\n");
	assert_text("a `x  y` b\n", 100000, "a `x  y` b\n");
	assert_text("first line\\\nsecond  line\nthird\n", 100000,
		    "first line\nsecond line third\n");
	assert_text("end with break   \nnext\n", 100000, "end with break\nnext\n");
	assert_text("caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC x\n", 100000,
		    "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC x\n");
	/* The same paragraph at a width it just fits, and one short. */
	assert_text("ab cd ef\n", 8, "ab cd ef\n");
	assert_text("ab cd ef\n", 7, "ab cd\nef\n");
	/* Two spaces or a code span's space at either end of a line. */
	assert_text("`a b` c\n", 100000, "`a b` c\n");
	assert_text("c `a b`\n", 100000, "c `a b`\n");
	assert_text("one  two\\\nthree four  five\n", 100000, "one two\nthree four five\n");
}

/* Blocks that print nothing (raw HTML, an empty item) leave no blank
 * line of their own, wherever they stand among their siblings. */
static void test_empty_blocks_leave_no_gap(void **state)
{
	(void)state;
	assert_text("<!-- a -->\n\none\n\n<!-- b -->\n\ntwo\n\n<!-- c -->\n", 72, "one\n\ntwo\n");
	assert_text("> <!-- a -->\n>\n> one\n>\n> <!-- b -->\n>\n> two\n", 72, "> one\n>\n> two\n");
	assert_text("- one\n\n  <!-- x -->\n\n  two\n- three\n", 72,
		    "- one\n\n  two\n\n- three\n");
	assert_text("- one\n- <!-- x -->\n- three\n", 72, "- one\n-\n- three\n");
	assert_text("1. a\n\n   <div>x</div>\n\n2. b\n", 72, "1. a\n\n2. b\n");
}

/* cmark-gfm marks its extensions' characters (autolink's ':' and 'w',
 * strikethrough's '~') in one table for the whole process while a
 * parse reads its inlines, and unmarks them when it is done.  Threads
 * parsing at once (draft -j 2) must each see every bare address linked
 * and every ~~strike~~ struck, whatever the others are doing. */
struct parse_job {
	const char *md;
	const char *want;   /* its HTML, parsed alone */
	int rounds;
	int wrong;
};

static void *parse_rounds(void *arg)
{
	struct parse_job *job = arg;
	for (int i = 0; i < job->rounds; i++) {
		cmark_node *doc = md_parse(job->md, strlen(job->md));
		struct buf html = BUF_INIT;
		md_render_html(doc, &html);
		if (strcmp(buf_str(&html), job->want) != 0)
			job->wrong++;
		buf_free(&html);
		cmark_node_free(doc);
	}
	return NULL;
}

static void test_parse_threads(void **state)
{
	(void)state;
	struct buf big = BUF_INIT;
	for (int i = 0; i < 40; i++)
		buf_printf(&big, "Line %d: see https://status.example.com/%d or www.example.org, "
				 "~~old text~~ and write to security@example.com.\n\n", i, i);
	const char *small = "www.example.net ~~x~~\n";
	const char *md[2] = { buf_str(&big), small };
	char *want[2];
	for (int k = 0; k < 2; k++) {
		cmark_node *doc = md_parse(md[k], strlen(md[k]));
		struct buf html = BUF_INIT;
		md_render_html(doc, &html);
		want[k] = buf_detach(&html);
		cmark_node_free(doc);
	}
	assert_non_null(strstr(want[0], "<a href=\"http://www.example.org\">"));
	assert_non_null(strstr(want[0], "<del>old text</del>"));

	enum { THREADS = 4 };
	pthread_t t[THREADS];
	struct parse_job job[THREADS];
	for (int i = 0; i < THREADS; i++) {
		/* Half parse the long text, half a short one whose
		 * parses end (and unmark) often. */
		job[i] = (struct parse_job){ md[i % 2], want[i % 2], i % 2 ? 1000 : 50, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, parse_rounds, &job[i]), 0);
	}
	int wrong = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		wrong += job[i].wrong;
	}
	assert_int_equal(wrong, 0);
	free(want[0]);
	free(want[1]);
	buf_free(&big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrap_exact_width),
		cmocka_unit_test(test_wrap_paragraphs),
		cmocka_unit_test(test_wrap_long_word),
		cmocka_unit_test(test_wrap_matches_greedy),
		cmocka_unit_test(test_wrap_wide_characters),
		cmocka_unit_test(test_wrap_never_splits_characters),
		cmocka_unit_test(test_wrap_disabled),
		cmocka_unit_test(test_display_width),
		cmocka_unit_test(test_headings),
		cmocka_unit_test(test_nested_lists),
		cmocka_unit_test(test_list_numbers),
		cmocka_unit_test(test_loose_and_tight_lists),
		cmocka_unit_test(test_task_lists),
		cmocka_unit_test(test_parse_extensions),
		cmocka_unit_test(test_parse_threads),
		cmocka_unit_test(test_parse_same_tree),
		cmocka_unit_test(test_block_quotes),
		cmocka_unit_test(test_code_blocks),
		cmocka_unit_test(test_inlines),
		cmocka_unit_test(test_code_spans),
		cmocka_unit_test(test_two_widths),
		cmocka_unit_test(test_emphasis),
		cmocka_unit_test(test_thematic_break),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_link_references),
		cmocka_unit_test(test_autolinks_bare),
		cmocka_unit_test(test_unsafe_links_text),
		cmocka_unit_test(test_unsafe_links_html),
		cmocka_unit_test(test_unsafe_links_foreign_tree),
		cmocka_unit_test(test_raw_html),
		cmocka_unit_test(test_empty_document),
		cmocka_unit_test(test_escape_exact),
		cmocka_unit_test(test_escape_hostile_title),
		cmocka_unit_test(test_escape_underscore_by_category),
		cmocka_unit_test(test_escape_round_trip),
		cmocka_unit_test(test_field_exact),
		cmocka_unit_test(test_field_keeps_template_whole),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_pool),
		cmocka_unit_test(test_pool_calloc),
		cmocka_unit_test(test_pool_poison),
		cmocka_unit_test(test_unwrapped),
		cmocka_unit_test(test_empty_blocks_leave_no_gap),
		cmocka_unit_test(test_control_and_spaces_anywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
