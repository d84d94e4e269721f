/* report_csv.c - the compliance report as CSV: one row per figure,
 * section,subject,figure,value (docs/ledger.md, "The CSV format"). */
#include "ledger/report.h"
#include "report_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/esc.h"

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
		report_share_num(out, v.v);
	buf_puts(out, "\r\n");
}

static void csv_text(struct buf *out, const char *section, const char *subject, const char *figure,
		     const char *v)
{
	csv_head(out, section, subject, figure);
	esc_csv(out, v);
	buf_puts(out, "\r\n");
}

void report_render_csv(const struct report *r, struct buf *out)
{
	const struct report_period *p = &r->period;
	buf_puts(out, "section,subject,figure,value\r\n");
	csv_text(out, "period", "", "from", p->from_day);
	csv_text(out, "period", "", "to", p->to_day);
	csv_int(out, "period", "", "from_epoch", p->from);
	csv_int(out, "period", "", "to_epoch", p->to);

	const char *q = report_queries[REPORT_Q_TOTALS].name;
	csv_int(out, q, "", "incidents", r->totals.incidents);
	csv_int(out, q, "", "in_scope", r->totals.in_scope);
	csv_int(out, q, "", "out_of_scope", r->totals.out_of_scope);
	csv_int(out, q, "", "in_scope_failed", r->totals.in_scope_failed);
	csv_int(out, q, "", "no_comms_started", r->totals.no_comms_started);

	q = report_queries[REPORT_Q_BY_SEVERITY].name;
	for (int k = 0; k < 4; k++) {
		const char *s = r->by_severity[k].severity;
		csv_int(out, q, s, "incidents", r->by_severity[k].incidents);
		csv_int(out, q, s, "in_scope", r->by_severity[k].in_scope);
		csv_int(out, q, s, "out_of_scope", r->by_severity[k].out_of_scope);
		csv_int(out, q, s, "failed", r->by_severity[k].failed);
	}

	q = report_queries[REPORT_Q_S1_TURNAROUND].name;
	csv_int(out, q, "", "artifacts", r->s1.artifacts);
	csv_int(out, q, "", "met", r->s1.met);
	csv_int(out, q, "", "missed", r->s1.missed);
	csv_int(out, q, "", "excepted", r->s1.excepted);
	csv_int(out, q, "", "pending", r->s1.pending);
	csv_share(out, q, "", "meeting_share", r->s1.meeting_share);

	q = report_queries[REPORT_Q_TURNAROUND].name;
	for (size_t i = 0; i < r->n_turnaround; i++) {
		const struct report_stats *s = &r->turnaround[i];
		csv_int(out, q, s->severity, "deployed", s->n);
		csv_int(out, q, s->severity, "not_deployed", s->missing);
		csv_opt(out, q, s->severity, "median_seconds", s->median);
		csv_opt(out, q, s->severity, "p90_seconds", s->p90);
	}

	q = report_queries[REPORT_Q_HISTOGRAM].name;
	for (int b = 0; b < REPORT_BUCKETS; b++) {
		char key[4];
		snprintf(key, sizeof(key), "%d", b);
		csv_int(out, q, key, "artifacts", r->histogram[b]);
	}

	q = report_queries[REPORT_Q_DRAFTING].name;
	for (size_t i = 0; i < r->n_drafting; i++) {
		const struct report_stats *s = &r->drafting[i];
		csv_int(out, q, s->severity, "incidents", s->n);
		csv_opt(out, q, s->severity, "median_seconds", s->median);
		csv_opt(out, q, s->severity, "p90_seconds", s->p90);
	}

	q = report_queries[REPORT_Q_RESPONSES].name;
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

	q = report_queries[REPORT_Q_BACKUPS_QUORUM].name;
	csv_int(out, q, "", "backups_engaged", r->backups_engaged);
	csv_int(out, q, "", "incidents_with_backups", r->incidents_with_backups);
	csv_int(out, q, "", "quorum_deployments", r->quorum_deployments);
	csv_int(out, q, "", "incidents_with_quorum", r->incidents_with_quorum);

	q = report_queries[REPORT_Q_FAILURES].name;
	for (size_t i = 0; i < r->n_failures; i++) {
		csv_int(out, q, r->failures[i].rule, "findings", r->failures[i].findings);
		csv_int(out, q, r->failures[i].rule, "incidents", r->failures[i].incidents);
	}

	q = report_queries[REPORT_Q_EXCEPTIONS].name;
	for (size_t i = 0; i < r->n_exceptions; i++) {
		const struct report_exception *x = &r->exceptions[i];
		char *key = xasprintf("%s/%s/%s", x->id, x->kind, x->rule);
		csv_int(out, q, key, "findings_excused", x->findings_excused);
		csv_int(out, q, key, "incidents", x->incidents);
		csv_int(out, q, key, "retroactive", x->retroactive);
		free(key);
	}
}
