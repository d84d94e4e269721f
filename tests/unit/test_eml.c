/* Unit tests for eml.c: RFC 5322 messages, RFC 2047 headers, RFC 2045 bodies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sodium.h>
#include <utf8proc.h>

#include "format/eml.h"
#include "base/util.h"

/* 2026-03-04T09:12:00Z */
#define T0 ((int64_t)1772615520)

static struct eml_message message(const char *subject, const char *body)
{
	struct eml_message m = {
		.from_name = "Example Security",
		.from_address = "security@example.com",
		.to = NULL,
		.subject = subject,
		.date = T0,
		.date_offset = 0,
		.body = body,
	};
	return m;
}

/* Writes m and returns the message as a new string; fails the test when
 * eml_write refuses it. */
static char *write_ok(const struct eml_message *m)
{
	struct buf out = BUF_INIT;
	const char *why = NULL;
	if (eml_write(m, &out, &why) != 0)
		fail_msg("eml_write refused the message: %s", why ? why : "(no reason)");
	return buf_detach(&out);
}

/* Expects eml_write to refuse m with exactly `want` and leave out alone. */
static void write_refused(const struct eml_message *m, const char *want)
{
	struct buf out = BUF_INIT;
	buf_puts(&out, "kept");
	const char *why = NULL;
	assert_int_equal(eml_write(m, &out, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, want);
	assert_string_equal(buf_str(&out), "kept");
	buf_free(&out);
}

/* The header block (up to the empty line) and the body of a message. */
static char *headers_of(const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n");
	assert_non_null(end);
	return xstrndup(msg, (size_t)(end - msg) + 2);
}

static const char *body_of(const char *msg)
{
	const char *end = strstr(msg, "\r\n\r\n");
	assert_non_null(end);
	return end + 4;
}

/* The named header field, unfolded (CRLF before white space removed), or
 * NULL; the caller frees it. */
static char *header(const char *msg, const char *name)
{
	char *h = headers_of(msg);
	size_t n = strlen(name);
	char *r = NULL;
	for (const char *p = h; *p;) {
		const char *eol = strstr(p, "\r\n");
		assert_non_null(eol);
		if (strncmp(p, name, n) == 0 && p[n] == ':') {
			struct buf b = BUF_INIT;
			const char *q = p + n + 1;
			for (;;) {
				const char *e = strstr(q, "\r\n");
				buf_append(&b, q, (size_t)(e - q));
				q = e + 2;
				if (*q != ' ' && *q != '\t')
					break;
			}
			r = buf_detach(&b);
			break;
		}
		p = eol + 2;
	}
	free(h);
	return r;
}

/* Every line ends in CRLF: no lone CR or LF anywhere. */
static void assert_crlf_only(const char *msg)
{
	size_t n = strlen(msg);
	assert_true(n >= 2);
	for (size_t i = 0; i < n; i++) {
		if (msg[i] == '\r')
			assert_true(i + 1 < n && msg[i + 1] == '\n');
		if (msg[i] == '\n')
			assert_true(i > 0 && msg[i - 1] == '\r');
	}
	assert_memory_equal(msg + n - 2, "\r\n", 2);
}

/* The longest line of the header block, without its CRLF. */
static size_t longest_header_line(const char *msg)
{
	char *h = headers_of(msg);
	size_t max = 0;
	for (const char *p = h; *p;) {
		const char *eol = strstr(p, "\r\n");
		if ((size_t)(eol - p) > max)
			max = (size_t)(eol - p);
		p = eol + 2;
	}
	free(h);
	return max;
}

static bool valid_utf8(const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
						      (utf8proc_ssize_t)(n - i), &cp);
		if (k <= 0)
			return false;
		i += (size_t)k;
	}
	return true;
}

static bool is_ascii_for_test(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s > 0x7e)
			return false;
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes an unfolded header value per RFC 2047: encoded-words become
 * their text and the white space between two adjacent encoded-words is
 * dropped.  Each word must be at most 75 characters and decode to whole
 * UTF-8 characters.  Returns a new string; *words counts the words.
 */
