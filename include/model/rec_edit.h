/*
 * rec_edit.h - adding events to a record's timeline, byte for byte.
 *
 * `sircomm log` writes the events of a live incident into its record as
 * they happen.  The record is someone's file: its layout, comments and
 * every byte outside the new events stay as they were.  So the events
 * are not written by re-serialising the parsed document (libxml2 would
 * change quoting, spacing and declarations) but as element text put
 * into the file's bytes: each after the last event of <timeline> that
 * is not later than it (a late entry lands where it belongs in time),
 * on a line of its own with its siblings' indentation.
 *
 *     struct rec_edit_event ev = { .type = REC_EV_APPROVED, .at = t,
 *             .at_text = "2026-03-04T10:12:00+01:00", .group = "legal",
 *             .by = "Legal Counsel", .artifacts = "customer-email" };
 *     struct rec_edit ed = REC_EDIT_INIT;
 *     if (rec_edit_add(rec, &ev, 1, &ed, &d) != 0) ...;
 *     // ed.text: the new bytes, to parse again with rec_parse and,
 *     // once they check clean, to write back
 *     rec_edit_free(&ed);
 *
 * The caller checks the result as any record is checked (rec_parse):
 * this module escapes what it writes but judges no value.
 */
#ifndef SIRCOMM_REC_EDIT_H
#define SIRCOMM_REC_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/util.h"
#include "model/record.h"

/* One event to add.  Strings are borrowed; NULL leaves an attribute
 * out.  `text` is the element's content (a note's text). */
struct rec_edit_event {
	enum rec_event_type type;
	int64_t at;               /* where it goes in time */
	const char *at_text;      /* the `at` attribute as written */
	const char *group, *by, *round, *artifacts, *channel, *cutoff;
	const char *text;
};

/* The record with the events added. */
struct rec_edit {
	struct buf text;          /* the new bytes */
	size_t n;                 /* events added */
	long *first, *last;       /* lines of event i in text, first to last */
	long *shift;              /* (internal) lines added before event i's end */
};

#define REC_EDIT_INIT { BUF_INIT, 0, NULL, NULL, NULL }

/*
 * Adds the n events to the record rec was parsed from (rec->source).
 * Events at the same time keep the order given, after those already
 * there.  Returns 0 with the result in *ed (which the caller frees with
 * rec_edit_free), or -1 after an error in d: the timeline cannot be
 * found in the bytes, or a value cannot be written in XML (a control
 * character, a line break in an attribute).
 */
int rec_edit_add(const struct record *rec, const struct rec_edit_event *evs, size_t n,
		 struct rec_edit *ed, struct diag *d);

/*
 * Why the event cannot be written into a record, or NULL: a value with
 * a control character, or a line break or tab in an attribute (a
 * record's attributes are one line).  *field names the value ("by",
 * "note" for the text).  rec_edit_add refuses such an event too.
 */
const char *rec_edit_problem(const struct rec_edit_event *ev, const char **field);

/*
 * Maps a line of ed->text back: returns the index of the added event
 * that line belongs to, or -1 with *orig set to the line of the
 * original record it was (0 stays 0).
 */
long rec_edit_event_of_line(const struct rec_edit *ed, long line, long *orig);

/* Frees the result; REC_EDIT_INIT again.  NULL is a no-op. */
void rec_edit_free(struct rec_edit *ed);

#endif
