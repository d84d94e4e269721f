/* audit_report.c - findings as text, Markdown, CSV and JSON. */
#include "audit/audit_report.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/esc.h"
#include "format/md.h"
#include "base/ts.h"

static const char *const format_names[] = { "text", "md", "csv", "json", "html", "jsonl" };

const char *audit_format_name(enum audit_format f)
{
	return format_names[f];
}

int audit_format_parse(const char *s)
{
	return name_index(format_names, sizeof(format_names) / sizeof(format_names[0]), s);
}

static void utc(struct buf *out, bool has, int64_t t)
{
	if (!has)
		return;
	char s[TS_BUFSZ];
	ts_format_utc(t, s);
	buf_puts(out, s);
}

void audit_summary_line(const struct audit *au, struct buf *out)
{
	buf_puts(out, au->rec->id);
	buf_puts(out, ": ");
	for (int s = 0; s < AUDIT_STATUS_COUNT; s++) {
		if (s)
			buf_puts(out, ", ");
		buf_put_int(out, (int64_t)au->counts[s]);
		buf_putc(out, ' ');
		buf_puts(out, audit_status_name((enum audit_status)s));
	}
}

/* "IN PROGRESS (no failures; 28 pending)": the text and Markdown line. */
static void verdict_line(const struct audit *au, struct buf *out)
{
	buf_printf(out, "%s (", audit_verdict_word(audit_verdict(au)));
	audit_verdict_detail(au, out);
	buf_putc(out, ')');
}

static void evidence_lines(const struct audit_finding *f, struct buf *out)
{
	for (size_t i = 0; i < f->n_evidence; i++) {
		if (i)
			buf_putc(out, ',');
		buf_put_int(out, f->evidence[i].line);
	}
}

/* ---- Metrics, for the line-oriented formats -------------------------- */

/* One metric: a key for machines ("response/legal/customer-email/final"),
 * a label for people, and a value in seconds or a count (absent: not
 * measured, e.g. not deployed or no answer). */
struct metric {
	char key[160], label[200];
	bool is_count, has;
	int64_t value;
};

typedef void (*metric_fn)(void *ud, const struct metric *m);

static void each_metric(const struct audit *au, metric_fn fn, void *ud)
{
	const struct audit_metrics *m = &au->metrics;
	struct metric x;
	x = (struct metric){ "first_draft", "Time to first draft", false, m->has_first_draft, m->first_draft };
	fn(ud, &x);
	for (size_t i = 0; i < m->n_turnaround; i++) {
		x = (struct metric){ "", "", false, m->turnaround[i].deployed, m->turnaround[i].seconds };
		snprintf(x.key, sizeof(x.key), "turnaround/%s", m->turnaround[i].artifact);
		snprintf(x.label, sizeof(x.label), "Turnaround, %s", m->turnaround[i].artifact);
		fn(ud, &x);
	}
	for (size_t i = 0; i < m->n_responses; i++) {
		const struct audit_response *r = &m->responses[i];
		x = (struct metric){ "", "", false, r->answered, r->seconds };
		snprintf(x.key, sizeof(x.key), "response/%s/%s/%s", r->group, r->artifact,
			 rec_round_name(r->round));
		snprintf(x.label, sizeof(x.label), "Response, %s, %s, %s round", r->group, r->artifact,
			 rec_round_name(r->round));
		fn(ud, &x);
	}
	x = (struct metric){ "backups_engaged", "Back-up engagements", true, true, (int64_t)m->backups_engaged };
	fn(ud, &x);
	x = (struct metric){ "quorum_deployments", "Deployments under the cutoff quorum", true, true,
			     (int64_t)m->quorum_deployments };
	fn(ud, &x);
	for (size_t i = 0; i < m->n_gaps; i++) {
		x = (struct metric){ "", "", false, true, m->gaps[i].seconds };
		snprintf(x.key, sizeof(x.key), "longest_update_gap/%s", m->gaps[i].group);
		snprintf(x.label, sizeof(x.label), "Longest update gap, %s", m->gaps[i].group);
		fn(ud, &x);
	}
}

static void metric_value(struct buf *out, const struct metric *m)
{
	char h[TS_BUFSZ];
	if (!m->has) {
		buf_puts(out, "-");
	} else if (m->is_count) {
		buf_put_int(out, m->value);
	} else {
		ts_format_human(m->value, h);
		buf_puts(out, h);
	}
}

/* ---- Text ----------------------------------------------------------- */

