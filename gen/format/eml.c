/* eml.c - RFC 5322 text/plain messages with RFC 2047 and RFC 2045 encodings. */
#include "format/eml.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>
#include <utf8proc.h>

#include "base/ts.h"

/* Longest header line we write before folding (RFC 5322 2.1.1), and the
 * stricter limit for lines that hold an encoded-word (RFC 2047 2). */
#define LINE_FOLD 78
#define LINE_EWORD 76
/* Longest encoded-word (RFC 2047 2). */
#define EWORD_MAX 75
/* Words longer than this cannot be folded onto a line of their own within
 * the 998-octet limit, so they go out as encoded-words, which can split. */
#define WORD_MAX 900
/* Longest body line sent as 7bit (RFC 5322 2.1.1), and the longest
 * quoted-printable line (RFC 2045 6.7). */
#define BODY_LINE_MAX 998
#define QP_LINE_MAX 76

static const char hex_digits[] = "0123456789ABCDEF";

/* ---- Checking header values ------------------------------------------ */

/* The messages eml_write() can give, one set per field, so *why stays a
 * static string. */
enum field { F_FROM_NAME, F_FROM_ADDRESS, F_TO, F_SUBJECT };

static const struct {
	const char *line_break, *control, *utf8;
} field_why[] = {
	[F_FROM_NAME] = { "from name contains a line break",
			  "from name contains a control character",
			  "from name is not valid UTF-8" },
	[F_FROM_ADDRESS] = { "from address contains a line break",
			     "from address contains a control character",
			     "from address is not valid UTF-8" },
	[F_TO] = { "to contains a line break", "to contains a control character",
		   "to is not valid UTF-8" },
	[F_SUBJECT] = { "subject contains a line break",
			"subject contains a control character",
			"subject is not valid UTF-8" },
};

/* Length of the UTF-8 character at s (n bytes left), or -1 when s does not
 * start a valid one; its code point goes to *cp. */
static int utf8_char(const char *s, size_t n, int32_t *cp)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s,
					      (utf8proc_ssize_t)n, &c);
	if (k <= 0)
		return -1;
	*cp = c;
	return (int)k;
}

enum value_problem { V_OK, V_UTF8, V_LINE_BREAK, V_CONTROL };

/* What keeps a value out of a header: invalid UTF-8, a line break (CR,
 * LF, NEL, U+2028, U+2029) or another control character (C0, TAB
 * included, DEL, C1). */
static enum value_problem value_problem(const char *s)
{
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		int32_t cp;
		int k;
		if ((unsigned char)s[i] < 0x80) {
			cp = (unsigned char)s[i];  /* ASCII: a character of its own */
			k = 1;
		} else if ((k = utf8_char(s + i, n - i, &cp)) < 0) {
			return V_UTF8;
		}
		if (cp == '\r' || cp == '\n' || cp == 0x85 || cp == 0x2028 || cp == 0x2029)
			return V_LINE_BREAK;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f))
			return V_CONTROL;
		i += (size_t)k;
	}
	return V_OK;
}

const char *eml_header_problem(const char *s)
{
	static const char *const says[] = {
		[V_OK] = NULL,
		[V_UTF8] = "is not valid UTF-8",
		[V_LINE_BREAK] = "contains a line break",
		[V_CONTROL] = "contains a control character",
	};
	return says[value_problem(s)];
}

/* Checks one header value.  Returns 0, or -1 with *why set. */
static int check_value(enum field f, const char *s, const char **why)
{
	switch (value_problem(s)) {
	case V_OK:
		return 0;
	case V_UTF8:
		*why = field_why[f].utf8;
		break;
	case V_LINE_BREAK:
		*why = field_why[f].line_break;
		break;
	case V_CONTROL:
		*why = field_why[f].control;
		break;
	}
	return -1;
}

/* True when s holds no byte above 0x7e: ASCII once controls are out. */
static bool is_ascii_text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

