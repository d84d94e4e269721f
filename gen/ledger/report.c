/* report.c - the compliance report: SQL aggregates over a period of the
 * ledger, rendered as Markdown, an HTML page with two SVG charts, CSV or
 * JSON. */
#include "ledger/report.h"
#include "ledger_int.h"

#include "base/esc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format/md.h"
#include "base/ts.h"

/* ---- Formats and periods -------------------------------------------- */

static const char *const format_names[] = { "md", "html", "csv", "json" };

const char *report_format_name(enum report_format f)
{
	return format_names[f];
}

int report_format_parse(const char *s)
{
	return name_index(format_names, 4, s);
}

int report_parse_date(const char *s, int64_t *day_start, const char **why)
{
	static const unsigned char mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') {
		*why = "is not a date YYYY-MM-DD";
		return -1;
	}
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) {
			*why = "is not a date YYYY-MM-DD";
			return -1;
		}
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	unsigned d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 1970) {
		*why = "is before 1970";
		return -1;
	}
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (m < 1 || m > 12 || d < 1 || d > (unsigned)(mdays[m - 1] + (m == 2 && leap))) {
		*why = "is not a real day";
		return -1;
	}
	*day_start = ts_days_from_civil(y, m, d) * 86400;
	return 0;
}

void report_period_all(struct report_period *p)
{
	memset(p, 0, sizeof(*p));
	p->from = TS_MIN;
	p->to = TS_MAX + 1;
}

int report_period_days(struct report_period *p, const char *from, const char *to,
		       const char **why)
{
	report_period_all(p);
	if (from) {
		if (report_parse_date(from, &p->from, why) != 0)
			return REPORT_BAD_FROM;
		p->has_from = true;
		memcpy(p->from_day, from, 11);
	}
	if (to) {
		int64_t t;
		if (report_parse_date(to, &t, why) != 0)
			return REPORT_BAD_TO;
		p->has_to = true;
		p->to = t + 86400;
		memcpy(p->to_day, to, 11);
	}
	if (p->from >= p->to) {
		*why = "the first day is after the last";
		return REPORT_BAD_ORDER;
	}
	return 0;
}

/* ---- The queries ----------------------------------------------------- */

/* Their order in report_queries[]. */
enum {
	Q_TOTALS, Q_BY_SEVERITY, Q_S1_TURNAROUND, Q_TURNAROUND, Q_HISTOGRAM, Q_DRAFTING,
	Q_RESPONSES, Q_BACKUPS_QUORUM, Q_FAILURES, Q_EXCEPTIONS, Q_COUNT
};

/* Each selects incidents by comms_started_at (index incidents_by_start,
 * or incidents_by_severity with the severity) and reaches findings and
 * metrics through their primary keys, which start with incident_id. */

static const char sql_totals[] =
	"SELECT count(*) AS incidents,\n"
	"       coalesce(sum(in_scope = 1), 0) AS in_scope,\n"
	"       coalesce(sum(in_scope = 0), 0) AS out_of_scope,\n"
	"       coalesce(sum(in_scope = 1 AND result = 'fail'), 0) AS in_scope_failed,\n"
	"       (SELECT count(*) FROM incidents\n"
	"         WHERE comms_started_at IS NULL\n"
	"           AND detected_at >= :from AND detected_at < :to) AS no_comms_started\n"
	"FROM incidents\n"
	"WHERE comms_started_at >= :from AND comms_started_at < :to";

static const char sql_by_severity[] =
	"WITH severities(severity) AS (VALUES ('S1'), ('S2'), ('S3'), ('S4'))\n"
	"SELECT s.severity,\n"
	"       count(i.id) AS incidents,\n"
	"       coalesce(sum(i.in_scope = 1), 0) AS in_scope,\n"
	"       coalesce(sum(i.in_scope = 0), 0) AS out_of_scope,\n"
	"       coalesce(sum(i.in_scope = 1 AND i.result = 'fail'), 0) AS failed\n"
	"FROM severities s\n"
	"LEFT JOIN incidents i ON i.severity = s.severity\n"
	"  AND i.comms_started_at >= :from AND i.comms_started_at < :to\n"
	"GROUP BY s.severity\n"
	"ORDER BY s.severity";

static const char sql_s1_turnaround[] =
	"SELECT count(*) AS artifacts,\n"
	"       coalesce(sum(f.status = 'pass'), 0) AS met,\n"
	"       coalesce(sum(f.status = 'fail'), 0) AS missed,\n"
	"       coalesce(sum(f.status = 'excepted'), 0) AS excepted,\n"
	"       coalesce(sum(f.status = 'pending'), 0) AS pending,\n"
	"       round(1.0 * sum(f.status = 'pass')\n"
	"             / nullif(sum(f.status IN ('pass', 'fail', 'excepted')), 0), 4) AS meeting_share\n"
	"FROM incidents i\n"
	"CROSS JOIN findings f ON f.incident_id = i.id\n"
	"WHERE i.severity = 'S1' AND i.in_scope = 1\n"
	"  AND i.comms_started_at >= :from AND i.comms_started_at < :to\n"
	"  AND f.rule = 'TURNAROUND' AND f.status IN ('pass', 'fail', 'excepted', 'pending')";

static const char sql_turnaround[] =
	"WITH v AS (\n"
	"  SELECT i.severity, m.seconds, count(*) AS c\n"
	"  FROM incidents i\n"
	"  CROSS JOIN metrics m ON m.incident_id = i.id AND m.name = 'turnaround'\n"
	"  WHERE i.severity IN ('S1', 'S2', 'S3', 'S4') AND i.in_scope = 1\n"
	"    AND i.comms_started_at >= :from AND i.comms_started_at < :to\n"
	"  GROUP BY i.severity, m.seconds\n"
	"),\n"
	"r AS (\n"
	"  SELECT severity, seconds, c,\n"
	"         sum(CASE WHEN seconds IS NOT NULL THEN c END)\n"
	"           OVER (PARTITION BY severity ORDER BY seconds ROWS UNBOUNDED PRECEDING) AS upto,\n"
	"         sum(CASE WHEN seconds IS NOT NULL THEN c END)\n"
	"           OVER (PARTITION BY severity) AS k\n"
	"  FROM v\n"
	")\n"
	"SELECT severity,\n"
	"       coalesce(sum(CASE WHEN seconds IS NOT NULL THEN c END), 0) AS deployed,\n"
	"       coalesce(sum(CASE WHEN seconds IS NULL THEN c END), 0) AS not_deployed,\n"
	"       min(CASE WHEN upto >= (k + 1) / 2 THEN seconds END) AS median_seconds,\n"
	"       min(CASE WHEN upto >= (9 * k + 9) / 10 THEN seconds END) AS p90_seconds\n"
	"FROM r\n"
	"GROUP BY severity\n"
	"ORDER BY severity";

static const char sql_histogram[] =
	"WITH buckets(hours_from) AS (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)),\n"
	"t AS (\n"
	"  SELECT max(0, min(8, m.seconds / 3600)) AS hours_from\n"
	"  FROM incidents i\n"
	"  CROSS JOIN metrics m ON m.incident_id = i.id AND m.name = 'turnaround'\n"
	"  WHERE i.severity = 'S1' AND i.in_scope = 1\n"
	"    AND i.comms_started_at >= :from AND i.comms_started_at < :to\n"
	"    AND m.seconds IS NOT NULL\n"
	")\n"
	"SELECT b.hours_from, count(t.hours_from) AS artifacts\n"
	"FROM buckets b\n"
	"LEFT JOIN t ON t.hours_from = b.hours_from\n"
	"GROUP BY b.hours_from\n"
	"ORDER BY b.hours_from";

static const char sql_drafting[] =
	"WITH v AS (\n"
	"  SELECT i.severity, m.seconds, count(*) AS c\n"
	"  FROM incidents i\n"
	"  CROSS JOIN metrics m ON m.incident_id = i.id AND m.name = 'first_draft'\n"
	"  WHERE i.severity IN ('S1', 'S2', 'S3', 'S4') AND i.in_scope = 1\n"
	"    AND i.comms_started_at >= :from AND i.comms_started_at < :to\n"
	"    AND m.seconds IS NOT NULL\n"
	"  GROUP BY i.severity, m.seconds\n"
	"),\n"
	"r AS (\n"
	"  SELECT severity, seconds, c,\n"
	"         sum(c) OVER (PARTITION BY severity ORDER BY seconds ROWS UNBOUNDED PRECEDING) AS upto,\n"
	"         sum(c) OVER (PARTITION BY severity) AS k\n"
	"  FROM v\n"
	")\n"
	"SELECT severity,\n"
	"       sum(c) AS incidents,\n"
	"       min(CASE WHEN upto >= (k + 1) / 2 THEN seconds END) AS median_seconds,\n"
	"       min(CASE WHEN upto >= (9 * k + 9) / 10 THEN seconds END) AS p90_seconds\n"
	"FROM r\n"
	"GROUP BY severity\n"
	"ORDER BY severity";

