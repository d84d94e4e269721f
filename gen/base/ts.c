/* ts.c - RFC 3339 timestamps and ISO 8601 durations, without the C
 * library's time zone state, so results never depend on TZ. */
#include "base/ts.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"

int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n digits. */
static bool digits(const char **p, int n, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (unsigned)(c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static int parse_offset(const char **p, int *offset_min, const char **why)
{
	const char *s = *p;
	if (*s == 'Z' || *s == 'z') {
		*offset_min = 0;
		*p = s + 1;
		return 0;
	}
	if (*s != '+' && *s != '-') {
		*why = "has no UTC offset (end it with Z or an offset like +01:00)";
		return -1;
	}
	int sign = *s == '-' ? -1 : 1;
	s++;
	unsigned hh, mm;
	if (!digits(&s, 2, &hh) || *s++ != ':' || !digits(&s, 2, &mm)) {
		*why = "has a malformed UTC offset (expected +hh:mm or -hh:mm)";
		return -1;
	}
	if (hh > 23 || mm > 59) {
		*why = "has a UTC offset out of range";
		return -1;
	}
	*offset_min = sign * (int)(hh * 60 + mm);
	*p = s;
	return 0;
}

int ts_parse_offset(const char *s, int *offset_min)
{
	const char *why;
	const char *p = s;
	if (parse_offset(&p, offset_min, &why) != 0 || *p)
		return -1;
	return 0;
}

int ts_parse(const char *s, int64_t *epoch, int *offset_min, const char **why)
{
	const char *p = s;
	unsigned y, mo, d, h, mi, sec;
	*why = "is not an RFC 3339 date-time (expected YYYY-MM-DDThh:mm:ss plus Z or an offset)";
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) ||
	    *p++ != '-' || !digits(&p, 2, &d))
		return -1;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
		return -1;
	if (*p != ':') {
		*why = "has no seconds (write hh:mm:ss)";
		return -1;
	}
	p++;
	if (!digits(&p, 2, &sec))
		return -1;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (!*p) {
		*why = "has no UTC offset (end it with Z or an offset like +01:00)";
		return -1;
	}
	int off;
	if (parse_offset(&p, &off, why) != 0)
		return -1;
	if (*p) {
		*why = "has trailing characters after the UTC offset";
		return -1;
	}
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60) {
		*why = "is not a real date and time";
		return -1;
	}
	int64_t t = ts_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	t -= (int64_t)off * 60;
	if (t < TS_MIN || t > TS_MAX) {
		*why = "is outside the years 1970 to 9999 in UTC";
		return -1;
	}
	*epoch = t;
	*offset_min = off;
	return 0;
}

int ts_parse_duration(const char *s, int64_t *secs, const char **why)
{
	const char *p = s;
	int64_t total = 0;
	bool in_time = false, any = false;
	char last = 0;
	static const char order[] = "DHMS";
	*why = "is not an ISO 8601 duration (expected like PT30M, PT6H or P1DT2H)";
	if (*p++ != 'P')
		return -1;
	while (*p) {
		if (*p == 'T') {
			if (in_time)
				return -1;
			in_time = true;
			p++;
			if (!*p)
				return -1;
			continue;
		}
		/* Past the limit, v stays just over it: no overflow, and the
		 * total below says why. */
		int64_t v = 0;
		int nd = 0;
		while (*p >= '0' && *p <= '9') {
			v = v * 10 + (*p - '0');
			if (v > TS_DURATION_MAX)
				v = TS_DURATION_MAX + 1;
			p++;
			nd++;
		}
		if (nd == 0)
			return -1;
		char unit = *p++;
		int64_t mul;
		if (unit == 'D' && !in_time)
			mul = 86400;
		else if (unit == 'H' && in_time)
			mul = 3600;
		else if (unit == 'M' && in_time)
			mul = 60;
		else if (unit == 'S' && in_time)
			mul = 1;
		else {
			if (unit == 'Y' || unit == 'W' || (unit == 'M' && !in_time))
				*why = "uses years, months or weeks (use days, hours, minutes and seconds)";
			return -1;
		}
		if (last && strchr(order, unit) <= strchr(order, last))
			return -1;
		last = unit;
		total += v * mul;
		if (total > TS_DURATION_MAX)
			total = TS_DURATION_MAX + 1;
		any = true;
	}
	if (!any)
		return -1;
	if (total > TS_DURATION_MAX) {
		*why = "is longer than the 365 days (P365D) sircomm accepts";
		return -1;
	}
	*secs = total;
	return 0;
}