/* atext of RFC 5322 3.2.3: what a dot-atom or an unquoted word may hold. */
static bool is_atext(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

bool eml_is_plain_address(const char *s)
{
	const char *at = strrchr(s, '@');
	if (!at || strlen(s) > 254)
		return false;
	size_t local = (size_t)(at - s);
	if (local == 0 || local > 64 || s[0] == '.' || s[local - 1] == '.')
		return false;
	for (size_t i = 0; i < local; i++) {
		if (s[i] == '.' ? s[i + 1] == '.' : !is_atext(s[i]))
			return false;
	}
	const char *dom = at + 1;
	size_t label = 0, labels = 0;
	for (const char *p = dom;; p++) {
		if (*p == '.' || *p == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-')
				return false;
			labels++;
			label = 0;
			if (*p == '\0')
				break;
			continue;
		}
		bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			  (*p >= '0' && *p <= '9') || (*p == '-' && label > 0);
		if (!ok)
			return false;
		label++;
	}
	return labels >= 1;
}

/* ---- Writing header fields -------------------------------------------- */

/* A header field being written: words go on the current line while it
 * stays within LINE_FOLD columns, else on a new one (a fold is CRLF put
 * before the white space that precedes a word, RFC 5322 2.2.3). */
struct hdr {
	struct buf *out;
	size_t col;      /* characters on the current line */
	bool has_word;   /* the line holds a word, so a fold may follow */
};

static void hdr_begin(struct hdr *h, struct buf *out, const char *name)
{
	h->out = out;
	buf_puts(out, name);
	buf_putc(out, ':');
	h->col = strlen(name) + 1;
	h->has_word = false;
}

static void hdr_end(struct hdr *h)
{
	buf_puts(h->out, "\r\n");
}

/* Folds: the white space the next word brings starts a new line. */
static void hdr_newline(struct hdr *h)
{
	buf_puts(h->out, "\r\n");
	h->col = 0;
	h->has_word = false;
}

/* Appends white space ws (one or more blanks) and then a word, on a new
 * line when it would not fit within LINE_FOLD columns. */
static void hdr_word(struct hdr *h, const char *ws, size_t wsn, const char *w, size_t wn)
{
	if (h->has_word && h->col + wsn + wn > LINE_FOLD)
		hdr_newline(h);
	buf_append(h->out, ws, wsn);
	buf_append(h->out, w, wn);
	h->col += wsn + wn;
	h->has_word = true;
}

/* Appends text as words, splitting at runs of spaces; with `lead`, the
 * first word gets one space more than the text starts with (the one
 * after the colon or the word before).  Trailing spaces are kept. */
static void hdr_words(struct hdr *h, const char *s, size_t n, bool lead)
{
	size_t i = 0;
	bool first = lead;
	while (i < n) {
		size_t ws = i;
		while (i < n && s[i] == ' ')
			i++;
		size_t w = i;
		while (i < n && s[i] != ' ')
			i++;
		if (w == i) {
			buf_append(h->out, s + ws, i - ws);
			h->col += i - ws;
			break;
		}
		if (first) {
			buf_putc(h->out, ' ');
			h->col++;
			first = false;
		}
		hdr_word(h, s + ws, w - ws, s + w, i - w);
	}
}

/* Q encoding for a phrase (RFC 2047 5(3)), which is also safe in *text:
 * letters, digits and !*+-/ stay, a space is "_", the rest is =XX. */
static bool q_plain(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!*+-/", c));
}

static size_t q_len(const char *s, size_t n)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++)
		len += q_plain((unsigned char)s[i]) || s[i] == ' ' ? 1 : 3;
	return len;
}

static size_t b_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

/* Appends s (valid UTF-8) as encoded-words: "=?UTF-8?Q?...?=" or
 * "=?UTF-8?B?...?=", whichever is shorter for the whole text, each at
 * most EWORD_MAX characters, on lines of at most LINE_EWORD, split only
 * between characters.  The first word follows white space ws; the rest
 * follow one space, which decoders drop between encoded-words. */
