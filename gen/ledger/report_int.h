/*
 * report_int.h - what the report's model (report.c) and its renderers
 * (report_md.c, report_html.c, report_csv.c, report_json.c) share, and
 * no code outside gen/ledger/ sees.  Each renderer reads the figures of
 * struct report and nothing else: no SQL, no clock, no locale.
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
	REPORT_Q_FAILURES, REPORT_Q_EXCEPTIONS, REPORT_Q_COUNT
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
	bool is_share;
	struct report_int n;       /* !is_share: a count or seconds (has = false: NULL) */
	struct report_real share;  /* is_share: a share (has = false: NULL) */
};

#define REPORT_FIGS_MAX 7

/* The rows of query q (REPORT_Q_...) in r. */
size_t report_rows(const struct report *r, int q);

/* Appends the key columns of row i of query q, joined with '/' ("S1",
 * "legal/review"; nothing for a one-row query). */
void report_subject(const struct report *r, int q, size_t i, struct buf *out);

/* Fills figs with the figures of row i of query q; returns how many. */
size_t report_figures(const struct report *r, int q, size_t i,
		      struct report_fig figs[REPORT_FIGS_MAX]);

/* ---- Renderers ----------------------------------------------------------- */

/* The renderers of report_render, one per format. */
void report_render_md(const struct report *r, struct buf *out);
void report_render_html(const struct report *r, struct buf *out);
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

/* The hour buckets of the S1 histogram, for people: "0–1 h" ... "8 h or
 * more". */
extern const char *const report_bucket_label[REPORT_BUCKETS];

/* `one` when n is 1, else `many`. */
const char *report_plural(int64_t n, const char *one, const char *many);

#endif
