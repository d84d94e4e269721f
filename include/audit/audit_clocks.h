/*
 * audit_clocks.h - the regulators' clocks still running in an audit: what
 * `sircomm status` lists first and `sircomm calendar` exports.
 *
 * Read from the audit's NOTIFY findings (never from the timeline again):
 * a stage not yet notified whose deadline is ahead or past, one "without
 * undue delay" still open, and one whose clock has not started.
 *
 *     struct audit_clock *c;
 *     size_t n = audit_clocks(au, &c);
 *     for (size_t i = 0; i < n; i++) use(c[i].finding, c[i].due);
 *     free(c);
 */
#ifndef SIRCOMM_AUDIT_CLOCKS_H
#define SIRCOMM_AUDIT_CLOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "base/util.h"

enum audit_clock_kind {
	AUDIT_CLOCK_DUE = 0,      /* a deadline ahead of the horizon */
	AUDIT_CLOCK_OVERDUE,      /* a deadline passed, nothing notified */
	AUDIT_CLOCK_UNDUE_DELAY,  /* no fixed deadline: time since the trigger */
	AUDIT_CLOCK_NOT_STARTED   /* waiting for its trigger or earlier stage */
};

struct audit_clock {
	const struct audit_finding *finding;   /* the NOTIFY finding */
	const struct legal_regime *regime;
	const struct legal_stage *stage;
	enum audit_clock_kind kind;
	bool has_due;
	int64_t due;              /* UTC; for DUE and OVERDUE */
	int offset;               /* minutes east of UTC of the clock's starting event */
	bool has_since;
	int64_t since;            /* the starting event, when there is one */
};

/* The open clocks of au, overdue and due soonest first, then those
 * without undue delay, then those not started; each in finding order
 * within its kind.  Returns how many, and a new array the caller frees
 * (NULL when none). */
size_t audit_clocks(const struct audit *au, struct audit_clock **out);

/* Appends the "Legal clocks" section of the status text (nothing when the
 * record states no regime): due times in UTC and at the offset of the
 * clock's starting event, time left, overdue in red with colour. */
void audit_clocks_text(const struct audit *au, bool colour, struct buf *out);

/* Appends the status JSON's legal_clocks array (docs/status.md). */
void audit_clocks_json(const struct audit *au, struct buf *out);

#endif