static void hdr_encoded(struct hdr *h, const char *ws, size_t wsn, const char *s, size_t n)
{
	bool q = q_len(s, n) <= b_len(n);
	const size_t overhead = strlen("=?UTF-8?Q?") + strlen("?=");
	size_t i = 0;
	while (i < n) {
		/* Room for this word on the current line; a new line when too
		 * little is left for even a long character. */
		size_t used = h->col + wsn < LINE_EWORD ? h->col + wsn : LINE_EWORD;
		size_t room = LINE_EWORD - used;
		if (h->has_word && room < overhead + 12) {
			hdr_newline(h);
			room = wsn < LINE_EWORD ? LINE_EWORD - wsn : 0;
		}
		if (room > EWORD_MAX)
			room = EWORD_MAX;
		size_t end = i, len = overhead;
		while (end < n) {
			int32_t cp;
			int k = utf8_char(s + end, n - end, &cp);
			if (k < 0)
				k = 1; /* checked before; never happens */
			size_t next = q ? len + q_len(s + end, (size_t)k)
					: overhead + b_len(end + (size_t)k - i);
			if (next > room && end > i)
				break;
			len = next;
			end += (size_t)k;
		}
		struct buf w = BUF_INIT;
		buf_printf(&w, "=?UTF-8?%c?", q ? 'Q' : 'B');
		if (q) {
			for (size_t j = i; j < end; j++) {
				unsigned char c = (unsigned char)s[j];
				if (c == ' ')
					buf_putc(&w, '_');
				else if (q_plain(c))
					buf_putc(&w, (char)c);
				else
					buf_printf(&w, "=%c%c", hex_digits[c >> 4], hex_digits[c & 15]);
			}
		} else {
			size_t bn = sodium_base64_ENCODED_LEN(end - i, sodium_base64_VARIANT_ORIGINAL);
			char *b64 = xmalloc(bn);
			sodium_bin2base64(b64, bn, (const unsigned char *)s + i, end - i,
					  sodium_base64_VARIANT_ORIGINAL);
			buf_puts(&w, b64);
			free(b64);
		}
		buf_puts(&w, "?=");
		hdr_word(h, ws, wsn, w.data, w.len);
		buf_free(&w);
		ws = " ";
		wsn = 1;
		i = end;
	}
}

/* True when a word of unstructured text must be encoded: it has non-ASCII
 * characters, could be taken for an encoded-word, or is too long to fold. */
static bool word_needs_encoding(const char *w, size_t n)
{
	if (n > WORD_MAX || !is_ascii_text(w, n))
		return true;
	for (size_t i = 0; i + 1 < n; i++)
		if (w[i] == '=' && w[i + 1] == '?')
			return true;
	return false;
}

/* Appends unstructured text (a Subject): words that need it are encoded,
 * as one run from the first such word to the last, so the white space
 * between them survives decoding; the words around the run stay plain. */
static void hdr_unstructured(struct hdr *h, const char *s)
{
	size_t n = strlen(s);
	size_t first = n, last = 0; /* start of the first, end of the last */
	for (size_t i = 0; i < n;) {
		while (i < n && s[i] == ' ')
			i++;
		size_t w = i;
		while (i < n && s[i] != ' ')
			i++;
		if (w < i && word_needs_encoding(s + w, i - w)) {
			if (first == n)
				first = w;
			last = i;
		}
	}
	if (first == n) {
		hdr_words(h, s, n, true);
		return;
	}
	size_t ws = first;
	while (ws > 0 && s[ws - 1] == ' ')
		ws--;
	hdr_words(h, s, ws, true);
	if (ws == 0) {
		/* The space after the colon, then any the text starts with. */
		struct buf lead = BUF_INIT;
		buf_putc(&lead, ' ');
		buf_append(&lead, s, first);
		hdr_encoded(h, lead.data, lead.len, s + first, last - first);
		buf_free(&lead);
	} else {
		hdr_encoded(h, s + ws, first - ws, s + first, last - first);
	}
	/* The plain rest starts with white space, so it needs no extra. */
	hdr_words(h, s + last, n - last, false);
}