static char *decode_2047(const char *s, int *words)
{
	struct buf out = BUF_INIT;
	struct buf pending_ws = BUF_INIT;
	bool last_was_word = false;
	*words = 0;
	for (size_t i = 0; s[i];) {
		if (s[i] == ' ' || s[i] == '\t') {
			buf_putc(&pending_ws, s[i]);
			i++;
			continue;
		}
		size_t w = i;
		while (s[i] && s[i] != ' ' && s[i] != '\t')
			i++;
		const char *word = s + w;
		size_t wn = i - w;
		bool encoded = wn > 12 && strncmp(word, "=?UTF-8?", 8) == 0 &&
			       word[9] == '?' && strncmp(word + wn - 2, "?=", 2) == 0;
		if (!encoded || !last_was_word)
			buf_append(&out, pending_ws.data ? pending_ws.data : "", pending_ws.len);
		buf_reset(&pending_ws);
		if (!encoded) {
			buf_append(&out, word, wn);
			last_was_word = false;
			continue;
		}
		assert_true(wn <= 75);
		(*words)++;
		const char *text = word + 10;
		size_t tn = wn - 12;
		struct buf dec = BUF_INIT;
		if (word[8] == 'Q') {
			for (size_t j = 0; j < tn; j++) {
				if (text[j] == '_') {
					buf_putc(&dec, ' ');
				} else if (text[j] == '=') {
					assert_true(j + 2 < tn + 1);
					int hi = hexval(text[j + 1]), lo = hexval(text[j + 2]);
					assert_true(hi >= 0 && lo >= 0);
					buf_putc(&dec, (char)(hi * 16 + lo));
					j += 2;
				} else {
					buf_putc(&dec, text[j]);
				}
			}
		} else {
			assert_int_equal(word[8], 'B');
			unsigned char bin[64];
			size_t bn = 0;
			assert_int_equal(sodium_base642bin(bin, sizeof(bin), text, tn, NULL, &bn, NULL,
							   sodium_base64_VARIANT_ORIGINAL), 0);
			buf_append(&dec, bin, bn);
		}
		/* Never a character split across two words. */
		assert_true(valid_utf8(buf_str(&dec), dec.len));
		buf_append(&out, buf_str(&dec), dec.len);
		buf_free(&dec);
		last_was_word = true;
	}
	buf_append(&out, pending_ws.data ? pending_ws.data : "", pending_ws.len);
	buf_free(&pending_ws);
	return buf_detach(&out);
}

/* Decodes a quoted-printable body into "\n"-separated text, checking
 * its lines are at most 76 characters and end in no white space. */
static char *decode_qp(const char *s)
{
	struct buf out = BUF_INIT;
	while (*s) {
		const char *eol = strstr(s, "\r\n");
		assert_non_null(eol);
		size_t n = (size_t)(eol - s);
		assert_true(n <= 76);
		if (n)
			assert_true(s[n - 1] != ' ' && s[n - 1] != '\t');
		bool soft = n && s[n - 1] == '=';
		if (soft)
			n--;
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '=') {
				assert_true(i + 2 < n + 1);
				int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
				assert_true(hi >= 0 && lo >= 0);
				buf_putc(&out, (char)(hi * 16 + lo));
				i += 2;
			} else {
				assert_true((unsigned char)s[i] < 0x7f);
				buf_putc(&out, s[i]);
			}
		}
		if (!soft)
			buf_putc(&out, '\n');
		s = eol + 2;
	}
	return buf_detach(&out);
}

/* ---- Tests ------------------------------------------------------------ */

