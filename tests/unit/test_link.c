/* Unit tests for link.c: what counts as a tracking or redirect link, read
 * the way a browser reads the address, and where addresses are found in
 * text, Markdown and HTML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <utf8proc.h>

#include "format/link.h"
#include "format/md.h"

static char *problem(const char *url)
{
	return link_problem(url, strlen(url));
}

static void assert_refused(const char *url, const char *why)
{
	char *got = problem(url);
	if (!got) {
		print_error("'%s' was not refused\n", url);
		fail();
	}
	assert_string_equal(got, why);
	free(got);
}

static void assert_allowed(const char *url)
{
	char *got = problem(url);
	if (got) {
		print_error("'%s' was refused: %s\n", url, got);
		fail();
	}
}

#define SHORT "goes through the link shortener bit.ly"

static void test_shorteners(void **state)
{
	(void)state;
	assert_refused("https://bit.ly/x", SHORT);
	assert_refused("HTTPS://BIT.LY/x", SHORT);
	assert_refused("Http://Bit.Ly", SHORT);
	assert_refused("https://www.bit.ly/x", SHORT);
	assert_refused("https://a.b.bit.ly/x", SHORT);
	assert_refused("https://x@bit.ly/x", SHORT);
	assert_refused("https://user:pass@bit.ly:443/x", SHORT);
	assert_refused("https://bit.ly./x", SHORT);
	assert_refused("https://bit%2Ely/x", SHORT);
	assert_refused("https://%62it.ly/x", SHORT);
	assert_refused("https://\xef\xbd\x82\xef\xbd\x89\xef\xbd\x94.\xef\xbd\x8c\xef\xbd\x99/x", SHORT);
	assert_refused("https://bit\xe3\x80\x82ly/x", SHORT);
	assert_refused("https://bi\xc2\xadt.ly/x", SHORT);   /* a soft hyphen */
	assert_refused("https:bit.ly/x", SHORT);
	assert_refused("https:/bit.ly/x", SHORT);
	assert_refused("https:\\\\bit.ly\\x", SHORT);
	assert_refused("https:///bit.ly/x", SHORT);
	assert_refused("//bit.ly/x", SHORT);
	assert_refused("www.bit.ly/x", SHORT);
	assert_refused("  https://bit.ly/x\n", SHORT);
	assert_refused("ht\ttps://bi\nt.ly/x", SHORT);
	assert_refused("https://bit.ly?x", SHORT);
	assert_refused("https://bit.ly#x", SHORT);
	assert_refused("https://t.co/x", "goes through the link shortener t.co");
	assert_refused("https://TinyURL.com/x", "goes through the link shortener tinyurl.com");

	assert_refused("https://BIT.%4cY/x", SHORT);

	/* A host all in ASCII is only put in lower case, with no Unicode
	 * mapping: what that mapping does to every ASCII character. */
	for (int c = 1; c < 0x80; c++) {
		utf8proc_uint8_t in = (utf8proc_uint8_t)c, *out = NULL;
		utf8proc_ssize_t len = utf8proc_map(&in, 1, &out, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
						    UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
		assert_int_equal(len, 1);
		assert_int_equal(out[0], c >= 'A' && c <= 'Z' ? c + 32 : c);
		free(out);
	}

	assert_allowed("https://notbit.ly/x");
	assert_allowed("https://bit.ly.example.com/x");
	assert_allowed("https://bit.ly@example.com/x");
	assert_allowed("https://example.com/bit.ly");
	assert_allowed("https://example.com/?host=bit.ly");
	assert_allowed("mailto:someone@bit.ly");
	assert_allowed("ftp://bit.ly/x");
	assert_allowed("/relative/bit.ly");
	assert_allowed("https://[::1]/x");
	assert_allowed("");
}

#define UTM(p) "carries the tracking parameter '" p "'"

static void test_tracking_parameters(void **state)
{
	(void)state;
	assert_refused("https://example.com/?utm_source=a", UTM("utm_source"));
	assert_refused("https://example.com/?UTM_SOURCE=a", UTM("utm_source"));
	assert_refused("https://example.com/?Utm_Medium", UTM("utm_medium"));
	assert_refused("https://example.com/?utm%5Fsource=a", UTM("utm_source"));
	assert_refused("https://example.com/?utm%5fsource=a", UTM("utm_source"));
	assert_refused("https://example.com/?%75tm_source=a", UTM("utm_source"));
	assert_refused("https://example.com/?a=1;utm_source=a", UTM("utm_source"));
	assert_refused("https://example.com/?a=1&utm_campaign=a", UTM("utm_campaign"));
	assert_refused("https://example.com/#utm_content=a", UTM("utm_content"));
	assert_refused("https://example.com/?a=b#x&utm_term=a", UTM("utm_term"));
	assert_refused("https://example.com/?utm_anything=a", UTM("utm_anything"));
	assert_refused("https://example.com/p?FBCLID=1", UTM("fbclid"));
	assert_refused("https://example.com/p?gclid", UTM("gclid"));
	assert_refused("https://example.com/p?trkCampaign=1", UTM("trkcampaign"));
	assert_refused("https://example.com/p?mc_eid=1", UTM("mc_eid"));
	assert_refused("HTTP://EXAMPLE.COM/?UTM_ID=1", UTM("utm_id"));

	assert_allowed("https://example.com/utm_source/page");
	assert_allowed("https://example.com/?source=a&medium=b");
	assert_allowed("https://example.com/?q=utm_source");
	assert_allowed("https://example.com/?xutm_source=1");
	assert_allowed("https://example.com/#section-utm_source");
	assert_allowed("https://example.com/?utm");
}

