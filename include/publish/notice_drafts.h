/*
 * notice_drafts.h - the drafts of each public notice after the first.
 *
 * An update tells customers what changed since the last notice and when
 * the next one will come.  For a record with <notices>, every notice N
 * gets a directory notice-N/ beside the drafts: csaf.json, the CSAF
 * document as of that notice (its revision history up to N), and from
 * N = 2 on the update itself, from the template notice-update.md
 * (built in, or an organisation's --templates): update.md, update.txt
 * (Subject line and plain text, as the customer email) and update.eml
 * (dated when the notice went out, or as of the record's last event).
 *
 *     notice_drafts_run(rec, pol, &tpl, notices, n, &set, &d);
 */
#ifndef SIRCOMM_NOTICE_DRAFTS_H
#define SIRCOMM_NOTICE_DRAFTS_H

#include <stddef.h>

#include "base/diag.h"
#include "draft/draft.h"
#include "format/tmpl_set.h"
#include "model/policy.h"
#include "model/record.h"
#include "publish/notices.h"

/* Appends the notice-N/ files to set (nothing for a record without
 * <notices>).  Returns 0, or -1 after diagnostics (a template that does
 * not render or has no Subject: line, an email that cannot be written). */
int notice_drafts_run(const struct record *rec, const struct policy *pol,
		      const struct tmpl_set *tpl, const struct publish_notice *notices, size_t n,
		      struct draft_set *set, struct diag *d);

#endif
