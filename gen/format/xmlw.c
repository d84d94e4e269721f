/* xmlw.c - a small XML writer into a growable buffer. */
#include "format/xmlw.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The length of the well-formed UTF-8 sequence at s (of n bytes, s[0] at
 * least 0x80) and its code point in *cp; 0 when it is not one (a stray
 * continuation byte, a truncated or overlong sequence, a surrogate, past
 * U+10FFFF). */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xBF;  /* the second byte's range */
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		*cp = c & 0x1Fu;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		*cp = c & 0x0Fu;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		*cp = c & 0x07u;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3Fu);
	}
	return len;
}

/* The ASCII bytes written as they are: space and up (DEL included, which
 * XML allows), but for the four escaped; a table, rather than a chain of
 * tests on every byte. */
#define P1(c) ((c) >= 0x20 && (c) < 0x80 && (c) != '&' && (c) != '<' && (c) != '>' && (c) != '"')
#define P4(c) P1(c), P1((c) + 1), P1((c) + 2), P1((c) + 3)
#define P16(c) P4(c), P4((c) + 4), P4((c) + 8), P4((c) + 12)
static const bool plain[256] = {
	P16(0x00), P16(0x10), P16(0x20), P16(0x30), P16(0x40), P16(0x50), P16(0x60), P16(0x70),
};
#undef P16
#undef P4
#undef P1

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* True when some byte of v is zero. */
static uint64_t has_zero(uint64_t v)
{
	return (v - ONES) & ~v & HIGHS;
}

/* True when all eight bytes at s are plain (see the table): below 0x20,
 * 0x80 and up, and the four escaped are looked for in the eight at once
 * (in any byte order: only "some byte" is asked). */
static bool plain8(const unsigned char *s)
{
	uint64_t v;
	memcpy(&v, s, 8);
	uint64_t odd = ((v - ONES * 0x20) & ~v & HIGHS) | (v & HIGHS) |
		       has_zero(v ^ (ONES * '&')) | has_zero(v ^ (ONES * '<')) |
		       has_zero(v ^ (ONES * '>')) | has_zero(v ^ (ONES * '"'));
	return odd == 0;
}

/* Appends s as XML text or (attr) an attribute value: see xmlw.h. */
static void put_escaped(struct buf *out, const char *str, size_t n, bool attr)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t run = 0;  /* start of the bytes waiting to be copied as they are */
	for (size_t i = 0; i < n;) {
		/* The text of a document is mostly plain: eight bytes at a time. */
		while (n - i >= 8 && plain8(s + i))
			i += 8;
		if (i == n)
			break;
		unsigned char c = s[i];
		if (plain[c]) {
			i++;
			continue;
		}
		size_t k = 1;
		const char *rep = NULL;
		if (c >= 0x80) {
			uint32_t cp;
			k = utf8_seq(s + i, n - i, &cp);
			if (k != 0 && cp != 0xFFFE && cp != 0xFFFF) {
				i += k;  /* kept as it is */
				continue;
			}
			if (k == 0) {
				rep = "\xEF\xBF\xBD";
				k = 1;
			}
		} else {
			switch (c) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\r': rep = "&#13;"; break;
			case '\t': rep = attr ? "&#9;" : "\t"; break;
			case '\n': rep = attr ? "&#10;" : "\n"; break;
			default: break;  /* other controls: dropped */
			}
		}
		buf_append(out, str + run, i - run);
		if (rep)
			buf_puts(out, rep);
		i += k;
		run = i;
	}
	buf_append(out, str + run, n - run);
}

void xmlw_begin(struct xmlw *w, struct buf *out)
{
	*w = (struct xmlw){ .out = out };
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
}

/* Ends a start tag still open, before content. */
static void end_tag(struct xmlw *w)
{
	if (w->in_tag) {
		buf_putc(w->out, '>');
		w->in_tag = false;
	}
}

void xmlw_open(struct xmlw *w, const char *name)
{
	if (w->failed)
		return;
	end_tag(w);
	if (w->depth == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->names = xrealloc(w->names, w->cap * sizeof(*w->names));
	}
	size_t len = strlen(name);
	w->names[w->depth++] = (struct xmlw_name){ name, len };
	buf_putc(w->out, '<');
	buf_append(w->out, name, len);
	w->in_tag = true;
}

void xmlw_attrs(struct xmlw *w, const char *attrs)
{
	if (w->failed)
		return;
	if (!w->in_tag) {
		w->failed = true;
		return;
	}
	buf_puts(w->out, attrs);
}

void xmlw_attr(struct xmlw *w, const char *name, const char *value)
{
	if (w->failed)
		return;
	if (!w->in_tag) {
		w->failed = true;
		return;
	}
	buf_putc(w->out, ' ');
	buf_puts(w->out, name);
	buf_append(w->out, "=\"", 2);
	put_escaped(w->out, value, strlen(value), true);
	buf_putc(w->out, '"');
}

void xmlw_text(struct xmlw *w, const char *s, size_t n)
{
	if (w->failed)
		return;
	if (w->depth == 0) {
		w->failed = true;  /* no text outside the root element */
		return;
	}
	end_tag(w);
	put_escaped(w->out, s, n, false);
}

void xmlw_raw(struct xmlw *w, const char *xml, size_t n)
{
	if (w->failed)
		return;
	if (w->depth == 0) {
		w->failed = true;
		return;
	}
	end_tag(w);
	buf_append(w->out, xml, n);
}

void xmlw_close(struct xmlw *w)
{
	if (w->failed)
		return;
	if (w->depth == 0) {
		w->failed = true;
		return;
	}
	const struct xmlw_name *name = &w->names[--w->depth];
	if (w->in_tag) {
		buf_append(w->out, "/>", 2);
		w->in_tag = false;
	} else {
		buf_append(w->out, "</", 2);
		buf_append(w->out, name->s, name->len);
		buf_putc(w->out, '>');
	}
}

int xmlw_finish(struct xmlw *w)
{
	while (!w->failed && w->depth > 0)
		xmlw_close(w);
	buf_putc(w->out, '\n');
	bool failed = w->failed || w->out->overflow;
	free(w->names);
	*w = (struct xmlw){ 0 };
	return failed ? -1 : 0;
}
