/*
 * audit_html.c - the audit as one self-contained HTML page: a header with
 * the verdict, an SVG timeline of the communications process, the
 * findings, the metrics and the exceptions.
 *
 * The page loads nothing: inline CSS under a Content-Security-Policy that
 * forbids everything else, no script.  Every text that comes from the
 * record or the policy goes through esc_html(), which also repairs invalid
 * UTF-8 and drops characters XML cannot carry, so the SVG part is
 * well-formed XML on its own.  Status is always written in words and
 * drawn with a shape, never shown by colour alone, so the page survives
 * black-and-white printing.  The timeline is drawn by audit_svg.c; this
 * file writes the report around it, and the page around the report (the
 * head, the style sheet, @page A4) is the template audit-page.html, which
 * an organisation may replace with --templates DIR (format/html.h).
 */
#include "audit/audit_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_svg.h"
#include "base/esc.h"
#include "base/ts.h"
#include "format/html.h"
#include "format/tval.h"

/* ---- Text ----------------------------------------------------------- */

/* Like esc, with a line-break opportunity after each '/' (for subjects
 * such as "investor-relations/customer-email"). */
static void esc_breakable(struct buf *out, const char *s)
{
	const char *p = s ? s : "";
	for (;;) {
		const char *slash = strchr(p, '/');
		if (!slash) {
			esc_html(out, p);
			return;
		}
		char *part = xstrndup(p, (size_t)(slash - p) + 1);
		esc_html(out, part);
		free(part);
		buf_puts(out, "<wbr>");
		p = slash + 1;
	}
}

/* Appends <time datetime="RFC 3339">readable</time>. */
static void put_time(struct buf *out, int64_t t)
{
	char s[TS_BUFSZ], w[TS_BUFSZ];
	ts_format_utc(t, s);
	audit_svg_time_words(t, w);
	w[10] = '\0';
	/* The date does not break at its hyphens; the line may break before the time. */
	buf_printf(out, "<time datetime=\"%s\"><span class=\"d\">%s</span> %s</time>", s, w, w + 11);
}

/* Ends a table cell and writes the next, a time cell: the time, or
 * `none` when there is none. */
static void next_time_cell(struct buf *out, bool has, int64_t t, const char *none)
{
	buf_puts(out, "</td><td class=\"t\">");
	if (has)
		put_time(out, t);
	else
		buf_puts(out, none);
}

/* A duration for people: "4 h 12 min". */
static void put_dur(struct buf *out, int64_t secs)
{
	char h[TS_BUFSZ];
	ts_format_human(secs, h);
	buf_puts(out, h);
}

/* ---- Status --------------------------------------------------------- */

static const char *const status_class[AUDIT_STATUS_COUNT] = {
	"pass", "fail", "excepted", "na", "pending",
};

/* A glyph that says the status without colour. */
static const char *const status_glyph[AUDIT_STATUS_COUNT] = {
	"\xE2\x9C\x93",        /* ✓ */
	"\xE2\x9C\x97",        /* ✗ */
	"\xE2\x8A\x98",        /* ⊘ */
	"\xE2\x80\x93",        /* – */
	"\xE2\x97\xB7",        /* ◷ */
};

/* A status badge: glyph and word ("FAIL" in capitals), so it reads
 * without colour. */
static void put_status(struct buf *out, enum audit_status s)
{
	buf_printf(out, "<span class=\"badge b-%s\"><span aria-hidden=\"true\">%s</span> %s</span>",
		   status_class[s], status_glyph[s],
		   s == AUDIT_FAIL ? "FAIL" : audit_status_name(s));
}

/* ---- Header --------------------------------------------------------- */

/* Opens one item of the header's description list; the caller writes
 * the value and closes it with "</dd></div>". */
static void meta_item(struct buf *out, const char *cls, const char *label)
{
	buf_printf(out, "<div%s%s%s><dt>%s</dt><dd>", cls ? " class=\"" : "", cls ? cls : "",
		   cls ? "\"" : "", label);
}

/* One item of the header's description list with a text value. */
static void meta_text(struct buf *out, const char *label, const char *text)
{
	meta_item(out, NULL, label);
	esc_html(out, text);
	buf_puts(out, "</dd></div>\n");
}

/* The masthead: what was audited, against which policy, as of when,
 * the counts and the verdict; then the failed findings, if any. */
