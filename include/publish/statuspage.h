/*
 * statuspage.h - the incident as a hosted status page incident (JSON).
 *
 * The shape the common hosted status pages take and give (Atlassian
 * Statuspage's incident, which others import): the incident's name,
 * status (investigating, identified, monitoring, resolved: the latest
 * notice's), impact (none when no users are affected; else minor for a
 * low or medium impact, major for high, critical for critical), the
 * affected components (the record's services), the body (the latest
 * notice's text, Markdown) and one entry per public notice under
 * "incident_updates", newest first as status pages list them.
 *
 *     statuspage_write(rec, notices, n, &out);
 */
#ifndef SIRCOMM_STATUSPAGE_H
#define SIRCOMM_STATUSPAGE_H

#include <stddef.h>

#include "base/util.h"
#include "model/record.h"
#include "publish/notices.h"

/* Appends the incident JSON (two-space indented, a final newline) for
 * the n notices, oldest first, n >= 1. */
void statuspage_write(const struct record *rec, const struct publish_notice *notices, size_t n,
		      struct buf *out);

#endif
