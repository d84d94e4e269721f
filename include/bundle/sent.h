/*
 * sent.h - the communications as they were actually sent, beside the
 * drafts sircomm wrote (`sircomm bundle --sent DIR`).
 *
 * What goes out is edited: a bundle that held only the drafts would show
 * what sircomm wrote, not what customers read.  A sent file is named by
 * its artifact and a format sircomm drafts in ("customer-email.eml",
 * "blog-post.html", "social-post.txt"); the bag keeps it under
 * data/sent/, its unified diff against the draft it was made from under
 * data/sent-diff/NAME.diff (empty when nothing changed), and bag-info.txt
 * says which artifacts have a sent version and which do not.
 *
 *     if (sent_name_problem("customer-email.eml") == NULL) ...
 *     int b = sent_basis("customer-email.eml", draft_names, n);  // its draft
 *     sent_diff(draft_names[b], draft, dlen, "customer-email.eml", sent, slen, &diff);
 */
#ifndef SIRCOMM_SENT_H
#define SIRCOMM_SENT_H

#include <stddef.h>

#include "base/util.h"

/* A sent file is refused above this size: a communication, not a dump. */
#define SENT_MAX_BYTES ((size_t)4 << 20)

/* A communication as it was sent: borrowed by bundle_build_sent. */
struct sent_file {
	const char *name;      /* "customer-email.eml" */
	const char *origin;    /* the file it was read from, for diagnostics */
	const char *data;
	size_t len;
};

/* The artifacts that may have a sent version: those sircomm drafts for
 * people outside the response team, in the drafts' order. */
extern const char *const sent_artifacts[];
extern const size_t sent_n_artifacts;

/*
 * NULL when name can be a sent file's: ARTIFACT.EXT, with ARTIFACT one
 * of sent_artifacts and EXT one of txt, md, eml, html; otherwise what is
 * wrong, a static string.
 */
const char *sent_name_problem(const char *name);

/* The index in sent_artifacts of a valid sent file name's artifact. */
size_t sent_artifact_of(const char *name);

/*
 * Which draft a sent file is compared with: the draft of the same name,
 * else the artifact's first draft in .txt, .md, .eml, .html.  names are
 * the draft files' names; returns an index into them, or -1 (a draft set
 * without that artifact).
 */
int sent_basis(const char *sent_name, const char *const *names, size_t n);

/*
 * Appends the unified diff from the draft to the sent file, labelled
 * "drafts/DRAFT" and "sent/NAME" (paths below the bag's data/), with 3
 * lines of context: nothing when they are equal.  Returns 0, or -1 when
 * out's cap was reached.
 */
int sent_diff(const char *draft_name, const char *draft, size_t dlen,
	      const char *sent_name, const char *sent, size_t slen, struct buf *out);

/*
 * Appends bag-info.txt's two lines for the sent files whose names are
 * given (valid ones): "Artifacts-With-Sent-Version: a b" and
 * "Artifacts-Without-Sent-Version: c d", artifacts in sent_artifacts'
 * order, "none" for an empty list.
 */
void sent_bag_info(const char *const *names, size_t n, struct buf *info);

#endif