static void render_header(const struct audit *au, struct buf *out)
{
	const struct record *rec = au->rec;
	bool failed = audit_failed(au);
	buf_puts(out, "<header class=\"masthead\">\n<div class=\"mast-top\">\n<div>\n"
		 "<p class=\"eyebrow\">Communications process audit</p>\n<h1>");
	esc_html(out, rec->title);
	buf_puts(out, "</h1>\n<p class=\"sub\"><span class=\"mono\">");
	esc_html(out, rec->id);
	buf_printf(out, "</span> &#183; severity %s &#183; impact %s &#183; %s</p>\n</div>\n",
		   pol_severity_name(rec->severity), pol_impact_name(rec->impact),
		   audit_incident_status(au));
	static const char *const verdict_class[] = { "v-pass", "v-fail", "v-progress", "v-na" };
	enum audit_verdict v = audit_verdict(au);
	buf_printf(out, "<div class=\"verdict %s\"><span>Audit result</span><b>%s</b><span>",
		   verdict_class[v], audit_verdict_word(v));
	audit_verdict_detail(au, out);
	buf_puts(out, "</span></div>\n</div>\n<dl class=\"meta\">\n");

	char impact[64];
	snprintf(impact, sizeof(impact), "%s (%s)", pol_impact_name(rec->impact),
		 au->in_scope ? "in scope" : "out of scope");
	meta_text(out, "Incident", rec->id);
	meta_text(out, "Severity", pol_severity_name(rec->severity));
	meta_text(out, "Impact", impact);
	meta_text(out, "Status", audit_incident_status(au));
	meta_item(out, NULL, "Communications started (T0)");
	if (au->has_t0)
		put_time(out, au->t0);
	else
		buf_puts(out, "not yet");
	buf_puts(out, "</dd></div>\n");
	meta_item(out, NULL, "Audited as of");
	put_time(out, au->audited_at);
	buf_puts(out, "</dd></div>\n");
	meta_item(out, "wide", "Policy");
	esc_html(out, au->pol->name);
	if (au->pol->title && *au->pol->title) {
		buf_puts(out, " &#8212; ");
		esc_html(out, au->pol->title);
	}
	buf_printf(out, "<br><code title=\"SHA-256 of the policy file\">sha256:%s</code></dd></div>\n",
		   au->pol->sha256_hex);
	buf_puts(out, "</dl>\n<ul class=\"counts\" aria-label=\"Findings by status\">\n");
	for (int s = 0; s < AUDIT_STATUS_COUNT; s++)
		buf_printf(out, "<li class=\"c-%s%s\"><b>%zu</b>%s %s</li>\n", status_class[s],
			   au->counts[s] ? " some" : "", au->counts[s], status_glyph[s],
			   audit_status_name((enum audit_status)s));
	buf_puts(out, "</ul>\n</header>\n");

	if (!au->in_scope) {
		buf_printf(out, "<div class=\"note-box\"><p>Impact %s is below the plan's scope (impact %s "
			   "or greater): every rule is n/a.</p></div>\n", pol_impact_name(rec->impact),
			   pol_impact_name(au->pol->min_impact));
	}
	if (failed) {
		const size_t cap = 25;
		size_t shown = 0;
		buf_puts(out, "<section class=\"alert\" aria-label=\"Failed findings\">\n"
			 "<h2>&#10007; Failed findings</h2>\n<ul>\n");
		for (size_t i = 0; i < au->n_findings && shown < cap; i++) {
			const struct audit_finding *f = &au->findings[i];
			if (f->status != AUDIT_FAIL)
				continue;
			shown++;
			buf_printf(out, "<li><a href=\"#f-%zu\"><b>%s</b> ", i + 1, pol_rule_name(f->rule));
			esc_html(out, f->subject);
			buf_puts(out, "</a>: ");
			esc_html(out, f->note);
			buf_puts(out, "</li>\n");
		}
		if (au->counts[AUDIT_FAIL] > shown)
			buf_printf(out, "<li>&#8230; and %zu more in the findings table</li>\n",
				   au->counts[AUDIT_FAIL] - shown);
		buf_puts(out, "</ul>\n</section>\n");
	}
}

/* ---- Findings ------------------------------------------------------- */

/* Every finding, in the audit's order, each row with an id (f-N) the
 * timeline's marks and the failure list link to. */
