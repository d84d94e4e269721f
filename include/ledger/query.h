/*
 * query.h - the rows of one read-only SQL statement on the ledger,
 * printed as an aligned table or as CSV (`sircomm query`).
 *
 *     struct buf out = BUF_INIT;                   // lg from ledger_open
 *     int error_at;
 *     if (query_print(lg, "SELECT id FROM incidents", QUERY_TABLE, &out, &error_at, &d) != 0)
 *             fprintf(stderr, "error at byte %d\n", error_at);   // and d says why
 *     buf_free(&out);
 *
 * The whole result is built in memory before anything is printed, so an
 * error while stepping (an overflow in sum(), a busy ledger) leaves the
 * output empty.
 *
 * Table cells are for a terminal: NULL prints as NULL, control
 * characters as escapes (\n, \t, \x1b), bidirectional-text controls as
 * \u202e, invalid UTF-8 as U+FFFD, and a cell wider than 60 display
 * columns is cut with "…".  A column whose values are all numbers is
 * right-aligned.  CSV cells are the values as stored (RFC 4180 quoting,
 * CRLF line ends); NULL is an empty field and the empty string "", and a
 * text cell starting with = + - @ (or a tab or CR) gets a leading ' so
 * a spreadsheet does not run it as a formula.  Numbers are never
 * prefixed.  BLOBs print as an SQL hex literal x'...' in both.
 */
#ifndef SIRCOMM_QUERY_H
#define SIRCOMM_QUERY_H

#include "base/diag.h"
#include "base/util.h"
#include "ledger/ledger.h"

enum query_format { QUERY_TABLE = 0, QUERY_CSV };

/*
 * Runs one read-only statement on an open ledger (ledger_query says
 * which statements run) and appends its result to out: a table with a
 * header, a dashed rule and the row count, or CSV with a header line.
 * Returns 0, or -1 after a diagnostic: a refused statement or an SQL
 * error (then *error_at is the byte of `sql` it points at, or -1), or a
 * result over BUF_DEFAULT_MAX (narrow it, e.g. with LIMIT).  On -1, out
 * holds nothing worth printing.
 */
int query_print(struct ledger *lg, const char *sql, enum query_format f, struct buf *out,
		int *error_at, struct diag *d);

#endif
