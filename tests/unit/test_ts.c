/* Unit tests for ts.c: RFC 3339 times and ISO 8601 durations. */
#include <inttypes.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/ts.h"

static int64_t parse_ok(const char *s, int *off)
{
	int64_t t = -1;
	const char *why = NULL;
	int o;
	assert_int_equal(ts_parse(s, &t, &o, &why), 0);
	if (off)
		*off = o;
	return t;
}

static const char *parse_fail(const char *s)
{
	int64_t t;
	int off;
	const char *why = NULL;
	assert_int_equal(ts_parse(s, &t, &off, &why), -1);
	assert_non_null(why);
	return why;
}

static void test_parse_utc(void **state)
{
	(void)state;
	int off;
	assert_int_equal(parse_ok("1970-01-01T00:00:00Z", &off), 0);
	assert_int_equal(off, 0);
	/* date -u -d 2026-03-04T09:12:00Z +%s */
	assert_int_equal(parse_ok("2026-03-04T09:12:00Z", NULL), 1772615520);
	assert_int_equal(parse_ok("2026-03-04t09:12:00z", NULL), 1772615520);
}

static void test_parse_offsets(void **state)
{
	(void)state;
	int off;
	assert_int_equal(parse_ok("2026-03-04T10:12:00+01:00", &off), 1772615520);
	assert_int_equal(off, 60);
	assert_int_equal(parse_ok("2026-03-04T04:12:00-05:00", &off), 1772615520);
	assert_int_equal(off, -300);
	assert_int_equal(parse_ok("2026-03-04T23:12:00+14:00", &off), 1772615520);
	assert_int_equal(off, 840);
	assert_int_equal(parse_ok("2026-03-04T14:42:00+05:30", NULL), 1772615520);
}

static void test_parse_edges(void **state)
{
	(void)state;
	/* Fractions are dropped; a leap second is the next minute's first. */
	assert_int_equal(parse_ok("2026-03-04T09:12:00.999Z", NULL), 1772615520);
	assert_int_equal(parse_ok("2016-12-31T23:59:60Z", NULL), parse_ok("2017-01-01T00:00:00Z", NULL));
	assert_int_equal(parse_ok("2024-02-29T00:00:00Z", NULL), 1709164800);
	assert_int_equal(parse_ok("9999-12-31T23:59:59Z", NULL), TS_MAX);
	parse_fail("2023-02-29T00:00:00Z");
	parse_fail("2026-02-30T10:00:00Z");
	parse_fail("10000-01-01T00:00:00Z");
	parse_fail("9999-12-31T23:59:59-01:00");
	parse_fail("1969-12-31T23:59:59Z");
}

static void test_parse_errors(void **state)
{
	(void)state;
	assert_non_null(strstr(parse_fail("2026-03-04T09:12:00"), "no UTC offset"));
	assert_non_null(strstr(parse_fail("2026-03-04T09:12Z"), "no seconds"));
	assert_non_null(strstr(parse_fail("2026-03-04T09:12:00+1:00"), "malformed UTC offset"));
	assert_non_null(strstr(parse_fail("2026-03-04T09:12:00+24:00"), "out of range"));
	assert_non_null(strstr(parse_fail("2026-03-04T09:12:00Zjunk"), "trailing"));
	parse_fail("");
	parse_fail("yesterday");
	parse_fail("2026-13-01T00:00:00Z");
	parse_fail("2026-03-04T24:00:00Z");
	parse_fail("2026-03-04T09:12:00.Z");
}

static void test_format(void **state)
{
	(void)state;
	char s[TS_BUFSZ];
	ts_format_utc(1772615520, s);
	assert_string_equal(s, "2026-03-04T09:12:00Z");
	ts_format_offset(1772615520, 60, s);
	assert_string_equal(s, "2026-03-04T10:12:00+01:00");
	ts_format_offset(1772615520, -330, s);
	assert_string_equal(s, "2026-03-04T03:42:00-05:30");
	ts_format_utc(TS_MAX, s);
	assert_string_equal(s, "9999-12-31T23:59:59Z");
	ts_format_utc(0, s);
	assert_string_equal(s, "1970-01-01T00:00:00Z");
}

static void test_round_trip(void **state)
{
	(void)state;
	char s[TS_BUFSZ];
	for (int64_t t = 0; t < TS_MAX; t += 86400 * 37 + 3671) {
		int64_t back;
		int off;
		const char *why;
		ts_format_offset(t, 0, s);
		assert_int_equal(ts_parse(s, &back, &off, &why), 0);
		assert_int_equal(back, t);
	}
}

static int64_t dur_ok(const char *s)
{
	int64_t v = -1;
	const char *why;
	assert_int_equal(ts_parse_duration(s, &v, &why), 0);
	return v;
}