static const char sql_responses[] =
	"WITH v AS (\n"
	"  SELECT m.grp, m.round, m.seconds, count(*) AS c,\n"
	"         sum(m.within_window = 1) AS in_window\n"
	"  FROM incidents i\n"
	"  CROSS JOIN metrics m ON m.incident_id = i.id AND m.name = 'response'\n"
	"  WHERE i.in_scope = 1\n"
	"    AND i.comms_started_at >= :from AND i.comms_started_at < :to\n"
	"  GROUP BY m.grp, m.round, m.seconds\n"
	"),\n"
	"r AS (\n"
	"  SELECT grp, round, seconds, c, in_window,\n"
	"         sum(CASE WHEN seconds IS NOT NULL THEN c END)\n"
	"           OVER (PARTITION BY grp, round ORDER BY seconds ROWS UNBOUNDED PRECEDING) AS upto,\n"
	"         sum(CASE WHEN seconds IS NOT NULL THEN c END)\n"
	"           OVER (PARTITION BY grp, round) AS k\n"
	"  FROM v\n"
	")\n"
	"SELECT grp, round,\n"
	"       sum(c) AS n,\n"
	"       coalesce(sum(CASE WHEN seconds IS NOT NULL THEN c END), 0) AS answered,\n"
	"       min(CASE WHEN upto >= (k + 1) / 2 THEN seconds END) AS median_seconds,\n"
	"       min(CASE WHEN upto >= (9 * k + 9) / 10 THEN seconds END) AS p90_seconds,\n"
	"       round(1.0 * sum(in_window) / sum(c), 4) AS within_window_share\n"
	"FROM r\n"
	"GROUP BY grp, round\n"
	"ORDER BY grp, round = 'final', round";

static const char sql_backups_quorum[] =
	"SELECT coalesce(sum(CASE WHEN m.name = 'backups_engaged' THEN m.count END), 0)\n"
	"         AS backups_engaged,\n"
	"       count(DISTINCT CASE WHEN m.name = 'backups_engaged' AND m.count > 0 THEN i.id END)\n"
	"         AS incidents_with_backups,\n"
	"       coalesce(sum(CASE WHEN m.name = 'quorum_deployments' THEN m.count END), 0)\n"
	"         AS quorum_deployments,\n"
	"       count(DISTINCT CASE WHEN m.name = 'quorum_deployments' AND m.count > 0 THEN i.id END)\n"
	"         AS incidents_with_quorum\n"
	"FROM incidents i\n"
	"CROSS JOIN metrics m ON m.incident_id = i.id\n"
	"  AND m.name IN ('backups_engaged', 'quorum_deployments')\n"
	"WHERE i.in_scope = 1\n"
	"  AND i.comms_started_at >= :from AND i.comms_started_at < :to";

static const char sql_failures[] =
	"SELECT f.rule,\n"
	"       count(*) AS findings,\n"
	"       count(DISTINCT f.incident_id) AS incidents\n"
	"FROM incidents i\n"
	"CROSS JOIN findings f ON f.incident_id = i.id\n"
	"WHERE i.in_scope = 1\n"
	"  AND i.comms_started_at >= :from AND i.comms_started_at < :to\n"
	"  AND f.status = 'fail'\n"
	"GROUP BY f.rule\n"
	"ORDER BY f.rule";

static const char sql_exceptions[] =
	"SELECT f.exception_id AS exception,\n"
	"       CASE WHEN x.id IS NULL THEN 'standing' ELSE 'incident' END AS kind,\n"
	"       f.rule,\n"
	"       count(*) AS findings_excused,\n"
	"       count(DISTINCT f.incident_id) AS incidents,\n"
	"       sum(f.retroactive) AS retroactive\n"
	"FROM incidents i\n"
	"CROSS JOIN findings f ON f.incident_id = i.id\n"
	"LEFT JOIN exceptions x ON x.incident_id = f.incident_id AND x.id = f.exception_id\n"
	"WHERE i.in_scope = 1\n"
	"  AND i.comms_started_at >= :from AND i.comms_started_at < :to\n"
	"  AND f.exception_id IS NOT NULL\n"
	"GROUP BY f.exception_id, kind, f.rule\n"
	"ORDER BY f.exception_id, kind, f.rule";

const struct report_query report_queries[Q_COUNT + 1] = {
	[Q_TOTALS] = { "totals", "Incidents in the period, in and out of scope", "", sql_totals },
	[Q_BY_SEVERITY] = { "by_severity", "Incidents by severity", "severity", sql_by_severity },
	[Q_S1_TURNAROUND] = { "s1_turnaround", "S1 artifacts meeting the turnaround", "",
			      sql_s1_turnaround },
	[Q_TURNAROUND] = { "turnaround", "Turnaround (T0 to deployment) by severity", "severity",
			   sql_turnaround },
	[Q_HISTOGRAM] = { "turnaround_histogram", "S1 turnaround in hour buckets", "hours_from",
			  sql_histogram },
	[Q_DRAFTING] = { "drafting", "Drafting time (T0 to the first draft) by severity", "severity",
			 sql_drafting },
	[Q_RESPONSES] = { "responses", "Response time per approver group and round", "grp,round",
			  sql_responses },
	[Q_BACKUPS_QUORUM] = { "backups_quorum", "Back-ups engaged and deployments under the quorum "
			       "fallback", "", sql_backups_quorum },
	[Q_FAILURES] = { "failures_by_rule", "Failed findings by rule", "rule", sql_failures },
	[Q_EXCEPTIONS] = { "exceptions_used", "Exceptions used", "exception,kind,rule",
			   sql_exceptions },
	[Q_COUNT] = { NULL, NULL, NULL, NULL },
};

/* ---- Running them ---------------------------------------------------- */

struct run {
	sqlite3 *db;
	const char *path;
	struct diag *d;
	struct report *r;
};

typedef void (*row_fn)(struct report *r, sqlite3_stmt *st);

static int64_t col_int(sqlite3_stmt *st, int i)
{
	return sqlite3_column_int64(st, i);
}

static struct report_int col_opt(sqlite3_stmt *st, int i)
{
	struct report_int v = { sqlite3_column_type(st, i) != SQLITE_NULL, 0 };
	if (v.has)
		v.v = sqlite3_column_int64(st, i);
	return v;
}

static struct report_real col_real(sqlite3_stmt *st, int i)
{
	struct report_real v = { sqlite3_column_type(st, i) != SQLITE_NULL, 0 };
	if (v.has)
		v.v = sqlite3_column_double(st, i);
	return v;
}

/* A new copy of a text column, "" for NULL. */
static char *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return xstrdup(s ? (const char *)s : "");
}

static void col_severity(sqlite3_stmt *st, int i, char out[3])
{
	const unsigned char *s = sqlite3_column_text(st, i);
	snprintf(out, 3, "%s", s ? (const char *)s : "");
}

/* Makes room for one more element in *arr (n in use) and returns the
 * index of the new, zeroed one. */
#define GROW(arr, n) \
	((arr) = xrealloc((arr), ((n) + 1) * sizeof(*(arr))), \
	 memset(&(arr)[(n)], 0, sizeof(*(arr))), (n)++)

static void row_totals(struct report *r, sqlite3_stmt *st)
{
	r->totals.incidents = col_int(st, 0);
	r->totals.in_scope = col_int(st, 1);
	r->totals.out_of_scope = col_int(st, 2);
	r->totals.in_scope_failed = col_int(st, 3);
	r->totals.no_comms_started = col_int(st, 4);
}

static void row_by_severity(struct report *r, sqlite3_stmt *st)
{
	char sev[3];
	col_severity(st, 0, sev);
	int k = sev[0] == 'S' && sev[1] >= '1' && sev[1] <= '4' && !sev[2] ? sev[1] - '1' : -1;
	if (k < 0)
		return;
	r->by_severity[k].incidents = col_int(st, 1);
	r->by_severity[k].in_scope = col_int(st, 2);
	r->by_severity[k].out_of_scope = col_int(st, 3);
	r->by_severity[k].failed = col_int(st, 4);
}

static void row_s1_turnaround(struct report *r, sqlite3_stmt *st)
{
	r->s1.artifacts = col_int(st, 0);
	r->s1.met = col_int(st, 1);
	r->s1.missed = col_int(st, 2);
	r->s1.excepted = col_int(st, 3);
	r->s1.pending = col_int(st, 4);
	r->s1.meeting_share = col_real(st, 5);
}

