/* Unit tests for the social module: X's weighted post length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "format/social.h"
#include "base/util.h"

static long len_of(const char *s)
{
	return social_weighted_length(s, strlen(s));
}

static void test_ascii(void **state)
{
	(void)state;
	assert_int_equal(social_weighted_length(NULL, 0), 0);
	assert_int_equal(len_of(""), 0);
	assert_int_equal(len_of("a"), 1);
	assert_int_equal(len_of("We are investigating an incident."), 33);
	assert_int_equal(len_of("line one\nline two\t!"), 19);
	/* Not domains: no known top-level domain, or not a whole word. */
	assert_int_equal(len_of("see file.txt, e.g. v1.2.3"), 25);
	assert_int_equal(len_of("mail security@example.com"), 25);
	assert_int_equal(len_of("foo_bar.com"), 11);
	/* A NUL byte is a code point like any other. */
	assert_int_equal(social_weighted_length("a\0b", 3), 3);
}

static void test_limit_boundary(void **state)
{
	(void)state;
	char s[SOCIAL_X_LIMIT + 2];
	memset(s, 'x', sizeof(s));
	assert_int_equal(social_weighted_length(s, SOCIAL_X_LIMIT), SOCIAL_X_LIMIT);
	assert_int_equal(social_weighted_length(s, SOCIAL_X_LIMIT + 1), SOCIAL_X_LIMIT + 1);
	/* 140 CJK characters fill a post; 141 do not fit. */
	struct buf b = BUF_INIT;
	for (int i = 0; i < 140; i++)
		buf_puts(&b, "\xe6\xbc\xa2");   /* U+6F22 */
	assert_int_equal(social_weighted_length(b.data, b.len), SOCIAL_X_LIMIT);
	buf_puts(&b, "\xe6\xbc\xa2");
	assert_int_equal(social_weighted_length(b.data, b.len), SOCIAL_X_LIMIT + 2);
	buf_free(&b);
}

static void test_url_weight(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_puts(&b, "https://status.example.com/incidents/");
	while (b.len < 100)
		buf_putc(&b, 'a');
	assert_int_equal(b.len, 100);
	assert_int_equal(social_weighted_length(b.data, b.len), SOCIAL_X_URL_WEIGHT);
	buf_free(&b);

	assert_int_equal(len_of("http://x"), 23);
	assert_int_equal(len_of("HTTPS://EXAMPLE.COM/A"), 23);
	assert_int_equal(len_of("Details: https://example.com/a?b=c#d"), 9 + 23);
	assert_int_equal(len_of("example.com/path"), 23);
	assert_int_equal(len_of("see status.example.io now"), 4 + 23 + 4);
	assert_int_equal(len_of("Example.COM"), 23);
	assert_int_equal(len_of("example.com:8443/x"), 23);
	assert_int_equal(len_of("www.example.co.uk"), 23);
	/* A scheme with nothing after it is text. */
	assert_int_equal(len_of("https://"), 8);
	assert_int_equal(len_of("https:// x"), 10);
	assert_int_equal(len_of("https://."), 9);
}

static void test_two_urls(void **state)
{
	(void)state;
	assert_int_equal(len_of("https://a.example.com/1 and https://b.example.com/2"), 23 + 5 + 23);
	assert_int_equal(len_of("example.com example.org"), 23 + 1 + 23);
	assert_int_equal(len_of("http://a.com\nhttp://b.com"), 23 + 1 + 23);
}

static void test_trailing_punctuation(void **state)
{
	(void)state;
	assert_int_equal(len_of("See https://example.com/status."), 4 + 23 + 1);
	assert_int_equal(len_of("See https://example.com/status!?"), 4 + 23 + 2);
	assert_int_equal(len_of("(see https://example.com/status)"), 5 + 23 + 1);
	assert_int_equal(len_of("\"https://example.com/a\","), 1 + 23 + 2);
	assert_int_equal(len_of("Read example.com/faq; then"), 5 + 23 + 6);
	assert_int_equal(len_of("Go to example.com."), 6 + 23 + 1);
	assert_int_equal(len_of("example.com: down"), 23 + 6);
	/* A closing parenthesis the URL opened is part of it. */
	assert_int_equal(len_of("https://en.wikipedia.org/wiki/Rust_(language)"), 23);
	assert_int_equal(len_of("(https://en.wikipedia.org/wiki/Rust_(language))."), 1 + 23 + 2);
	assert_int_equal(len_of("[https://example.com/a]"), 1 + 23 + 1);
	/* Only punctuation is trimmed, and never the address itself. */
	assert_int_equal(len_of("https://example.com/a.b"), 23);
	assert_int_equal(len_of("https://example.com/)))"), 23 + 3);
}

