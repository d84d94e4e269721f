/* report_md.c - the compliance report as Markdown. */
#include "ledger/report.h"
#include "report_int.h"

#include <inttypes.h>
#include <string.h>

#include "format/md.h"

/* "| legal | review | 16 | 14 | 24 min | 25 min | 87.5 % |" */
static const struct report_table_style md_style = {
	.row_open = "|", .key_open = " ", .key_close = " |", .fig_open = " ", .fig_close = " |",
	.row_close = "\n", .text = md_escape_str, .null = "-", .none_open = "", .none_close = "\n\n",
	.table_close = "\n",
};

static void md_period(const struct report *r, struct buf *out)
{
	buf_puts(out, "**Period:** ");
	report_say_period(r, false, out);
	buf_printf(out, ": incidents whose communications started (T0) in it.  "
		   "Query parameters `:from` = %" PRId64 ", `:to` = %" PRId64 ".\n\n",
		   r->period.from, r->period.to);
}

static void md_no_comms(const struct report *r, struct buf *out)
{
	report_say_no_comms(r, out);
	buf_puts(out, "\n\n");
}

/* The regulators' notifications: counted by their deadline, so shown
 * even when no incident's communications started in the period. */
static void md_notifications(const struct report *r, struct buf *out)
{
	buf_puts(out, "## Regulators' notifications\n\nEvery stage of a regime the incidents' records "
		 "state whose deadline falls in the period, in and out of the plan's scope "
		 "(docs/regulatory.md).  On time: notified by the deadline; late: notified after it (or "
		 "not provably in time); overdue: not notified by the audit.  The share is on time / "
		 "(on time + late + overdue + excepted).  Worst margin: the largest notification time "
		 "minus deadline (negative: every one early).  Not legal advice.\n\n");
	report_table(r, REPORT_Q_NOTIFICATIONS, &md_style, "| Regime | Stage | On time | Late | Overdue | "
		 "Excepted | Pending | On-time share | Worst margin |\n|---|---|--:|--:|--:|--:|--:|--:|--:|\n",
		 "No regulator's deadline fell in the period.", out);
	buf_puts(out, "### Late notifications\n\nSlowest first, with the reason the record gives "
		 "(the exception that excused it, or the notification's own text).\n\n");
	report_table(r, REPORT_Q_LATE_NOTIFICATIONS, &md_style, "| Incident | Regime/stage | Reason | Late by |\n"
		 "|---|---|---|--:|\n", "No notification was late.", out);
}

void report_render_md(const struct report *r, struct buf *out)
{
	buf_puts(out, "# Communications compliance report\n\n");
	md_period(r, out);
	if (r->totals.incidents == 0) {
		buf_puts(out, "**No incidents:** no incident's communications started in this period.\n\n");
		md_no_comms(r, out);
		if (r->n_notify)
			md_notifications(r, out);
		return;
	}

	buf_puts(out, "## Incidents\n\n| Severity | Incidents | In scope | Out of scope | In scope, failed |\n"
		 "|---|--:|--:|--:|--:|\n");
	for (size_t k = 0; k < 4; k++)
		report_table_row(r, REPORT_Q_BY_SEVERITY, k, &md_style, out);
	buf_printf(out, "| **All** | **%" PRId64 "** | **%" PRId64 "** | **%" PRId64 "** | **%" PRId64
		   "** |\n\n", r->totals.incidents, r->totals.in_scope, r->totals.out_of_scope,
		   r->totals.in_scope_failed);
	md_no_comms(r, out);
	report_say_scope(r, out);
	buf_puts(out, "\n\n## S1 turnaround\n\n");
	if (r->s1.artifacts == 0) {
		buf_puts(out, "No S1 artifact had a turnaround to meet.\n\n");
	} else {
		report_say_s1(r, "**", "**", "\n\n", out);
		buf_puts(out, "\n\n");
	}
	buf_puts(out, "### Turnaround by severity\n\nComms started (T0) to the artifact's first deployment, "
		 "one value per artifact deployed.\n\n");
	report_table(r, REPORT_Q_TURNAROUND, &md_style, "| Severity | Deployed | Not deployed | Median | 90th percentile |\n"
		 "|---|--:|--:|--:|--:|\n", "No data.", out);
	buf_puts(out, "### S1 turnaround distribution\n\n| Turnaround | S1 artifacts |\n|---|--:|\n");
	for (int b = 0; b < REPORT_BUCKETS; b++)
		buf_printf(out, "| %s | %" PRId64 " |\n", report_bucket_label[b], r->histogram[b]);
	buf_puts(out, "\nA bucket holds from its first hour up to, not including, its last; from 6\xE2\x80\x93" "7 h on, "
		 "artifacts are past the S1 target of the built-in policy (6 h).\n\n");

	buf_puts(out, "## Drafting time\n\nComms started (T0) to the first draft, one value per incident.\n\n");
	report_table(r, REPORT_Q_DRAFTING, &md_style, "| Severity | Incidents | Median | 90th percentile |\n"
		 "|---|--:|--:|--:|\n", "No data.", out);

	buf_puts(out, "## Approver response times\n\nRequest to answer, one request per group, artifact "
		 "and round.  Median and 90th percentile over the answered requests; the share within "
		 "the policy's response window counts unanswered requests as outside it.\n\n");
	report_table(r, REPORT_Q_RESPONSES, &md_style, "| Group | Round | Requests | Answered | Median | 90th percentile | "
		 "Within window |\n|---|---|--:|--:|--:|--:|--:|\n", "No approval requests.", out);

	buf_printf(out, "## Back-ups and the cutoff quorum\n\n| | Count | Incidents |\n|---|--:|--:|\n"
		   "| Back-ups engaged | %" PRId64 " | %" PRId64 " |\n"
		   "| Deployments under the quorum fallback | %" PRId64 " | %" PRId64 " |\n\n",
		   r->backups_engaged, r->incidents_with_backups, r->quorum_deployments,
		   r->incidents_with_quorum);

	buf_puts(out, "## Failures by rule\n\n");
	report_table(r, REPORT_Q_FAILURES, &md_style, "| Rule | Failed findings | Incidents |\n|---|--:|--:|\n",
		 "No finding failed.", out);

	buf_puts(out, "## Exceptions used\n\n");
	report_table(r, REPORT_Q_EXCEPTIONS, &md_style, "| Exception | Kind | Rule | Findings excused | Incidents | "
		 "Retroactive |\n|---|---|---|--:|--:|--:|\n", "No exception excused a finding.", out);

	/* Only where the period has a regulator's deadline: a ledger with
	 * none reads as it did before sircomm kept notifications. */
	if (r->n_notify)
		md_notifications(r, out);
	buf_puts(out, "## How the figures are computed\n\n"
		 "- Medians and 90th percentiles are nearest-rank: of n values sorted ascending, the "
		 "ceil(n/2)-th and the ceil(9n/10)-th.  Durations here are rounded down to the minute "
		 "(to the hour past a day); the csv and json formats give seconds.\n"
		 "- Each figure is one SQL query over the ledger, printed in docs/ledger.md "
		 "(\"Reproducing the report\") with the parameters above.\n");
}