static void row_turnaround(struct report *r, sqlite3_stmt *st)
{
	if (r->n_turnaround == 4)
		return;   /* four severities at most (the schema's CHECK) */
	struct report_stats *s = &r->turnaround[r->n_turnaround++];
	col_severity(st, 0, s->severity);
	s->n = col_int(st, 1);
	s->missing = col_int(st, 2);
	s->median = col_opt(st, 3);
	s->p90 = col_opt(st, 4);
}

static void row_histogram(struct report *r, sqlite3_stmt *st)
{
	int64_t b = col_int(st, 0);
	if (b >= 0 && b < REPORT_BUCKETS)
		r->histogram[b] = col_int(st, 1);
}

static void row_drafting(struct report *r, sqlite3_stmt *st)
{
	if (r->n_drafting == 4)
		return;
	struct report_stats *s = &r->drafting[r->n_drafting++];
	col_severity(st, 0, s->severity);
	s->n = col_int(st, 1);
	s->median = col_opt(st, 2);
	s->p90 = col_opt(st, 3);
}

static void row_responses(struct report *r, sqlite3_stmt *st)
{
	struct report_response *x = &r->responses[GROW(r->responses, r->n_responses)];
	x->group = col_str(st, 0);
	x->round = col_str(st, 1);
	x->n = col_int(st, 2);
	x->answered = col_int(st, 3);
	x->median = col_opt(st, 4);
	x->p90 = col_opt(st, 5);
	x->within_window_share = col_real(st, 6);
}

static void row_backups_quorum(struct report *r, sqlite3_stmt *st)
{
	r->backups_engaged = col_int(st, 0);
	r->incidents_with_backups = col_int(st, 1);
	r->quorum_deployments = col_int(st, 2);
	r->incidents_with_quorum = col_int(st, 3);
}

static void row_failures(struct report *r, sqlite3_stmt *st)
{
	struct report_failure *x = &r->failures[GROW(r->failures, r->n_failures)];
	x->rule = col_str(st, 0);
	x->findings = col_int(st, 1);
	x->incidents = col_int(st, 2);
}

static void row_exceptions(struct report *r, sqlite3_stmt *st)
{
	struct report_exception *x = &r->exceptions[GROW(r->exceptions, r->n_exceptions)];
	x->id = col_str(st, 0);
	x->kind = col_str(st, 1);
	x->rule = col_str(st, 2);
	x->findings_excused = col_int(st, 3);
	x->incidents = col_int(st, 4);
	x->retroactive = col_int(st, 5);
}

static const row_fn row_fns[Q_COUNT] = {
	row_totals, row_by_severity, row_s1_turnaround, row_turnaround, row_histogram,
	row_drafting, row_responses, row_backups_quorum, row_failures, row_exceptions,
};

/* Runs one query with :from and :to bound, handing each row to fn. */
static int run_query(struct run *x, const struct report_query *q, row_fn fn)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(x->db, q->sql, -1, &st, NULL) != SQLITE_OK) {
		diag_error(x->d, x->path, 0, "report: query %s: %s", q->name, sqlite3_errmsg(x->db));
		sqlite3_finalize(st);
		return -1;
	}
	int i = sqlite3_bind_parameter_index(st, ":from");
	if (i)
		sqlite3_bind_int64(st, i, x->r->period.from);
	i = sqlite3_bind_parameter_index(st, ":to");
	if (i)
		sqlite3_bind_int64(st, i, x->r->period.to);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(x->r, st);
	if (rc != SQLITE_DONE) {
		diag_error(x->d, x->path, 0, "report: query %s: %s", q->name, sqlite3_errmsg(x->db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

int report_build(struct ledger *lg, const struct report_period *p, struct report **out,
		 struct diag *d)
{
	sqlite3 *db = lg->db;
	const char *path = lg->path;
	*out = NULL;
	struct report *r = xcalloc(1, sizeof(*r));
	r->period = *p;
	for (int k = 0; k < 4; k++)
		snprintf(r->by_severity[k].severity, 3, "S%d", k + 1);
	struct run x = { db, path, d, r };
	/* One read transaction: every figure sees the same ledger, even
	 * while an ingest commits beside us. */
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		diag_error(d, path, 0, "report: %s", sqlite3_errmsg(db));
		report_free(r);
		return -1;
	}
	for (int q = 0; q < Q_COUNT; q++) {
		if (run_query(&x, &report_queries[q], row_fns[q]) != 0) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			report_free(r);
			return -1;
		}
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	*out = r;
	return 0;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_responses; i++) {
		free(r->responses[i].group);
		free(r->responses[i].round);
	}
	free(r->responses);
	for (size_t i = 0; i < r->n_failures; i++)
		free(r->failures[i].rule);
	free(r->failures);
	for (size_t i = 0; i < r->n_exceptions; i++) {
		free(r->exceptions[i].id);
		free(r->exceptions[i].kind);
		free(r->exceptions[i].rule);
	}
	free(r->exceptions);
	free(r);
}

/* ---- Shared pieces of rendering ------------------------------------- */

/* The policy's S1 turnaround and the approvers' response window in the
 * built-in policy; the ledger keeps no target per incident, so the
 * charts draw these as reference lines. */
#define S1_TARGET_SECONDS (6 * 3600)
#define RESPONSE_WINDOW_SECONDS (30 * 60)

/* A share for machines: at most four decimals, trailing zeros dropped
 * but one ("1.0", "0.5", "0.9412"), as sqlite3 prints round(x, 4). */
static void share_num(struct buf *out, double v)
{
	char s[32];
	snprintf(s, sizeof(s), "%.4f", v);
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '0' && s[n - 2] != '.')
		s[--n] = '\0';
	buf_puts(out, s);
}

/* A share for people: "94.1 %", or `none` when there is no share. */
static void share_pct(struct buf *out, struct report_real v, const char *none)
{
	if (v.has)
		buf_printf(out, "%.1f %%", v.v * 100.0);
	else
		buf_puts(out, none);
}

/* A duration for people: "3 h 4 min", or `none`. */
static void dur(struct buf *out, struct report_int v, const char *none)
{
	if (!v.has) {
		buf_puts(out, none);
		return;
	}
	char h[TS_BUFSZ];
	ts_format_human(v.v, h);
	buf_puts(out, h);
}

static const char *const bucket_label[REPORT_BUCKETS] = {
	"0\xE2\x80\x93" "1 h", "1\xE2\x80\x93" "2 h", "2\xE2\x80\x93" "3 h", "3\xE2\x80\x93" "4 h",
	"4\xE2\x80\x93" "5 h", "5\xE2\x80\x93" "6 h", "6\xE2\x80\x93" "7 h", "7\xE2\x80\x93" "8 h",
	"8 h or more",
};

static const char *plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---- Markdown -------------------------------------------------------- */

static void md_cell(struct buf *out, const char *s)
{
	md_escape(out, s, strlen(s));
}

static void md_period(const struct report *r, struct buf *out)
{
	const struct report_period *p = &r->period;
	buf_puts(out, "**Period:** ");
	if (p->has_from && p->has_to)
		buf_printf(out, "%s to %s (UTC, both days included)", p->from_day, p->to_day);
	else if (p->has_from)
		buf_printf(out, "from %s (UTC) on", p->from_day);
	else if (p->has_to)
		buf_printf(out, "up to %s (UTC, included)", p->to_day);
	else
		buf_puts(out, "all incidents in the ledger");
	buf_printf(out, ": incidents whose communications started (T0) in it.  "
		   "Query parameters `:from` = %" PRId64 ", `:to` = %" PRId64 ".\n\n", p->from, p->to);
}

static void md_no_comms(const struct report *r, struct buf *out)
{
	int64_t n = r->totals.no_comms_started;
	if (n)
		buf_printf(out, "No communications started: %" PRId64 " %s detected in the period %s no "
			   "T0; %s counted here only, in no other figure.\n\n", n,
			   plural(n, "incident", "incidents"), plural(n, "has", "have"),
			   plural(n, "it is", "they are"));
	else
		buf_puts(out, "No communications started: no incident detected in the period lacks a T0.\n\n");
}

static void md_stats_table(struct buf *out, const struct report_stats *s, size_t n,
			   const char *n_label, const char *missing_label)
{
	if (n == 0) {
		buf_puts(out, "No data.\n\n");
		return;
	}
	buf_printf(out, "| Severity | %s |%s%s%s Median | 90th percentile |\n|---|--:|%s--:|--:|\n",
		   n_label, missing_label ? " " : "", missing_label ? missing_label : "",
		   missing_label ? " |" : "", missing_label ? "--:|" : "");
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "| %s | %" PRId64 " |", s[i].severity, s[i].n);
		if (missing_label)
			buf_printf(out, " %" PRId64 " |", s[i].missing);
		buf_putc(out, ' ');
		dur(out, s[i].median, "-");
		buf_puts(out, " | ");
		dur(out, s[i].p90, "-");
		buf_puts(out, " |\n");
	}
	buf_putc(out, '\n');
}