/* Two decimal digits of v (0 to 99) at p. */
static char *put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* Written digit by digit: audits and drafts format tens of thousands of
 * times per batch, and snprintf was a twentieth of drafting's time. */
static void format_at(int64_t t, int offset_min, char out[TS_BUFSZ])
{
	int64_t local = t + (int64_t)offset_min * 60;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t rem = local - days * 86400;
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	char *p = out;
	if (y >= 0 && y <= 9999) {
		p = put2(p, (unsigned)(y / 100));
		p = put2(p, (unsigned)(y % 100));
	} else {
		/* Not reachable from a parsed time; kept in bounds anyway:
		 * the rest takes at most 22 bytes of TS_BUFSZ. */
		int n = snprintf(p, TS_BUFSZ - 21, "%04" PRId64, y);
		p += n < TS_BUFSZ - 22 ? n : TS_BUFSZ - 22;
	}
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	p = put2(p, d);
	*p++ = 'T';
	p = put2(p, (unsigned)(rem / 3600));
	*p++ = ':';
	p = put2(p, (unsigned)(rem / 60 % 60));
	*p++ = ':';
	p = put2(p, (unsigned)(rem % 60));
	if (offset_min == 0) {
		*p++ = 'Z';
	} else {
		unsigned a = (unsigned)(offset_min < 0 ? -offset_min : offset_min);
		*p++ = offset_min < 0 ? '-' : '+';
		p = put2(p, a / 60 % 100);
		*p++ = ':';
		p = put2(p, a % 60);
	}
	*p = '\0';
}

void ts_format_utc(int64_t t, char out[TS_BUFSZ])
{
	format_at(t, 0, out);
}

void ts_format_offset(int64_t t, int offset_min, char out[TS_BUFSZ])
{
	format_at(t, offset_min, out);
}

void ts_format_duration(int64_t secs, char out[TS_BUFSZ])
{
	char *p = out;
	size_t left = TS_BUFSZ;
	int n;
	if (secs < 0) {
		*p++ = '-';
		left--;
		secs = -secs;
	}
	int64_t d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60, s = secs % 60;
	n = snprintf(p, left, "P");
	p += n, left -= (size_t)n;
	if (d) {
		n = snprintf(p, left, "%" PRId64 "D", d);
		p += n, left -= (size_t)n;
	}
	if (h || m || s || !d) {
		n = snprintf(p, left, "T");
		p += n, left -= (size_t)n;
		if (h) {
			n = snprintf(p, left, "%" PRId64 "H", h);
			p += n, left -= (size_t)n;
		}
		if (m) {
			n = snprintf(p, left, "%" PRId64 "M", m);
			p += n, left -= (size_t)n;
		}
		if (s || (!h && !m))
			snprintf(p, left, "%" PRId64 "S", s);
	}
}

/* Writes v in decimal at p; returns the end. */
static char *put_decimal(char *p, uint64_t v)
{
	return p + fmt_uint(v, p);
}

static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

/* "5 h 12 min": the largest unit and the next when it is not 0.  Written
 * by hand, not with snprintf: an audit words hundreds of these. */
void ts_format_human(int64_t secs, char out[TS_BUFSZ])
{
	char *p = out;
	uint64_t u = (uint64_t)secs;
	if (secs < 0) {
		*p++ = '-';
		u = 0 - u;
	}
	uint64_t d = u / 86400, h = u / 3600 % 24, m = u / 60 % 60, s = u % 60;
	uint64_t first, second;
	const char *unit1, *unit2;
	if (d) {
		first = d, unit1 = " d", second = h, unit2 = " h";
	} else if (h) {
		first = h, unit1 = " h", second = m, unit2 = " min";
	} else if (m) {
		first = m, unit1 = " min", second = s, unit2 = " s";
	} else {
		first = s, unit1 = " s", second = 0, unit2 = "";
	}
	p = put_str(put_decimal(p, first), unit1);
	if (second) {
		*p++ = ' ';
		p = put_str(put_decimal(p, second), unit2);
	}
	*p = '\0';
}

void ts_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	civil_from_days(days, y, m, d);
}

unsigned ts_days_in_month(int64_t y, unsigned m)
{
	return days_in_month(y, m);
}
