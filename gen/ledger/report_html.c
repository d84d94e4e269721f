/* report_html.c - the compliance report as one HTML page that stands
 * alone (no script, no outside resource), with two SVG charts.  The page
 * around it (the head, the style sheet) is the template
 * report-page.html, which an organisation may replace with --templates
 * DIR (format/html.h). */
#include "ledger/report.h"
#include "report_int.h"

#include <inttypes.h>
#include <stdio.h>

#include "base/esc.h"
#include "base/ts.h"
#include "format/html.h"
#include "format/svg.h"
#include "format/tval.h"

/* The charts' style sheet, inside each <svg> so it stands alone. */
static const char chart_css[] =
	"<style>text{font:11px system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;fill:#1b2230}"
	".bar{fill:#3a6ea5}.over{fill:#b3261e}.axis{stroke:#1b2230;stroke-width:1}"
	".grid{stroke:#d3d8e0;stroke-width:1}.ref{stroke:#8f5500;stroke-width:2;stroke-dasharray:6 4}"
	".reft{fill:#8f5500;font-weight:700}.p90{stroke:#1b2230;stroke-width:3}"
	".muted{fill:#5a6372}</style>\n";

/* The charts' shapes, each with its class last (svg.h writes them). */
static void chart_line(struct buf *o, double x1, double y1, double x2, double y2, const char *cls)
{
	svg_el(o, "line", "x1 y1 x2 y2 class", cls, (const double[]){ x1, y1, x2, y2 }, "/>");
}

/* Opens a bar; the caller adds its <title>, if any, and "</rect>". */
static void chart_bar(struct buf *o, double x, double y, double w, double h, const char *cls)
{
	svg_el(o, "rect", "x y width height class", cls, (const double[]){ x, y, w, h }, ">");
}

static void chart_open(struct buf *o, int w, int h, const char *label)
{
	buf_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 %d %d\" "
		   "role=\"img\" aria-label=\"", w, h);
	esc_html(o, label);
	buf_puts(o, "\">\n");
	buf_puts(o, chart_css);
}

/* The S1 turnaround histogram: hour buckets, the 6 h target as a line;
 * bars past the target are drawn in the warning colour and lie right of
 * the line, so the page reads in black and white too. */
static void chart_histogram(const struct report *r, struct buf *o)
{
	const double x0 = 48, x1 = 624, ybase = 196, ytop = 44, bw = (x1 - x0) / REPORT_BUCKETS;
	int64_t max = 1;
	for (int b = 0; b < REPORT_BUCKETS; b++)
		if (r->histogram[b] > max)
			max = r->histogram[b];
	chart_open(o, 640, 250, "S1 artifact turnaround, in hour buckets, with the 6 h S1 target");
	chart_line(o, x0, ybase, x1, ybase, "axis");
	buf_putc(o, '\n');
	for (int b = 0; b < REPORT_BUCKETS; b++) {
		double h = (double)r->histogram[b] / (double)max * (ybase - ytop);
		double cx = x0 + bw * b + bw / 2;
		if (r->histogram[b]) {
			chart_bar(o, x0 + bw * b + 8, ybase - h, bw - 16, h, b >= 6 ? "bar over" : "bar");
			buf_printf(o, "<title>%s: %" PRId64 " S1 %s</title></rect>", report_bucket_label[b],
				   r->histogram[b], report_plural(r->histogram[b], "artifact", "artifacts"));
		}
		svg_text(o, cx, ybase - h - 5, NULL, "middle");
		buf_printf(o, "%" PRId64 "</text>", r->histogram[b]);
		svg_text(o, cx, ybase + 16, "muted", "middle");
		buf_puts(o, b + 1 < REPORT_BUCKETS ? report_bucket_label[b] : "\xE2\x89\xA5" "8 h");
		buf_puts(o, "</text>\n");
	}
	double tx = x0 + bw * (REPORT_S1_TARGET_SECONDS / 3600);
	chart_line(o, tx, 22, tx, ybase, "ref");
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
static void chart_responses(const struct report *r, struct buf *o)
{
	size_t rows = r->n_responses < CHART_ROWS_MAX ? r->n_responses : CHART_ROWS_MAX;
	const double x0 = 200, x1 = 620, top = 34, rh = 22;
	const double bottom = top + rh * (double)rows;
	int64_t max = REPORT_RESPONSE_WINDOW_SECONDS;
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
	chart_open(o, 640, height, "Median and 90th-percentile response time per approver group and round, "
		 "with the 30-minute response window");
	for (int64_t t = 0; t <= max; t += step) {
		double x = x0 + (x1 - x0) * (double)t / (double)max;
		chart_line(o, x, top, x, bottom, "grid");
		svg_text(o, x, bottom + 15, "muted", "middle");
		char h[TS_BUFSZ];
		ts_format_human(t, h);
		buf_puts(o, t ? h : "0");
		buf_puts(o, "</text>");
	}
	buf_putc(o, '\n');
	chart_line(o, x0, top, x0, bottom, "axis");
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
		report_dur(&t, x->median, "none");
		buf_puts(&t, ", 90th percentile ");
		report_dur(&t, x->p90, "none");
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
			chart_bar(o, x0, y + 5, w, rh - 10, x->median.v > REPORT_RESPONSE_WINDOW_SECONDS ? "bar over" : "bar");
			buf_puts(o, "</rect>");
		} else {
			svg_text(o, x0 + 6, y + rh / 2 + 4, "muted", NULL);
			buf_puts(o, "no answer</text>");
		}
		if (x->p90.has) {
			double px = x0 + (x1 - x0) * (double)x->p90.v / (double)max;
			chart_line(o, px, y + 2, px, y + rh - 2, "p90");
		}
		buf_puts(o, "</g>\n");
	}
	double wx = x0 + (x1 - x0) * (double)REPORT_RESPONSE_WINDOW_SECONDS / (double)max;
	chart_line(o, wx, top - 14, wx, bottom, "ref");
	svg_text(o, wx + 5, top - 4, "reft", NULL);
	buf_puts(o, "30 min window</text>\n");
	svg_text(o, (x0 + x1) / 2, bottom + 36, "muted", "middle");
	buf_puts(o, "request to answer: bar = median, tick = 90th percentile</text>\n</svg>\n");
}