static void render_md(const struct report *r, struct buf *out)
{
	buf_puts(out, "# Communications compliance report\n\n");
	md_period(r, out);
	if (r->totals.incidents == 0) {
		buf_puts(out, "**No incidents:** no incident's communications started in this period.\n\n");
		md_no_comms(r, out);
		return;
	}

	buf_puts(out, "## Incidents\n\n| Severity | Incidents | In scope | Out of scope | In scope, failed |\n"
		 "|---|--:|--:|--:|--:|\n");
	for (int k = 0; k < 4; k++)
		buf_printf(out, "| %s | %" PRId64 " | %" PRId64 " | %" PRId64 " | %" PRId64 " |\n",
			   r->by_severity[k].severity, r->by_severity[k].incidents,
			   r->by_severity[k].in_scope, r->by_severity[k].out_of_scope,
			   r->by_severity[k].failed);
	buf_printf(out, "| **All** | **%" PRId64 "** | **%" PRId64 "** | **%" PRId64 "** | **%" PRId64
		   "** |\n\n", r->totals.incidents, r->totals.in_scope, r->totals.out_of_scope,
		   r->totals.in_scope_failed);
	md_no_comms(r, out);
	buf_printf(out, "The figures below count the %" PRId64 " in-scope %s only",
		   r->totals.in_scope, plural(r->totals.in_scope, "incident", "incidents"));
	if (r->totals.out_of_scope)
		buf_printf(out, "; the %" PRId64 " out of the plan's scope %s counted above only",
			   r->totals.out_of_scope, plural(r->totals.out_of_scope, "is", "are"));
	buf_puts(out, ".\n\n");

	buf_puts(out, "## S1 turnaround\n\n");
	if (r->s1.artifacts == 0) {
		buf_puts(out, "No S1 artifact had a turnaround to meet.\n\n");
	} else {
		buf_puts(out, "**");
		share_pct(out, r->s1.meeting_share, "No share yet");
		buf_printf(out, "** of the decided S1 artifacts met the turnaround: %" PRId64 " met, %" PRId64
			   " missed, %" PRId64 " excepted; %" PRId64 " pending.\n\n",
			   r->s1.met, r->s1.missed, r->s1.excepted, r->s1.pending);
		buf_puts(out, "Met: the TURNAROUND finding passed.  The share is met / (met + missed + "
			 "excepted): an excepted artifact did not meet the turnaround; pending ones (not "
			 "decided yet) are left out.\n\n");
	}
	buf_puts(out, "### Turnaround by severity\n\nComms started (T0) to the artifact's first deployment, "
		 "one value per artifact deployed.\n\n");
	md_stats_table(out, r->turnaround, r->n_turnaround, "Deployed", "Not deployed");
	buf_puts(out, "### S1 turnaround distribution\n\n| Turnaround | S1 artifacts |\n|---|--:|\n");
	for (int b = 0; b < REPORT_BUCKETS; b++)
		buf_printf(out, "| %s | %" PRId64 " |\n", bucket_label[b], r->histogram[b]);
	buf_puts(out, "\nA bucket holds from its first hour up to, not including, its last; from 6\xE2\x80\x93" "7 h on, "
		 "artifacts are past the S1 target of the built-in policy (6 h).\n\n");

	buf_puts(out, "## Drafting time\n\nComms started (T0) to the first draft, one value per incident.\n\n");
	md_stats_table(out, r->drafting, r->n_drafting, "Incidents", NULL);

	buf_puts(out, "## Approver response times\n\nRequest to answer, one request per group, artifact "
		 "and round.  Median and 90th percentile over the answered requests; the share within "
		 "the policy's response window counts unanswered requests as outside it.\n\n");
	if (r->n_responses == 0) {
		buf_puts(out, "No approval requests.\n\n");
	} else {
		buf_puts(out, "| Group | Round | Requests | Answered | Median | 90th percentile | Within window |\n"
			 "|---|---|--:|--:|--:|--:|--:|\n");
		for (size_t i = 0; i < r->n_responses; i++) {
			const struct report_response *x = &r->responses[i];
			buf_puts(out, "| ");
			md_cell(out, x->group);
			buf_puts(out, " | ");
			md_cell(out, x->round);
			buf_printf(out, " | %" PRId64 " | %" PRId64 " | ", x->n, x->answered);
			dur(out, x->median, "-");
			buf_puts(out, " | ");
			dur(out, x->p90, "-");
			buf_puts(out, " | ");
			share_pct(out, x->within_window_share, "-");
			buf_puts(out, " |\n");
		}
		buf_putc(out, '\n');
	}

	buf_printf(out, "## Back-ups and the cutoff quorum\n\n| | Count | Incidents |\n|---|--:|--:|\n"
		   "| Back-ups engaged | %" PRId64 " | %" PRId64 " |\n"
		   "| Deployments under the quorum fallback | %" PRId64 " | %" PRId64 " |\n\n",
		   r->backups_engaged, r->incidents_with_backups, r->quorum_deployments,
		   r->incidents_with_quorum);

	buf_puts(out, "## Failures by rule\n\n");
	if (r->n_failures == 0) {
		buf_puts(out, "No finding failed.\n\n");
	} else {
		buf_puts(out, "| Rule | Failed findings | Incidents |\n|---|--:|--:|\n");
		for (size_t i = 0; i < r->n_failures; i++) {
			buf_puts(out, "| ");
			md_cell(out, r->failures[i].rule);
			buf_printf(out, " | %" PRId64 " | %" PRId64 " |\n", r->failures[i].findings,
				   r->failures[i].incidents);
		}
		buf_putc(out, '\n');
	}

	buf_puts(out, "## Exceptions used\n\n");
	if (r->n_exceptions == 0) {
		buf_puts(out, "No exception excused a finding.\n\n");
	} else {
		buf_puts(out, "| Exception | Kind | Rule | Findings excused | Incidents | Retroactive |\n"
			 "|---|---|---|--:|--:|--:|\n");
		for (size_t i = 0; i < r->n_exceptions; i++) {
			const struct report_exception *x = &r->exceptions[i];
			buf_puts(out, "| ");
			md_cell(out, x->id);
			buf_puts(out, " | ");
			md_cell(out, x->kind);
			buf_puts(out, " | ");
			md_cell(out, x->rule);
			buf_printf(out, " | %" PRId64 " | %" PRId64 " | %" PRId64 " |\n", x->findings_excused,
				   x->incidents, x->retroactive);
		}
		buf_putc(out, '\n');
	}

	buf_puts(out, "## How the figures are computed\n\n"
		 "- Medians and 90th percentiles are nearest-rank: of n values sorted ascending, the "
		 "ceil(n/2)-th and the ceil(9n/10)-th.  Durations here are rounded down to the minute "
		 "(to the hour past a day); the csv and json formats give seconds.\n"
		 "- Each figure is one SQL query over the ledger, printed in docs/ledger.md "
		 "(\"Reproducing the report\") with the parameters above.\n");
}

/* ---- CSV ------------------------------------------------------------- */


static void csv_head(struct buf *out, const char *section, const char *subject, const char *figure)
{
	esc_csv(out, section);
	buf_putc(out, ',');
	esc_csv(out, subject);
	buf_putc(out, ',');
	esc_csv(out, figure);
	buf_putc(out, ',');
}

static void csv_int(struct buf *out, const char *section, const char *subject, const char *figure,
		    int64_t v)
{
	csv_head(out, section, subject, figure);
	buf_printf(out, "%" PRId64 "\r\n", v);
}

static void csv_opt(struct buf *out, const char *section, const char *subject, const char *figure,
		    struct report_int v)
{
	csv_head(out, section, subject, figure);
	if (v.has)
		buf_printf(out, "%" PRId64, v.v);
	buf_puts(out, "\r\n");
}

static void csv_share(struct buf *out, const char *section, const char *subject, const char *figure,
		      struct report_real v)
{
	csv_head(out, section, subject, figure);
	if (v.has)
		share_num(out, v.v);
	buf_puts(out, "\r\n");
}

static void csv_text(struct buf *out, const char *section, const char *subject, const char *figure,
		     const char *v)
{
	csv_head(out, section, subject, figure);
	esc_csv(out, v);
	buf_puts(out, "\r\n");
}