static void render_findings(const struct audit *au, struct buf *out)
{
	buf_printf(out, "<section id=\"findings\">\n<h2>Findings (%zu)</h2>\n", au->n_findings);
	buf_puts(out, "<table class=\"findings\">\n<colgroup><col class=\"c-st\"><col class=\"c-rule\">"
		 "<col class=\"c-subj\"><col class=\"c-t\"><col class=\"c-t\"><col class=\"c-ev\"><col></colgroup>\n"
		 "<thead><tr><th>Status</th><th>Rule</th><th>Subject</th>"
		 "<th>Due</th><th>Met</th><th class=\"wrap\">Evidence (lines)</th><th>Note</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		bool newrule = i > 0 && au->findings[i - 1].rule != f->rule;
		buf_printf(out, "<tr id=\"f-%zu\" class=\"r-%s%s\"><td class=\"st\">", i + 1,
			   status_class[f->status], newrule ? " newrule" : "");
		put_status(out, f->status);
		buf_printf(out, "</td><td class=\"rule\">%s</td><td class=\"subj\">", pol_rule_name(f->rule));
		esc_breakable(out, f->subject);
		next_time_cell(out, f->has_due, f->due, "");
		next_time_cell(out, f->has_met, f->met, "");
		buf_puts(out, "</td><td class=\"ev\">");
		for (size_t k = 0; k < f->n_evidence; k++) {
			char s[TS_BUFSZ];
			audit_svg_time_words(f->evidence[k].at, s);
			buf_printf(out, "%s<span title=\"", k ? ", " : "");
			esc_html(out, f->evidence[k].type);
			buf_printf(out, " at %s\">%ld</span>", s, f->evidence[k].line);
		}
		buf_puts(out, "</td><td class=\"note\">");
		esc_html(out, f->note);
		if (f->exception) {
			buf_puts(out, f->note ? " " : "");
			buf_puts(out, "<em>(exception ");
			esc_html(out, f->exception->id);
			buf_puts(out, f->retroactive ? ", approved retroactively)</em>" : ")</em>");
		}
		buf_puts(out, "</td></tr>\n");
	}
	buf_puts(out, HTML_TABLE_END "</section>\n");
}

/* ---- Metrics -------------------------------------------------------- */

/* The finding of a rule about a group and an artifact (-1: none), or NULL. */
static const struct audit_finding *find_finding(const struct audit *au, enum pol_rule rule,
						int group, int artifact)
{
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		if (f->rule == rule && f->group == group && f->artifact == artifact)
			return f;
	}
	return NULL;
}

/* The title of a group or artifact by id; the id when unknown. */
static const char *group_title(const struct policy *pol, const char *id)
{
	int g = pol_group_index(pol, id);
	return g >= 0 ? pol->groups[g].title : id;
}

static const char *artifact_title(const struct policy *pol, const char *id)
{
	int a = pol_artifact_index(pol, id);
	return a >= 0 ? pol->artifacts[a].title : id;
}

/* The rest of a metric table's row after the name: the time it took
 * (NULL: "not deployed"), flagged when bad with `flag` after it, and the
 * status of the finding that judged it. */
static void metric_cells(struct buf *out, const int64_t *secs, bool bad, const char *flag,
			 const struct audit_finding *f)
{
	buf_puts(out, "</td><td class=\"n\">");
	if (!secs) {
		buf_puts(out, "not deployed");
	} else {
		buf_puts(out, bad ? "<span class=\"bad\">" : "");
		put_dur(out, *secs);
		if (bad)
			buf_printf(out, "%s</span>", flag);
	}
	buf_puts(out, "</td><td class=\"st\">");
	if (f)
		put_status(out, f->status);
	buf_puts(out, "</td></tr>\n");
}

/* How long a group took to answer a request (0 if it did not). */
static int64_t answer_seconds(const struct audit_pair *p)
{
	return p->answer ? p->answer->at - p->request->at : 0;
}

/* The response times: one row per group, round and request, with the
 * artifacts that got the same answer at the same time together. */