static void text_metric(void *ud, const struct metric *m)
{
	struct buf *out = ud;
	buf_puts(out, "  ");
	buf_put_padded(out, m->label, 60);
	buf_putc(out, ' ');
	metric_value(out, m);
	buf_putc(out, '\n');
}

static const char *colour_of(enum audit_status s)
{
	switch (s) {
	case AUDIT_PASS: return "\033[32m";
	case AUDIT_FAIL: return "\033[1;31m";
	case AUDIT_EXCEPTED: return "\033[33m";
	case AUDIT_PENDING: return "\033[36m";
	case AUDIT_NA: return "\033[2m";
	case AUDIT_STATUS_COUNT: break;
	}
	return "";
}

static void render_text(const struct audit *au, bool colour, struct buf *out)
{
	char at[TS_BUFSZ];
	ts_format_utc(au->audited_at, at);
	buf_printf(out, "%s  %s\n%s, impact %s; policy %s; as of %s\n\n", au->rec->id, au->rec->title,
		   pol_severity_name(au->rec->severity), pol_impact_name(au->rec->impact),
		   au->pol->name, at);
	size_t wr = 4, ws = 7;
	for (size_t i = 0; i < au->n_findings; i++) {
		size_t r = strlen(pol_rule_name(au->findings[i].rule));
		size_t s = strlen(au->findings[i].subject);
		wr = r > wr ? r : wr;
		ws = s > ws ? s : ws;
	}
	buf_printf(out, "%-8s  %-*s  %-*s  %-20s  %s\n", "STATUS", (int)wr, "RULE", (int)ws, "SUBJECT",
		   "DUE", "NOTE");
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		struct buf d = BUF_INIT;
		utc(&d, f->has_due, f->due);
		if (colour)
			buf_puts(out, colour_of(f->status));
		buf_put_padded(out, audit_status_name(f->status), 8);
		if (colour)
			buf_puts(out, "\033[0m");
		/* "  %-*s  %-*s  %-20s  %s", without printf's cost (a line
		 * for each of some sixty findings). */
		buf_puts(out, "  ");
		buf_put_padded(out, pol_rule_name(f->rule), wr);
		buf_puts(out, "  ");
		buf_put_padded(out, f->subject, ws);
		buf_puts(out, "  ");
		buf_put_padded(out, f->has_due ? buf_str(&d) : "-", 20);
		buf_puts(out, "  ");
		buf_puts(out, f->note ? f->note : "");
		if (f->n_evidence) {
			buf_puts(out, " [lines ");
			evidence_lines(f, out);
			buf_putc(out, ']');
		}
		buf_putc(out, '\n');
		buf_free(&d);
	}
	buf_putc(out, '\n');
	if (au->in_scope) {
		buf_puts(out, "metrics:\n");
		each_metric(au, text_metric, out);
		buf_putc(out, '\n');
	}
	for (size_t x = 0; x < au->n_exceptions; x++) {
		const struct audit_exception_use *u = &au->exceptions[x];
		buf_printf(out, "%s %s (%s%s%s): %s, %zu finding%s excused\n",
			   u->standing ? "standing exception" : "exception", u->exception->id,
			   pol_rule_name(u->exception->rule), u->exception->subject ? " " : "",
			   u->exception->subject ? u->exception->subject : "",
			   audit_exception_state_name(u->state), u->n_excused, u->n_excused == 1 ? "" : "s");
	}
	buf_puts(out, "result: ");
	verdict_line(au, out);
	buf_putc(out, '\n');
	audit_summary_line(au, out);
	buf_putc(out, '\n');
}

/* ---- Markdown ------------------------------------------------------- */

static void md_metric(void *ud, const struct metric *m)
{
	struct buf *out = ud;
	buf_puts(out, "| ");
	md_escape_str(out, m->label);
	buf_puts(out, " | ");
	metric_value(out, m);
	buf_puts(out, " |\n");
}