#define REDIRECT "is a redirect to another address"

static void test_redirects(void **state)
{
	(void)state;
	assert_refused("https://example.com/r?to=https://evil.example", REDIRECT);
	assert_refused("https://example.com/r?to=HTTP://evil.example", REDIRECT);
	assert_refused("https://example.com/r?to=https%3A%2F%2Fevil.example", REDIRECT);
	assert_refused("https://example.com/r?to=https%253A%252F%252Fevil.example", REDIRECT);
	assert_refused("https://example.com/r?to=%2F%2Fevil.example", REDIRECT);
	assert_refused("https://example.com/r?a=1;next=//evil.example", REDIRECT);
	assert_refused("https://example.com/r?to=+https://evil.example", REDIRECT);

	assert_allowed("https://example.com/r?to=/local/page");
	assert_allowed("https://example.com/r?q=httpd+config");
	assert_allowed("https://example.com/https://in-the-path");
}

/* ---- Finding addresses ---------------------------------------------- */

struct found {
	char list[4096];
};

static void collect(const char *url, size_t n, void *ud)
{
	struct found *f = ud;
	size_t len = strlen(f->list);
	snprintf(f->list + len, sizeof f->list - len, "%s%.*s", len ? " | " : "", (int)n, url);
}

static void assert_text_finds(const char *text, const char *want)
{
	struct found f = { "" };
	link_each_in_text(text, strlen(text), collect, &f);
	assert_string_equal(f.list, want);
}

static void test_in_text(void **state)
{
	(void)state;
	assert_text_finds("see https://a.example/x, or HTTP://B.EXAMPLE/y.",
			  "https://a.example/x | HTTP://B.EXAMPLE/y");
	assert_text_finds("(www.c.example/z) and awww.d.example and x.www.e.example",
			  "www.c.example/z");
	assert_text_finds("<https://f.example/p?q=1&r=2>\"https://g.example\"",
			  "https://f.example/p?q=1&r=2 | https://g.example");
	assert_text_finds("[1] https://h.example/a_(b)] end", "https://h.example/a_(b");
	assert_text_finds("no address: http:/x, https:, httpx://y, www", "");
	assert_text_finds("https://", "https://");
	/* A code span of a plain-text draft: its closing backticks. */
	assert_text_finds("Run `curl https://k.example/x`. Or ``https://l.example``.",
			  "https://k.example/x | https://l.example");
}

/* Addresses at every offset from the start and the end of a text, in
 * upper and lower case, among letters that start none (the scan skips
 * such text eight bytes at a time). */
static void test_in_text_offsets(void **state)
{
	(void)state;
	static const char *const urls[] = { "https://a.example/x", "HTTP://B.EXAMPLE", "www.c.example",
					    "WWW.D.EXAMPLE/p", "hTtPs://e.example" };
	for (size_t u = 0; u < sizeof(urls) / sizeof(urls[0]); u++) {
		for (size_t before = 0; before < 20; before++) {
			for (size_t after = 0; after < 12; after++) {
				char text[128], want[64];
				size_t k = 0;
				for (size_t i = 0; i < before; i++)
					text[k++] = i + 1 == before ? ' ' : "xyzHWhw"[i % 7];
				k += (size_t)sprintf(text + k, "%s", urls[u]);
				for (size_t i = 0; i < after; i++)
					text[k++] = i == 0 ? ' ' : 'q';
				text[k] = '\0';
				snprintf(want, sizeof want, "%s", urls[u]);
				assert_text_finds(text, want);
			}
		}
	}
	/* Letters that only look like the starts (H, W, h and w without
	 * what follows), in every position of a block of eight. */
	for (size_t at = 0; at < 16; at++) {
		char text[32];
		memset(text, 'a', sizeof text);
		text[at] = "hHwW"[at % 4];
		text[at + 1] = 't';
		text[24] = '\0';
		assert_text_finds(text, "");
	}
}

static void assert_tree_finds(const char *md, const char *want)
{
	struct found f = { "" };
	cmark_node *doc = md_parse(md, strlen(md));
	link_each_in_tree(doc, collect, &f);
	cmark_node_free(doc);
	assert_string_equal(f.list, want);
}