static void render_responses(const struct audit *au, struct buf *out)
{
	const struct pol_target *tg = &au->pol->targets[au->rec->severity];
	char h[TS_BUFSZ];
	ts_format_human(tg->response, h);
	buf_printf(out, "<h3>Response times per group and round</h3>\n<p class=\"sub\">From the request "
		   "to the group's answer; the response window is %s. Whether a late or missing answer failed depends on the back-ups: see REVIEW-RESPONSE and APPROVAL-RESPONSE.</p>\n", h);
	buf_puts(out, HTML_TABLE("<th>Group</th><th>Round</th><th>Requested</th>"
				 "<th class=\"n\">Response time</th><th>Artifacts</th>"));
	bool *done = xcalloc(au->n_pairs + 1, sizeof(*done));
	for (size_t g = 0; g < au->pol->n_groups; g++) {
		for (int r = REC_ROUND_REVIEW; r <= REC_ROUND_FINAL; r++) {
			for (size_t i = 0; i < au->n_pairs; i++) {
				const struct audit_pair *x = &au->pairs[i];
				if (done[i] || x->round != (enum rec_round)r || x->group != (int)g)
					continue;
				buf_puts(out, "<tr><td>");
				esc_html(out, au->pol->groups[g].title);
				buf_printf(out, "</td><td>%s</td><td class=\"t\">", rec_round_name(x->round));
				put_time(out, x->request->at);
				buf_puts(out, "</td><td class=\"n\">");
				if (!x->answer) {
					buf_puts(out, "<span class=\"warn\">&#9675; no answer</span>");
				} else if (answer_seconds(x) > tg->response) {
					buf_puts(out, "<span class=\"warn\">");
					put_dur(out, answer_seconds(x));
					buf_puts(out, " &#9650; over the window</span>");
				} else {
					put_dur(out, answer_seconds(x));
				}
				buf_puts(out, "</td><td>");
				size_t n = 0;
				for (size_t j = i; j < au->n_pairs; j++) {
					const struct audit_pair *y = &au->pairs[j];
					if (done[j] || y->round != x->round || y->group != x->group ||
					    y->request->at != x->request->at || !y->answer != !x->answer ||
					    answer_seconds(y) != answer_seconds(x))
						continue;
					done[j] = true;
					buf_puts(out, n++ ? ", " : "");
					esc_html(out, au->pol->artifacts[y->artifact].id);
				}
				buf_puts(out, "</td></tr>\n");
			}
		}
	}
	free(done);
	buf_puts(out, HTML_TABLE_END);
}

/* The metrics: key figures, turnaround per artifact, longest update
 * gaps, response times and the back-up engagements. */
