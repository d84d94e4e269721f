/*
 * report.h - the compliance report over a period of the ledger.
 *
 * Every figure is one SQL aggregate over the ledger's per-day and
 * per-month rollups (the regulators' figures: over the NOTIFY findings
 * by deadline): the report never loads incidents into memory, only the
 * aggregates the queries return, and its cost follows the days and
 * months of the period, not the incidents in it.  Each query is a named constant in
 * report_queries[], printed verbatim in docs/ledger.md ("Reproducing the
 * report") with :from and :to as epoch-second parameters, so anyone can
 * reproduce a figure with sqlite3 or `sircomm query`.
 *
 *     struct ledger *lg;
 *     if (ledger_open(path, LEDGER_READ_ONLY, &lg, &d) != 0)
 *             return -1;                           // d says why
 *     struct report_period p;
 *     report_period_all(&p);                       // or report_period_days()
 *     struct report *r;
 *     int rc = report_build(lg, &p, &r, &d);       // d says why, if not 0
 *     ledger_close(lg);
 *     struct buf out = BUF_INIT;
 *     if (rc == 0)
 *             report_render(r, REPORT_FORMAT_MD, &out);
 *     report_free(r);
 *     buf_free(&out);
 *
 * The model and its queries are in gen/ledger/report.c; each format has
 * its renderer beside it (report_md.c, report_html.c, report_csv.c,
 * report_json.c), reading the struct report and nothing else.
 *
 * Definitions, the same in every format:
 *  - The period is [from 00:00:00Z, the day after `to` 00:00:00Z): an
 *    incident belongs to it when its communications started (T0,
 *    incidents.comms_started_at) inside.  Incidents with no T0 are
 *    counted apart, by their detection time, and in no other figure.
 *  - Compliance figures (everything but the totals and the counts by
 *    severity) count in-scope incidents only (incidents.in_scope = 1).
 *  - Median and 90th percentile are nearest-rank: of n values sorted
 *    ascending, the ceil(n/2)-th and the ceil(9n/10)-th; NULL when n = 0.
 *  - An S1 artifact meets the turnaround when its TURNAROUND finding
 *    passed.  The share is met / (met + missed + excepted): an excepted
 *    artifact did not meet it; pending ones (not decided yet) and n/a are
 *    left out.
 *  - The share of responses within the window is (answered within the
 *    window) / (requests); an unanswered request is not within it.
 */
#ifndef SIRCOMM_REPORT_H
#define SIRCOMM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/util.h"
#include "format/tmpl_set.h"
#include "ledger/ledger.h"

/* ---- Formats and periods -------------------------------------------- */

enum report_format { REPORT_FORMAT_MD = 0, REPORT_FORMAT_HTML, REPORT_FORMAT_CSV,
		     REPORT_FORMAT_JSON };

/* The format named "md", "html", "csv" or "json", or -1 if unknown. */
int report_format_parse(const char *s);

/* The days reported on, as the half-open epoch range [from, to). */
struct report_period {
	bool has_from, has_to;     /* false: unbounded on that side */
	char from_day[11], to_day[11];   /* "YYYY-MM-DD", "" when unbounded */
	int64_t from;              /* from_day 00:00:00Z, or 0 */
	int64_t to;                /* the day after to_day 00:00:00Z, or TS_MAX + 1 */
};

/*
 * Parses a date "YYYY-MM-DD" (a real day of the proleptic Gregorian
 * calendar, years 1970 to 9999) into the epoch second of its 00:00:00Z.
 * Returns 0, or -1 with *why set to a static explanation.
 */
int report_parse_date(const char *s, int64_t *day_start, const char **why);

/* Sets p to every incident: from 0 to TS_MAX + 1. */
void report_period_all(struct report_period *p);

/*
 * Sets p to the days from..to, both inclusive ("YYYY-MM-DD"; either may
 * be NULL: unbounded on that side).  Returns 0; REPORT_BAD_FROM or
 * REPORT_BAD_TO with *why set when that day is not a date; or
 * REPORT_BAD_ORDER when from is after to.  p is unusable unless 0.
 */
enum { REPORT_BAD_FROM = 1, REPORT_BAD_TO, REPORT_BAD_ORDER };
int report_period_days(struct report_period *p, const char *from, const char *to,
		       const char **why);

