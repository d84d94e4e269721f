/*
 * fuzz_log.c - what `sircomm log` reads and writes: a CSV timeline
 * (rec_csv) added to a record, and the record's bytes scanned for its
 * timeline (rec_edit).  An input that starts with '<' is a record: when
 * it loads, an event earlier than all and one later than all are added,
 * and the result must load again with two events more.  Anything else
 * is a CSV file, added (when it reads clean) to a small record and
 * checked as log checks it.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model/rec_csv.h"
#include "model/rec_edit.h"
#include "model/record.h"

static const char base_record[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<incident id=\"SIRT-2026-0001\" version=\"1\">\n"
	"  <title>t</title>\n  <severity>S1</severity>\n  <impact>critical</impact>\n"
	"  <status>investigating</status>\n  <scope users=\"some\"/>\n"
	"  <timeline>\n"
	"    <event at=\"2026-03-04T09:12:00Z\" type=\"detected\"/>\n"
	"    <!-- <event at=\"x\"/> -->\n"
	"    <event at=\"2026-03-04T09:22:00Z\" type=\"comms-started\"/>\n"
	"  </timeline>\n</incident>\n";

/* Adds evs to rec and loads the result; with `must`, a result that does
 * not load, or lost or gained events, is a bug. */
static void add_and_load(const struct record *rec, const struct policy *pol,
			 const struct rec_edit_event *evs, size_t n, bool must)
{
	struct diag d = DIAG_INIT;
	struct rec_edit ed = REC_EDIT_INIT;
	if (rec_edit_add(rec, evs, n, &ed, &d) == 0) {
		struct record *after = NULL;
		int rc = rec_parse("fuzz.xml", ed.text.data, ed.text.len, pol, &d, &after);
		if (must && (rc != 0 || after->n_events != rec->n_events + n))
			abort();
		for (long line = 0; line < 64; line++) {
			long orig;
			rec_edit_event_of_line(&ed, line, &orig);
		}
		rec_free(after);
	} else if (must) {
		abort();
	}
	rec_edit_free(&ed);
	diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct policy *pol = fuzz_policy();
	struct diag d = DIAG_INIT;
	struct record *rec = NULL;
	if (size > 0 && data[0] == '<') {
		if (rec_parse("fuzz.xml", (const char *)data, size, pol, &d, &rec) == 0) {
			const struct rec_edit_event evs[] = {
				{ .type = REC_EV_NOTE, .at = 0, .at_text = "1970-01-01T00:00:00Z",
				  .text = "first & <early>" },
				{ .type = REC_EV_RESOLVED, .at = 253402300799,
				  .at_text = "9999-12-31T23:59:59Z", .by = "\"seoc\"" },
			};
			add_and_load(rec, pol, evs, 2, true);
		}
	} else {
		struct rec_csv csv = REC_CSV_INIT;
		if (rec_csv_parse("fuzz.csv", (const char *)data, size, pol, &csv, &d) == 0 &&
		    rec_parse("base.xml", base_record, sizeof(base_record) - 1, pol, &d, &rec) == 0)
			add_and_load(rec, pol, csv.evs, csv.n, false);
		rec_csv_free(&csv);
	}
	rec_free(rec);
	diag_free(&d);
	return 0;
}