static void test_wide_characters(void **state)
{
	(void)state;
	/* CJK: 2 each. */
	assert_int_equal(len_of("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"), 6);
	assert_int_equal(len_of("\xea\xb0\x80"), 2);                /* U+AC00 */
	/* An emoji: 2. */
	assert_int_equal(len_of("\xf0\x9f\x94\x92"), 2);            /* U+1F512 */
	/* Man ZWJ woman ZWJ girl: 2 + 1 + 2 + 1 + 2. */
	assert_int_equal(len_of("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9"
				"\xe2\x80\x8d\xf0\x9f\x91\xa7"), 8);
	/* Latin, Greek, Cyrillic, Hebrew, Arabic, Georgian: 1 each. */
	assert_int_equal(len_of("\xc3\xa9\xce\xb1\xd0\x96\xd7\x90\xd8\xb9\xe1\x83\x90"), 6);
	assert_int_equal(len_of("\xe1\x83\xbf"), 1);                /* U+10FF */
	assert_int_equal(len_of("\xe1\x84\x80"), 2);                /* U+1100 */
}

static void test_punctuation_ranges(void **state)
{
	(void)state;
	/* Curly quotes U+2018, U+2019, U+201C, U+201D: 1 each. */
	assert_int_equal(len_of("\xe2\x80\x98x\xe2\x80\x99 \xe2\x80\x9cy\xe2\x80\x9d"), 7);
	/* Em dash U+2014, ellipsis U+2026 (outside the ranges), prime U+2032. */
	assert_int_equal(len_of("\xe2\x80\x94"), 1);
	assert_int_equal(len_of("\xe2\x80\xa6"), 2);
	assert_int_equal(len_of("\xe2\x80\xb2"), 1);
	/* U+200E (left-to-right mark) is past U+200D. */
	assert_int_equal(len_of("\xe2\x80\x8e"), 2);
	/* U+2000 and U+200D ends of the range. */
	assert_int_equal(len_of("\xe2\x80\x80\xe2\x80\x8d"), 2);
}

static void test_nfc(void **state)
{
	(void)state;
	/* e + U+0301 composes to U+00E9: one code point, weight 1. */
	assert_int_equal(len_of("e\xcc\x81"), 1);
	assert_int_equal(len_of("caf\xc3\xa9"), len_of("cafe\xcc\x81"));
	/* Hangul jamo U+1100 U+1161 U+11A8 (1 + 1 + 1) compose to U+AC01 (2). */
	assert_int_equal(len_of("\xe1\x84\x80\xe1\x85\xa1\xe1\x86\xa8"), 2);
	/* A compatibility character is not folded by NFC: U+FB01 (fi) stays 2. */
	assert_int_equal(len_of("\xef\xac\x81"), 2);
	/* A combining mark with nothing to compose with stays: 1 + 1. */
	assert_int_equal(len_of("x\xcc\x81"), 2);
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	assert_int_equal(len_of("\xff"), -1);
	assert_int_equal(len_of("abc\xc3"), -1);            /* truncated */
	assert_int_equal(len_of("\xc0\xaf"), -1);           /* overlong */
	assert_int_equal(len_of("\xed\xa0\x80"), -1);       /* surrogate */
	assert_int_equal(len_of("\xf4\x90\x80\x80"), -1);   /* past U+10FFFF */
	assert_int_equal(len_of("https://example.com/\x80"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii),
		cmocka_unit_test(test_limit_boundary),
		cmocka_unit_test(test_url_weight),
		cmocka_unit_test(test_two_urls),
		cmocka_unit_test(test_trailing_punctuation),
		cmocka_unit_test(test_wide_characters),
		cmocka_unit_test(test_punctuation_ranges),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_invalid_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