static void render_md(const struct audit *au, struct buf *out)
{
	char at[TS_BUFSZ];
	ts_format_utc(au->audited_at, at);
	buf_puts(out, "# Audit: ");
	md_escape_str(out, au->rec->title);
	buf_printf(out, "\n\n| | |\n|---|---|\n| Incident | %s |\n| Severity | %s, impact %s |\n"
		   "| Policy | %s (`%s`) |\n| Audited as of | %s |\n| Result | ",
		   au->rec->id, pol_severity_name(au->rec->severity), pol_impact_name(au->rec->impact),
		   au->pol->name, au->pol->sha256_hex, at);
	verdict_line(au, out);
	buf_puts(out, " |\n| Summary | ");
	for (int s = 0; s < AUDIT_STATUS_COUNT; s++)
		buf_printf(out, "%s%zu %s", s ? ", " : "", au->counts[s],
			   audit_status_name((enum audit_status)s));
	buf_puts(out, " |\n\n## Findings\n\n| Status | Rule | Subject | Due | Met | Elapsed | Evidence (lines) | Note |\n"
		 "|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		buf_printf(out, "| %s%s%s | %s | ", f->status == AUDIT_FAIL ? "**" : "",
			   audit_status_name(f->status), f->status == AUDIT_FAIL ? "**" : "",
			   pol_rule_name(f->rule));
		md_escape_str(out, f->subject);
		buf_puts(out, " | ");
		utc(out, f->has_due, f->due);
		buf_puts(out, " | ");
		utc(out, f->has_met, f->met);
		buf_puts(out, " | ");
		if (f->has_elapsed) {
			char h[TS_BUFSZ];
			ts_format_human(f->elapsed, h);
			buf_puts(out, h);
		}
		buf_puts(out, " | ");
		evidence_lines(f, out);
		buf_puts(out, " | ");
		md_escape_str(out, f->note);
		buf_puts(out, " |\n");
	}
	buf_puts(out, "\n## Metrics\n\n| Metric | Value |\n|---|---|\n");
	each_metric(au, md_metric, out);
	if (au->n_exceptions) {
		buf_puts(out, "\n## Exceptions\n\n| Id | Rule | Subject | Approved by | State | Findings excused |\n"
			 "|---|---|---|---|---|---|\n");
		for (size_t x = 0; x < au->n_exceptions; x++) {
			const struct audit_exception_use *u = &au->exceptions[x];
			buf_printf(out, "| %s | %s | ", u->exception->id, pol_rule_name(u->exception->rule));
			md_escape_str(out, u->exception->subject ? u->exception->subject : "(any)");
			buf_puts(out, " | ");
			md_escape_str(out, u->exception->approved_by);
			buf_printf(out, " | %s | %zu |\n", audit_exception_state_name(u->state), u->n_excused);
		}
	}
}

/* ---- CSV ------------------------------------------------------------ */


struct csv_metrics {
	const struct audit *au;
	struct buf *out;
};

/* Metrics follow the findings as rows whose rule is METRIC: the subject
 * names the metric, elapsed_seconds holds its value (a count for counts,
 * said in the note). */
static void csv_metric(void *ud, const struct metric *m)
{
	struct csv_metrics *c = ud;
	esc_csv(c->out, c->au->rec->id);
	buf_puts(c->out, ",\"METRIC\",");
	esc_csv(c->out, m->key);
	buf_puts(c->out, ",\"\",\"\",\"\",");
	if (m->has)
		buf_printf(c->out, "%" PRId64, m->value);
	buf_puts(c->out, ",\"\",\"\",\"\",");
	esc_csv(c->out, m->is_count ? "count" : "seconds");
	buf_puts(c->out, "\r\n");
}

static void render_csv(const struct audit *au, struct buf *out)
{
	buf_puts(out, "incident,rule,subject,status,due,met,elapsed_seconds,evidence_lines,exception,"
		 "retroactive,note\r\n");
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		struct buf d = BUF_INIT, m = BUF_INIT, e = BUF_INIT;
		utc(&d, f->has_due, f->due);
		utc(&m, f->has_met, f->met);
		evidence_lines(f, &e);
		esc_csv(out, au->rec->id);
		buf_putc(out, ',');
		esc_csv(out, pol_rule_name(f->rule));
		buf_putc(out, ',');
		esc_csv(out, audit_subject(f));
		buf_putc(out, ',');
		esc_csv(out, audit_status_name(f->status));
		buf_putc(out, ',');
		esc_csv(out, buf_str(&d));
		buf_putc(out, ',');
		esc_csv(out, buf_str(&m));
		buf_putc(out, ',');
		if (f->has_elapsed)
			buf_printf(out, "%" PRId64, f->elapsed);
		buf_putc(out, ',');
		esc_csv(out, buf_str(&e));
		buf_putc(out, ',');
		esc_csv(out, f->exception ? f->exception->id : "");
		buf_putc(out, ',');
		esc_csv(out, f->exception ? (f->retroactive ? "true" : "false") : "");
		buf_putc(out, ',');
		esc_csv(out, f->note);
		buf_puts(out, "\r\n");
		buf_free(&d);
		buf_free(&m);
		buf_free(&e);
	}
	if (au->in_scope) {
		struct csv_metrics c = { au, out };
		each_metric(au, csv_metric, &c);
	}
}

