/*
 * notice.h - regulators' notices: a draft per stage, and the check that
 * the record says everything the stage's notice must say.
 *
 * A stage of the policy's <regulatory> section lists what its notice
 * requires (stage/@requires: the nature of the incident, the categories
 * and numbers of people and records, a contact point, ...).  Each is read
 * from the record's <notice-content>, or failing that from the
 * communication it can come from (the summary for the nature, the
 * customer impact for the consequences, the mitigation steps for the
 * measures, the contact link for the contact point, the customer action
 * for the steps individuals should take).  A notice that lacks any of
 * them is not drafted: the check lists what is missing, before anyone
 * sends it.  docs/regulatory.md, "Notices".
 *
 *     unsigned missing = notice_missing(rec, pol, regime, stage);
 *     struct notice_when w = { true, due, offset, notified_or_NULL };
 *     if (!missing)
 *             notice_render(rec, pol, regime, stage, &w, &out);
 */
#ifndef SIRCOMM_NOTICE_H
#define SIRCOMM_NOTICE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/util.h"
#include "model/record.h"

/* The text the record gives for content c, or NULL; *from names where
 * it came from ("notice-content", "summary", ...). */
const char *notice_content(const struct record *rec, enum legal_content c, const char **from);

/* What stage s of regime r (indexes into pol->legal) requires and the
 * record lacks: bit (1 << enum legal_content) per missing content. */
unsigned notice_missing(const struct record *rec, const struct policy *pol, int r, int s);

/* Appends the missing contents in words, "; "-separated, each with the
 * element that would say it: "the likely consequences (<consequences>)". */
void notice_describe_missing(unsigned missing, struct buf *out);

/* What the audit knows of the stage (its NOTIFY finding): the due time,
 * at the offset its clock started from, and the notification, if made. */
struct notice_when {
	bool has_due;
	int64_t due;
	int offset;
	const struct rec_event *notified;   /* NULL: not yet */
};

/* Appends the stage's notice as Markdown; w may be NULL. */
void notice_render(const struct record *rec, const struct policy *pol, int r, int s,
		   const struct notice_when *w, struct buf *out);

#endif
