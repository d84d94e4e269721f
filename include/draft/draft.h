/*
 * draft.h - drafting every communication the plan calls for.
 *
 * For one record: build the template context, render each artifact's
 * Markdown template, parse it with cmark-gfm and render the formats that
 * artifact ships in (plain-text email, .eml, standalone HTML page,
 * Markdown, the OpenDocument working document), then run the content
 * checks (no tracking links, the blog linked from the customer email,
 * companions present, nothing left unrendered, the social post within
 * the platform's limit).  The result is a list of files in memory; the
 * command layer writes them (atomically) where the user asked.
 *
 *     struct tmpl_set tpl = TMPL_SET_INIT;
 *     tmpl_set_load(dir_or_NULL, &tpl, &d);      // format/tmpl_set.h
 *     struct draft_set set = DRAFT_SET_INIT;
 *     if (draft_run(rec, pol, &tpl, DRAFT_ALL, &set, &d) == 0)
 *             ... write set.files ...
 *     draft_set_free(&set);
 *     tmpl_set_free(&tpl);
 */
#ifndef SIRCOMM_DRAFT_H
#define SIRCOMM_DRAFT_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "draft/artifact.h"
#include "format/tmpl_set.h"
#include "model/policy.h"
#include "model/record.h"

/* ---- Drafting ------------------------------------------------------- */

/* The draft whose artifact id is id, or -1 if unknown. */
int draft_artifact_parse(const char *id);

struct draft_file {
	char *name;        /* file name inside the drafts directory */
	char *data;
	size_t len;
};

struct draft_set {
	struct draft_file *files;   /* in a fixed order */
	size_t n;
	unsigned withheld;          /* drafts asked for but not in files: they
				       failed a check of their own (1 << draft) */
};

#define DRAFT_SET_INIT { NULL, 0, 0 }

/*
 * Drafts the artifacts in `which` (a mask of 1 << enum draft_artifact).
 * Returns 0 with the files in out; 1 with the files of the drafts that
 * passed their own content checks in out, after diagnostics about each
 * one that did not (a social post over the limit, a draft that
 * contradicts the facts or another draft: agree.h), named in
 * out->withheld (the comms document, when asked for, is made without
 * them); or -1 with nothing in out after adding diagnostics: a template
 * error (TEMPLATE:LINE), a check that fails the whole set (a tracking
 * link, with the record's line where the offending text comes from; an
 * email that does not link the blog).  Warnings (a companion not
 * drafted, a social post with nothing to link) leave the result.
 * Once a stop signal has been caught (stop.h), drafting ends before the
 * next artifact and returns -1 with no diagnostic: the command stops and
 * writes nothing of this record, however long it would have taken.
 */
int draft_run(const struct record *rec, const struct policy *pol,
	      const struct tmpl_set *tpl, unsigned which,
	      struct draft_set *out, struct diag *d);

/* Frees the files.  NULL is a no-op. */
void draft_set_free(struct draft_set *set);

#endif