static void render_csv(const struct report *r, struct buf *out)
{
	const struct report_period *p = &r->period;
	buf_puts(out, "section,subject,figure,value\r\n");
	csv_text(out, "period", "", "from", p->from_day);
	csv_text(out, "period", "", "to", p->to_day);
	csv_int(out, "period", "", "from_epoch", p->from);
	csv_int(out, "period", "", "to_epoch", p->to);

	const char *q = report_queries[Q_TOTALS].name;
	csv_int(out, q, "", "incidents", r->totals.incidents);
	csv_int(out, q, "", "in_scope", r->totals.in_scope);
	csv_int(out, q, "", "out_of_scope", r->totals.out_of_scope);
	csv_int(out, q, "", "in_scope_failed", r->totals.in_scope_failed);
	csv_int(out, q, "", "no_comms_started", r->totals.no_comms_started);

	q = report_queries[Q_BY_SEVERITY].name;
	for (int k = 0; k < 4; k++) {
		const char *s = r->by_severity[k].severity;
		csv_int(out, q, s, "incidents", r->by_severity[k].incidents);
		csv_int(out, q, s, "in_scope", r->by_severity[k].in_scope);
		csv_int(out, q, s, "out_of_scope", r->by_severity[k].out_of_scope);
		csv_int(out, q, s, "failed", r->by_severity[k].failed);
	}

	q = report_queries[Q_S1_TURNAROUND].name;
	csv_int(out, q, "", "artifacts", r->s1.artifacts);
	csv_int(out, q, "", "met", r->s1.met);
	csv_int(out, q, "", "missed", r->s1.missed);
	csv_int(out, q, "", "excepted", r->s1.excepted);
	csv_int(out, q, "", "pending", r->s1.pending);
	csv_share(out, q, "", "meeting_share", r->s1.meeting_share);

	q = report_queries[Q_TURNAROUND].name;
	for (size_t i = 0; i < r->n_turnaround; i++) {
		const struct report_stats *s = &r->turnaround[i];
		csv_int(out, q, s->severity, "deployed", s->n);
		csv_int(out, q, s->severity, "not_deployed", s->missing);
		csv_opt(out, q, s->severity, "median_seconds", s->median);
		csv_opt(out, q, s->severity, "p90_seconds", s->p90);
	}

	q = report_queries[Q_HISTOGRAM].name;
	for (int b = 0; b < REPORT_BUCKETS; b++) {
		char key[4];
		snprintf(key, sizeof(key), "%d", b);
		csv_int(out, q, key, "artifacts", r->histogram[b]);
	}

	q = report_queries[Q_DRAFTING].name;
	for (size_t i = 0; i < r->n_drafting; i++) {
		const struct report_stats *s = &r->drafting[i];
		csv_int(out, q, s->severity, "incidents", s->n);
		csv_opt(out, q, s->severity, "median_seconds", s->median);
		csv_opt(out, q, s->severity, "p90_seconds", s->p90);
	}

	q = report_queries[Q_RESPONSES].name;
	for (size_t i = 0; i < r->n_responses; i++) {
		const struct report_response *x = &r->responses[i];
		char *key = xasprintf("%s/%s", x->group, x->round);
		csv_int(out, q, key, "n", x->n);
		csv_int(out, q, key, "answered", x->answered);
		csv_opt(out, q, key, "median_seconds", x->median);
		csv_opt(out, q, key, "p90_seconds", x->p90);
		csv_share(out, q, key, "within_window_share", x->within_window_share);
		free(key);
	}

	q = report_queries[Q_BACKUPS_QUORUM].name;
	csv_int(out, q, "", "backups_engaged", r->backups_engaged);
	csv_int(out, q, "", "incidents_with_backups", r->incidents_with_backups);
	csv_int(out, q, "", "quorum_deployments", r->quorum_deployments);
	csv_int(out, q, "", "incidents_with_quorum", r->incidents_with_quorum);

	q = report_queries[Q_FAILURES].name;
	for (size_t i = 0; i < r->n_failures; i++) {
		csv_int(out, q, r->failures[i].rule, "findings", r->failures[i].findings);
		csv_int(out, q, r->failures[i].rule, "incidents", r->failures[i].incidents);
	}

	q = report_queries[Q_EXCEPTIONS].name;
	for (size_t i = 0; i < r->n_exceptions; i++) {
		const struct report_exception *x = &r->exceptions[i];
		char *key = xasprintf("%s/%s/%s", x->id, x->kind, x->rule);
		csv_int(out, q, key, "findings_excused", x->findings_excused);
		csv_int(out, q, key, "incidents", x->incidents);
		csv_int(out, q, key, "retroactive", x->retroactive);
		free(key);
	}
}

/* ---- Text escaping for JSON and HTML --------------------------------- */





/* ---- JSON ------------------------------------------------------------ */

static void js_opt(struct buf *out, struct report_int v)
{
	if (v.has)
		buf_printf(out, "%" PRId64, v.v);
	else
		buf_puts(out, "null");
}

static void js_share(struct buf *out, struct report_real v)
{
	if (v.has)
		share_num(out, v.v);
	else
		buf_puts(out, "null");
}

static void js_stats(struct buf *out, const struct report_stats *s, size_t n, const char *n_key,
		     const char *missing_key)
{
	buf_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "%s\n      {\"severity\": \"%s\", \"%s\": %" PRId64, i ? "," : "",
			   s[i].severity, n_key, s[i].n);
		if (missing_key)
			buf_printf(out, ", \"%s\": %" PRId64, missing_key, s[i].missing);
		buf_puts(out, ", \"median_seconds\": ");
		js_opt(out, s[i].median);
		buf_puts(out, ", \"p90_seconds\": ");
		js_opt(out, s[i].p90);
		buf_putc(out, '}');
	}
	buf_puts(out, n ? "\n    ]" : "]");
}

static void render_json(const struct report *r, struct buf *out)
{
	const struct report_period *p = &r->period;
	buf_puts(out, "{\n  \"period\": {\"from\": ");
	if (p->has_from)
		esc_json(out, p->from_day);
	else
		buf_puts(out, "null");
	buf_puts(out, ", \"to\": ");
	if (p->has_to)
		esc_json(out, p->to_day);
	else
		buf_puts(out, "null");
	buf_printf(out, ", \"from_epoch\": %" PRId64 ", \"to_epoch\": %" PRId64 ", "
		   "\"selected_by\": \"incidents.comms_started_at\"},\n", p->from, p->to);
	buf_puts(out, "  \"percentiles\": \"nearest-rank\",\n");
	buf_printf(out, "  \"totals\": {\"incidents\": %" PRId64 ", \"in_scope\": %" PRId64
		   ", \"out_of_scope\": %" PRId64 ", \"in_scope_failed\": %" PRId64
		   ", \"no_comms_started\": %" PRId64 "},\n", r->totals.incidents, r->totals.in_scope,
		   r->totals.out_of_scope, r->totals.in_scope_failed, r->totals.no_comms_started);
	buf_puts(out, "  \"by_severity\": [");
	for (int k = 0; k < 4; k++)
		buf_printf(out, "%s\n    {\"severity\": \"%s\", \"incidents\": %" PRId64 ", \"in_scope\": %"
			   PRId64 ", \"out_of_scope\": %" PRId64 ", \"failed\": %" PRId64 "}",
			   k ? "," : "", r->by_severity[k].severity, r->by_severity[k].incidents,
			   r->by_severity[k].in_scope, r->by_severity[k].out_of_scope,
			   r->by_severity[k].failed);
	buf_printf(out, "\n  ],\n  \"turnaround\": {\n    \"s1\": {\"artifacts\": %" PRId64 ", \"met\": %"
		   PRId64 ", \"missed\": %" PRId64 ", \"excepted\": %" PRId64 ", \"pending\": %" PRId64
		   ", \"meeting_share\": ", r->s1.artifacts, r->s1.met, r->s1.missed, r->s1.excepted,
		   r->s1.pending);
	js_share(out, r->s1.meeting_share);
	buf_puts(out, "},\n    \"by_severity\": ");
	js_stats(out, r->turnaround, r->n_turnaround, "deployed", "not_deployed");
	buf_puts(out, ",\n    \"s1_histogram\": [");
	for (int b = 0; b < REPORT_BUCKETS; b++) {
		buf_printf(out, "%s\n      {\"hours_from\": %d, \"hours_to\": ", b ? "," : "", b);
		if (b + 1 < REPORT_BUCKETS)
			buf_printf(out, "%d", b + 1);
		else
			buf_puts(out, "null");
		buf_printf(out, ", \"artifacts\": %" PRId64 "}", r->histogram[b]);
	}
	buf_puts(out, "\n    ]\n  },\n  \"drafting\": {\n    \"by_severity\": ");
	js_stats(out, r->drafting, r->n_drafting, "incidents", NULL);
	buf_puts(out, "\n  },\n  \"responses\": [");
	for (size_t i = 0; i < r->n_responses; i++) {
		const struct report_response *x = &r->responses[i];
		buf_printf(out, "%s\n    {\"group\": ", i ? "," : "");
		esc_json(out, x->group);
		buf_puts(out, ", \"round\": ");
		esc_json(out, x->round);
		buf_printf(out, ", \"n\": %" PRId64 ", \"answered\": %" PRId64 ", \"median_seconds\": ",
			   x->n, x->answered);
		js_opt(out, x->median);
		buf_puts(out, ", \"p90_seconds\": ");
		js_opt(out, x->p90);
		buf_puts(out, ", \"within_window_share\": ");
		js_share(out, x->within_window_share);
		buf_putc(out, '}');
	}
	buf_printf(out, "%s],\n  \"backups_engaged\": %" PRId64 ",\n  \"incidents_with_backups\": %" PRId64
		   ",\n  \"quorum_deployments\": %" PRId64 ",\n  \"incidents_with_quorum\": %" PRId64
		   ",\n  \"failures_by_rule\": {", r->n_responses ? "\n  " : "", r->backups_engaged,
		   r->incidents_with_backups, r->quorum_deployments, r->incidents_with_quorum);
	for (size_t i = 0; i < r->n_failures; i++) {
		buf_puts(out, i ? ",\n    " : "\n    ");
		esc_json(out, r->failures[i].rule);
		buf_printf(out, ": {\"findings\": %" PRId64 ", \"incidents\": %" PRId64 "}",
			   r->failures[i].findings, r->failures[i].incidents);
	}
	buf_printf(out, "%s},\n  \"exceptions_used\": [", r->n_failures ? "\n  " : "");
	for (size_t i = 0; i < r->n_exceptions; i++) {
		const struct report_exception *x = &r->exceptions[i];
		buf_printf(out, "%s\n    {\"exception\": ", i ? "," : "");
		esc_json(out, x->id);
		buf_puts(out, ", \"kind\": ");
		esc_json(out, x->kind);
		buf_puts(out, ", \"rule\": ");
		esc_json(out, x->rule);
		buf_printf(out, ", \"findings_excused\": %" PRId64 ", \"incidents\": %" PRId64
			   ", \"retroactive\": %" PRId64 "}", x->findings_excused, x->incidents,
			   x->retroactive);
	}
	buf_printf(out, "%s]\n}\n", r->n_exceptions ? "\n  " : "");
}

