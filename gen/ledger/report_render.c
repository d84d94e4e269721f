/* report_render.c - what the report's renderers share: the formats, the
 * way shares, durations and hour buckets are written, and the switch to
 * the renderer of each format. */
#include "ledger/report.h"
#include "report_int.h"

#include <stdio.h>
#include <string.h>

#include "base/ts.h"

/* ---- Formats ----------------------------------------------------------- */

static const char *const format_names[] = { "md", "html", "csv", "json" };

const char *report_format_name(enum report_format f)
{
	return format_names[f];
}

int report_format_parse(const char *s)
{
	return name_index(format_names, 4, s);
}

/* ---- Shared pieces of rendering ------------------------------------- */

/* A share for machines: at most four decimals, trailing zeros dropped
 * but one ("1.0", "0.5", "0.9412"), as sqlite3 prints round(x, 4). */
void report_share_num(struct buf *out, double v)
{
	char s[32];
	snprintf(s, sizeof(s), "%.4f", v);
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '0' && s[n - 2] != '.')
		s[--n] = '\0';
	buf_puts(out, s);
}

/* A share for people: "94.1 %", or `none` when there is no share. */
void report_share_pct(struct buf *out, struct report_real v, const char *none)
{
	if (v.has)
		buf_printf(out, "%.1f %%", v.v * 100.0);
	else
		buf_puts(out, none);
}

/* A duration for people: "3 h 4 min", or `none`. */
void report_dur(struct buf *out, struct report_int v, const char *none)
{
	if (!v.has) {
		buf_puts(out, none);
		return;
	}
	char h[TS_BUFSZ];
	ts_format_human(v.v, h);
	buf_puts(out, h);
}

const char *const report_bucket_label[REPORT_BUCKETS] = {
	"0\xE2\x80\x93" "1 h", "1\xE2\x80\x93" "2 h", "2\xE2\x80\x93" "3 h", "3\xE2\x80\x93" "4 h",
	"4\xE2\x80\x93" "5 h", "5\xE2\x80\x93" "6 h", "6\xE2\x80\x93" "7 h", "7\xE2\x80\x93" "8 h",
	"8 h or more",
};

const char *report_plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---- The figures as the machine formats name them ---------------------- */

size_t report_rows(const struct report *r, int q)
{
	switch (q) {
	case REPORT_Q_BY_SEVERITY: return 4;
	case REPORT_Q_TURNAROUND: return r->n_turnaround;
	case REPORT_Q_HISTOGRAM: return REPORT_BUCKETS;
	case REPORT_Q_DRAFTING: return r->n_drafting;
	case REPORT_Q_RESPONSES: return r->n_responses;
	case REPORT_Q_FAILURES: return r->n_failures;
	case REPORT_Q_EXCEPTIONS: return r->n_exceptions;
	default: return 1;
	}
}

void report_subject(const struct report *r, int q, size_t i, struct buf *out)
{
	switch (q) {
	case REPORT_Q_BY_SEVERITY: buf_puts(out, r->by_severity[i].severity); break;
	case REPORT_Q_TURNAROUND: buf_puts(out, r->turnaround[i].severity); break;
	case REPORT_Q_HISTOGRAM: buf_printf(out, "%zu", i); break;
	case REPORT_Q_DRAFTING: buf_puts(out, r->drafting[i].severity); break;
	case REPORT_Q_RESPONSES:
		buf_printf(out, "%s/%s", r->responses[i].group, r->responses[i].round);
		break;
	case REPORT_Q_FAILURES: buf_puts(out, r->failures[i].rule); break;
	case REPORT_Q_EXCEPTIONS:
		buf_printf(out, "%s/%s/%s", r->exceptions[i].id, r->exceptions[i].kind,
			   r->exceptions[i].rule);
		break;
	}
}

/* A figure that is always there, one that may be NULL, a share. */
#define FIG(name, v) { (name), false, { true, (v) }, { false, 0 } }
#define FIG_OPT(name, v) { (name), false, (v), { false, 0 } }
#define FIG_SHARE(name, v) { (name), true, { false, 0 }, (v) }

/* Copies the figures of the array `list` into figs; returns how many. */
#define COPY_FIGS(list) \
	(memcpy(figs, (list), sizeof(list)), sizeof(list) / sizeof((list)[0]))