static void dur_fail(const char *s)
{
	int64_t v;
	const char *why = NULL;
	assert_int_equal(ts_parse_duration(s, &v, &why), -1);
	assert_non_null(why);
}

static void test_durations(void **state)
{
	(void)state;
	assert_int_equal(dur_ok("PT30M"), 1800);
	assert_int_equal(dur_ok("PT6H"), 21600);
	assert_int_equal(dur_ok("PT1H30M"), 5400);
	assert_int_equal(dur_ok("P1DT2H"), 93600);
	assert_int_equal(dur_ok("P2D"), 172800);
	assert_int_equal(dur_ok("PT0S"), 0);
	assert_int_equal(dur_ok("PT90S"), 90);
	dur_fail("");
	dur_fail("P");
	dur_fail("PT");
	dur_fail("30M");
	dur_fail("PT30");
	dur_fail("P1M");
	dur_fail("P1Y");
	dur_fail("P1W");
	dur_fail("PT30M1H");
	dur_fail("PT1H1H");
	dur_fail("PT-5M");
	dur_fail("P1H");
	dur_fail("PT99999999999999M");
	/* At most a year: a policy deadline added to a record's time stays
	 * a time sircomm can write. */
	assert_int_equal(dur_ok("P365D"), TS_DURATION_MAX);
	assert_int_equal(dur_ok("PT8760H"), TS_DURATION_MAX);
	assert_int_equal(dur_ok("P364DT23H59M60S"), TS_DURATION_MAX);
	dur_fail("P365DT1S");
	dur_fail("PT525601M");
	dur_fail("P9999999999999D");
	dur_fail("PT999999999999S");
	int64_t v;
	const char *why = NULL;
	assert_int_equal(ts_parse_duration("P366D", &v, &why), -1);
	assert_non_null(strstr(why, "longer than"));
}

/* ts_format_human as it was written with snprintf. */
static void ref_human(int64_t secs, char out[TS_BUFSZ])
{
	const char *sign = "";
	if (secs < 0) {
		sign = "-";
		secs = -secs;
	}
	int64_t d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;
	if (d && h)
		snprintf(out, TS_BUFSZ, "%s%" PRId64 " d %" PRId64 " h", sign, d, h);
	else if (d)
		snprintf(out, TS_BUFSZ, "%s%" PRId64 " d", sign, d);
	else if (h && m)
		snprintf(out, TS_BUFSZ, "%s%" PRId64 " h %" PRId64 " min", sign, h, m);
	else if (h)
		snprintf(out, TS_BUFSZ, "%s%" PRId64 " h", sign, h);
	else if (m && s)
		snprintf(out, TS_BUFSZ, "%s%" PRId64 " min %" PRId64 " s", sign, m, s);
	else if (m)
		snprintf(out, TS_BUFSZ, "%s%" PRId64 " min", sign, m);
	else
		snprintf(out, TS_BUFSZ, "%s%" PRId64 " s", sign, s);
}

static void test_format_durations(void **state)
{
	(void)state;
	char s[TS_BUFSZ];
	ts_format_duration(21600, s);
	assert_string_equal(s, "PT6H");
	ts_format_duration(5400, s);
	assert_string_equal(s, "PT1H30M");
	ts_format_duration(93600, s);
	assert_string_equal(s, "P1DT2H");
	ts_format_duration(0, s);
	assert_string_equal(s, "PT0S");
	ts_format_human(15120, s);
	assert_string_equal(s, "4 h 12 min");
	ts_format_human(1800, s);
	assert_string_equal(s, "30 min");
	ts_format_human(1801, s);
	assert_string_equal(s, "30 min 1 s");
	ts_format_human(-21600, s);
	assert_string_equal(s, "-6 h");
	ts_format_human(183600, s);
	assert_string_equal(s, "2 d 3 h");
	ts_format_human(45, s);
	assert_string_equal(s, "45 s");
	ts_format_human(0, s);
	assert_string_equal(s, "0 s");
	/* Against the wording with snprintf, over every unit's edges. */
	const int64_t edge[] = { 1, 59, 60, 61, 3599, 3600, 3601, 3660, 86399, 86400, 86401, 90000,
				 90061, 172800, 31536000, INT64_MAX / 2 };
	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		for (int sign = -1; sign <= 1; sign += 2) {
			int64_t v = sign * edge[i];
			char want[TS_BUFSZ];
			ref_human(v, want);
			ts_format_human(v, s);
			assert_string_equal(s, want);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_utc),
		cmocka_unit_test(test_parse_offsets),
		cmocka_unit_test(test_parse_edges),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_format_durations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
