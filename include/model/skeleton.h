/*
 * skeleton.h - the commented skeleton record `sircomm new` prints.
 *
 * The skeleton is a valid record for the severity asked for: its timeline
 * holds the events the plan expects in the order they usually happen,
 * each a few minutes apart from the detection time, with comments saying
 * what to fill in.  Checking it unchanged passes; auditing it shows what
 * is still owed.
 */
#ifndef SIRCOMM_SKELETON_H
#define SIRCOMM_SKELETON_H

#include <stdint.h>

#include "model/policy.h"
#include "base/util.h"

struct skel_options {
	const char *id;            /* incident id; must be safe (rec_id_is_safe) */
	const char *title;         /* one line */
	enum pol_severity severity;
	enum pol_impact impact;
	int64_t detected;          /* UTC epoch seconds */
	int offset;                /* minutes east of UTC to write times in */
};

/* Appends the skeleton record to out; XML special characters in id and
 * title are escaped.  Returns the latest time the skeleton writes (UTC
 * epoch seconds): its events run from `detected` to up to the end of the
 * severity's turnaround, and the caller checks they stay times a record
 * may hold. */
int64_t skel_write(const struct policy *pol, const struct skel_options *opt, struct buf *out);

#endif
