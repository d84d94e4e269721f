/* Unit tests for escaping: JSON strings, checked against a reference
 * that escapes one code point at a time; and the buffer's number and
 * padding appends, against printf. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/esc.h"
#include "base/ts.h"
#include "base/util.h"

/* JSON's escaping, one code point at a time: invalid UTF-8 becomes
 * U+FFFD, controls and DEL \u escapes, the quote and the backslash a
 * backslash escape. */
static void ref_json(struct buf *out, const char *s)
{
	buf_putc(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		unsigned long c;
		p += esc_utf8_next(p, &c);
		if (c == '"')
			buf_puts(out, "\\\"");
		else if (c == '\\')
			buf_puts(out, "\\\\");
		else if (c == '\n')
			buf_puts(out, "\\n");
		else if (c == '\r')
			buf_puts(out, "\\r");
		else if (c == '\t')
			buf_puts(out, "\\t");
		else if (c < 0x20 || c == 0x7F)
			buf_printf(out, "\\u%04lx", c);
		else
			esc_utf8_put(out, c);
	}
	buf_putc(out, '"');
}

static void check(const char *s)
{
	struct buf got = BUF_INIT, want = BUF_INIT;
	esc_json(&got, s);
	ref_json(&want, s);
	assert_string_equal(buf_str(&got), buf_str(&want));
	buf_free(&got);
	buf_free(&want);
}

static void test_json_cases(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	esc_json(&b, "a \"quoted\" back\\slash\n\ttab\r\x01\x7f caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x92");
	assert_string_equal(buf_str(&b), "\"a \\\"quoted\\\" back\\\\slash\\n\\ttab\\r\\u0001\\u007f"
			    " caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x92\"");
	buf_reset(&b);
	/* Invalid UTF-8 (a lone continuation byte, a truncated sequence, an
	 * overlong form, a surrogate) becomes U+FFFD, byte by byte. */
	esc_json(&b, "x\x80y\xE2\x82z\xC0\xAF\xED\xA0\x80!");
	assert_string_equal(buf_str(&b), "\"x\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBDz\xEF\xBF\xBD"
			    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!\"");
	buf_reset(&b);
	esc_json(&b, NULL);
	assert_string_equal(buf_str(&b), "null");
	buf_reset(&b);
	esc_json(&b, "");
	assert_string_equal(buf_str(&b), "\"\"");
	buf_free(&b);
	check("plain text only");
	check("\"");
	check("ends with a quote\"");
	check("\\starts with a backslash");
}

/* Strings of random bytes, weighted towards the ones that matter: every
 * output is what the reference says. */
static void test_json_random(void **state)
{
	(void)state;
	static const unsigned char pool[] = { 'a', 'Z', ' ', '~', '"', '\\', '\n', '\r', '\t', 0x01,
					      0x1f, 0x7f, 0x80, 0xbf, 0xc3, 0xa9, 0xe2, 0x82, 0xac,
					      0xf0, 0x9f, 0xed, 0xa0, 0xff };
	unsigned long seed = 12345;
	char s[64];
	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)(i % 63);
		for (size_t k = 0; k < n; k++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			unsigned r = (unsigned)(seed >> 33);
			s[k] = (char)(r % 4 == 0 ? (r >> 8) % 255 + 1 : pool[(r >> 8) % sizeof(pool)]);
		}
		s[n] = '\0';
		check(s);
	}
}

/* esc_json_time writes what ts_format_utc does, quoted, whatever the
 * times before it: the same day again (its date kept from the last call),
 * the seconds around midnight, times before 1970 and years past 9999. */
static void check_time(int64_t t)
{
	char s[TS_BUFSZ];
	ts_format_utc(t, s);
	struct buf got = BUF_INIT, want = BUF_INIT;
	esc_json_time(&got, true, t);
	buf_printf(&want, "\"%s\"", s);
	assert_string_equal(buf_str(&got), buf_str(&want));
	buf_free(&got);
	buf_free(&want);
}

