/*
 * atom.h - the incident's public notices as an Atom feed (RFC 4287).
 *
 * For customers and their tools to follow an incident: one entry per
 * public notice, newest first, its content the notice's text rendered
 * from Markdown to HTML (cmark-gfm, safe mode).  Ids are tag URIs
 * (RFC 4151) from the domain of the policy's sender address, the date of
 * the first notice and the incident id ("tag:example.com,2026-03-04:
 * SIRT-2026-0142/notice-2"), so they never change between runs; the
 * author is the policy's organisation; the feed links the blog post when
 * the record has one.
 *
 *     atom_write(rec, pol, notices, n, &out);
 */
#ifndef SIRCOMM_ATOM_H
#define SIRCOMM_ATOM_H

#include <stddef.h>

#include "base/util.h"
#include "model/policy.h"
#include "model/record.h"
#include "publish/notices.h"

/* Appends the feed (UTF-8 XML, a final newline) for the n notices,
 * oldest first, n >= 1. */
void atom_write(const struct record *rec, const struct policy *pol,
		const struct publish_notice *notices, size_t n, struct buf *out);

#endif
