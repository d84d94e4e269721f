/* report.c - the compliance report's model: the period, and the figures
 * filled from one SQL aggregate each over the ledger (report_queries[]).
 * The renderers are report_md.c, report_html.c, report_csv.c and
 * report_json.c. */
#include "ledger/report.h"
#include "ledger_int.h"
#include "report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ts.h"

/* ---- Periods ---------------------------------------------------------- */

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

/* Each but the last two reads the rollups of the period (see rollup.c
 * and docs/ledger.md): its whole calendar months from the month rows,
 * the days before and after them from the day rows, three ranges of a
 * primary key listed by SPANS.  The period is whole UTC days, so they
 * hold exactly the incidents whose comms_started_at is in [:from, :to).
 * The rollups hold counts per distinct value, and the percentiles are
 * taken over the counts summed across the spans.  (:to is at most
 * 10000-01-01, a day past SQLite's dates: the months end with 9999-12.) */
#define SPANS \
	"WITH p(from_day, to_day, months_from, months_to) AS (\n" \
	"  SELECT :from / 86400, :to / 86400,\n" \
	"         unixepoch(:from - 86400, 'unixepoch', 'start of month', '+1 month') / 86400,\n" \
	"         unixepoch(min(:to, 253402214400), 'unixepoch', 'start of month') / 86400\n" \
	"),\n" \
	"spans(span, lo, hi) AS (\n" \
	"  SELECT 'day', from_day, min(months_from, to_day) FROM p\n" \
	"  UNION ALL SELECT 'month', months_from, months_to FROM p\n" \
	"  UNION ALL SELECT 'day', max(months_to, min(months_from, to_day)), to_day FROM p\n" \
	")"

/* The rows of a rollup table in the spans, as x; the lines after the
 * first indented by `ind`. */
#define IN_SPANS(ind, table) \
	"FROM spans s\n" \
	ind "CROSS JOIN " table " x ON x.span = s.span AND x.day >= s.lo AND x.day < s.hi"

static const char sql_totals[] =
	SPANS "\n"
	"SELECT coalesce(sum(x.incidents), 0) AS incidents,\n"
	"       coalesce(sum(x.incidents * (x.in_scope = 1)), 0) AS in_scope,\n"
	"       coalesce(sum(x.incidents * (x.in_scope = 0)), 0) AS out_of_scope,\n"
	"       coalesce(sum(x.incidents * (x.in_scope = 1 AND x.result = 'fail')), 0) AS in_scope_failed,\n"
	"       (SELECT coalesce(sum(x.incidents), 0)\n"
	"        " IN_SPANS("        ", "rollup_no_comms") ") AS no_comms_started\n"
	IN_SPANS("", "rollup_incidents");

static const char sql_by_severity[] =
	SPANS ",\n"
	"severities(severity) AS (VALUES ('S1'), ('S2'), ('S3'), ('S4')),\n"
	"counts AS (\n"
	"  SELECT x.severity,\n"
	"         sum(x.incidents) AS incidents,\n"
	"         sum(x.incidents * (x.in_scope = 1)) AS in_scope,\n"
	"         sum(x.incidents * (x.in_scope = 0)) AS out_of_scope,\n"
	"         sum(x.incidents * (x.in_scope = 1 AND x.result = 'fail')) AS failed\n"
	"  " IN_SPANS("  ", "rollup_incidents") "\n"
	"  GROUP BY x.severity\n"
	")\n"
	"SELECT v.severity,\n"
	"       coalesce(c.incidents, 0) AS incidents,\n"
	"       coalesce(c.in_scope, 0) AS in_scope,\n"
	"       coalesce(c.out_of_scope, 0) AS out_of_scope,\n"
	"       coalesce(c.failed, 0) AS failed\n"
	"FROM severities v\n"
	"LEFT JOIN counts c ON c.severity = v.severity\n"
	"ORDER BY v.severity";

static const char sql_s1_turnaround[] =
	SPANS "\n"
	"SELECT coalesce(sum(x.turnaround_met + x.turnaround_missed + x.turnaround_excepted\n"
	"                    + x.turnaround_pending), 0) AS artifacts,\n"
	"       coalesce(sum(x.turnaround_met), 0) AS met,\n"
	"       coalesce(sum(x.turnaround_missed), 0) AS missed,\n"
	"       coalesce(sum(x.turnaround_excepted), 0) AS excepted,\n"
	"       coalesce(sum(x.turnaround_pending), 0) AS pending,\n"
	"       round(1.0 * sum(x.turnaround_met)\n"
	"             / nullif(sum(x.turnaround_met + x.turnaround_missed + x.turnaround_excepted), 0), 4)\n"
	"         AS meeting_share\n"
	IN_SPANS("", "rollup_incidents") "\n"
	"WHERE x.severity = 'S1' AND x.in_scope = 1";