/* Appends a display name as a phrase: plain words when it is ASCII atoms,
 * a quoted-string when it has specials, encoded-words otherwise. */
static void hdr_phrase(struct hdr *h, const char *name, size_t n)
{
	bool atoms = true, encode = false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (c != ' ' && !is_atext(c))
			atoms = false;
	}
	for (size_t i = 0; i < n;) {
		while (i < n && name[i] == ' ')
			i++;
		size_t w = i;
		while (i < n && name[i] != ' ')
			i++;
		if (w < i && word_needs_encoding(name + w, i - w))
			encode = true;
	}
	if (encode) {
		hdr_encoded(h, " ", 1, name, n);
	} else if (atoms) {
		hdr_words(h, name, n, true);
	} else {
		struct buf q = BUF_INIT;
		buf_putc(&q, '"');
		for (size_t i = 0; i < n; i++) {
			if (name[i] == '"' || name[i] == '\\')
				buf_putc(&q, '\\');
			buf_putc(&q, name[i]);
		}
		buf_putc(&q, '"');
		hdr_words(h, q.data, q.len, true);
		buf_free(&q);
	}
}

/* Two decimal digits of v (0 to 99). */
/* "Wed, 04 Mar 2026 09:12:00 +0000": the time as seen at the offset. */
static void format_date(int64_t t, int offset, struct buf *out)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t local = (time_t)(t + (int64_t)offset * 60);
	struct tm tm;
	gmtime_r(&local, &tm);
	int a = offset < 0 ? -offset : offset;
	buf_printf(out, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d", days[tm.tm_wday],
		   tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
		   tm.tm_min, tm.tm_sec, offset < 0 ? '-' : '+', a / 60, a % 60);
}

/* ---- Body ------------------------------------------------------------- */

/* Eight bytes at s, in memory order. */
static uint64_t load8(const char *s)
{
	uint64_t x;
	memcpy(&x, s, 8);
	return x;
}

#define ONES ((uint64_t)0x0101010101010101u)
#define HIGHS ((uint64_t)0x8080808080808080u)

/* True when each of the eight bytes is printable ASCII (0x20 to 0x7e). */
static bool printable8(uint64_t x)
{
	uint64_t below = (x - ONES * 0x20) & ~x;       /* high bit: byte < 0x20 */
	uint64_t above = (x + ONES * (0x7f - 0x7e)) | x; /* high bit: byte > 0x7e */
	return ((below | above) & HIGHS) == 0;
}

/* Whether the body can go out as 7bit: printable ASCII and tabs, lines
 * ("\n" or "\r\n") of at most BODY_LINE_MAX octets, no lone CR. */
static bool body_is_7bit(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t eol = nl ? (size_t)(nl - s) : n, end = eol;
		if (nl && end > i && s[end - 1] == '\r')
			end--;  /* the CR of a CRLF */
		if (end - i > BODY_LINE_MAX)
			return false;
		size_t j = i;
		while (j + 8 <= end && printable8(load8(s + j)))
			j += 8;
		for (; j < end; j++) {
			unsigned char c = (unsigned char)s[j];
			if (c > 0x7e || (c < 0x20 && c != '\t'))
				return false;
		}
		i = eol + 1;
	}
	return true;
}

/* The body, line by line, each line ended by CRLF (a CRLF stays one). */
static void body_7bit(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t eol = nl ? (size_t)(nl - s) : n, end = eol;
		if (nl && end > i && s[end - 1] == '\r')
			end--;
		if (end > i)
			buf_append(out, s + i, end - i);
		buf_puts(out, "\r\n");
		i = eol + 1;
	}
}