static void test_in_tree(void **state)
{
	(void)state;
	assert_tree_finds("[a](https://a.example/x \"see https://t.example\") ![i](HTTPS://I.EXAMPLE/i.png)",
			  "https://a.example/x | https://t.example | HTTPS://I.EXAMPLE/i.png");
	/* Autolinks: the link and its text. */
	assert_tree_finds("<https://b.example> www.c.example",
			  "https://b.example | https://b.example | http://www.c.example | www.c.example");
	/* Escaped in the Markdown, still an address in the text. */
	assert_tree_finds("https\\://d.example `https://e.example`\n\n    https://f.example\n",
			  "https://d.example | https://e.example | https://f.example");
	/* A reference link. */
	assert_tree_finds("[g][1]\n\n[1]: https://g.example/?utm_source=x\n",
			  "https://g.example/?utm_source=x");
}

static void assert_html_finds(const char *html, const char *want)
{
	struct found f = { "" };
	link_each_in_html(html, strlen(html), collect, &f);
	assert_string_equal(f.list, want);
}

static void test_in_html(void **state)
{
	(void)state;
	assert_html_finds("<a href=\"https&#58;//a.example/?utm&#95;source=1\">x</a>",
			  "https://a.example/?utm_source=1 | https://a.example/?utm_source=1");
	assert_html_finds("<meta http-equiv=refresh content=\"0;url=https://b.example\">",
			  "https://b.example");
	assert_html_finds("<a href='//c.example/x'>y</a><img src=https:d.example>",
			  "//c.example/x | https:d.example");
	assert_html_finds("<style>p{background:url(https://e.example/i.png)}</style>"
			  "<p>text www.f.example <!-- https://hidden.example --></p>",
			  "https://e.example/i.png | www.f.example");
	assert_html_finds("<img srcset=\"https://g.example/a.png 1x, https://h.example/b.png 2x\">",
			  "https://g.example/a.png | https://h.example/b.png");
	/* Broken HTML is read as a browser would, quietly. */
	assert_html_finds("<p <a href=https://i.example>&bogus; <div></span>",
			  "https://i.example | https://i.example");
	assert_html_finds("", "");
}

/* A text node is all the character data between two tags, comments or
 * processing instructions: entities and chunks join into it, and an
 * address ends where it ends. */
static void test_in_html_text_nodes(void **state)
{
	(void)state;
	/* An entity in the middle: one address. */
	assert_html_finds("<p>h&#116;tps://a.example/x&amp;y=1 end</p>",
			  "https://a.example/x&y=1");
	/* A tag, a comment or a processing instruction ends the text. */
	assert_html_finds("<p>https://b.example/<b>tail</b></p>", "https://b.example/");
	assert_html_finds("<p>https://c.example/a<!-- x -->tail</p>", "https://c.example/a");
	assert_html_finds("<p>https://d.example/a<?pi x?>tail</p>", "https://d.example/a");
	/* A www. right after a tag starts a word; inside a word it does not. */
	assert_html_finds("<p>x<br>www.e.example aw www.f.example axwww.g.example</p>",
			  "www.e.example | www.f.example");
	/* A long text, read by the parser in chunks, is still one node. */
	struct buf big = BUF_INIT;
	buf_puts(&big, "<p>");
	for (int i = 0; i < 3000; i++)
		buf_puts(&big, "word ");
	buf_puts(&big, "https://h.example/");
	for (int i = 0; i < 1200; i++)
		buf_putc(&big, 'p');  /* longer than a chunk: it spans two */
	buf_puts(&big, " end</p><script>");
	for (int i = 0; i < 3000; i++)
		buf_puts(&big, "x = 1; ");
	buf_puts(&big, "u = 'https://i.example/';</script>");
	struct found f = { "" };
	link_each_in_html(big.data, big.len, collect, &f);
	assert_int_equal(strlen(f.list), 18 + 1200 + 3 + 18);
	assert_memory_equal(f.list, "https://h.example/ppp", 21);
	assert_string_equal(f.list + 18 + 1200, " | https://i.example/");
	buf_free(&big);
	/* A value-less attribute, an unquoted one, and one given twice
	 * (the first counts, as in a browser). */
	assert_html_finds("<input disabled value=https://j.example/ value=https://k.example/>",
			  "https://j.example/");
}

static void test_same(void **state)
{
	(void)state;
	assert_true(link_same("www.a.example/x", 15, "http://www.a.example/x", 22));
	assert_true(link_same("https://a.example/%C3%BC", 24, "https://a.example/\xc3\xbc", 20));
	assert_false(link_same("https://a.example/x", 19, "https://a.example/y", 19));
	assert_false(link_same("https://a.example", 17, "HTTPS://A.EXAMPLE", 17));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shorteners),
		cmocka_unit_test(test_tracking_parameters),
		cmocka_unit_test(test_redirects),
		cmocka_unit_test(test_in_text),
		cmocka_unit_test(test_in_text_offsets),
		cmocka_unit_test(test_in_tree),
		cmocka_unit_test(test_in_html),
		cmocka_unit_test(test_in_html_text_nodes),
		cmocka_unit_test(test_same),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
