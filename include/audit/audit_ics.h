/*
 * audit_ics.h - an audit's open deadlines as iCalendar events
 * (`sircomm calendar`, docs/calendar.md).
 *
 * One VEVENT per deadline still to meet at the audit's horizon: each
 * regulator's stage not yet notified (NOTIFY), and each of the plan's
 * obligations pending or overdue with a due time (the next update for
 * UPDATE-CADENCE).  Every event has a UID made of the incident id, the
 * rule and the subject, so exporting again updates the same events
 * rather than adding new ones, and alarms (VALARM: an hour before; a day
 * before as well for a regulator's deadline).  DTSTAMP is the audit's
 * horizon, so the same record and time give the same bytes.
 *
 *     struct buf out = BUF_INIT;
 *     audit_ics_begin(&out);
 *     audit_ics_events(au, &out);          // for each audited record
 *     audit_ics_end(&out);
 */
#ifndef SIRCOMM_AUDIT_ICS_H
#define SIRCOMM_AUDIT_ICS_H

#include <stddef.h>

#include "audit/audit.h"
#include "base/util.h"

/* The calendar's opening lines (VERSION, PRODID, ...) and its end. */
void audit_ics_begin(struct buf *out);
void audit_ics_end(struct buf *out);

/* Appends the audit's open deadlines as VEVENTs; returns how many. */
size_t audit_ics_events(const struct audit *au, struct buf *out);

#endif