/* One line (no line break) in quoted-printable, RFC 2045 6.7: '=', bytes
 * outside printable ASCII and white space at the end of the line are
 * =XX; soft line breaks keep lines within QP_LINE_MAX and fall between
 * characters, never inside one. */
static void qp_line(const char *s, size_t n, struct buf *out)
{
	size_t col = 0;
	for (size_t i = 0; i < n;) {
		int32_t cp;
		int k = (unsigned char)s[i] < 0x80 ? 1 : utf8_char(s + i, n - i, &cp);
		if (k < 0)
			k = 1;
		bool last = i + (size_t)k == n;
		char tok[16];
		size_t tn = 0;
		for (int j = 0; j < k; j++) {
			unsigned char c = (unsigned char)s[i + (size_t)j];
			bool plain = (c >= 33 && c <= 126 && c != '=') ||
				     ((c == ' ' || c == '\t') && !last);
			if (plain) {
				tok[tn++] = (char)c;
			} else {
				tok[tn++] = '=';
				tok[tn++] = hex_digits[c >> 4];
				tok[tn++] = hex_digits[c & 15];
			}
		}
		/* A soft break costs the '=' at the end of the line. */
		size_t limit = last ? QP_LINE_MAX : QP_LINE_MAX - 1;
		if (col + tn > limit) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		buf_append(out, tok, tn);
		col += tn;
		i += (size_t)k;
	}
	buf_puts(out, "\r\n");
}

static void body_qp(const char *s, size_t n, struct buf *out)
{
	size_t i = 0;
	while (i < n) {
		size_t eol = i;
		while (eol < n && s[eol] != '\n')
			eol++;
		size_t len = eol - i;
		if (len && s[i + len - 1] == '\r' && eol < n)
			len--;
		qp_line(s + i, len, out);
		i = eol + 1;
	}
}

/* ---- The message ------------------------------------------------------ */

/* Checks everything eml_write() refuses.  Returns 0, or -1 with *why set. */
static int check_message(const struct eml_message *m, bool seven, const char **why)
{
	if (!m->from_address) {
		*why = "from address is missing";
		return -1;
	}
	if (check_value(F_FROM_ADDRESS, m->from_address, why) != 0)
		return -1;
	if (!eml_is_plain_address(m->from_address)) {
		*why = "from address is not a plain address (local@domain)";
		return -1;
	}
	if ((m->from_name && check_value(F_FROM_NAME, m->from_name, why) != 0) ||
	    (m->to && check_value(F_TO, m->to, why) != 0) ||
	    (m->subject && check_value(F_SUBJECT, m->subject, why) != 0))
		return -1;
	if (m->to && !is_ascii_text(m->to, strlen(m->to))) {
		*why = "to must be ASCII: plain addresses or a group such as "
		       "\"undisclosed-recipients:;\"";
		return -1;
	}
	/* A 7bit body is ASCII, so valid UTF-8. */
	size_t n = m->body && !seven ? strlen(m->body) : 0;
	for (size_t i = 0; i < n;) {
		if (i + 8 <= n && !(load8(m->body + i) & HIGHS)) {
			i += 8;  /* ASCII */
			continue;
		}
		if ((unsigned char)m->body[i] < 0x80) {
			i++;
			continue;
		}
		int32_t cp;
		int k = utf8_char(m->body + i, n - i, &cp);
		if (k < 0) {
			*why = "body is not valid UTF-8";
			return -1;
		}
		i += (size_t)k;
	}
	if (m->date < TS_MIN || m->date > TS_MAX) {
		*why = "date is out of range (years 1970 to 9999)";
		return -1;
	}
	if (m->date_offset <= -24 * 60 || m->date_offset >= 24 * 60) {
		*why = "date offset is out of range (more than 23:59)";
		return -1;
	}
	return 0;
}

/* The From field: the display name (trimmed) and the address in angle
 * brackets, or the bare address when there is no name. */
