/* report_json.c - the compliance report as JSON, the CSV's figures under
 * the same names. */
#include "ledger/report.h"
#include "report_int.h"

#include <inttypes.h>

#include "base/esc.h"

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
		report_share_num(out, v.v);
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

void report_render_json(const struct report *r, struct buf *out)
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
