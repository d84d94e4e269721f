/*
 * rec_csv.h - a timeline read from CSV, for `sircomm log --from`.
 *
 * Teams keep what happened in a spreadsheet, a chat export or another
 * incident tool; mapped by hand to these columns (a header row names
 * them, in any order; `at` and `type` are required):
 *
 *     at,type,group,by,round,artifacts,channel,note,cutoff
 *
 * each row becomes one event, with the record format's meaning for
 * each column (`note` is the event's text; `at` may also be a time on
 * the display zone's clock, see rec_csv_parse).  An empty cell leaves the
 * attribute out.  `artifacts` may be separated by spaces, commas or
 * semicolons.  The file is read as RFC 4180 CSV (libcsv): quoted cells
 * may hold commas, quotes ("") and line breaks; a UTF-8 byte order mark
 * and CRLF line ends are accepted; blank lines are skipped.
 *
 *     struct rec_csv csv = REC_CSV_INIT;
 *     if (rec_csv_parse("events.csv", data, len, pol, &csv, &d) != 0) ...;
 *     rec_edit_add(rec, csv.evs, csv.n, &ed, &d);
 *     rec_csv_free(&csv);
 *
 * Every problem is an error at the row's line ("events.csv:7: error:
 * ..."), all of them reported; the caller adds nothing when there is
 * one.
 */
#ifndef SIRCOMM_REC_CSV_H
#define SIRCOMM_REC_CSV_H

#include <stddef.h>

#include "base/diag.h"
#include "base/util.h"
#include "model/policy.h"
#include "model/rec_edit.h"

/* More rows than any incident's timeline; a file over it is refused. */
#define REC_CSV_ROWS_MAX 5000

struct rec_csv {
	const char *path;
	struct rec_edit_event *evs;   /* one per row, in file order */
	long *lines;                  /* the line each row starts on */
	size_t n;
	struct arena arena;           /* owns the strings */
};

#define REC_CSV_INIT { NULL, NULL, NULL, 0, ARENA_INIT }

/* Reads the CSV bytes (named `path` in diagnostics).  An `at` is RFC
 * 3339 with an offset, or "YYYY-MM-DD hh:mm[:ss]" on the clock of the
 * policy's display zone (what spreadsheets write), then written with the
 * offset in force.  Rows with errors are left out.  Returns 0, or -1
 * after the errors in d; csv is for rec_csv_free either way. */
int rec_csv_parse(const char *path, const char *data, size_t len, const struct policy *pol,
		  struct rec_csv *csv, struct diag *d);

/* Frees what csv holds; REC_CSV_INIT again.  NULL is a no-op. */
void rec_csv_free(struct rec_csv *csv);

/* A list of ids separated by spaces, commas or semicolons, as the
 * record writes it (one space between ids), in the arena; NULL for a
 * list with no id. */
char *rec_csv_list(struct arena *a, const char *s);

#endif
