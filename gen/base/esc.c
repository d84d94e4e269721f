/* esc.c - escaping for HTML/XML, JSON, CSV and terminals. */
#include "base/esc.h"

#include <stdio.h>
#include <string.h>

#include "base/ts.h"

size_t esc_utf8_next(const unsigned char *p, unsigned long *c)
{
	if (p[0] < 0x80) {
		*c = p[0];
		return 1;
	}
	size_t n;
	unsigned long v, min;
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2, v = p[0] & 0x1Fu, min = 0x80;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3, v = p[0] & 0x0Fu, min = 0x800;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4, v = p[0] & 0x07u, min = 0x10000;
	} else {
		*c = 0xFFFD;
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80) {
			*c = 0xFFFD;
			return 1;
		}
		v = (v << 6) | (p[i] & 0x3Fu);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*c = 0xFFFD;
		return 1;
	}
	*c = v;
	return n;
}

void esc_utf8_put(struct buf *out, unsigned long c)
{
	char b[4];
	if (c < 0x80) {
		buf_putc(out, (char)c);
	} else if (c < 0x800) {
		b[0] = (char)(0xC0 | (c >> 6));
		b[1] = (char)(0x80 | (c & 0x3F));
		buf_append(out, b, 2);
	} else if (c < 0x10000) {
		b[0] = (char)(0xE0 | (c >> 12));
		b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[2] = (char)(0x80 | (c & 0x3F));
		buf_append(out, b, 3);
	} else {
		b[0] = (char)(0xF0 | (c >> 18));
		b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		b[3] = (char)(0x80 | (c & 0x3F));
		buf_append(out, b, 4);
	}
}

void esc_html_n(struct buf *out, const char *s, size_t max)
{
	if (!s)
		return;
	const unsigned char *p = (const unsigned char *)s;
	size_t count = 0;
	while (*p) {
		if (max && count == max) {
			buf_puts(out, "\xE2\x80\xA6");
			return;
		}
		unsigned long c;
		p += esc_utf8_next(p, &c);
		count++;
		switch (c) {
		case '&': buf_puts(out, "&amp;"); break;
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		case '\'': buf_puts(out, "&#39;"); break;
		case '\t': case '\n': buf_putc(out, (char)c); break;
		case '\r': buf_putc(out, '\n'); break;
		default:
			if (c < 0x20 || c == 0x7F || c == 0xFFFE || c == 0xFFFF)
				count--;
			else
				esc_utf8_put(out, c);
		}
	}
}

void esc_html(struct buf *out, const char *s)
{
	esc_html_n(out, s, 0);
}

/* The bytes a JSON string carries as they are: printable ASCII but the
 * quote and the backslash.  A table, one load a byte, because the audit's
 * JSON is nearly all such runs. */
static const unsigned char json_plain[256] = {
	/* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x20 */ 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x30 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x40 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x50 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	/* 0x60 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x70 */ 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	/* 0x80 to 0xFF: 0, a UTF-8 sequence to check */
};

void esc_json(struct buf *out, const char *s)
{
	if (!s) {
		buf_append(out, "null", 4);
		return;
	}
	buf_putc(out, '"');
	const unsigned char *p = (const unsigned char *)s;
	for (;;) {
		/* A run of plain bytes goes out at once. */
		const unsigned char *run = p;
		while (json_plain[*p])
			p++;
		if (p > run)
			buf_append(out, run, (size_t)(p - run));
		if (!*p)
			break;
		unsigned long c;
		size_t n = esc_utf8_next(p, &c);
		switch (c) {
		case '"': buf_append(out, "\\\"", 2); break;
		case '\\': buf_append(out, "\\\\", 2); break;
		case '\n': buf_append(out, "\\n", 2); break;
		case '\r': buf_append(out, "\\r", 2); break;
		case '\t': buf_append(out, "\\t", 2); break;
		default:
			if (c < 0x20 || c == 0x7F)
				buf_printf(out, "\\u%04lx", c);
			else if (n > 1)
				/* A valid sequence is its own encoding. */
				buf_append(out, p, n);
			else
				esc_utf8_put(out, c);
		}
		p += n;
	}
	buf_putc(out, '"');
}

/* The date part of the last time esc_json_time wrote, per thread: a
 * record's times fall on a few days, and the calendar arithmetic was
 * most of the cost of the hundreds of times an audit's JSON holds. */
static _Thread_local struct {
	bool set;
	int64_t day;
	char date[12];   /* "YYYY-MM-DDT" */
} json_day;

void esc_json_time(struct buf *out, bool has, int64_t t)
{
	if (!has) {
		buf_append(out, "null", 4);
		return;
	}
	int64_t day = t / 86400, rem = t % 86400;
	if (rem < 0) {
		day--;
		rem += 86400;
	}
	/* Digits, '-', 'T', ':' and 'Z': nothing to escape. */
	char s[TS_BUFSZ + 2];
	s[0] = '"';
	if (!json_day.set || json_day.day != day) {
		ts_format_utc(t, s + 1);
		size_t n = 1 + strlen(s + 1);
		s[n++] = '"';
		buf_append(out, s, n);
		/* Only the four-digit years, the ones a parsed time has. */
		json_day.set = n == 22;
		json_day.day = day;
		memcpy(json_day.date, s + 1, 11);
		return;
	}
	memcpy(s + 1, json_day.date, 11);
	unsigned h = (unsigned)(rem / 3600), m = (unsigned)(rem / 60 % 60), sec = (unsigned)(rem % 60);
	char *p = s + 12;
	*p++ = (char)('0' + h / 10);
	*p++ = (char)('0' + h % 10);
	*p++ = ':';
	*p++ = (char)('0' + m / 10);
	*p++ = (char)('0' + m % 10);
	*p++ = ':';
	*p++ = (char)('0' + sec / 10);
	*p++ = (char)('0' + sec % 10);
	*p++ = 'Z';
	*p++ = '"';
	buf_append(out, s, (size_t)(p - s));
}

void esc_csv(struct buf *out, const char *s)
{
	buf_putc(out, '"');
	if (s && *s && strchr("=+-@\t\r", *s))
		buf_putc(out, '\'');
	/* Copied a run at a time up to each quote, which is doubled: the
	 * approval matrix's CSV writes hundreds of cells a record. */
	while (s && *s) {
		const char *q = strchr(s, '"');
		size_t n = q ? (size_t)(q - s) + 1 : strlen(s);
		buf_append(out, s, n);
		if (!q)
			break;
		buf_putc(out, '"');
		s = q + 1;
	}
	buf_putc(out, '"');
}

/* Characters a terminal acts on, or that make text read otherwise than
 * it is, beyond C0 and DEL. */
static bool term_special(unsigned long c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
	       c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

void esc_term(struct buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (p && *p) {
		unsigned long c;
		size_t n = esc_utf8_next(p, &c);
		char e[24];
		if (c == '\n' || c == '\t' || c == '\r') {
			buf_putc(out, '\\');
			buf_putc(out, c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
		} else if (c < 0x20 || c == 0x7f || (n == 1 && c == 0xFFFD)) {
			snprintf(e, sizeof(e), "\\x%02x", (unsigned)*p);
			buf_puts(out, e);
		} else if (term_special(c)) {
			snprintf(e, sizeof(e), "\\u%04lx", c);
			buf_puts(out, e);
		} else {
			buf_append(out, p, n);
		}
		p += n;
	}
}
