/* report_json.c - the compliance report as JSON: the csv's figures under
 * the same names (report_figures), in objects by query. */
#include "ledger/report.h"
#include "report_int.h"

#include <inttypes.h>

#include "base/esc.h"

/* The figures of row i of query q as members "name": value, each after
 * `sep` but the first; NULL as null. */
static void js_figures(const struct report *r, int q, size_t i, const char *sep, struct buf *out)
{
	struct report_fig f[REPORT_FIGS_MAX];
	size_t n = report_figures(r, q, i, f);
	for (size_t k = 0; k < n; k++) {
		buf_printf(out, "%s\"%s\": ", k ? sep : "", f[k].name);
		if (f[k].kind == REPORT_FIG_SHARE && f[k].share.has)
			report_share_num(out, f[k].share.v);
		else if (f[k].kind != REPORT_FIG_SHARE && f[k].n.has)
			buf_printf(out, "%" PRId64, f[k].n.v);
		else
			buf_puts(out, "null");
	}
}

/* The key columns of row i of query q as members, each followed by ", ". */
static void js_keys(const struct report *r, int q, size_t i, struct buf *out)
{
	switch (q) {
	case REPORT_Q_BY_SEVERITY:
		buf_printf(out, "\"severity\": \"%s\", ", r->by_severity[i].severity);
		break;
	case REPORT_Q_TURNAROUND:
		buf_printf(out, "\"severity\": \"%s\", ", r->turnaround[i].severity);
		break;
	case REPORT_Q_DRAFTING:
		buf_printf(out, "\"severity\": \"%s\", ", r->drafting[i].severity);
		break;
	case REPORT_Q_HISTOGRAM:
		buf_printf(out, "\"hours_from\": %zu, \"hours_to\": ", i);
		if (i + 1 < REPORT_BUCKETS)
			buf_printf(out, "%zu, ", i + 1);
		else
			buf_puts(out, "null, ");
		break;
	case REPORT_Q_RESPONSES:
		buf_puts(out, "\"group\": ");
		esc_json(out, r->responses[i].group);
		buf_puts(out, ", \"round\": ");
		esc_json(out, r->responses[i].round);
		buf_puts(out, ", ");
		break;
	case REPORT_Q_EXCEPTIONS:
		buf_puts(out, "\"exception\": ");
		esc_json(out, r->exceptions[i].id);
		buf_puts(out, ", \"kind\": ");
		esc_json(out, r->exceptions[i].kind);
		buf_puts(out, ", \"rule\": ");
		esc_json(out, r->exceptions[i].rule);
		buf_puts(out, ", ");
		break;
	case REPORT_Q_NOTIFICATIONS:
		buf_puts(out, "\"regime\": ");
		esc_json(out, r->notify[i].regime);
		buf_puts(out, ", \"stage\": ");
		esc_json(out, r->notify[i].stage);
		buf_puts(out, ", ");
		break;
	case REPORT_Q_LATE_NOTIFICATIONS:
		buf_puts(out, "\"incident\": ");
		esc_json(out, r->late[i].incident);
		buf_puts(out, ", \"subject\": ");
		esc_json(out, r->late[i].subject);
		buf_puts(out, ", \"reason\": ");
		esc_json(out, r->late[i].reason);
		buf_puts(out, ", ");
		break;
	}
}

/* Query q's rows as an array of objects, one a line, the array's
 * closing bracket at `indent`. */
static void js_array(const struct report *r, int q, const char *indent, struct buf *out)
{
	size_t n = report_rows(r, q);
	buf_putc(out, '[');
	for (size_t i = 0; i < n; i++) {
		buf_printf(out, "%s\n%s  {", i ? "," : "", indent);
		js_keys(r, q, i, out);
		js_figures(r, q, i, ", ", out);
		buf_putc(out, '}');
	}
	if (n)
		buf_printf(out, "\n%s", indent);
	buf_putc(out, ']');
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
	buf_puts(out, "  \"percentiles\": \"nearest-rank\",\n  \"totals\": {");
	js_figures(r, REPORT_Q_TOTALS, 0, ", ", out);
	buf_puts(out, "},\n  \"by_severity\": ");
	js_array(r, REPORT_Q_BY_SEVERITY, "  ", out);
	buf_puts(out, ",\n  \"turnaround\": {\n    \"s1\": {");
	js_figures(r, REPORT_Q_S1_TURNAROUND, 0, ", ", out);
	buf_puts(out, "},\n    \"by_severity\": ");
	js_array(r, REPORT_Q_TURNAROUND, "    ", out);
	buf_puts(out, ",\n    \"s1_histogram\": ");
	js_array(r, REPORT_Q_HISTOGRAM, "    ", out);
	buf_puts(out, "\n  },\n  \"drafting\": {\n    \"by_severity\": ");
	js_array(r, REPORT_Q_DRAFTING, "    ", out);
	buf_puts(out, "\n  },\n  \"responses\": ");
	js_array(r, REPORT_Q_RESPONSES, "  ", out);
	/* backups_quorum's figures stand at the top level. */
	buf_puts(out, ",\n  ");
	js_figures(r, REPORT_Q_BACKUPS_QUORUM, 0, ",\n  ", out);
	/* failures_by_rule: an object keyed by rule. */
	buf_puts(out, ",\n  \"failures_by_rule\": {");
	for (size_t i = 0; i < r->n_failures; i++) {
		buf_puts(out, i ? ",\n    " : "\n    ");
		esc_json(out, r->failures[i].rule);
		buf_puts(out, ": {");
		js_figures(r, REPORT_Q_FAILURES, i, ", ", out);
		buf_putc(out, '}');
	}
	buf_printf(out, "%s},\n  \"exceptions_used\": ", r->n_failures ? "\n  " : "");
	js_array(r, REPORT_Q_EXCEPTIONS, "  ", out);
	/* The regulators' notifications, added after the first version's keys. */
	buf_puts(out, ",\n  \"notifications\": ");
	js_array(r, REPORT_Q_NOTIFICATIONS, "  ", out);
	buf_puts(out, ",\n  \"late_notifications\": ");
	js_array(r, REPORT_Q_LATE_NOTIFICATIONS, "  ", out);
	buf_puts(out, "\n}\n");
}