static const char sql_turnaround[] =
	SPANS ",\n"
	"v AS (\n"
	"  SELECT x.severity, CASE WHEN x.deployed = 1 THEN x.seconds END AS seconds,\n"
	"         sum(x.artifacts) AS c\n"
	"  " IN_SPANS("  ", "rollup_turnaround") "\n"
	"  GROUP BY x.severity, x.deployed, x.seconds\n"
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
	SPANS ",\n"
	"buckets(hours_from) AS (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8)),\n"
	"t AS (\n"
	"  SELECT max(0, min(8, x.seconds / 3600)) AS hours_from, sum(x.artifacts) AS artifacts\n"
	"  " IN_SPANS("  ", "rollup_turnaround") "\n"
	"  WHERE x.severity = 'S1' AND x.deployed = 1\n"
	"  GROUP BY 1\n"
	")\n"
	"SELECT b.hours_from, coalesce(t.artifacts, 0) AS artifacts\n"
	"FROM buckets b\n"
	"LEFT JOIN t ON t.hours_from = b.hours_from\n"
	"ORDER BY b.hours_from";

static const char sql_drafting[] =
	SPANS ",\n"
	"v AS (\n"
	"  SELECT x.severity, x.seconds, sum(x.incidents) AS c\n"
	"  " IN_SPANS("  ", "rollup_first_draft") "\n"
	"  GROUP BY x.severity, x.seconds\n"
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
	SPANS ",\n"
	"v AS (\n"
	"  SELECT x.grp, x.round, CASE WHEN x.answered = 1 THEN x.seconds END AS seconds,\n"
	"         sum(x.requests) AS c, sum(x.in_window) AS in_window\n"
	"  " IN_SPANS("  ", "rollup_responses") "\n"
	"  GROUP BY x.grp, x.round, x.answered, x.seconds\n"
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
	SPANS "\n"
	"SELECT coalesce(sum(x.backups_engaged), 0) AS backups_engaged,\n"
	"       coalesce(sum(x.with_backups), 0) AS incidents_with_backups,\n"
	"       coalesce(sum(x.quorum_deployments), 0) AS quorum_deployments,\n"
	"       coalesce(sum(x.with_quorum), 0) AS incidents_with_quorum\n"
	IN_SPANS("", "rollup_incidents") "\n"
	"WHERE x.in_scope = 1";

static const char sql_failures[] =
	SPANS "\n"
	"SELECT x.rule,\n"
	"       sum(x.findings) AS findings,\n"
	"       sum(x.incidents) AS incidents\n"
	IN_SPANS("", "rollup_failures") "\n"
	"GROUP BY x.rule\n"
	"ORDER BY x.rule";

static const char sql_exceptions[] =
	SPANS "\n"
	"SELECT x.exception, x.kind, x.rule,\n"
	"       sum(x.findings) AS findings_excused,\n"
	"       sum(x.incidents) AS incidents,\n"
	"       sum(x.retroactive) AS retroactive\n"
	IN_SPANS("", "rollup_exceptions") "\n"
	"GROUP BY x.exception, x.kind, x.rule\n"
	"ORDER BY x.exception, x.kind, x.rule";

/* The regulators' clocks are not the plan's: their findings are counted
 * by the deadline falling in the period, whatever the plan's scope and
 * whether communications started. */
static const char sql_notifications[] =
	"SELECT substr(s.name, 1, instr(s.name, '/') - 1) AS regime,\n"
	"       substr(s.name, instr(s.name, '/') + 1) AS stage,\n"
	"       coalesce(sum(f.status = 0), 0) AS on_time,\n"
	"       coalesce(sum(f.status = 1 AND f.met IS NOT NULL), 0) AS late,\n"
	"       coalesce(sum(f.status = 1 AND f.met IS NULL), 0) AS overdue,\n"
	"       coalesce(sum(f.status = 2), 0) AS excepted,\n"
	"       coalesce(sum(f.status = 4), 0) AS pending,\n"
	"       round(1.0 * sum(f.status = 0)\n"
	"             / nullif(sum(f.status <= 2), 0), 4) AS on_time_share,\n"
	"       max(f.met - f.due) AS worst_margin_seconds\n"
	"FROM finding_rows f\n"
	"JOIN names s ON s.code = f.subject\n"
	"WHERE f.rule = 1 AND f.due >= :from AND f.due < :to\n"
	"GROUP BY s.name\n"
	"ORDER BY s.name";

