/*
 * facts.h - the facts every draft states, computed once per incident.
 *
 * Each number, time, count, link and yes/no that a customer, a
 * journalist or a support engineer reads in a draft comes from here:
 * whether customers must act and how urgently, who is affected, the
 * affected count written once ("3,812"), every time written once in the
 * policy's display zone, whether the incident is still going on and
 * when the next update is due, the links, who is quoted and how the
 * quote is attributed, the press contact.  The template context
 * (context.h) shows these to the templates, so no template works a fact
 * out for itself, and the consistency check (agree.h) holds the drafts
 * to them.  docs/templates.md documents each one.
 *
 *     struct arena a = ARENA_INIT;
 *     struct facts f;
 *     facts_build(rec, pol, &a, &f);
 *     printf("%s affected; %s\n", f.count, f.action_line);
 *     arena_free(&a);
 */
#ifndef SIRCOMM_FACTS_H
#define SIRCOMM_FACTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/ts.h"
#include "base/util.h"
#include "model/policy.h"
#include "model/record.h"

/* ---- Times ---------------------------------------------------------- */

/* A moment, in every form a draft writes one; all in the policy's
 * display zone except utc.  has is false when it has not happened (the
 * strings are then empty). */
struct facts_moment {
	bool has;
	int64_t at;            /* UTC epoch seconds */
	char utc[TS_BUFSZ];    /* "2026-03-04T09:12:00Z" */
	char local[64];        /* "2026-03-04 09:12 UTC" */
	char day[64];          /* "4 March 2026" */
	char shrt[48];         /* "4 Mar 09:12", for dense tables */
	char when[96];         /* "4 March 2026 at 09:12 UTC", for sentences */
};

/* Fills m for t (has false: m is empty). */
void facts_moment(const struct policy *pol, bool has, int64_t t, struct facts_moment *m);

/* ---- The facts ------------------------------------------------------ */

struct facts {
	/* What customers must do: the record's <customer-action required>
	 * (UNSTATED without a <customer-action>). */
	enum rec_action action;
	const char *action_line;      /* one sentence: the brief, or "No action is
					 required."; NULL when unstated */
	const char *action_heading;   /* to the reader: "Do you need to do anything?",
					 "What you need to do", "What you need to do now" */
	const char *action_heading_them;  /* the same about customers, for support */

	/* Who is affected. */
	enum rec_users users;
	bool has_count;
	char count[32];               /* "3,812": the count, written once */
	char users_label[96];         /* "Some users (3,812 known)" */
	const char *population;       /* "some of our customers"; NULL for none */
	bool reader_affected;         /* the customer email goes to affected customers only */

	/* Where the incident stands. */
	bool ongoing;                 /* not resolved */
	const char *status_label;     /* "Under investigation", ..., "Resolved" */
	const char *status_line;      /* "We have resolved the issue." ... */
	struct facts_moment as_of;    /* the record's last event: drafts are as of it */
	struct facts_moment next_update;  /* <next-update at>, or has false */
	const char *update_line;      /* "Our next update will be by ...", the promise
					 of one while ongoing, or NULL */

	/* Links: checked addresses from the record, NULL when absent. */
	const char *blog, *advisory, *contact;
	const char *link;             /* what a short post links: the blog, else the advisory */

	/* The quote. */
	const char *quote;            /* Markdown, or NULL */
	const char *quote_lead;       /* a one-paragraph quote with its last full stop
					 made a comma, to go before "said ..."; else NULL */
	const char *quote_by, *quote_name;
	const char *quote_who;        /* "Dana Whitfield, VP of Security" or "VP of Security" */
	const char *quote_attribution;  /* "Dana Whitfield, VP of Security at Example
					   Organization", "the VP of Security at ..." */
	bool quote_security;          /* by someone from Security (record.h) */

	/* The press contact, from the policy, or NULL. */
	const char *press_name, *press_address;

	/* The next steps as commitments: "Publish the details" reads "We will
	 * publish the details"; a step that does not start with a plain
	 * capitalised verb stays as written. */
	const char **commitments;
	size_t n_commitments;
};

/* Computes the facts of a record; every string lives in the arena or
 * in the record and the policy, which must outlive the facts.  Never
 * fails. */
void facts_build(const struct record *rec, const struct policy *pol, struct arena *a,
		 struct facts *out);

/* Writes n with a comma every three digits: 3812 -> "3,812". */
void facts_format_count(uint64_t n, char out[32]);

#endif
