/*
 * fuzz_record.c - incident records (XML), end to end: parse and check
 * against the built-in policy, then, for every record that loads, audit
 * it (as of the record's own horizon, and an hour after its first event),
 * render the audit in every format and draft every artifact from the
 * built-in templates.  That is the path `sircomm check`, `audit` and
 * `draft` take with an untrusted record, after the quick look at its id
 * that a batch takes first (which must agree with the load).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/audit_report.h"
#include "fuzz.h"
#include "model/record.h"

static const enum audit_format formats[] = {
	AUDIT_FORMAT_TEXT, AUDIT_FORMAT_MD, AUDIT_FORMAT_CSV, AUDIT_FORMAT_JSON,
	AUDIT_FORMAT_HTML,
};

static void audit_everything(const struct record *rec, const struct policy *pol, int64_t at)
{
	struct audit *au;
	if (audit_run(rec, pol, at, &au) != 0)
		return;
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		audit_render(au, formats[i], false, &out);
		buf_reset(&out);
	}
	audit_render(au, AUDIT_FORMAT_TEXT, true, &out);
	buf_reset(&out);
	audit_render_status(au, AUDIT_FORMAT_TEXT, true, &out);
	buf_reset(&out);
	audit_render_status(au, AUDIT_FORMAT_JSON, false, &out);
	buf_reset(&out);
	audit_summary_line(au, &out);
	buf_free(&out);
	audit_free(au);
}

static void draft_everything(const struct record *rec, const struct policy *pol)
{
	struct diag d = DIAG_INIT;
	struct draft_set set = DRAFT_SET_INIT;
	draft_run(rec, pol, fuzz_templates(), DRAFT_ALL, &set, &d);
	draft_set_free(&set);
	diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct policy *pol = fuzz_policy();
	struct diag d = DIAG_INIT;
	struct record *rec = NULL;
	/* The quick look batch commands take at every record's id first. */
	char *id = NULL;
	long line;
	rec_peek_id((const char *)data, size, &id, &line);
	if (rec_parse("fuzz.xml", (const char *)data, size, pol, &d, &rec) == 0) {
		/* A record that loads has the id the look saw: duplicates are
		 * refused on that, before anything is loaded. */
		if (!id || strcmp(id, rec->id) != 0)
			abort();
		audit_everything(rec, pol, AUDIT_AT_RECORD);
		/* An hour into the incident, as `audit --at` or `status` would
		 * see it mid-process: most obligations pending. */
		if (rec->n_events > 0 && rec->events[0].at < INT64_MAX - 3600)
			audit_everything(rec, pol, rec->events[0].at + 3600);
		draft_everything(rec, pol);
	}
	free(id);
	rec_free(rec);
	diag_free(&d);
	return 0;
}
