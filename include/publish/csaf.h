/*
 * csaf.h - the incident as a CSAF 2.0 document (OASIS Common Security
 * Advisory Framework), profile csaf_security_incident_response.
 *
 * What the organisation publishes about a security incident in the
 * format advisory tools, aggregators and customers' security teams read:
 *
 * - publisher: the policy's organisation, category "vendor", namespace
 *   https:// and the domain of the policy's sender address;
 * - tracking: the incident id; status "draft" before the first notice
 *   is published, "final" once a published notice says resolved,
 *   "interim" in between; version and revision history one per
 *   published notice (a draft is version 0);
 * - notes: the summary, customer impact, response, customer action,
 *   mitigation and next steps of the record, as Markdown;
 * - references (category external): the blog post, the advisory, the
 *   contact (mailto: for an email address); with none of them, the publisher's
 *   namespace, since the profile requires one.
 *
 * The profile's rules (CSAF 2.0 section 4.2 and the mandatory tests of
 * section 6.1 that apply) hold for every record: tests/csaf-check.py.
 */
#ifndef SIRCOMM_CSAF_H
#define SIRCOMM_CSAF_H

#include <stddef.h>

#include "base/util.h"
#include "model/policy.h"
#include "model/record.h"
#include "publish/notices.h"

/* Appends the document (UTF-8 JSON, two-space indented, a final
 * newline) for the first `upto` of the n notices (upto <= n). */
void csaf_write(const struct record *rec, const struct policy *pol,
		const struct publish_notice *notices, size_t upto, struct buf *out);

#endif
