/*
 * publish.h - the machine-readable forms of an incident's public notices:
 * a CSAF 2.0 document (csaf.h), a status page incident (statuspage.h)
 * and an Atom feed (atom.h), beside the drafts.
 *
 * A public notice is one version of what customers were told: the
 * record's <communication> is the first, published at the record's first
 * `deployed` event (not yet published when there is none).  Every format
 * here is written from the same list of notices, deterministically: no
 * clock, only the record's times.
 *
 *     struct draft_set set = DRAFT_SET_INIT;
 *     draft_run(rec, pol, &tpl, DRAFT_ALL, &set, &d);
 *     publish_run(rec, pol, &tpl, &set, &d);  // csaf.json, status.json, feed.atom, notice-N/
 */
#ifndef SIRCOMM_PUBLISH_H
#define SIRCOMM_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "draft/draft.h"
#include "format/tmpl_set.h"
#include "model/policy.h"
#include "model/record.h"
#include "publish/notices.h"

/*
 * Appends csaf.json (csaf.h), status.json (statuspage.h) and feed.atom
 * (atom.h) to set, and for a record with <notices> each notice's
 * notice-N/ drafts (notice_drafts.h), from the templates tpl.  Returns
 * 0, or -1 after diagnostics (nothing appended then).
 */
int publish_run(const struct record *rec, const struct policy *pol, const struct tmpl_set *tpl,
		struct draft_set *set, struct diag *d);

#endif