/* ---- HTML ------------------------------------------------------------ */

static const char *const page_css[] = {
	":root{--ink:#1b2230;--muted:#5a6372;--line:#d3d8e0;--soft:#f3f5f8;--bar:#3a6ea5;"
	"--over:#b3261e;--ref:#8f5500}\n",
	"*{box-sizing:border-box}\n",
	"html{font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\","
	"Arial,\"Liberation Sans\",sans-serif;color:var(--ink);background:#fff}\n",
	"body{max-width:1040px;margin:0 auto;padding:28px 32px 48px}\n",
	"h1{font-size:1.55rem;line-height:1.25;margin:.1rem 0 .35rem}\n",
	"h2{font-size:1.15rem;margin:2rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--ink)}\n",
	"h3{font-size:.98rem;margin:1.3rem 0 .45rem}\n",
	"p{margin:.35rem 0}\n",
	"code{font-family:ui-monospace,\"SFMono-Regular\",Menlo,Consolas,\"Liberation Mono\","
	"monospace;font-size:.86em}\n",
	".eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:.75rem;color:var(--muted);"
	"margin:0;font-weight:600}\n",
	".masthead{border:1px solid var(--line);border-top:6px solid var(--ink);padding:16px 20px 14px}\n",
	".sub{color:var(--muted);margin:0}\n",
	".stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:10px;"
	"margin:14px 0 0}\n",
	".stat{border:1px solid var(--line);padding:8px 12px;background:var(--soft)}\n",
	".stat b{display:block;font-size:1.35rem}\n",
	".stat span{font-size:.78rem;color:var(--muted)}\n",
	".note{border:1px solid var(--line);border-left:6px solid var(--muted);padding:8px 14px;margin:16px 0 0}\n",
	"table{width:100%;border-collapse:collapse;font-size:.86rem;margin:.4rem 0}\n",
	"th,td{text-align:left;vertical-align:top;padding:4px 6px;border-bottom:1px solid var(--line)}\n",
	"thead th{font-size:.74rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);"
	"border-bottom:2px solid var(--ink);white-space:nowrap}\n",
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n",
	"tr.all td{font-weight:700;border-top:2px solid var(--ink)}\n",
	"figure{margin:.8rem 0 0}\n",
	"svg.chart{display:block;width:100%;max-width:720px;height:auto;border:1px solid var(--line)}\n",
	"figcaption{font-size:.82rem;color:var(--muted);margin-top:.4rem}\n",
	"footer{margin-top:2.2rem;padding-top:.5rem;border-top:1px solid var(--line);font-size:.78rem;"
	"color:var(--muted)}\n",
	"footer li{margin:.2rem 0}\n",
	"@page{size:A4;margin:15mm}\n",
	"@media print{html{font-size:8.6pt}body{max-width:none;padding:0}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}h2,h3{break-after:avoid}"
	"tr,figure,.stat{break-inside:avoid}}\n",
	NULL,
};

/* The charts' style sheet, inside each <svg> so it stands alone. */
static const char svg_css[] =
	"<style>text{font:11px system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;fill:#1b2230}"
	".bar{fill:#3a6ea5}.over{fill:#b3261e}.axis{stroke:#1b2230;stroke-width:1}"
	".grid{stroke:#d3d8e0;stroke-width:1}.ref{stroke:#8f5500;stroke-width:2;stroke-dasharray:6 4}"
	".reft{fill:#8f5500;font-weight:700}.p90{stroke:#1b2230;stroke-width:3}"
	".muted{fill:#5a6372}</style>\n";

/* A coordinate with at most one decimal, whatever the locale. */
static void num(struct buf *out, double v)
{
	if (!(v > -1e6))
		v = -1e6;
	if (!(v < 1e6))
		v = 1e6;
	long long t = (long long)(v < 0 ? v * 10 - 0.5 : v * 10 + 0.5);
	if (t < 0) {
		buf_putc(out, '-');
		t = -t;
	}
	buf_printf(out, "%lld", t / 10);
	if (t % 10)
		buf_printf(out, ".%lld", t % 10);
}

/* Opens <text x y class anchor>; the caller writes the text and closes it. */
static void svg_text(struct buf *o, double x, double y, const char *cls, const char *anchor)
{
	buf_puts(o, "<text x=\"");
	num(o, x);
	buf_puts(o, "\" y=\"");
	num(o, y);
	buf_putc(o, '"');
	if (cls)
		buf_printf(o, " class=\"%s\"", cls);
	if (anchor)
		buf_printf(o, " text-anchor=\"%s\"", anchor);
	buf_putc(o, '>');
}

static void svg_line(struct buf *o, double x1, double y1, double x2, double y2, const char *cls)
{
	buf_puts(o, "<line x1=\"");
	num(o, x1);
	buf_puts(o, "\" y1=\"");
	num(o, y1);
	buf_puts(o, "\" x2=\"");
	num(o, x2);
	buf_puts(o, "\" y2=\"");
	num(o, y2);
	buf_printf(o, "\" class=\"%s\"/>", cls);
}

static void svg_rect(struct buf *o, double x, double y, double w, double h, const char *cls)
{
	buf_puts(o, "<rect x=\"");
	num(o, x);
	buf_puts(o, "\" y=\"");
	num(o, y);
	buf_puts(o, "\" width=\"");
	num(o, w);
	buf_puts(o, "\" height=\"");
	num(o, h);
	buf_printf(o, "\" class=\"%s\">", cls);
}

static void svg_open(struct buf *o, int w, int h, const char *label)
{
	buf_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" "
		   "role=\"img\" aria-label=\"", w, h);
	esc_html(o, label);
	buf_puts(o, "\">\n");
	buf_puts(o, svg_css);
}

/* The S1 turnaround histogram: hour buckets, the 6 h target as a line;
 * bars past the target are drawn in the warning colour and lie right of
 * the line, so the page reads in black and white too. */
static void svg_histogram(const struct report *r, struct buf *o)
{
	const double x0 = 48, x1 = 624, ybase = 196, ytop = 44, bw = (x1 - x0) / REPORT_BUCKETS;
	int64_t max = 1;
	for (int b = 0; b < REPORT_BUCKETS; b++)
		if (r->histogram[b] > max)
			max = r->histogram[b];
	svg_open(o, 640, 250, "S1 artifact turnaround, in hour buckets, with the 6 h S1 target");
	svg_line(o, x0, ybase, x1, ybase, "axis");
	buf_putc(o, '\n');
	for (int b = 0; b < REPORT_BUCKETS; b++) {
		double h = (double)r->histogram[b] / (double)max * (ybase - ytop);
		double cx = x0 + bw * b + bw / 2;
		if (r->histogram[b]) {
			svg_rect(o, x0 + bw * b + 8, ybase - h, bw - 16, h, b >= 6 ? "bar over" : "bar");
			buf_printf(o, "<title>%s: %" PRId64 " S1 %s</title></rect>", bucket_label[b],
				   r->histogram[b], plural(r->histogram[b], "artifact", "artifacts"));
		}
		svg_text(o, cx, ybase - h - 5, NULL, "middle");
		buf_printf(o, "%" PRId64 "</text>", r->histogram[b]);
		svg_text(o, cx, ybase + 16, "muted", "middle");
		buf_puts(o, b + 1 < REPORT_BUCKETS ? bucket_label[b] : "\xE2\x89\xA5" "8 h");
		buf_puts(o, "</text>\n");
	}
	double tx = x0 + bw * (S1_TARGET_SECONDS / 3600);
	svg_line(o, tx, 22, tx, ybase, "ref");
	svg_text(o, tx, 16, "reft", "middle");
	buf_puts(o, "S1 target 6 h</text>\n");
	svg_text(o, (x0 + x1) / 2, 238, "muted", "middle");
	buf_puts(o, "comms started (T0) to the artifact\xE2\x80\x99s first deployment</text>\n</svg>\n");
}

