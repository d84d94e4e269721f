/* report_md.c - the compliance report as Markdown. */
#include "ledger/report.h"
#include "report_int.h"

#include <inttypes.h>
#include <string.h>

#include "format/md.h"

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
			   report_plural(n, "incident", "incidents"), report_plural(n, "has", "have"),
			   report_plural(n, "it is", "they are"));
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
		report_dur(out, s[i].median, "-");
		buf_puts(out, " | ");
		report_dur(out, s[i].p90, "-");
		buf_puts(out, " |\n");
	}
	buf_putc(out, '\n');
}

void report_render_md(const struct report *r, struct buf *out)
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
		   r->totals.in_scope, report_plural(r->totals.in_scope, "incident", "incidents"));
	if (r->totals.out_of_scope)
		buf_printf(out, "; the %" PRId64 " out of the plan's scope %s counted above only",
			   r->totals.out_of_scope, report_plural(r->totals.out_of_scope, "is", "are"));
	buf_puts(out, ".\n\n");

	buf_puts(out, "## S1 turnaround\n\n");
	if (r->s1.artifacts == 0) {
		buf_puts(out, "No S1 artifact had a turnaround to meet.\n\n");
	} else {
		buf_puts(out, "**");
		report_share_pct(out, r->s1.meeting_share, "No share yet");
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
		buf_printf(out, "| %s | %" PRId64 " |\n", report_bucket_label[b], r->histogram[b]);
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
			report_dur(out, x->median, "-");
			buf_puts(out, " | ");
			report_dur(out, x->p90, "-");
			buf_puts(out, " | ");
			report_share_pct(out, x->within_window_share, "-");
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
