/* ics.c - iCalendar (RFC 5545) content lines: escaping and folding. */
#include "format/ics.h"

#include <string.h>

#include "base/ts.h"

/* The longest line in octets, CRLF not counted (RFC 5545 3.1). */
#define FOLD 75

void ics_line(struct buf *out, const char *name, const char *value)
{
	struct buf line = BUF_INIT;
	buf_printf(&line, "%s:%s", name, value);
	const unsigned char *p = (const unsigned char *)line.data;
	size_t n = line.len, width = FOLD;
	while (n > width) {
		/* Back off to the start of a UTF-8 sequence. */
		size_t cut = width;
		while (cut > 1 && (p[cut] & 0xC0) == 0x80)
			cut--;
		buf_append(out, p, cut);
		buf_puts(out, "\r\n ");
		p += cut;
		n -= cut;
		width = FOLD - 1;     /* the leading space counts */
	}
	buf_append(out, p, n);
	buf_puts(out, "\r\n");
	buf_free(&line);
}

void ics_text(struct buf *out, const char *name, const char *text)
{
	struct buf v = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		switch (*p) {
		case '\\': buf_puts(&v, "\\\\"); break;
		case ';': buf_puts(&v, "\\;"); break;
		case ',': buf_puts(&v, "\\,"); break;
		case '\n': buf_puts(&v, "\\n"); break;
		case '\r': break;
		default:
			buf_putc(&v, *p < 0x20 || *p == 0x7f ? ' ' : (char)*p);
			break;
		}
	}
	ics_line(out, name, buf_str(&v));
	buf_free(&v);
}

void ics_time(struct buf *out, const char *name, int64_t t)
{
	char iso[TS_BUFSZ], v[17];
	ts_format_utc(t, iso);      /* YYYY-MM-DDThh:mm:ssZ */
	memcpy(v, iso, 4);
	memcpy(v + 4, iso + 5, 2);
	memcpy(v + 6, iso + 8, 2);
	v[8] = 'T';
	memcpy(v + 9, iso + 11, 2);
	memcpy(v + 11, iso + 14, 2);
	memcpy(v + 13, iso + 17, 2);
	v[15] = 'Z';
	v[16] = '\0';
	ics_line(out, name, v);
}