static const char sql_late_notifications[] =
	"SELECT i.id AS incident, s.name AS subject,\n"
	"       coalesce(CASE WHEN f.status = 2 THEN 'excepted by ' || f.exception_id || ': ' ||\n"
	"                  coalesce((SELECT x.justification FROM exceptions x\n"
	"                             WHERE x.incident_id = i.id AND x.id = f.exception_id),\n"
	"                           (SELECT x.justification FROM exceptions x\n"
	"                             WHERE x.incident_id IS NULL AND x.id = f.exception_id), '') END,\n"
	"                (SELECT n.text FROM notifications n\n"
	"                  WHERE n.incident_id = i.id AND n.at = f.met\n"
	"                    AND n.regime || '/' || n.stage = s.name\n"
	"                  ORDER BY n.seq LIMIT 1),\n"
	"                'none recorded') AS reason,\n"
	"       f.met - f.due AS late_seconds\n"
	"FROM finding_rows f\n"
	"JOIN incidents i ON i.key = f.incident\n"
	"JOIN names s ON s.code = f.subject\n"
	"WHERE f.rule = 1 AND (f.status = 1 OR f.status = 2) AND f.met > f.due\n"
	"  AND f.due >= :from AND f.due < :to\n"
	"ORDER BY late_seconds DESC, i.id, s.name";

const struct report_query report_queries[REPORT_Q_COUNT + 1] = {
	[REPORT_Q_TOTALS] = { "totals", "Incidents in the period, in and out of scope", "", sql_totals },
	[REPORT_Q_BY_SEVERITY] = { "by_severity", "Incidents by severity", "severity", sql_by_severity },
	[REPORT_Q_S1_TURNAROUND] = { "s1_turnaround", "S1 artifacts meeting the turnaround", "",
			      sql_s1_turnaround },
	[REPORT_Q_TURNAROUND] = { "turnaround", "Turnaround (T0 to deployment) by severity", "severity",
			   sql_turnaround },
	[REPORT_Q_HISTOGRAM] = { "turnaround_histogram", "S1 turnaround in hour buckets", "hours_from",
			  sql_histogram },
	[REPORT_Q_DRAFTING] = { "drafting", "Drafting time (T0 to the first draft) by severity", "severity",
			 sql_drafting },
	[REPORT_Q_RESPONSES] = { "responses", "Response time per approver group and round", "grp,round",
			  sql_responses },
	[REPORT_Q_BACKUPS_QUORUM] = { "backups_quorum", "Back-ups engaged and deployments under the quorum "
			       "fallback", "", sql_backups_quorum },
	[REPORT_Q_FAILURES] = { "failures_by_rule", "Failed findings by rule", "rule", sql_failures },
	[REPORT_Q_EXCEPTIONS] = { "exceptions_used", "Exceptions used", "exception,kind,rule",
			   sql_exceptions },
	[REPORT_Q_NOTIFICATIONS] = { "notifications", "Regulators' notifications on time, per regime "
			       "and stage", "regime,stage", sql_notifications },
	[REPORT_Q_LATE_NOTIFICATIONS] = { "late_notifications", "Notifications after their deadline, "
				    "slowest first", "incident,subject,reason", sql_late_notifications },
	[REPORT_Q_COUNT] = { NULL, NULL, NULL, NULL },
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

static void row_notifications(struct report *r, sqlite3_stmt *st)
{
	struct report_notify *x = &r->notify[GROW(r->notify, r->n_notify)];
	x->regime = col_str(st, 0);
	x->stage = col_str(st, 1);
	x->on_time = col_int(st, 2);
	x->late = col_int(st, 3);
	x->overdue = col_int(st, 4);
	x->excepted = col_int(st, 5);
	x->pending = col_int(st, 6);
	x->on_time_share = col_real(st, 7);
	x->worst_margin = col_opt(st, 8);
}

static void row_late_notifications(struct report *r, sqlite3_stmt *st)
{
	struct report_late *x = &r->late[GROW(r->late, r->n_late)];
	x->incident = col_str(st, 0);
	x->subject = col_str(st, 1);
	x->reason = col_str(st, 2);
	x->late_seconds = col_int(st, 3);
}

static const row_fn row_fns[REPORT_Q_COUNT] = {
	row_totals, row_by_severity, row_s1_turnaround, row_turnaround, row_histogram,
	row_drafting, row_responses, row_backups_quorum, row_failures, row_exceptions,
	row_notifications, row_late_notifications,
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
	for (int q = 0; q < REPORT_Q_COUNT; q++) {
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
	for (size_t i = 0; i < r->n_notify; i++) {
		free(r->notify[i].regime);
		free(r->notify[i].stage);
	}
	free(r->notify);
	for (size_t i = 0; i < r->n_late; i++) {
		free(r->late[i].incident);
		free(r->late[i].subject);
		free(r->late[i].reason);
	}
	free(r->late);
	free(r);
}
