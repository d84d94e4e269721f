/*
 * ics.h - iCalendar (RFC 5545) content lines, knowing nothing of incidents.
 *
 * Every line ends with CRLF and is folded before 76 octets (RFC 5545
 * 3.1: a line longer than 75 octets continues on the next after a CRLF
 * and one space), never inside a UTF-8 sequence.  TEXT values are
 * escaped (backslash, semicolon, comma, newline; 3.3.11) and stripped of
 * control characters, which the format does not allow.
 *
 *     struct buf out = BUF_INIT;
 *     ics_line(&out, "BEGIN", "VEVENT");
 *     ics_text(&out, "SUMMARY", "GDPR Art. 33(1): notify; now");
 *     ics_time(&out, "DTSTART", due);      // DTSTART:20260331T090000Z
 */
#ifndef SIRCOMM_ICS_H
#define SIRCOMM_ICS_H

#include <stdint.h>

#include "base/util.h"

/* Appends "NAME:VALUE" folded, with CRLF; VALUE is written as given. */
void ics_line(struct buf *out, const char *name, const char *value);

/* Appends a TEXT property, its value escaped. */
void ics_text(struct buf *out, const char *name, const char *text);

/* Appends a DATE-TIME property in UTC: "NAME:20260331T090000Z". */
void ics_time(struct buf *out, const char *name, int64_t t);

#endif
