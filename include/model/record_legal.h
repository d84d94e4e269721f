/*
 * record_legal.h - the record's regulatory statement and its legal
 * events, read for record.c (internal to gen/model).
 *
 * record.c reads every event's common attributes; these read what the
 * regulators' clocks add (docs/record-format.md, "Regulatory"): the
 * `regimes` of a trigger, the `regime`, `stage`, `authority` and
 * `reference` of a notification, and the <regulatory> statement, checked
 * against the policy's regimes with the same FILE:LINE diagnostics.
 */
#ifndef SIRCOMM_RECORD_LEGAL_H
#define SIRCOMM_RECORD_LEGAL_H

#include <libxml/tree.h>

#include "model/record.h"

struct record_legal {
	const struct policy *pol;
	struct record *rec;
	const char *path;
	struct diag *d;
};

/* Reads a legal event's own attributes into ev (whose type, time and
 * line are set).  Returns 0, or -1 after adding errors. */
int record_legal_event(const struct record_legal *c, const xmlNode *n, struct rec_event *ev);

/* Reads <regulatory> (NULL: the record states no regime) into
 * rec->regimes, then checks the timeline's legal events against it.
 * Returns 0, or -1 after adding errors. */
int record_legal_statement(const struct record_legal *c, const xmlNode *regulatory);

#endif