static void render_metrics(const struct audit *au, struct buf *out)
{
	const struct audit_metrics *m = &au->metrics;
	const struct policy *pol = au->pol;
	const struct pol_target *tg = &pol->targets[au->rec->severity];
	char h[TS_BUFSZ], l[96];
	buf_puts(out, "<section id=\"metrics\">\n<h2>Metrics</h2>\n<div class=\"stats\">\n");
	if (m->has_first_draft)
		ts_format_human(m->first_draft, h);
	if (tg->has_drafting) {
		char b[TS_BUFSZ];
		ts_format_human(tg->drafting, b);
		snprintf(l, sizeof(l), "time to first draft (budget %s)", b);
	} else {
		snprintf(l, sizeof(l), "time to first draft");
	}
	html_stat(out, m->has_first_draft ? h : "&#8212;", l);
	snprintf(h, sizeof(h), "%zu", m->backups_engaged);
	html_stat(out, h, "back-up engagements");
	snprintf(h, sizeof(h), "%zu", m->quorum_deployments);
	html_stat(out, h, "deployments under the cutoff quorum");
	size_t deployed = 0;
	for (size_t i = 0; i < m->n_turnaround; i++)
		deployed += m->turnaround[i].deployed;
	snprintf(h, sizeof(h), "%zu of %zu", deployed, m->n_turnaround);
	html_stat(out, h, "external artifacts deployed");
	buf_puts(out, "</div>\n<div class=\"cols\">\n<div>\n");

	buf_puts(out, "<h3>Turnaround per artifact</h3>\n");
	if (m->n_turnaround) {
		if (tg->has_turnaround) {
			ts_format_human(tg->turnaround, h);
			buf_printf(out, "<p class=\"sub\">From T0 to the first deployment; the target is %s.</p>\n", h);
		} else {
			buf_printf(out, "<p class=\"sub\">From T0 to the first deployment; the policy sets no "
				   "turnaround for %s.</p>\n", pol_severity_name(au->rec->severity));
		}
		buf_puts(out, HTML_TABLE("<th>Artifact</th><th class=\"n\">Turnaround</th><th>Finding</th>"));
		for (size_t i = 0; i < m->n_turnaround; i++) {
			const struct audit_turnaround *x = &m->turnaround[i];
			buf_puts(out, "<tr><td>");
			esc_html(out, artifact_title(pol, x->artifact));
			buf_puts(out, " <span class=\"sub mono\">");
			esc_html(out, x->artifact);
			buf_puts(out, "</span>");
			metric_cells(out, x->deployed ? &x->seconds : NULL,
				     tg->has_turnaround && x->seconds > tg->turnaround, " &#9650; over",
				     find_finding(au, POL_RULE_TURNAROUND, -1,
						  pol_artifact_index(pol, x->artifact)));
		}
		buf_puts(out, HTML_TABLE_END);
	} else {
		buf_puts(out, "<p class=\"sub\">No external artifact is in play.</p>\n");
	}
	buf_puts(out, "</div>\n<div>\n<h3>Longest gap between updates</h3>\n");
	if (m->n_gaps) {
		buf_puts(out, HTML_TABLE("<th>Group</th><th class=\"n\">Longest gap</th><th>Finding</th>"));
		for (size_t i = 0; i < m->n_gaps; i++) {
			const struct audit_finding *f = find_finding(au, POL_RULE_UPDATE_CADENCE,
								     pol_group_index(pol, m->gaps[i].group), -1);
			buf_puts(out, "<tr><td>");
			esc_html(out, group_title(pol, m->gaps[i].group));
			metric_cells(out, &m->gaps[i].seconds, f && f->status == AUDIT_FAIL, "", f);
		}
		buf_puts(out, HTML_TABLE_END);
	} else {
		buf_puts(out, "<p class=\"sub\">No group has an update cadence for this incident.</p>\n");
	}
	buf_puts(out, "</div>\n</div>\n");

	if (au->n_pairs)
		render_responses(au, out);
	else
		buf_puts(out, "<h3>Response times per group and round</h3>\n"
			 "<p class=\"sub\">No review or approval was requested.</p>\n");

	/* The back-up engagements themselves, as the record has them. */
	const struct record *rec = au->rec;
	size_t shown = 0;
	for (size_t i = 0; i < rec->n_events && rec->events[i].at <= au->audited_at; i++) {
		const struct rec_event *ev = &rec->events[i];
		if (ev->type != REC_EV_BACKUP_ENGAGED)
			continue;
		if (shown == 0)
			buf_puts(out, "<h3>Back-up engagements</h3>\n"
				 HTML_TABLE("<th>When</th><th>Group</th><th>Round</th><th>By</th><th>Line</th>"));
		if (shown++ == 50) {
			buf_printf(out, "<tr><td colspan=\"5\">&#8230; %zu in all</td></tr>\n", m->backups_engaged);
			break;
		}
		buf_puts(out, "<tr><td class=\"t\">");
		put_time(out, ev->at);
		buf_puts(out, "</td><td>");
		if (ev->group >= 0 && (size_t)ev->group < pol->n_groups)
			esc_html(out, pol->groups[ev->group].title);
		buf_printf(out, "</td><td>%s</td><td>", ev->round ? rec_round_name(ev->round) : "any");
		esc_html(out, ev->by);
		buf_printf(out, "</td><td class=\"n\">%ld</td></tr>\n", ev->line);
	}
	if (shown)
		buf_puts(out, HTML_TABLE_END);
	buf_puts(out, "</section>\n");
}

/* ---- Exceptions ----------------------------------------------------- */