static void test_ascii_exact(void **state)
{
	(void)state;
	struct eml_message m = message("Security notice: token exposure",
				       "Hello,\n\nWe are writing about a security incident.\n");
	char *msg = write_ok(&m);

	const char *head =
		"From: Example Security <security@example.com>\r\n"
		"To: undisclosed-recipients:;\r\n"
		"Subject: Security notice: token exposure\r\n"
		"Date: Wed, 04 Mar 2026 09:12:00 +0000\r\n";
	const char *tail =
		"X-Unsent: 1\r\n"
		"MIME-Version: 1.0\r\n"
		"Content-Type: text/plain; charset=UTF-8\r\n"
		"Content-Transfer-Encoding: 7bit\r\n"
		"\r\n"
		"Hello,\r\n"
		"\r\n"
		"We are writing about a security incident.\r\n";
	/* The Message-ID: the first 128 bits of SHA-256 over every other
	 * header and the body, as they are written. */
	struct buf hashed = BUF_INIT;
	buf_puts(&hashed, head);
	buf_puts(&hashed, tail);
	unsigned char digest[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(digest, (const unsigned char *)hashed.data, hashed.len);
	char hex[33];
	sodium_bin2hex(hex, sizeof(hex), digest, 16);
	char *want = xasprintf("%sMessage-ID: <%s@example.com>\r\n%s", head, hex, tail);
	assert_string_equal(msg, want);
	assert_crlf_only(msg);

	free(want);
	buf_free(&hashed);
	free(msg);
}

static void test_addresses(void **state)
{
	(void)state;
	struct eml_message m = message("x", "y\n");

	m.to = "customers@example.org";
	m.from_name = "Example, Inc. \"Security\"";
	char *msg = write_ok(&m);
	char *from = header(msg, "From");
	assert_string_equal(from, " \"Example, Inc. \\\"Security\\\"\" <security@example.com>");
	char *to = header(msg, "To");
	assert_string_equal(to, " customers@example.org");
	free(from);
	free(to);
	free(msg);

	/* No display name: the bare address. */
	m.from_name = NULL;
	msg = write_ok(&m);
	from = header(msg, "From");
	assert_string_equal(from, " security@example.com");
	free(from);
	free(msg);

	m.from_name = "  ";
	msg = write_ok(&m);
	from = header(msg, "From");
	assert_string_equal(from, " security@example.com");
	free(from);
	free(msg);

	/* A name that would read as an encoded-word is encoded itself. */
	m.from_name = "=?UTF-8?Q?Admin?=";
	msg = write_ok(&m);
	from = header(msg, "From");
	int words;
	char *dec = decode_2047(from, &words);
	assert_true(words >= 1);
	assert_string_equal(dec, " =?UTF-8?Q?Admin?= <security@example.com>");
	free(dec);
	free(from);
	free(msg);

	/* Non-ASCII display names are encoded and decode back. */
	m.from_name = "Équipe sécurité d'Exemple";
	msg = write_ok(&m);
	from = header(msg, "From");
	dec = decode_2047(from, &words);
	assert_true(words >= 1);
	assert_string_equal(dec, " Équipe sécurité d'Exemple <security@example.com>");
	free(dec);
	free(from);
	free(msg);
}

static void test_utf8_subject(void **state)
{
	(void)state;
	static const char *const subjects[] = {
		"Sicherheitsvorfall: Zugangsdaten für Ihr Konto – bitte ändern Sie Ihr "
		"Passwort umgehend, wir erklären die Schritte 🔐",
		"セキュリティインシデントのお知らせ：アクセストークンが漏洩した可能性があります。"
		"影響を受けたお客様には個別にご連絡いたします",
		"é",
		"  Leading spaces, then ü and  two  spaces ",
	};
	for (size_t i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		struct eml_message m = message(subjects[i], "Body\n");
		char *msg = write_ok(&m);
		assert_crlf_only(msg);
		/* Header lines holding encoded-words stay within 76 characters. */
		assert_true(longest_header_line(msg) <= 76);
		char *raw = header(msg, "Subject");
		assert_true(is_ascii_for_test(raw));
		int words;
		char *dec = decode_2047(raw, &words);
		assert_true(words >= 1);
		assert_non_null(dec);
		assert_true(dec[0] == ' ');
		assert_string_equal(dec + 1, subjects[i]);
		free(dec);
		free(raw);
		free(msg);
	}
}

static void test_long_subject_folded(void **state)
{
	(void)state;
	const char *subject =
		"Security notice: we detected unauthorised access to a subset of "
		"build logs that may have contained API tokens for your account, "
		"and we have revoked every affected token as a precaution";
	struct eml_message m = message(subject, "Body\n");
	char *msg = write_ok(&m);
	assert_true(longest_header_line(msg) <= 78);
	/* Folded: the Subject takes several lines, each continuation starting
	 * with white space, and unfolding gives the subject back. */
	const char *p = strstr(msg, "\r\nSubject:");
	assert_non_null(p);
	assert_true(strstr(p + 2, "\r\n ") == strstr(p + 2, "\r\n"));
	char *raw = header(msg, "Subject");
	assert_string_equal(raw + 1, subject);
	free(raw);
	free(msg);

	/* A word too long for any line goes out as encoded-words. */
	struct buf longword = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_putc(&longword, (char)('a' + i % 26));
	m.subject = longword.data;
	msg = write_ok(&m);
	assert_true(longest_header_line(msg) <= 78);
	raw = header(msg, "Subject");
	int words;
	char *dec = decode_2047(raw, &words);
	assert_true(words > 1);
	assert_string_equal(dec + 1, longword.data);
	free(dec);
	free(raw);
	free(msg);
	buf_free(&longword);
}

static void test_injection_refused(void **state)
{
	(void)state;
	struct eml_message m = message("Hello\r\nBcc: victim@example.net", "Body\n");
	write_refused(&m, "subject contains a line break");
	m.subject = "Hello\nBcc: victim@example.net";
	write_refused(&m, "subject contains a line break");
	m.subject = "Hello\rthere";
	write_refused(&m, "subject contains a line break");
	m.subject = "Hello\xE2\x80\xA8there"; /* U+2028 LINE SEPARATOR */
	write_refused(&m, "subject contains a line break");
	m.subject = "Hello\tthere";
	write_refused(&m, "subject contains a control character");
	m.subject = "Hello\x1b[31m";
	write_refused(&m, "subject contains a control character");
	m.subject = "caf\xE9";
	write_refused(&m, "subject is not valid UTF-8");

	m = message("ok", "Body\n");
	m.from_name = "Security\r\nBcc: victim@example.net";
	write_refused(&m, "from name contains a line break");
	m = message("ok", "Body\n");
	m.to = "a@example.org\nBcc: victim@example.net";
	write_refused(&m, "to contains a line break");
	m.to = "Zoë <zoe@example.org>";
	write_refused(&m, "to must be ASCII: plain addresses or a group such as "
			  "\"undisclosed-recipients:;\"");

	m = message("ok", "Body\n");
	m.from_address = "security@example.com\r\nBcc: victim@example.net";
	write_refused(&m, "from address contains a line break");
	static const char *const not_plain[] = {
		"Security <security@example.com>", "security", "@example.com",
		"security@", "a..b@example.com", ".a@example.com", "a@example..com",
		"a@-example.com", "a@example.com-", "\"a b\"@example.com", "a@[127.0.0.1]",
		"a b@example.com", "a@exämple.com",
	};
	for (size_t i = 0; i < sizeof(not_plain) / sizeof(not_plain[0]); i++) {
		m.from_address = not_plain[i];
		write_refused(&m, "from address is not a plain address (local@domain)");
	}
	m.from_address = NULL;
	write_refused(&m, "from address is missing");

	m = message("ok", "caf\xE9\n");
	write_refused(&m, "body is not valid UTF-8");
	m = message("ok", "Body\n");
	m.date_offset = 24 * 60;
	write_refused(&m, "date offset is out of range (more than 23:59)");
}

static void test_qp_body(void **state)
{
	(void)state;
	struct buf body = BUF_INIT;
	buf_puts(&body, "Grüße aus dem Sicherheitsteam.\n");
	for (int i = 0; i < 12; i++)
		buf_puts(&body, "Ein sehr langer Satz über Zugangsdaten – ");
	buf_puts(&body, "\nTrailing spaces   \nTrailing tab\t\n");
	buf_puts(&body, "a=b and =?x?= stay as they are\n\n");
	for (int i = 0; i < 40; i++)
		buf_puts(&body, "€€");
	buf_puts(&body, "\nlast line without newline");
	struct eml_message m = message("Body test", body.data);
	char *msg = write_ok(&m);
	assert_crlf_only(msg);
	char *cte = header(msg, "Content-Transfer-Encoding");
	assert_string_equal(cte, " quoted-printable");
	free(cte);

	char *dec = decode_qp(body_of(msg));
	struct buf want = BUF_INIT;
	buf_puts(&want, body.data);
	buf_putc(&want, '\n');
	assert_string_equal(dec, want.data);
	/* Soft breaks fall between characters: each physical line decodes
	 * to whole UTF-8 characters. */
	for (const char *p = body_of(msg); *p;) {
		const char *eol = strstr(p, "\r\n");
		char *line = xstrndup(p, (size_t)(eol - p) + 2);
		char *one = decode_qp(line);
		size_t n = strlen(one);
		assert_true(valid_utf8(one, n));
		free(one);
		free(line);
		p = eol + 2;
	}
	assert_non_null(strstr(body_of(msg), "Trailing spaces  =20\r\n"));
	assert_non_null(strstr(body_of(msg), "Trailing tab=09\r\n"));
	assert_non_null(strstr(body_of(msg), "a=3Db and =3D?x?=3D stay"));
	free(dec);
	buf_free(&want);
	free(msg);

	/* ASCII with a line over 998 octets is quoted-printable too. */
	buf_reset(&body);
	for (int i = 0; i < 999; i++)
		buf_putc(&body, 'x');
	m.body = body.data;
	msg = write_ok(&m);
	cte = header(msg, "Content-Transfer-Encoding");
	assert_string_equal(cte, " quoted-printable");
	free(cte);
	free(msg);
	/* ... and exactly 998 is still 7bit. */
	body.data[998] = '\0';
	body.len = 998;
	msg = write_ok(&m);
	cte = header(msg, "Content-Transfer-Encoding");
	assert_string_equal(cte, " 7bit");
	free(cte);
	free(msg);
	buf_free(&body);
}

static void test_date(void **state)
{
	(void)state;
	struct eml_message m = message("x", "y");
	m.date_offset = 60;
	char *msg = write_ok(&m);
	char *date = header(msg, "Date");
	assert_string_equal(date, " Wed, 04 Mar 2026 10:12:00 +0100");
	free(date);
	free(msg);

	m.date_offset = -(10 * 60 + 30);
	msg = write_ok(&m);
	date = header(msg, "Date");
	assert_string_equal(date, " Tue, 03 Mar 2026 22:42:00 -1030");
	free(date);
	/* A body without a final newline still ends in CRLF. */
	assert_string_equal(body_of(msg), "y\r\n");
	free(msg);

	m.date = 0;
	m.date_offset = 0;
	msg = write_ok(&m);
	date = header(msg, "Date");
	assert_string_equal(date, " Thu, 01 Jan 1970 00:00:00 +0000");
	free(date);
	free(msg);

	/* The ends of the range, moved by the offset out of four digits. */
	m.date_offset = -(23 * 60 + 59);
	msg = write_ok(&m);
	date = header(msg, "Date");
	assert_string_equal(date, " Wed, 31 Dec 1969 00:01:00 -2359");
	free(date);
	free(msg);
	m.date = 253402300799;  /* 9999-12-31T23:59:59Z */
	m.date_offset = 0;
	msg = write_ok(&m);
	date = header(msg, "Date");
	assert_string_equal(date, " Fri, 31 Dec 9999 23:59:59 +0000");
	free(date);
	free(msg);
	m.date_offset = 90;
	msg = write_ok(&m);
	date = header(msg, "Date");
	assert_string_equal(date, " Sat, 01 Jan 10000 01:29:59 +0130");
	free(date);
	free(msg);
}

/* Bodies are read a line and eight bytes at a time: line ends, the
 * 7bit test and the UTF-8 check hold wherever a byte falls. */
static void test_body_lines(void **state)
{
	(void)state;
	struct eml_message m = message("x", "a\r\nb\n\r\n\tc");
	char *msg = write_ok(&m);
	char *cte = header(msg, "Content-Transfer-Encoding");
	assert_string_equal(cte, " 7bit");
	assert_string_equal(body_of(msg), "a\r\nb\r\n\r\n\tc\r\n");
	free(cte);
	free(msg);

	/* A lone CR, a DEL or a control character after a run of printable
	 * ASCII makes the body quoted-printable. */
	static const char *const odd[] = {
		"printable ascii, then a lone\r\r\nCR",
		"printable ascii, then a\x7f DEL",
		"printable ascii, then a\x01 control",
		"0123456789abcdef\x1f",
	};
	static const char *const odd_qp[] = {
		"printable ascii, then a lone=0D\r\nCR\r\n",
		"printable ascii, then a=7F DEL\r\n",
		"printable ascii, then a=01 control\r\n",
		"0123456789abcdef=1F\r\n",
	};
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		m.body = odd[i];
		msg = write_ok(&m);
		cte = header(msg, "Content-Transfer-Encoding");
		assert_string_equal(cte, " quoted-printable");
		assert_string_equal(body_of(msg), odd_qp[i]);
		free(cte);
		free(msg);
	}

	/* Invalid UTF-8 is found after any run of ASCII, valid UTF-8 is
	 * kept. */
	m.body = "sixteen bytes ok\xff";
	write_refused(&m, "body is not valid UTF-8");
	m.body = "sixteen bytes ok, then \xc3\xa9 and \xc3";
	write_refused(&m, "body is not valid UTF-8");
	m.body = "sixteen bytes ok, then \xc3\xa9.\n";
	msg = write_ok(&m);
	assert_string_equal(body_of(msg), "sixteen bytes ok, then =C3=A9.\r\n");
	free(msg);
}