static void put_stat_int(struct buf *out, int64_t v, const char *label)
{
	char s[32];
	snprintf(s, sizeof(s), "%" PRId64, v);
	html_stat(out, s, label);
}

static void put_no_comms(const struct report *r, struct buf *out)
{
	buf_puts(out, "<p class=\"note\">");
	report_say_no_comms(r, out);
	buf_puts(out, "</p>\n");
}

static void put_text(struct buf *out, const char *s)
{
	esc_html(out, s);
}


/* "<tr><td>legal</td><td>review</td><td class="n">16</td>...</tr>" */
static const struct report_table_style table_style = {
	.row_open = "<tr>", .key_open = "<td>", .key_close = "</td>", .fig_open = "<td class=\"n\">",
	.fig_close = "</td>", .row_close = "</tr>\n", .text = put_text, .null = "&#8211;",
	.none_open = "<p>", .none_close = "</p>\n", .table_close = HTML_TABLE_END,
};

/* The regulators' notifications: counted by their deadline, so shown
 * even when no incident's communications started in the period. */
static void put_notifications(const struct report *r, struct buf *out)
{
	buf_puts(out, "<h2>Regulators&#8217; notifications</h2>\n<p>Every stage of a regime the "
		 "incidents&#8217; records state whose deadline falls in the period, in and out of the "
		 "plan&#8217;s scope.  On time: notified by the deadline; late: notified after it (or not "
		 "provably in time); overdue: not notified by the audit.  Worst margin: the largest "
		 "notification time minus deadline.  Not legal advice.</p>\n");
	report_table(r, REPORT_Q_NOTIFICATIONS, &table_style,
		     HTML_TABLE("<th>Regime</th><th>Stage</th><th class=\"n\">On time</th><th class=\"n\">Late</th>"
			   "<th class=\"n\">Overdue</th><th class=\"n\">Excepted</th><th class=\"n\">Pending</th>"
			   "<th class=\"n\">On-time share</th><th class=\"n\">Worst margin</th>"),
		     "No regulator&#8217;s deadline fell in the period.", out);
	buf_puts(out, "<h3>Late notifications</h3>\n");
	report_table(r, REPORT_Q_LATE_NOTIFICATIONS, &table_style,
		     HTML_TABLE("<th>Incident</th><th>Regime/stage</th><th>Reason</th><th class=\"n\">Late by</th>"),
		     "No notification was late.", out);
}