/* The record's exceptions, how each was used and what it excused. */
static void render_exceptions(const struct audit *au, struct buf *out)
{
	buf_printf(out, "<section id=\"exceptions\">\n<h2>Exceptions (%zu)</h2>\n", au->n_exceptions);
	if (!au->n_exceptions) {
		buf_puts(out, "<p class=\"sub\">The record has no exceptions.</p>\n</section>\n");
		return;
	}
	buf_puts(out, HTML_TABLE("<th>Id</th><th>Rule</th><th>Subject</th><th>Approved by</th>"
				 "<th>Approved</th><th>Expires</th><th>State</th>"
				 "<th class=\"n\">Findings excused</th>"));
	for (size_t x = 0; x < au->n_exceptions; x++) {
		const struct audit_exception_use *u = &au->exceptions[x];
		const struct rec_exception *e = u->exception;
		buf_puts(out, "<tr class=\"has-detail\"><td class=\"mono id\">");
		esc_html(out, e->id);
		buf_printf(out, "</td><td class=\"rule\">%s</td><td class=\"subj\">", pol_rule_name(e->rule));
		if (e->subject)
			esc_breakable(out, e->subject);
		else
			buf_puts(out, "<em>(any)</em>");
		buf_puts(out, "</td><td>");
		esc_html(out, e->approved_by);
		next_time_cell(out, true, e->approved_at, "");
		next_time_cell(out, e->has_expires, e->expires, "never");
		bool odd = u->state != AUDIT_EXC_USED && u->state != AUDIT_EXC_UNUSED;
		buf_printf(out, "</td><td>%s%s%s</td><td class=\"n\">%zu</td></tr>\n",
			   odd ? "<span class=\"bad\">" : "", audit_exception_state_name(u->state),
			   odd ? "</span>" : "", u->n_excused);
		buf_puts(out, "<tr class=\"detail\"><td></td><td colspan=\"7\">");
		buf_puts(out, "<b>Requested by</b> ");
		esc_html(out, e->requested_by);
		buf_puts(out, ". <b>Justification:</b> ");
		esc_html_n(out, e->justification, 2000);
		if (e->compensating) {
			buf_puts(out, " <b>Compensating controls:</b> ");
			esc_html_n(out, e->compensating, 2000);
		}
		size_t listed = 0;
		for (size_t i = 0; i < au->n_findings && listed < 10; i++) {
			const struct audit_finding *f = &au->findings[i];
			if (f->exception != e)
				continue;
			buf_printf(out, "%s<a href=\"#f-%zu\">%s ", listed++ ? ", " : " <b>Excused:</b> ", i + 1,
				   pol_rule_name(f->rule));
			esc_html(out, f->subject);
			buf_printf(out, "</a>%s", f->retroactive ? " (retroactive)" : "");
		}
		if (u->n_excused > listed)
			buf_puts(out, ", &#8230;");
		buf_puts(out, "</td></tr>\n");
	}
	buf_puts(out, HTML_TABLE_END "</section>\n");
}

/* ---- The page ------------------------------------------------------- */

/* The line at the foot of the page: what it was made from, and how to
 * read its times and numbers. */
static void render_footer(const struct audit *au, struct buf *out)
{
	buf_puts(out, "<footer>Generated by sircomm from incident <span class=\"mono\">");
	esc_html(out, au->rec->id);
	buf_puts(out, "</span> and policy <span class=\"mono\">");
	esc_html(out, au->pol->name);
	char at[TS_BUFSZ];
	audit_svg_time_words(au->audited_at, at);
	buf_printf(out, "</span>, as of %s. Times are UTC. Evidence numbers are lines of the record.</footer>\n",
		   at);
}

/* What audit-page.html sees besides the body (docs/templates.md). */
static struct tval *page_values(const struct audit *au, struct arena *a)
{
	struct tval *incident = tval_map(a);
	tval_set_str(incident, "id", au->rec->id);
	tval_set_str(incident, "title", au->rec->title);
	tval_set_str(incident, "severity", pol_severity_name(au->rec->severity));
	tval_set_str(incident, "impact", pol_impact_name(au->rec->impact));
	tval_set_str(incident, "status", audit_incident_status(au));
	struct tval *policy = tval_map(a);
	tval_set_str(policy, "name", au->pol->name);
	tval_set_str(policy, "sha256", au->pol->sha256_hex);
	char at[TS_BUFSZ];
	audit_svg_time_words(au->audited_at, at);
	struct tval *audit = tval_map(a);
	tval_set_str(audit, "as_of", at);
	tval_set_str(audit, "result", audit_verdict_word(audit_verdict(au)));
	tval_set_bool(audit, "failed", audit_failed(au));
	tval_set_bool(audit, "in_scope", au->in_scope);
	struct tval *ctx = tval_map(a);
	tval_set(ctx, "incident", incident);
	tval_set(ctx, "policy", policy);
	tval_set(ctx, "audit", audit);
	return ctx;
}

/* See audit_report.h. */
int audit_render_html(const struct audit *au, const struct tmpl_set *tpl, struct buf *out,
		      struct diag *d)
{
	struct buf body = BUF_INIT;
	render_header(au, &body);
	audit_svg_timeline(au, &body);
	render_findings(au, &body);
	if (au->in_scope)
		render_metrics(au, &body);
	render_exceptions(au, &body);
	render_footer(au, &body);
	struct arena a = ARENA_INIT;
	int rc = html_page(tpl, "audit-page.html", page_values(au, &a), &body, out, d);
	arena_free(&a);
	buf_free(&body);
	return rc;
}
