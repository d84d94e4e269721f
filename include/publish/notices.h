/*
 * notices.h - an incident's public notices, the list every publishing
 * format is written from (csaf.h, statuspage.h, atom.h, notice_drafts.h).
 *
 * A public notice is one version of what customers were told: the
 * record's <communication> is the first, published at the record's first
 * `deployed` event (not yet published when there is none); the record's
 * <notices> follow.  Only the record's times: no clock.
 */
#ifndef SIRCOMM_PUBLISH_NOTICES_H
#define SIRCOMM_PUBLISH_NOTICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "model/record.h"

/* Where an incident stands in a notice, as status pages say it. */
enum publish_status {
	PUBLISH_INVESTIGATING = 0, PUBLISH_IDENTIFIED, PUBLISH_MONITORING, PUBLISH_RESOLVED
};

/* "investigating", "identified", "monitoring", "resolved". */
const char *publish_status_name(enum publish_status s);

/* One public notice.  Strings are borrowed from the record. */
struct publish_notice {
	size_t number;             /* 1, 2, ... */
	int64_t at;                /* when it was published, or the record's horizon */
	bool published;            /* it went out (a `deployed` event; a later notice's at) */
	enum publish_status status;
	const char *summary;       /* Markdown: the summary as of this notice (never NULL) */
	const char *changes;       /* Markdown: what changed since the notice before; NULL
				      for the first */
	bool has_next_update;      /* it promises the next update by next_update */
	int64_t next_update;
};

/*
 * The record's notices, oldest first: a new array of *n (at least one)
 * the caller frees.  The first is the <communication>: its summary (the
 * title when there is none), its status as <communication status> says
 * or else from the record's (resolved -> resolved, mitigated ->
 * monitoring, investigating -> investigating), published at the first
 * `deployed` event.  The others are the record's <notices>, each with
 * the latest summary given by then.
 */
struct publish_notice *publish_notices(const struct record *rec, size_t *n);

/*
 * Appends what a notice tells customers, as Markdown: the summary for
 * the first, what changed for the others; then, when it promises one,
 * "The next update will follow by 2026-03-04 15:00 UTC."
 */
void publish_notice_body(const struct publish_notice *nt, struct buf *out);

#endif
