/*
 * agree.h - the drafts of one incident agree with each other and with
 * the facts they were written from.
 *
 * A comms manager who finds one contradiction between two drafts (the
 * email saying "No action is required", the social post "Action may be
 * needed") has to re-read every draft by hand.  agree_check reads the
 * plain text and the headings of every draft of a set and compares each
 * statement of fact it recognises with the facts (facts.h): whether
 * customers must act, whether the reader is affected and what share of
 * customers is, the affected count, the next update, whether the
 * incident is resolved; that the drafts which must link the blog (or,
 * without one, the advisory) do; that no heading contradicts its own
 * text; that the companions are not empty.  A statement the record's
 * own text makes (its summary, its customer action, an FAQ answer) is
 * the record's word, not a draft's invention, and is not held against
 * the facts; a heading over it still is.
 *
 * Findings are data; agree_describe writes one in words, naming the
 * draft, the words that disagree, and the drafts that agree.
 *
 *     struct agree_result r = AGREE_RESULT_INIT;
 *     agree_check(rec, &facts, texts, trees, which, &r);
 *     for (size_t i = 0; i < r.n; i++) { agree_describe(&r.items[i], &b); ... }
 *     agree_result_free(&r);
 */
#ifndef SIRCOMM_AGREE_H
#define SIRCOMM_AGREE_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "base/util.h"
#include "draft/artifact.h"
#include "draft/facts.h"
#include "model/record.h"

enum agree_kind {
	AGREE_ACTION,      /* says customers must act (or need not) against the facts */
	AGREE_HEDGE,       /* says action "may be needed" where none is, or it is urgent */
	AGREE_READER,      /* tells its reader they are affected; the email goes to all customers */
	AGREE_POPULATION,  /* names another share of customers than the scope */
	AGREE_COUNT,       /* writes the affected count another way, or another count */
	AGREE_UPDATE,      /* promises the next update at another time, or when none is set */
	AGREE_STATUS,      /* calls the incident resolved while it is not */
	AGREE_LINK,        /* does not link what it must: the blog, else the advisory */
	AGREE_OTHER_LINK,  /* links another page of the blog's or advisory's site */
	AGREE_HEADING,     /* a heading its own text contradicts */
	AGREE_EMPTY,       /* a companion draft with nothing in it */
	AGREE_NO_LINK,     /* (warning) a social post with nothing to link */
	AGREE_NO_FAQ,      /* (warning) a support FAQ with no questions */
};

struct agree_finding {
	enum agree_kind kind;
	enum draft_artifact draft;  /* the draft at fault */
	bool warning;               /* true: the draft is still written */
	char *said;                 /* the draft's words (a sentence, a heading), or NULL */
	char *other;                /* what they contradict: the heading's text, the fact */
	unsigned agreeing;          /* drafts (1 << draft) that state it as the facts do */
};

struct agree_result {
	struct agree_finding *items;
	size_t n;
};

#define AGREE_RESULT_INIT { NULL, 0 }

/*
 * Checks the drafts in `which` (a mask of 1 << enum draft_artifact):
 * text[a] is draft a as plain text on long lines, tree[a] its parsed
 * Markdown (both NULL for a draft not made).  Appends a finding per
 * disagreement to out, in draft order.  Never fails.
 */
void agree_check(const struct record *rec, const struct facts *f,
		 char *const text[DRAFT_COUNT], cmark_node *const tree[DRAFT_COUNT],
		 unsigned which, struct agree_result *out);

/* Appends the finding in words, lowercase, without a full stop:
 * "social-post says \"Action may be needed on your side.\"; the facts:
 * \"No action is required.\" (as customer-email, blog-post say)". */
void agree_describe(const struct agree_finding *fi, struct buf *out);

/* Frees the findings; r is AGREE_RESULT_INIT again.  NULL is a no-op. */
void agree_result_free(struct agree_result *r);

#endif
