/*
 * timeline.h - questions about a record's timeline that drafting and the
 * audit both ask: when did something first happen, when is an
 * engagement due, who answered a review request and when.
 *
 * Pure functions over a loaded record and its policy; times are UTC epoch
 * seconds; "none" is reported through a bool or a NULL result.
 */
#ifndef SIRCOMM_TIMELINE_H
#define SIRCOMM_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/policy.h"
#include "model/record.h"

/* The first event of a type, or NULL. */
const struct rec_event *tl_first(const struct record *rec, enum rec_event_type type);

/* The first `deployed` event naming an external artifact, or NULL. */
const struct rec_event *tl_first_external_deployment(const struct record *rec,
						     const struct policy *pol);

/* The first `deployed` event naming artifact a (a policy artifact
 * index), or NULL: when that communication went out. */
const struct rec_event *tl_deployed(const struct record *rec, int a);

/* The first `deployed` event naming a public-facing artifact (the first
 * public release), or NULL.  Engagement rows with from="first-deployment"
 * count from it. */
const struct rec_event *tl_first_public_deployment(const struct record *rec,
						   const struct policy *pol);

/* The time of the record's last event (the detection time when there
 * are none... or 0 for an empty timeline): the "as of" time of drafts. */
int64_t tl_as_of(const struct record *rec);

/* The latest moment a record speaks of: its last event, the last
 * exception approval, the last fact time, the last notice time.  The
 * audit's horizon, and the time of what is published from the record. */
int64_t tl_horizon(const struct record *rec);

/*
 * The moment an engagement row's deadline counts from.  For from="fact"
 * that is the earliest `at` among the condition's facts that the record
 * states, falling back to the severity determination.  Returns false
 * when the event it counts from has not happened (yet).
 */
bool tl_engage_base(const struct record *rec, const struct policy *pol,
		    const struct pol_engage *e, int64_t *base);

/*
 * Whether an event obligations count from is missing from a record that
 * shows it happened: when the record has no event of type `anchor` at all
 * but one that only comes after it in the plan's process is on record by
 * `horizon`, returns the first such event; otherwise NULL.  Anchors:
 * severity-determined (any later step of the response), comms-started
 * (drafts, the cutoff, reviews, approvals, back-ups, deployments, posts)
 * and draft-ready (reviews, approvals, deployments).  Other types are
 * never inferred: NULL.
 */
const struct rec_event *tl_shown_by(const struct record *rec, enum rec_event_type anchor,
				    int64_t horizon);

/* The first `engaged` event for group g, or NULL. */
const struct rec_event *tl_engaged(const struct record *rec, size_t g);

/*
 * The group's first `backup-engaged` event for artifact a (one with no
 * `artifacts`, or naming a), whatever its round, or NULL.  Back-ups once
 * engaged stay engaged for the rest of the incident: the response rules,
 * AUTHORIZED-APPROVER and QUORUM all ask this one question.
 */
const struct rec_event *tl_backup_engaged(const struct record *rec, size_t g, int a);

/* The state of one approver group's answer to one round for one
 * artifact. */
struct tl_answer {
	const struct rec_event *request;   /* NULL: no request for this round */
	int64_t due;                       /* request + response window */
	const struct rec_event *answer;    /* feedback/approved; NULL if none */
	const struct rec_event *backup;    /* tl_backup_engaged: may come before
					      the request, or in another round */
};

/* Finds the first request of `round` covering artifact a and group g,
 * then the group's first answer to it (for the review round feedback or
 * approved, for the final round approved; an answer with no `round`
 * recorded at or after the final request is the final round's, never the
 * review's) and its back-ups (tl_backup_engaged).  `response` is the
 * window in seconds. */
void tl_answer_for(const struct record *rec, size_t g, int a, enum rec_round round,
		   int64_t response, struct tl_answer *out);

#endif