size_t report_figures(const struct report *r, int q, size_t i,
		      struct report_fig figs[REPORT_FIGS_MAX])
{
	if (q == REPORT_Q_TOTALS) {
		const struct report_fig f[] = {
			FIG("incidents", r->totals.incidents), FIG("in_scope", r->totals.in_scope),
			FIG("out_of_scope", r->totals.out_of_scope),
			FIG("in_scope_failed", r->totals.in_scope_failed),
			FIG("no_comms_started", r->totals.no_comms_started),
		};
		return COPY_FIGS(f);
	}
	if (q == REPORT_Q_BY_SEVERITY) {
		const struct report_fig f[] = {
			FIG("incidents", r->by_severity[i].incidents), FIG("in_scope", r->by_severity[i].in_scope),
			FIG("out_of_scope", r->by_severity[i].out_of_scope), FIG("failed", r->by_severity[i].failed),
		};
		return COPY_FIGS(f);
	}
	if (q == REPORT_Q_S1_TURNAROUND) {
		const struct report_fig f[] = {
			FIG("artifacts", r->s1.artifacts), FIG("met", r->s1.met), FIG("missed", r->s1.missed),
			FIG("excepted", r->s1.excepted), FIG("pending", r->s1.pending),
			FIG_SHARE("meeting_share", r->s1.meeting_share),
		};
		return COPY_FIGS(f);
	}
	if (q == REPORT_Q_TURNAROUND) {
		const struct report_stats *s = &r->turnaround[i];
		const struct report_fig f[] = {
			FIG("deployed", s->n), FIG("not_deployed", s->missing),
			FIG_OPT("median_seconds", s->median), FIG_OPT("p90_seconds", s->p90),
		};
		return COPY_FIGS(f);
	}
	if (q == REPORT_Q_HISTOGRAM) {
		const struct report_fig f[] = { FIG("artifacts", r->histogram[i]) };
		return COPY_FIGS(f);
	}
	if (q == REPORT_Q_DRAFTING) {
		const struct report_stats *s = &r->drafting[i];
		const struct report_fig f[] = {
			FIG("incidents", s->n), FIG_OPT("median_seconds", s->median),
			FIG_OPT("p90_seconds", s->p90),
		};
		return COPY_FIGS(f);
	}
	if (q == REPORT_Q_RESPONSES) {
		const struct report_response *x = &r->responses[i];
		const struct report_fig f[] = {
			FIG("n", x->n), FIG("answered", x->answered), FIG_OPT("median_seconds", x->median),
			FIG_OPT("p90_seconds", x->p90), FIG_SHARE("within_window_share", x->within_window_share),
		};
		return COPY_FIGS(f);
	}
	if (q == REPORT_Q_BACKUPS_QUORUM) {
		const struct report_fig f[] = {
			FIG("backups_engaged", r->backups_engaged),
			FIG("incidents_with_backups", r->incidents_with_backups),
			FIG("quorum_deployments", r->quorum_deployments),
			FIG("incidents_with_quorum", r->incidents_with_quorum),
		};
		return COPY_FIGS(f);
	}
	if (q == REPORT_Q_FAILURES) {
		const struct report_fig f[] = {
			FIG("findings", r->failures[i].findings), FIG("incidents", r->failures[i].incidents),
		};
		return COPY_FIGS(f);
	}
	if (q == REPORT_Q_EXCEPTIONS) {
		const struct report_exception *x = &r->exceptions[i];
		const struct report_fig f[] = {
			FIG("findings_excused", x->findings_excused), FIG("incidents", x->incidents),
			FIG("retroactive", x->retroactive),
		};
		return COPY_FIGS(f);
	}
	return 0;
}

/* ---- Rendering --------------------------------------------------------- */

void report_render(const struct report *r, enum report_format f, struct buf *out)
{
	switch (f) {
	case REPORT_FORMAT_MD: report_render_md(r, out); break;
	case REPORT_FORMAT_HTML: report_render_html(r, out); break;
	case REPORT_FORMAT_CSV: report_render_csv(r, out); break;
	case REPORT_FORMAT_JSON: report_render_json(r, out); break;
	}
}
