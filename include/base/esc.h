/*
 * esc.h - escaping text for the formats sircomm writes: HTML and XML,
 * JSON, CSV, and lines for a terminal.  One implementation each, so every report, register and
 * draft escapes the same way.
 *
 * All of them take untrusted UTF-8: invalid sequences become U+FFFD, and
 * characters the format cannot carry are dropped or escaped.
 *
 *     esc_html(&out, rec->title);        // <h1>Title &amp; more</h1>
 *     esc_json(&out, note);              // "note", or null for NULL
 *     esc_csv(&out, subject);            // "subject", formula-safe
 */
#ifndef SIRCOMM_ESC_H
#define SIRCOMM_ESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* Decodes one code point at p (NUL-terminated); returns its length in
 * bytes and sets *c, or 1 and U+FFFD for a byte that starts no valid
 * sequence (overlong forms, surrogates and values past U+10FFFF
 * included). */
size_t esc_utf8_next(const unsigned char *p, unsigned long *c);

/* Appends the UTF-8 encoding of code point c. */
void esc_utf8_put(struct buf *out, unsigned long c);

/* Appends s for HTML text, HTML attributes and XML alike: & < > " ' as
 * entities, CR as a newline, other control characters, DEL and the
 * non-characters U+FFFE and U+FFFF (which XML forbids) dropped.  At most
 * `max` characters (0: all), with "…" when cut.  NULL appends nothing. */
void esc_html_n(struct buf *out, const char *s, size_t max);
void esc_html(struct buf *out, const char *s);

/* Appends s as a JSON string (quotes included); NULL appends null. */
void esc_json(struct buf *out, const char *s);

/* Appends a time as a JSON string "2026-03-04T09:12:00Z", or null. */
void esc_json_time(struct buf *out, bool has, int64_t t);

/* Appends s as one quoted CSV field (RFC 4180); a value a spreadsheet
 * would run as a formula (leading = + - @ tab or CR) gets a leading '.
 * NULL appends "". */
void esc_csv(struct buf *out, const char *s);

/*
 * Appends s for a terminal: what would act on a terminal rather than show
 * is escaped, so a hostile file name or field cannot set its title, move
 * its cursor or hide text.  C0 controls and DEL become \n, \t, \r or
 * \xNN; C1 controls, the line and paragraph separators and the
 * bidirectional overrides and isolates \uNNNN; a byte that starts no
 * valid UTF-8 sequence \xNN (file names need not be UTF-8).  Everything
 * else, backslashes included, is copied as it is.  NULL appends nothing.
 */
void esc_term(struct buf *out, const char *s);

#endif
