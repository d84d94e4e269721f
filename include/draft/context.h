/*
 * context.h - the values templates see: the record, the policy, and what
 * drafting derives from them (deadlines in UTC and in the policy's display
 * zone, human durations, who approves each artifact, the engagement rows
 * that apply, the state of each approver's answer).
 *
 * docs/templates.md documents every variable; `sircomm templates vars
 * RECORD` prints the context of a record.
 *
 *     struct arena a = ARENA_INIT;
 *     struct facts f;
 *     facts_build(rec, pol, &a, &f);
 *     struct tval *ctx = context_build(rec, pol, &f, &a);
 *     ... render templates with ctx ...
 *     arena_free(&a);
 */
#ifndef SIRCOMM_CONTEXT_H
#define SIRCOMM_CONTEXT_H

#include "draft/facts.h"
#include "model/policy.h"
#include "model/record.h"
#include "format/tmpl.h"
#include "base/util.h"

/* Builds the context from the record, the policy and the facts
 * facts_build made of them (facts.h); its values live in the arena, and
 * borrow the strings of the record, the policy and the facts' arena
 * (not the facts struct itself), so those must outlive the context.
 * Values the context shows in several places (a moment, a duration, a
 * group's entry where it does not approve) are one shared value: a
 * caller may set keys of the context itself (ctx.artifact, a page's
 * body) but changes no map inside it.  Never fails. */
struct tval *context_build(const struct record *rec, const struct policy *pol,
			     const struct facts *f, struct arena *a);

/* Sets ctx.artifact to the artifact being drafted (its id, title, and
 * the groups that approve it, get it for information, or own it). */
void context_set_artifact(struct tval *ctx, const struct record *rec,
		      const struct policy *pol, int artifact, struct arena *a);

/* Appends the context as indented "name: value" lines, for `templates
 * vars`: maps and lists nest, strings are quoted with C escapes. */
void context_dump(const struct tval *v, struct buf *out);

#endif