static void write_from(const struct eml_message *m, struct buf *out)
{
	const char *name = m->from_name ? m->from_name : "";
	size_t nb = 0, ne = strlen(name);
	while (nb < ne && name[nb] == ' ')
		nb++;
	while (ne > nb && name[ne - 1] == ' ')
		ne--;
	struct hdr h;
	hdr_begin(&h, out, "From");
	if (ne > nb) {
		hdr_phrase(&h, name + nb, ne - nb);
		/* A plain address is at most 254 characters (check_message). */
		char angle[258];
		size_t an = strlen(m->from_address);
		angle[0] = '<';
		memcpy(angle + 1, m->from_address, an);
		angle[an + 1] = '>';
		hdr_word(&h, " ", 1, angle, an + 2);
	} else {
		hdr_word(&h, " ", 1, m->from_address, strlen(m->from_address));
	}
	hdr_end(&h);
}

int eml_write(const struct eml_message *m, struct buf *out, const char **why)
{
	const char *body = m->body ? m->body : "";
	size_t body_len = strlen(body);
	bool seven = body_is_7bit(body, body_len);
	if (check_message(m, seven, why) != 0)
		return -1;
	if (sodium_init() < 0) {
		*why = "libsodium cannot be initialised";
		return -1;
	}
	const char *to = m->to && *m->to ? m->to : "undisclosed-recipients:;";

	/* Everything but the Message-ID, in the order written; the
	 * Message-ID is the hash of those bytes. */
	struct buf top = BUF_INIT, mime = BUF_INIT, text = BUF_INIT;
	struct hdr h;
	write_from(m, &top);
	hdr_begin(&h, &top, "To");
	hdr_words(&h, to, strlen(to), true);
	hdr_end(&h);
	hdr_begin(&h, &top, "Subject");
	hdr_unstructured(&h, m->subject ? m->subject : "");
	hdr_end(&h);
	buf_puts(&top, "Date: ");
	format_date(m->date, m->date_offset, &top);
	buf_puts(&top, "\r\n");

	/* A draft to edit and send: X-Unsent makes mail clients (Outlook,
	 * Thunderbird) open it as a message to send, not as received mail. */
	buf_puts(&mime, "X-Unsent: 1\r\n"
		 "MIME-Version: 1.0\r\n"
		 "Content-Type: text/plain; charset=UTF-8\r\n"
		 "Content-Transfer-Encoding: ");
	buf_puts(&mime, seven ? "7bit" : "quoted-printable");
	buf_puts(&mime, "\r\n\r\n");
	/* Every body byte gives at least one byte: room for them at once. */
	buf_reserve(&text, body_len);
	if (seven)
		body_7bit(body, body_len, &text);
	else
		body_qp(body, body_len, &text);

	int rc = 0;
	if (top.overflow || mime.overflow || text.overflow) {
		*why = "message is too large";
		rc = -1;
		goto done;
	}

	crypto_hash_sha256_state st;
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)buf_str(&top), top.len);
	crypto_hash_sha256_update(&st, (const unsigned char *)buf_str(&mime), mime.len);
	crypto_hash_sha256_update(&st, (const unsigned char *)buf_str(&text), text.len);
	crypto_hash_sha256_final(&st, digest);
	char hex[33];
	sodium_bin2hex(hex, sizeof(hex), digest, 16);

	const char *domain = strrchr(m->from_address, '@') + 1;
	size_t start = out->len;
	if (buf_append(out, top.data, top.len) < 0 || buf_puts(out, "Message-ID: <") < 0 ||
	    buf_puts(out, hex) < 0 || buf_putc(out, '@') < 0 || buf_puts(out, domain) < 0 ||
	    buf_puts(out, ">\r\n") < 0 ||
	    buf_append(out, mime.data, mime.len) < 0 ||
	    buf_append(out, text.data, text.len) < 0) {
		/* All or nothing: take back what was appended. */
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		*why = "message is too large";
		rc = -1;
	}
done:
	buf_free(&top);
	buf_free(&mime);
	buf_free(&text);
	return rc;
}
