/*
 * comm_record.h - a small record for the unit tests of what drafts say:
 * an S1 with one event, the given <status>, the scope element as
 * written, and the <communication> content as written, parsed against
 * the built-in policy (builtin_policy.h).
 */
#ifndef SIRCOMM_TEST_COMM_RECORD_H
#define SIRCOMM_TEST_COMM_RECORD_H

#include <string.h>

#include "base/util.h"
#include "builtin_policy.h"
#include "model/record.h"

static struct record *load(const char *status, const char *scope, const char *comm)
{
	char *src = xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			      "<incident id=\"X-1\" version=\"1\">\n"
			      "  <title>T</title><severity>S1</severity><impact>high</impact>\n"
			      "  <status>%s</status>\n  %s\n"
			      "  <timeline><event at=\"2026-03-04T09:12:00Z\" type=\"detected\"/></timeline>\n"
			      "  <communication>%s</communication>\n"
			      "</incident>\n", status, scope, comm);
	struct diag d = DIAG_INIT;
	struct record *rec = NULL;
	assert_int_equal(rec_parse("t.xml", src, strlen(src), pol, &d, &rec), 0);
	diag_free(&d);
	free(src);
	return rec;
}

#endif
