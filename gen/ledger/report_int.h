/*
 * report_int.h - what the report's model (report.c) and its renderers
 * (report_md.c, report_html.c, report_csv.c, report_json.c) share, and
 * no code outside gen/ledger/ sees.  Each renderer reads the figures of
 * struct report and nothing else: no SQL, no clock, no locale.
 *
 *     struct report_fig f[REPORT_FIGS_MAX];        // each row's figures, by name
 *     for (size_t i = 0; i < report_rows(r, REPORT_Q_RESPONSES); i++)
 *             for (size_t k = 0, n = report_figures(r, REPORT_Q_RESPONSES, i, f); k < n; k++)
 *                     buf_printf(&out, "%s ", f[k].name);   // "n answered median_seconds ..."
 *     report_table(r, REPORT_Q_FAILURES, &style, head, "No finding failed.", &out);   // md, html
 */
#ifndef SIRCOMM_REPORT_INT_H
#define SIRCOMM_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"
#include "ledger/report.h"

/* The queries' order in report_queries[]: the CSV's sections. */
enum {
	REPORT_Q_TOTALS, REPORT_Q_BY_SEVERITY, REPORT_Q_S1_TURNAROUND, REPORT_Q_TURNAROUND,
	REPORT_Q_HISTOGRAM, REPORT_Q_DRAFTING, REPORT_Q_RESPONSES, REPORT_Q_BACKUPS_QUORUM,
	REPORT_Q_FAILURES, REPORT_Q_EXCEPTIONS, REPORT_Q_NOTIFICATIONS, REPORT_Q_LATE_NOTIFICATIONS,
	REPORT_Q_COUNT
};

/* The policy's S1 turnaround and the approvers' response window in the
 * built-in policy; the ledger keeps no target per incident, so the
 * charts and the md histogram's note draw these as reference lines. */
#define REPORT_S1_TARGET_SECONDS (6 * 3600)
#define REPORT_RESPONSE_WINDOW_SECONDS (30 * 60)

/* ---- The figures as the machine formats name them ---------------------- */

/*
 * csv and json carry the same figures under the same names: each row of
 * each query's result, with its result columns' names.  These give them
 * once, for both: how many rows query q returned, the row's key as csv's
 * subject, and the row's figures in the query's column order.
 */
struct report_fig {
	const char *name;          /* the result column: "in_scope", "median_seconds" */
	enum { REPORT_FIG_COUNT, REPORT_FIG_SECONDS, REPORT_FIG_SHARE } kind;
	struct report_int n;       /* a count or seconds (has = false: NULL) */
	struct report_real share;  /* REPORT_FIG_SHARE (has = false: NULL) */
};

#define REPORT_FIGS_MAX 7

/* The rows of query q (REPORT_Q_...) in r. */
size_t report_rows(const struct report *r, int q);

/* Sets keys to the text key columns of row i of query q ("S1"; "legal",
 * "review"); returns how many, 0 for a one-row query and for the
 * histogram, whose key is the row's number. */
size_t report_keys(const struct report *r, int q, size_t i, const char *keys[3]);

/* Appends the key columns of row i of query q, joined with '/' ("S1",
 * "legal/review", "3"; nothing for a one-row query). */
void report_subject(const struct report *r, int q, size_t i, struct buf *out);

/* Fills figs with the figures of row i of query q; returns how many. */
size_t report_figures(const struct report *r, int q, size_t i,
		      struct report_fig figs[REPORT_FIGS_MAX]);

/* ---- Sentences for people (md, html) ------------------------------------- */

/* md and html say the same things in the same words; these write the
 * words once, with no markup but what the caller passes.  They hold no
 * text from the ledger, only numbers and dates sircomm wrote. */

/* "2026-04-01 to 2026-06-30 (UTC, both days included)", "from ... on",
 * "up to ...", "all incidents in the ledger"; `capital` starts it with a
 * capital letter. */
void report_say_period(const struct report *r, bool capital, struct buf *out);

/* "No communications started: 2 incidents detected in the period have
 * no T0; ..." */
void report_say_no_comms(const struct report *r, struct buf *out);

/* "The figures below count the 8 in-scope incidents only; the 1 out of
 * the plan's scope is counted above only." */
void report_say_scope(const struct report *r, struct buf *out);

/* The S1 turnaround share in bold (between b_open and b_close), what it
 * counts, `brk` (a paragraph break), and what "met" means. */
void report_say_s1(const struct report *r, const char *b_open, const char *b_close, const char *brk,
		   struct buf *out);

/* ---- Tables for people (md, html) --------------------------------------- */

/*
 * How a format writes a table for people: md and html walk the same rows
 * (report_table), each with its own syntax around the cells.  A row is
 * row_open, each key cell escaped by `text` between key_open and
 * key_close, each figure (report_fig_people) between fig_open and
 * fig_close, then row_close.
 */
struct report_table_style {
	const char *row_open, *key_open, *key_close, *fig_open, *fig_close, *row_close;
	void (*text)(struct buf *out, const char *s);
	const char *null;         /* a NULL figure */
	const char *none_open, *none_close;   /* around the sentence for a query with no row */
	const char *table_close;  /* after the last row */
};

/* Appends the rows of query q as a table: `head` (its header), a row
 * per result row, the style's table_close; or, when q returned no row,
 * the sentence `none` between none_open and none_close. */
void report_table(const struct report *r, int q, const struct report_table_style *st,
		  const char *head, const char *none, struct buf *out);

/* Appends row i of query q as a table row in the style. */
void report_table_row(const struct report *r, int q, size_t i, const struct report_table_style *st,
		      struct buf *out);

/* ---- Renderers ----------------------------------------------------------- */

/* The renderers of report_render, one per format (html's,
 * report_render_html, is in report.h: it takes a page template). */
void report_render_md(const struct report *r, struct buf *out);
void report_render_csv(const struct report *r, struct buf *out);
void report_render_json(const struct report *r, struct buf *out);

/* A share for machines (csv, json): at most four decimals, trailing zeros
 * dropped but one ("1.0", "0.5", "0.9412"), as sqlite3 prints round(x, 4). */
void report_share_num(struct buf *out, double v);

/* A share for people (md, html): "94.1 %", or `none` when there is no
 * share. */
void report_share_pct(struct buf *out, struct report_real v, const char *none);

/* A duration for people: "3 h 4 min", or `none` when there is none. */
void report_dur(struct buf *out, struct report_int v, const char *none);

/* A figure for people: a count as it is, a duration with report_dur, a
 * share with report_share_pct; `none` for NULL. */
void report_fig_people(struct buf *out, const struct report_fig *f, const char *none);

/* The hour buckets of the S1 histogram, for people: "0–1 h" ... "8 h or
 * more". */
extern const char *const report_bucket_label[REPORT_BUCKETS];

/* `one` when n is 1, else `many`. */
const char *report_plural(int64_t n, const char *one, const char *many);

#endif