/* ---- The queries ----------------------------------------------------- */

/* One figure's query: `name` is the section name in the CSV and the
 * heading in docs/ledger.md; `keys` the result columns that identify a
 * row (comma-separated, "" for a single row); `sql` the statement, with
 * :from and :to. */
struct report_query {
	const char *name;
	const char *title;
	const char *keys;
	const char *sql;
};

/* The queries in report order, ended by an entry whose name is NULL. */
extern const struct report_query report_queries[];

/* ---- The report ------------------------------------------------------ */

/* A value a query may leave NULL (no data). */
struct report_int { bool has; int64_t v; };
struct report_real { bool has; double v; };

/* One severity's nearest-rank statistics (turnaround or drafting). */
struct report_stats {
	char severity[3];
	int64_t n;             /* values measured (deployed artifacts; incidents with a draft) */
	int64_t missing;       /* turnaround: artifacts not deployed; drafting: 0 */
	struct report_int median, p90;   /* seconds */
};

struct report_response {
	char *group, *round;   /* owned by the report */
	int64_t n, answered;
	struct report_int median, p90;   /* seconds, over answered requests */
	struct report_real within_window_share;
};

struct report_failure {
	char *rule;
	int64_t findings, incidents;
};

struct report_exception {
	char *id, *kind, *rule;   /* kind: "incident" or "standing" */
	int64_t findings_excused, incidents, retroactive;
};

/* A regulator's stage (NOTIFY findings due in the period). */
struct report_notify {
	char *regime, *stage;
	int64_t on_time, late, overdue, excepted, pending;
	struct report_real on_time_share;
	struct report_int worst_margin;   /* the largest notified minus due, seconds */
};

/* A notification made after its deadline. */
struct report_late {
	char *incident, *subject, *reason;
	int64_t late_seconds;
};

#define REPORT_BUCKETS 9   /* hour buckets 0-1 h ... 7-8 h, then 8 h or more */

/* The figures; read-only for callers, freed by report_free. */
struct report {
	struct report_period period;
	struct {
		int64_t incidents, in_scope, out_of_scope, in_scope_failed, no_comms_started;
	} totals;
	struct {
		char severity[3];
		int64_t incidents, in_scope, out_of_scope, failed;
	} by_severity[4];
	struct {
		int64_t artifacts, met, missed, excepted, pending;
		struct report_real meeting_share;
	} s1;
	struct report_stats turnaround[4];
	size_t n_turnaround;
	int64_t histogram[REPORT_BUCKETS];
	struct report_stats drafting[4];
	size_t n_drafting;
	struct report_response *responses;
	size_t n_responses;
	int64_t backups_engaged, incidents_with_backups;
	int64_t quorum_deployments, incidents_with_quorum;
	struct report_failure *failures;
	size_t n_failures;
	struct report_exception *exceptions;
	size_t n_exceptions;
	struct report_notify *notify;
	size_t n_notify;
	struct report_late *late;
	size_t n_late;
};

/*
 * Runs every query of report_queries[] on an open ledger for the period
 * and collects the figures, all in one read transaction: every figure
 * sees the same ledger, even while an ingest commits beside it.  Returns
 * 0 and a new report in *out (the caller frees it with report_free), or
 * -1 after a diagnostic naming the ledger (a query failed: a corrupt or
 * foreign database); *out is NULL unless 0.
 */
int report_build(struct ledger *lg, const struct report_period *p, struct report **out,
		 struct diag *d);

/*
 * Appends the report in a format.  The same figures in each; the output
 * depends on nothing but the report (no clock, no locale), so the same
 * ledger and period give the same bytes.  md and html say in words when
 * no incident's communications started in the period.  html is the page
 * with the built-in report-page.html.
 */
void report_render(const struct report *r, enum report_format f, struct buf *out);

/*
 * Appends the report as its HTML page, inside the template
 * report-page.html of tpl (NULL: the built-in one; format/tmpl_set.h).
 * Returns 0, or -1 after adding the template's errors to d
 * (TEMPLATE:LINE), leaving out as it was.
 */
int report_render_html(const struct report *r, const struct tmpl_set *tpl, struct buf *out,
		       struct diag *d);

/* Frees the report.  NULL is a no-op. */
void report_free(struct report *r);

#endif