/* A step for the time axis: the first that gives at most 8 ticks. */
static int64_t time_step(int64_t max)
{
	static const int64_t steps[] = { 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400 };
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (max / steps[i] <= 8)
			return steps[i];
	return (max / 8 / 86400 + 1) * 86400;
}

#define CHART_ROWS_MAX 40

/* Median response time per group and round as bars, the 90th
 * percentile as a tick on each, the 30-minute window as a line. */
static void svg_responses(const struct report *r, struct buf *o)
{
	size_t rows = r->n_responses < CHART_ROWS_MAX ? r->n_responses : CHART_ROWS_MAX;
	const double x0 = 200, x1 = 620, top = 34, rh = 22;
	const double bottom = top + rh * (double)rows;
	int64_t max = RESPONSE_WINDOW_SECONDS;
	for (size_t i = 0; i < rows; i++) {
		const struct report_response *x = &r->responses[i];
		if (x->p90.has && x->p90.v > max)
			max = x->p90.v;
		if (x->median.has && x->median.v > max)
			max = x->median.v;
	}
	int64_t step = time_step(max);
	max = (max / step + (max % step != 0)) * step;
	int height = (int)bottom + 44;
	svg_open(o, 640, height, "Median and 90th-percentile response time per approver group and round, "
		 "with the 30-minute response window");
	for (int64_t t = 0; t <= max; t += step) {
		double x = x0 + (x1 - x0) * (double)t / (double)max;
		svg_line(o, x, top, x, bottom, "grid");
		svg_text(o, x, bottom + 15, "muted", "middle");
		char h[TS_BUFSZ];
		ts_format_human(t, h);
		buf_puts(o, t ? h : "0");
		buf_puts(o, "</text>");
	}
	buf_putc(o, '\n');
	svg_line(o, x0, top, x0, bottom, "axis");
	buf_putc(o, '\n');
	for (size_t i = 0; i < rows; i++) {
		const struct report_response *x = &r->responses[i];
		double y = top + rh * (double)i;
		buf_puts(o, "<g><title>");
		esc_html(o, x->group);
		buf_puts(o, ", ");
		esc_html(o, x->round);
		buf_puts(o, " round: median ");
		struct buf t = BUF_INIT;
		dur(&t, x->median, "none");
		buf_puts(&t, ", 90th percentile ");
		dur(&t, x->p90, "none");
		esc_html(o, buf_str(&t));
		buf_free(&t);
		buf_printf(o, ", %" PRId64 " of %" PRId64 " answered</title>", x->answered, x->n);
		svg_text(o, x0 - 8, y + rh / 2 + 4, NULL, "end");
		esc_html(o, x->group);
		buf_puts(o, " \xC2\xB7 ");
		esc_html(o, x->round);
		buf_puts(o, "</text>");
		if (x->median.has) {
			double w = (x1 - x0) * (double)x->median.v / (double)max;
			svg_rect(o, x0, y + 5, w, rh - 10, x->median.v > RESPONSE_WINDOW_SECONDS ? "bar over" : "bar");
			buf_puts(o, "</rect>");
		} else {
			svg_text(o, x0 + 6, y + rh / 2 + 4, "muted", NULL);
			buf_puts(o, "no answer</text>");
		}
		if (x->p90.has) {
			double px = x0 + (x1 - x0) * (double)x->p90.v / (double)max;
			svg_line(o, px, y + 2, px, y + rh - 2, "p90");
		}
		buf_puts(o, "</g>\n");
	}
	double wx = x0 + (x1 - x0) * (double)RESPONSE_WINDOW_SECONDS / (double)max;
	svg_line(o, wx, top - 14, wx, bottom, "ref");
	svg_text(o, wx + 5, top - 4, "reft", NULL);
	buf_puts(o, "30 min window</text>\n");
	svg_text(o, (x0 + x1) / 2, bottom + 36, "muted", "middle");
	buf_puts(o, "request to answer: bar = median, tick = 90th percentile</text>\n</svg>\n");
}

static void html_stat(struct buf *out, const char *value, const char *label)
{
	buf_puts(out, "<div class=\"stat\"><b>");
	esc_html(out, value);
	buf_puts(out, "</b><span>");
	esc_html(out, label);
	buf_puts(out, "</span></div>\n");
}

static void html_stat_int(struct buf *out, int64_t v, const char *label)
{
	char s[32];
	snprintf(s, sizeof(s), "%" PRId64, v);
	html_stat(out, s, label);
}

static void html_period(const struct report *r, struct buf *out)
{
	const struct report_period *p = &r->period;
	if (p->has_from && p->has_to)
		buf_printf(out, "%s to %s (UTC, both days included)", p->from_day, p->to_day);
	else if (p->has_from)
		buf_printf(out, "From %s (UTC) on", p->from_day);
	else if (p->has_to)
		buf_printf(out, "Up to %s (UTC, included)", p->to_day);
	else
		buf_puts(out, "All incidents in the ledger");
}

static void html_no_comms(const struct report *r, struct buf *out)
{
	int64_t n = r->totals.no_comms_started;
	if (n)
		buf_printf(out, "<p class=\"note\">No communications started: %" PRId64 " %s detected in "
			   "the period %s no T0; %s counted here only, in no other figure.</p>\n", n,
			   plural(n, "incident", "incidents"), plural(n, "has", "have"),
			   plural(n, "it is", "they are"));
	else
		buf_puts(out, "<p class=\"note\">No communications started: no incident detected in the "
			 "period lacks a T0.</p>\n");
}

static void html_stats_table(struct buf *out, const struct report_stats *s, size_t n,
			     const char *n_label, const char *missing_label)
{
	if (n == 0) {
		buf_puts(out, "<p>No data.</p>\n");
		return;
	}
	buf_printf(out, "<table>\n<thead><tr><th>Severity</th><th class=\"n\">%s</th>", n_label);
	if (missing_label)
		buf_printf(out, "<th class=\"n\">%s</th>", missing_label);
	buf_puts(out, "<th class=\"n\">Median</th><th class=\"n\">90th percentile</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "<tr><td>%s</td><td class=\"n\">%" PRId64 "</td>", s[i].severity, s[i].n);
		if (missing_label)
			buf_printf(out, "<td class=\"n\">%" PRId64 "</td>", s[i].missing);
		buf_puts(out, "<td class=\"n\">");
		dur(out, s[i].median, "&#8211;");
		buf_puts(out, "</td><td class=\"n\">");
		dur(out, s[i].p90, "&#8211;");
		buf_puts(out, "</td></tr>\n");
	}
	buf_puts(out, "</tbody>\n</table>\n");
}