/* The Message-ID is the hash of the message without it: messages drafted
 * before regenerate byte for byte. */
static void test_message_id_stable(void **state)
{
	(void)state;
	struct eml_message m = message("Security incident: tokens exposed",
				       "Hello,\n\nRotate your keys.\n");
	char *msg = write_ok(&m);
	char *id = header(msg, "Message-ID");
	assert_string_equal(id, " <e4e4b255255cfb6404644b242d0f35dc@example.com>");
	free(id);
	free(msg);
	m.subject = "Sécurité";
	m.body = "Bonjour,\n\nÀ bientôt.\n";
	msg = write_ok(&m);
	id = header(msg, "Message-ID");
	assert_string_equal(id, " <872198c47a10641c67f648a797ed9ff6@example.com>");
	free(id);
	free(msg);
}

static void test_deterministic(void **state)
{
	(void)state;
	struct eml_message m = message("Sécurité", "Hello\n");
	char *a = write_ok(&m);
	char *b = write_ok(&m);
	assert_string_equal(a, b);

	m.body = "Hello!\n";
	char *c = write_ok(&m);
	char *ida = header(a, "Message-ID");
	char *idc = header(c, "Message-ID");
	assert_string_not_equal(ida, idc);
	assert_int_equal(strlen(ida), strlen(" <") + 32 + strlen("@example.com>"));
	assert_non_null(strstr(ida, "@example.com>"));

	/* The sender's domain names the Message-ID. */
	m.from_address = "alerts@status.example.net";
	char *d = write_ok(&m);
	char *idd = header(d, "Message-ID");
	assert_non_null(strstr(idd, "@status.example.net>"));

	free(ida);
	free(idc);
	free(idd);
	free(a);
	free(b);
	free(c);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii_exact),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_utf8_subject),
		cmocka_unit_test(test_long_subject_folded),
		cmocka_unit_test(test_injection_refused),
		cmocka_unit_test(test_qp_body),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_body_lines),
		cmocka_unit_test(test_message_id_stable),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
