/*
 * eml.h - RFC 5322 email messages, text/plain UTF-8.
 *
 * The customer email and the security alert are written as .eml files a
 * mail client opens and a marketing tool imports.  Everything is
 * deterministic: the Date comes from the record, the Message-ID from a
 * hash of the message's content.
 *
 *     struct eml_message m = { .from_name = pol->sender_name, ... };
 *     struct buf out = BUF_INIT;
 *     if (eml_write(&m, &out, &why) != 0) ...
 */
#ifndef SIRCOMM_EML_H
#define SIRCOMM_EML_H

#include <stdbool.h>
#include <stdint.h>

#include "base/util.h"

struct eml_message {
	const char *from_name;     /* display name, any UTF-8; may be NULL */
	const char *from_address;  /* plain address: local@domain */
	const char *to;            /* NULL: "undisclosed-recipients:;" */
	const char *subject;       /* any UTF-8, one line */
	int64_t date;              /* UTC epoch seconds */
	int date_offset;           /* minutes east of UTC, for the Date header */
	const char *body;          /* UTF-8 text, lines separated by "\n" */
};

/*
 * Appends the message: headers From, To, Subject, Date (RFC 5322 form),
 * Message-ID (<hex-of-SHA-256-of-headers-and-body@sender-domain>),
 * X-Unsent: 1 (a draft: mail clients open it ready to send),
 * MIME-Version, Content-Type text/plain; charset=UTF-8, and
 * Content-Transfer-Encoding: 7bit when the body is short-lined ASCII,
 * quoted-printable otherwise.  Lines end in CRLF.  Non-ASCII in the
 * subject or the display name is encoded per RFC 2047 (UTF-8 "B" or "Q"
 * encoded-words of at most 75 characters, split only between
 * characters), and long headers are folded.  CR, LF and other control
 * characters in any header value are refused: returns -1 with *why set;
 * 0 on success.
 */
int eml_write(const struct eml_message *m, struct buf *out, const char **why);

/*
 * The rules eml_write() applies, for checking values where they are read
 * (a record's title, the policy's sender) so that a file that passes its
 * check never fails in a draft.
 *
 * eml_header_problem: NULL when s may go into a header (the subject or
 * the sender's name); otherwise what is wrong: "is not valid UTF-8",
 * "contains a line break" (CR, LF, NEL, U+2028, U+2029) or "contains a
 * control character" (C0 with TAB, DEL, C1).
 *
 * eml_is_plain_address: true for "local@domain" with a dot-atom local
 * part of at most 64 characters and a domain of one or more
 * letter-digit-hyphen labels, at most 254 characters in all: no display
 * name, comment, quoted local part, domain literal ("x@[127.0.0.1]") or
 * non-ASCII.
 */
const char *eml_header_problem(const char *s);
bool eml_is_plain_address(const char *s);

#endif