static void test_json_time(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	esc_json_time(&b, false, 0);
	assert_string_equal(buf_str(&b), "null");
	buf_reset(&b);
	esc_json_time(&b, true, 1772615520);
	assert_string_equal(buf_str(&b), "\"2026-03-04T09:12:00Z\"");
	buf_reset(&b);
	esc_json_time(&b, true, 1772615520 + 3599);   /* the same day, from its kept date */
	assert_string_equal(buf_str(&b), "\"2026-03-04T10:11:59Z\"");
	buf_free(&b);
	const int64_t fixed[] = { 0, -1, 86399, 86400, -86400, -86401, 1772668799, 1772668800,
				  1772668799, 253402300799, 253402300800, 253402300799, -62167219200,
				  -62167219201, 1772615520 };
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		check_time(fixed[i]);
	/* Runs of times a few hours apart, as a record's are, with jumps. */
	unsigned long seed = 99;
	int64_t t = 1772615520;
	for (int i = 0; i < 20000; i++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		unsigned r = (unsigned)(seed >> 33);
		if (r % 50 == 0)
			t = (int64_t)(r % 4000000000u) - 1000000000;
		else
			t += (int64_t)(r % 20000) - 5000;
		check_time(t);
	}
}

static char *csv(const char *s)
{
	struct buf b = BUF_INIT;
	esc_csv(&b, s);
	return buf_detach(&b);
}

/* A CSV cell: quoted, quotes doubled, a formula's first character
 * defused with a quote mark. */
/* fmt_uint, buf_put_int and buf_put_padded write what "%" PRIu64,
 * "%" PRId64 and "%-*s" do. */
static void test_put_int_padded(void **state)
{
	(void)state;
	const int64_t v[] = { 0, 1, -1, 9, 10, -10, 1234567890, INT64_MAX, INT64_MIN, INT64_MIN + 1 };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct buf got = BUF_INIT, want = BUF_INIT;
		buf_puts(&got, "x");
		buf_put_int(&got, v[i]);
		buf_printf(&want, "x%" PRId64, v[i]);
		assert_string_equal(buf_str(&got), buf_str(&want));
		buf_free(&got);
		buf_free(&want);
	}
	const uint64_t u[] = { 0, 7, 10, 99, 1000000, UINT64_MAX };
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
		char got[FMT_INT_SIZE], want[32];
		size_t n = fmt_uint(u[i], got);
		snprintf(want, sizeof(want), "%" PRIu64, u[i]);
		assert_string_equal(got, want);
		assert_int_equal(n, strlen(want));
	}
	const char *s[] = { "", "a", "STATUS", "exactly-eight", "a longer word than the width" };
	const size_t w[] = { 0, 1, 8, 20 };
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		for (size_t k = 0; k < sizeof(w) / sizeof(w[0]); k++) {
			struct buf got = BUF_INIT, want = BUF_INIT;
			buf_put_padded(&got, s[i], w[k]);
			buf_printf(&want, "%-*s", (int)w[k], s[i]);
			assert_string_equal(buf_str(&got), buf_str(&want));
			buf_free(&got);
			buf_free(&want);
		}
}

static void test_csv(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "", "\"\"" },
		{ "plain text", "\"plain text\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "\"", "\"\"\"\"" },
		{ "\"\"x\"", "\"\"\"\"\"x\"\"\"" },
		{ "=1+2", "\"'=1+2\"" },
		{ "-x \"y\"", "\"'-x \"\"y\"\"\"" },
		{ "a,b\nc", "\"a,b\nc\"" },
		{ "caf\xC3\xA9", "\"caf\xC3\xA9\"" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = csv(cases[i][0]);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
	char *got = csv(NULL);
	assert_string_equal(got, "\"\"");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_cases),
		cmocka_unit_test(test_json_random),
		cmocka_unit_test(test_json_time),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_put_int_padded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