static void render_html(const struct report *r, struct buf *out)
{
	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		 "style-src 'unsafe-inline'; img-src data:\">\n"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		 "<meta name=\"generator\" content=\"sircomm\">\n"
		 "<title>Communications compliance report: ");
	html_period(r, out);
	buf_puts(out, "</title>\n<style>\n");
	for (size_t i = 0; page_css[i]; i++)
		buf_puts(out, page_css[i]);
	buf_puts(out, "</style>\n</head>\n<body>\n<header class=\"masthead\">\n"
		 "<p class=\"eyebrow\">Communications compliance report</p>\n<h1>");
	html_period(r, out);
	buf_printf(out, "</h1>\n<p class=\"sub\">Incidents whose communications started (T0) in the period. "
		   "Query parameters <code>:from</code> = %" PRId64 ", <code>:to</code> = %" PRId64 ".</p>\n",
		   r->period.from, r->period.to);
	if (r->totals.incidents == 0) {
		buf_puts(out, "</header>\n<p class=\"note\"><b>No incidents:</b> no incident's communications "
			 "started in this period.</p>\n");
		html_no_comms(r, out);
		buf_puts(out, "</body>\n</html>\n");
		return;
	}
	buf_puts(out, "<div class=\"stats\">\n");
	html_stat_int(out, r->totals.incidents, "incidents");
	html_stat_int(out, r->totals.in_scope, "in scope");
	html_stat_int(out, r->totals.out_of_scope, "out of scope");
	html_stat_int(out, r->totals.in_scope_failed, "in scope with a failed finding");
	struct buf t = BUF_INIT;
	share_pct(&t, r->s1.meeting_share, "n/a");
	html_stat(out, buf_str(&t), "S1 artifacts meeting the turnaround");
	buf_free(&t);
	buf_puts(out, "</div>\n</header>\n");

	buf_puts(out, "<h2>Incidents</h2>\n<table>\n<thead><tr><th>Severity</th><th class=\"n\">Incidents</th>"
		 "<th class=\"n\">In scope</th><th class=\"n\">Out of scope</th>"
		 "<th class=\"n\">In scope, failed</th></tr></thead>\n<tbody>\n");
	for (int k = 0; k < 4; k++)
		buf_printf(out, "<tr><td>%s</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64
			   "</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64 "</td></tr>\n",
			   r->by_severity[k].severity, r->by_severity[k].incidents, r->by_severity[k].in_scope,
			   r->by_severity[k].out_of_scope, r->by_severity[k].failed);
	buf_printf(out, "<tr class=\"all\"><td>All</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%"
		   PRId64 "</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64 "</td></tr>\n"
		   "</tbody>\n</table>\n", r->totals.incidents, r->totals.in_scope, r->totals.out_of_scope,
		   r->totals.in_scope_failed);
	html_no_comms(r, out);
	buf_printf(out, "<p>The figures below count the %" PRId64 " in-scope %s only", r->totals.in_scope,
		   plural(r->totals.in_scope, "incident", "incidents"));
	if (r->totals.out_of_scope)
		buf_printf(out, "; the %" PRId64 " out of the plan's scope %s counted above only",
			   r->totals.out_of_scope, plural(r->totals.out_of_scope, "is", "are"));
	buf_puts(out, ".</p>\n");

	buf_puts(out, "<h2>S1 turnaround</h2>\n");
	if (r->s1.artifacts == 0) {
		buf_puts(out, "<p>No S1 artifact had a turnaround to meet.</p>\n");
	} else {
		buf_puts(out, "<p><b>");
		share_pct(out, r->s1.meeting_share, "No share yet");
		buf_printf(out, "</b> of the decided S1 artifacts met the turnaround: %" PRId64 " met, %" PRId64
			   " missed, %" PRId64 " excepted; %" PRId64 " pending.</p>\n<p>Met: the TURNAROUND "
			   "finding passed.  The share is met / (met + missed + excepted): an excepted artifact "
			   "did not meet the turnaround; pending ones (not decided yet) are left out.</p>\n",
			   r->s1.met, r->s1.missed, r->s1.excepted, r->s1.pending);
	}
	buf_puts(out, "<figure>\n");
	svg_histogram(r, out);
	buf_puts(out, "<figcaption>S1 artifacts by turnaround, in hour buckets (0&#8211;1 h: from 0 up to, "
		 "not including, 1 h); the dashed line is the S1 target of the built-in policy, 6 h.</figcaption>\n"
		 "</figure>\n<h3>Turnaround by severity</h3>\n<p>Comms started (T0) to the artifact's first "
		 "deployment, one value per artifact deployed.</p>\n");
	html_stats_table(out, r->turnaround, r->n_turnaround, "Deployed", "Not deployed");

	buf_puts(out, "<h2>Drafting time</h2>\n<p>Comms started (T0) to the first draft, one value per "
		 "incident.</p>\n");
	html_stats_table(out, r->drafting, r->n_drafting, "Incidents", NULL);

	buf_puts(out, "<h2>Approver response times</h2>\n<p>Request to answer, one request per group, artifact "
		 "and round.  Median and 90th percentile over the answered requests; the share within the "
		 "policy's response window counts unanswered requests as outside it.</p>\n");
	if (r->n_responses == 0) {
		buf_puts(out, "<p>No approval requests.</p>\n");
	} else {
		buf_puts(out, "<figure>\n");
		svg_responses(r, out);
		buf_puts(out, "<figcaption>Bars: median response time; ticks: 90th percentile; the dashed line "
			 "is the 30-minute response window of the built-in policy.");
		if (r->n_responses > CHART_ROWS_MAX)
			buf_printf(out, "  The first %d rows of %zu are drawn; the table has them all.",
				   CHART_ROWS_MAX, r->n_responses);
		buf_puts(out, "</figcaption>\n</figure>\n<table>\n<thead><tr><th>Group</th><th>Round</th>"
			 "<th class=\"n\">Requests</th><th class=\"n\">Answered</th><th class=\"n\">Median</th>"
			 "<th class=\"n\">90th percentile</th><th class=\"n\">Within window</th></tr></thead>\n"
			 "<tbody>\n");
		for (size_t i = 0; i < r->n_responses; i++) {
			const struct report_response *x = &r->responses[i];
			buf_puts(out, "<tr><td>");
			esc_html(out, x->group);
			buf_puts(out, "</td><td>");
			esc_html(out, x->round);
			buf_printf(out, "</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64
				   "</td><td class=\"n\">", x->n, x->answered);
			dur(out, x->median, "&#8211;");
			buf_puts(out, "</td><td class=\"n\">");
			dur(out, x->p90, "&#8211;");
			buf_puts(out, "</td><td class=\"n\">");
			share_pct(out, x->within_window_share, "&#8211;");
			buf_puts(out, "</td></tr>\n");
		}
		buf_puts(out, "</tbody>\n</table>\n");
	}

	buf_printf(out, "<h2>Back-ups and the cutoff quorum</h2>\n<table>\n<thead><tr><th></th>"
		   "<th class=\"n\">Count</th><th class=\"n\">Incidents</th></tr></thead>\n<tbody>\n"
		   "<tr><td>Back-ups engaged</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64
		   "</td></tr>\n<tr><td>Deployments under the quorum fallback</td><td class=\"n\">%" PRId64
		   "</td><td class=\"n\">%" PRId64 "</td></tr>\n</tbody>\n</table>\n",
		   r->backups_engaged, r->incidents_with_backups, r->quorum_deployments,
		   r->incidents_with_quorum);

	buf_puts(out, "<h2>Failures by rule</h2>\n");
	if (r->n_failures == 0) {
		buf_puts(out, "<p>No finding failed.</p>\n");
	} else {
		buf_puts(out, "<table>\n<thead><tr><th>Rule</th><th class=\"n\">Failed findings</th>"
			 "<th class=\"n\">Incidents</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < r->n_failures; i++) {
			buf_puts(out, "<tr><td>");
			esc_html(out, r->failures[i].rule);
			buf_printf(out, "</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64
				   "</td></tr>\n", r->failures[i].findings, r->failures[i].incidents);
		}
		buf_puts(out, "</tbody>\n</table>\n");
	}

	buf_puts(out, "<h2>Exceptions used</h2>\n");
	if (r->n_exceptions == 0) {
		buf_puts(out, "<p>No exception excused a finding.</p>\n");
	} else {
		buf_puts(out, "<table>\n<thead><tr><th>Exception</th><th>Kind</th><th>Rule</th>"
			 "<th class=\"n\">Findings excused</th><th class=\"n\">Incidents</th>"
			 "<th class=\"n\">Retroactive</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < r->n_exceptions; i++) {
			const struct report_exception *x = &r->exceptions[i];
			buf_puts(out, "<tr><td>");
			esc_html(out, x->id);
			buf_puts(out, "</td><td>");
			esc_html(out, x->kind);
			buf_puts(out, "</td><td>");
			esc_html(out, x->rule);
			buf_printf(out, "</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64
				   "</td><td class=\"n\">%" PRId64 "</td></tr>\n", x->findings_excused,
				   x->incidents, x->retroactive);
		}
		buf_puts(out, "</tbody>\n</table>\n");
	}

	buf_puts(out, "<footer>\n<ul>\n<li>Medians and 90th percentiles are nearest-rank: of n values sorted "
		 "ascending, the ceil(n/2)-th and the ceil(9n/10)-th.  Durations are rounded down to the "
		 "minute (to the hour past a day); the csv and json formats give seconds.</li>\n"
		 "<li>Each figure is one SQL query over the ledger, printed in docs/ledger.md (&#8220;Reproducing "
		 "the report&#8221;) with the parameters above.</li>\n</ul>\n</footer>\n</body>\n</html>\n");
}

void report_render(const struct report *r, enum report_format f, struct buf *out)
{
	switch (f) {
	case REPORT_FORMAT_MD: render_md(r, out); break;
	case REPORT_FORMAT_HTML: render_html(r, out); break;
	case REPORT_FORMAT_CSV: render_csv(r, out); break;
	case REPORT_FORMAT_JSON: render_json(r, out); break;
	}
}