/* ---- JSON ----------------------------------------------------------- */

/* Appends a string literal without measuring it at run time: the JSON
 * report is a few hundred such pieces a record. */
#define PUT_LIT(out, lit) buf_append((out), "" lit, sizeof(lit) - 1)

static void render_json(const struct audit *au, struct buf *out)
{
	PUT_LIT(out, "{\n  \"incident\": ");
	esc_json(out, au->rec->id);
	PUT_LIT(out, ",\n  \"title\": ");
	esc_json(out, au->rec->title);
	PUT_LIT(out, ",\n  \"severity\": \"");
	buf_puts(out, pol_severity_name(au->rec->severity));
	PUT_LIT(out, "\",\n  \"impact\": \"");
	buf_puts(out, pol_impact_name(au->rec->impact));
	if (au->in_scope)
		PUT_LIT(out, "\",\n  \"in_scope\": true,\n");
	else
		PUT_LIT(out, "\",\n  \"in_scope\": false,\n");
	PUT_LIT(out, "  \"policy\": {\"name\": ");
	esc_json(out, au->pol->name);
	PUT_LIT(out, ", \"sha256\": \"");
	buf_puts(out, au->pol->sha256_hex);
	PUT_LIT(out, "\"},\n  \"audited_at\": ");
	esc_json_time(out, true, au->audited_at);
	PUT_LIT(out, ",\n  \"comms_started\": ");
	esc_json_time(out, au->has_t0, au->t0);
	PUT_LIT(out, ",\n  \"findings\": [");
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		if (i)
			buf_putc(out, ',');
		PUT_LIT(out, "\n    {\"rule\": \"");
		buf_puts(out, pol_rule_name(f->rule));
		PUT_LIT(out, "\", \"subject\": ");
		esc_json(out, audit_subject(f));
		PUT_LIT(out, ", \"status\": \"");
		buf_puts(out, audit_status_name(f->status));
		PUT_LIT(out, "\", \"due\": ");
		esc_json_time(out, f->has_due, f->due);
		PUT_LIT(out, ", \"met\": ");
		esc_json_time(out, f->has_met, f->met);
		PUT_LIT(out, ", \"elapsed_seconds\": ");
		if (f->has_elapsed)
			buf_put_int(out, f->elapsed);
		else
			PUT_LIT(out, "null");
		PUT_LIT(out, ",\n     \"evidence\": [");
		for (size_t k = 0; k < f->n_evidence; k++) {
			if (k)
				PUT_LIT(out, ", ");
			PUT_LIT(out, "{\"line\": ");
			buf_put_int(out, f->evidence[k].line);
			PUT_LIT(out, ", \"at\": ");
			esc_json_time(out, true, f->evidence[k].at);
			PUT_LIT(out, ", \"type\": ");
			esc_json(out, f->evidence[k].type);
			buf_putc(out, '}');
		}
		PUT_LIT(out, "],\n     \"exception\": ");
		esc_json(out, f->exception ? f->exception->id : NULL);
		if (f->retroactive)
			PUT_LIT(out, ", \"retroactive\": true, \"note\": ");
		else
			PUT_LIT(out, ", \"retroactive\": false, \"note\": ");
		esc_json(out, f->note);
		buf_putc(out, '}');
	}
	const struct audit_metrics *m = &au->metrics;
	PUT_LIT(out, "\n  ],\n  \"metrics\": {\n    \"first_draft_seconds\": ");
	if (m->has_first_draft)
		buf_put_int(out, m->first_draft);
	else
		PUT_LIT(out, "null");
	PUT_LIT(out, ",\n    \"turnaround_seconds\": {");
	for (size_t i = 0; i < m->n_turnaround; i++) {
		if (i)
			PUT_LIT(out, ", ");
		esc_json(out, m->turnaround[i].artifact);
		PUT_LIT(out, ": ");
		if (m->turnaround[i].deployed)
			buf_put_int(out, m->turnaround[i].seconds);
		else
			PUT_LIT(out, "null");
	}
	PUT_LIT(out, "},\n    \"responses\": [");
	for (size_t i = 0; i < m->n_responses; i++) {
		const struct audit_response *r = &m->responses[i];
		if (i)
			buf_putc(out, ',');
		PUT_LIT(out, "\n      {\"group\": ");
		esc_json(out, r->group);
		PUT_LIT(out, ", \"artifact\": ");
		esc_json(out, r->artifact);
		PUT_LIT(out, ", \"round\": \"");
		buf_puts(out, rec_round_name(r->round));
		PUT_LIT(out, "\", \"requested\": ");
		esc_json_time(out, true, r->requested);
		PUT_LIT(out, ", \"seconds\": ");
		if (r->answered)
			buf_put_int(out, r->seconds);
		else
			PUT_LIT(out, "null");
		buf_putc(out, '}');
	}
	if (m->n_responses)
		PUT_LIT(out, "\n    ");
	PUT_LIT(out, "],\n    \"backups_engaged\": ");
	buf_put_int(out, (int64_t)m->backups_engaged);
	PUT_LIT(out, ",\n    \"quorum_deployments\": ");
	buf_put_int(out, (int64_t)m->quorum_deployments);
	PUT_LIT(out, ",\n    \"longest_update_gap_seconds\": {");
	for (size_t i = 0; i < m->n_gaps; i++) {
		if (i)
			PUT_LIT(out, ", ");
		esc_json(out, m->gaps[i].group);
		PUT_LIT(out, ": ");
		buf_put_int(out, m->gaps[i].seconds);
	}
	PUT_LIT(out, "}\n  },\n  \"exceptions\": [");
	for (size_t x = 0; x < au->n_exceptions; x++) {
		const struct audit_exception_use *u = &au->exceptions[x];
		buf_printf(out, "%s\n    {\"id\": ", x ? "," : "");
		esc_json(out, u->exception->id);
		buf_printf(out, ", \"rule\": \"%s\", \"subject\": ", pol_rule_name(u->exception->rule));
		esc_json(out, u->exception->subject);
		PUT_LIT(out, ", \"approved_by\": ");
		esc_json(out, u->exception->approved_by);
		PUT_LIT(out, ", \"approved_at\": ");
		esc_json_time(out, true, u->exception->approved_at);
		PUT_LIT(out, ", \"expires\": ");
		esc_json_time(out, u->exception->has_expires, u->exception->expires);
		buf_printf(out, ", \"standing\": %s, \"state\": \"%s\", \"findings_excused\": %zu}",
			   u->standing ? "true" : "false", audit_exception_state_name(u->state), u->n_excused);
	}
	if (au->n_exceptions)
		PUT_LIT(out, "\n  ");
	PUT_LIT(out, "],\n  \"summary\": {");
	for (int s = 0; s < AUDIT_STATUS_COUNT; s++) {
		if (s)
			PUT_LIT(out, ", ");
		buf_putc(out, '"');
		buf_puts(out, audit_status_name((enum audit_status)s));
		PUT_LIT(out, "\": ");
		buf_put_int(out, (int64_t)au->counts[s]);
	}
	if (audit_failed(au))
		PUT_LIT(out, ", \"result\": \"fail\", \"verdict\": \"");
	else
		PUT_LIT(out, ", \"result\": \"pass\", \"verdict\": \"");
	buf_puts(out, audit_verdict_name(audit_verdict(au)));
	PUT_LIT(out, "\"}\n}\n");
}

void audit_render(const struct audit *au, enum audit_format f, bool colour, struct buf *out)
{
	switch (f) {
	case AUDIT_FORMAT_TEXT: render_text(au, colour, out); break;
	case AUDIT_FORMAT_MD: render_md(au, out); break;
	case AUDIT_FORMAT_CSV: render_csv(au, out); break;
	case AUDIT_FORMAT_JSON: render_json(au, out); break;
	case AUDIT_FORMAT_JSONL: {
		/* The same object on one line: JSON strings hold no raw line
		 * break, so each one, with the indentation after it, is only
		 * layout. */
		struct buf j = BUF_INIT;
		render_json(au, &j);
		for (size_t i = 0; i < j.len; i++) {
			if (j.data[i] != '\n') {
				buf_putc(out, j.data[i]);
				continue;
			}
			while (i + 1 < j.len && j.data[i + 1] == ' ')
				i++;
		}
		buf_putc(out, '\n');
		buf_free(&j);
		break;
	}
	case AUDIT_FORMAT_HTML: {
		/* The built-in page renders every audit. */
		struct diag d = DIAG_INIT;
		audit_render_html(au, NULL, out, &d);
		diag_free(&d);
		break;
	}
	}
}