/* The report inside the page: the masthead with the key figures, each
 * section, the footer. */
static void render_body(const struct report *r, struct buf *out)
{
	buf_puts(out, "<header class=\"masthead\">\n<p class=\"eyebrow\">Communications compliance report</p>\n<h1>");
	report_say_period(r, true, out);
	buf_printf(out, "</h1>\n<p class=\"sub\">Incidents whose communications started (T0) in the period. "
		   "Query parameters <code>:from</code> = %" PRId64 ", <code>:to</code> = %" PRId64 ".</p>\n",
		   r->period.from, r->period.to);
	if (r->totals.incidents == 0) {
		buf_puts(out, "</header>\n<p class=\"note\"><b>No incidents:</b> no incident's communications "
			 "started in this period.</p>\n");
		put_no_comms(r, out);
		if (r->n_notify)
			put_notifications(r, out);
		return;
	}
	buf_puts(out, "<div class=\"stats\">\n");
	put_stat_int(out, r->totals.incidents, "incidents");
	put_stat_int(out, r->totals.in_scope, "in scope");
	put_stat_int(out, r->totals.out_of_scope, "out of scope");
	put_stat_int(out, r->totals.in_scope_failed, "in scope with a failed finding");
	struct buf t = BUF_INIT;
	report_share_pct(&t, r->s1.meeting_share, "n/a");
	html_stat(out, buf_str(&t), "S1 artifacts meeting the turnaround");
	buf_free(&t);
	buf_puts(out, "</div>\n</header>\n");

	buf_puts(out, "<h2>Incidents</h2>\n"
		 HTML_TABLE("<th>Severity</th><th class=\"n\">Incidents</th><th class=\"n\">In scope</th>"
			    "<th class=\"n\">Out of scope</th><th class=\"n\">In scope, failed</th>"));
	for (size_t k = 0; k < 4; k++)
		report_table_row(r, REPORT_Q_BY_SEVERITY, k, &table_style, out);
	buf_printf(out, "<tr class=\"all\"><td>All</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%"
		   PRId64 "</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64 "</td></tr>\n"
		   HTML_TABLE_END, r->totals.incidents, r->totals.in_scope, r->totals.out_of_scope,
		   r->totals.in_scope_failed);
	put_no_comms(r, out);
	buf_puts(out, "<p>");
	report_say_scope(r, out);
	buf_puts(out, "</p>\n<h2>S1 turnaround</h2>\n");
	if (r->s1.artifacts == 0) {
		buf_puts(out, "<p>No S1 artifact had a turnaround to meet.</p>\n");
	} else {
		report_say_s1(r, "<p><b>", "</b>", "</p>\n<p>", out);
		buf_puts(out, "</p>\n");
	}
	buf_puts(out, "<figure>\n");
	chart_histogram(r, out);
	buf_puts(out, "<figcaption>S1 artifacts by turnaround, in hour buckets (0&#8211;1 h: from 0 up to, "
		 "not including, 1 h); the dashed line is the S1 target of the built-in policy, 6 h.</figcaption>\n"
		 "</figure>\n<h3>Turnaround by severity</h3>\n<p>Comms started (T0) to the artifact's first "
		 "deployment, one value per artifact deployed.</p>\n");
	report_table(r, REPORT_Q_TURNAROUND, &table_style,
		     HTML_TABLE("<th>Severity</th><th class=\"n\">Deployed</th><th class=\"n\">Not deployed</th>"
			   "<th class=\"n\">Median</th><th class=\"n\">90th percentile</th>"),
		     "No data.", out);

	buf_puts(out, "<h2>Drafting time</h2>\n<p>Comms started (T0) to the first draft, one value per "
		 "incident.</p>\n");
	report_table(r, REPORT_Q_DRAFTING, &table_style,
		     HTML_TABLE("<th>Severity</th><th class=\"n\">Incidents</th><th class=\"n\">Median</th>"
			   "<th class=\"n\">90th percentile</th>"),
		     "No data.", out);

	buf_puts(out, "<h2>Approver response times</h2>\n<p>Request to answer, one request per group, artifact "
		 "and round.  Median and 90th percentile over the answered requests; the share within the "
		 "policy's response window counts unanswered requests as outside it.</p>\n");
	if (r->n_responses) {
		buf_puts(out, "<figure>\n");
		chart_responses(r, out);
		buf_puts(out, "<figcaption>Bars: median response time; ticks: 90th percentile; the dashed line "
			 "is the 30-minute response window of the built-in policy.");
		if (r->n_responses > CHART_ROWS_MAX)
			buf_printf(out, "  The first %d rows of %zu are drawn; the table has them all.",
				   CHART_ROWS_MAX, r->n_responses);
		buf_puts(out, "</figcaption>\n</figure>\n");
	}
	report_table(r, REPORT_Q_RESPONSES, &table_style,
		     HTML_TABLE("<th>Group</th><th>Round</th><th class=\"n\">Requests</th>"
			   "<th class=\"n\">Answered</th><th class=\"n\">Median</th>"
			   "<th class=\"n\">90th percentile</th><th class=\"n\">Within window</th>"),
		     "No approval requests.", out);

	buf_printf(out, "<h2>Back-ups and the cutoff quorum</h2>\n"
		   HTML_TABLE("<th></th><th class=\"n\">Count</th><th class=\"n\">Incidents</th>")
		   "<tr><td>Back-ups engaged</td><td class=\"n\">%" PRId64 "</td><td class=\"n\">%" PRId64
		   "</td></tr>\n<tr><td>Deployments under the quorum fallback</td><td class=\"n\">%" PRId64
		   "</td><td class=\"n\">%" PRId64 "</td></tr>\n" HTML_TABLE_END,
		   r->backups_engaged, r->incidents_with_backups, r->quorum_deployments,
		   r->incidents_with_quorum);

	buf_puts(out, "<h2>Failures by rule</h2>\n");
	report_table(r, REPORT_Q_FAILURES, &table_style,
		     HTML_TABLE("<th>Rule</th><th class=\"n\">Failed findings</th><th class=\"n\">Incidents</th>"),
		     "No finding failed.", out);

	buf_puts(out, "<h2>Exceptions used</h2>\n");
	report_table(r, REPORT_Q_EXCEPTIONS, &table_style,
		     HTML_TABLE("<th>Exception</th><th>Kind</th><th>Rule</th><th class=\"n\">Findings excused</th>"
			   "<th class=\"n\">Incidents</th><th class=\"n\">Retroactive</th>"),
		     "No exception excused a finding.", out);

	/* Only where the period has a regulator's deadline: a ledger with
	 * none reads as it did before sircomm kept notifications. */
	if (r->n_notify)
		put_notifications(r, out);

	buf_puts(out, "<footer>\n<ul>\n<li>Medians and 90th percentiles are nearest-rank: of n values sorted "
		 "ascending, the ceil(n/2)-th and the ceil(9n/10)-th.  Durations are rounded down to the "
		 "minute (to the hour past a day); the csv and json formats give seconds.</li>\n"
		 "<li>Each figure is one SQL query over the ledger, printed in docs/ledger.md (&#8220;Reproducing "
		 "the report&#8221;) with the parameters above.</li>\n</ul>\n</footer>\n");
}

/* What report-page.html sees besides the body (docs/templates.md). */
static struct tval *page_values(const struct report *r, struct arena *a)
{
	struct buf period = BUF_INIT;
	report_say_period(r, true, &period);
	struct tval *report = tval_map(a);
	tval_set_str(report, "period", buf_str(&period));
	tval_set_str(report, "from", r->period.has_from ? r->period.from_day : NULL);
	tval_set_str(report, "to", r->period.has_to ? r->period.to_day : NULL);
	tval_set_int(report, "incidents", r->totals.incidents);
	buf_free(&period);
	struct tval *ctx = tval_map(a);
	tval_set(ctx, "report", report);
	return ctx;
}

/* See report.h. */
int report_render_html(const struct report *r, const struct tmpl_set *tpl, struct buf *out,
		       struct diag *d)
{
	struct buf body = BUF_INIT;
	render_body(r, &body);
	struct arena a = ARENA_INIT;
	int rc = html_page(tpl, "report-page.html", page_values(r, &a), &body, out, d);
	arena_free(&a);
	buf_free(&body);
	return rc;
}
