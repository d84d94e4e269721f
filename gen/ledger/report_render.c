/* report_render.c - what the report's renderers share: the way shares,
 * durations and hour buckets are written, the sentences md and html both
 * say, and the walk over a table's rows. */
#include "ledger/report.h"
#include "report_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/ts.h"

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

void report_fig_people(struct buf *out, const struct report_fig *f, const char *none)
{
	if (f->kind == REPORT_FIG_SHARE)
		report_share_pct(out, f->share, none);
	else if (f->kind == REPORT_FIG_SECONDS)
		report_dur(out, f->n, none);
	else
		buf_printf(out, "%" PRId64, f->n.v);
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
	case REPORT_Q_NOTIFICATIONS: return r->n_notify;
	case REPORT_Q_LATE_NOTIFICATIONS: return r->n_late;
	default: return 1;
	}
}

size_t report_keys(const struct report *r, int q, size_t i, const char *keys[3])
{
	switch (q) {
	case REPORT_Q_BY_SEVERITY: keys[0] = r->by_severity[i].severity; return 1;
	case REPORT_Q_TURNAROUND: keys[0] = r->turnaround[i].severity; return 1;
	case REPORT_Q_DRAFTING: keys[0] = r->drafting[i].severity; return 1;
	case REPORT_Q_RESPONSES:
		keys[0] = r->responses[i].group;
		keys[1] = r->responses[i].round;
		return 2;
	case REPORT_Q_FAILURES: keys[0] = r->failures[i].rule; return 1;
	case REPORT_Q_EXCEPTIONS:
		keys[0] = r->exceptions[i].id;
		keys[1] = r->exceptions[i].kind;
		keys[2] = r->exceptions[i].rule;
		return 3;
	case REPORT_Q_NOTIFICATIONS:
		keys[0] = r->notify[i].regime;
		keys[1] = r->notify[i].stage;
		return 2;
	case REPORT_Q_LATE_NOTIFICATIONS:
		keys[0] = r->late[i].incident;
		keys[1] = r->late[i].subject;
		keys[2] = r->late[i].reason;
		return 3;
	}
	return 0;
}

void report_subject(const struct report *r, int q, size_t i, struct buf *out)
{
	if (q == REPORT_Q_HISTOGRAM) {
		buf_printf(out, "%zu", i);
		return;
	}
	const char *keys[3];
	size_t n = report_keys(r, q, i, keys);
	for (size_t k = 0; k < n; k++)
		buf_printf(out, "%s%s", k ? "/" : "", keys[k]);
}

/* A count, a duration that may be NULL, a share that may be NULL. */
#define FIG(name, v) { (name), REPORT_FIG_COUNT, { true, (v) }, { false, 0 } }
#define FIG_SECONDS(name, v) { (name), REPORT_FIG_SECONDS, (v), { false, 0 } }
#define FIG_SHARE(name, v) { (name), REPORT_FIG_SHARE, { false, 0 }, (v) }

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
			FIG_SECONDS("median_seconds", s->median), FIG_SECONDS("p90_seconds", s->p90),
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
			FIG("incidents", s->n), FIG_SECONDS("median_seconds", s->median),
			FIG_SECONDS("p90_seconds", s->p90),
		};
		return COPY_FIGS(f);
	}
	if (q == REPORT_Q_RESPONSES) {
		const struct report_response *x = &r->responses[i];
		const struct report_fig f[] = {
			FIG("n", x->n), FIG("answered", x->answered), FIG_SECONDS("median_seconds", x->median),
			FIG_SECONDS("p90_seconds", x->p90), FIG_SHARE("within_window_share", x->within_window_share),
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
	if (q == REPORT_Q_NOTIFICATIONS) {
		const struct report_notify *x = &r->notify[i];
		const struct report_fig f[] = {
			FIG("on_time", x->on_time), FIG("late", x->late), FIG("overdue", x->overdue),
			FIG("excepted", x->excepted), FIG("pending", x->pending),
			FIG_SHARE("on_time_share", x->on_time_share),
			FIG_SECONDS("worst_margin_seconds", x->worst_margin),
		};
		return COPY_FIGS(f);
	}
	if (q == REPORT_Q_LATE_NOTIFICATIONS) {
		const struct report_fig f[] = {
			FIG_SECONDS("late_seconds", ((struct report_int){ true, r->late[i].late_seconds })),
		};
		return COPY_FIGS(f);
	}
	return 0;
}

/* ---- Sentences for people (md, html) ------------------------------------- */

void report_say_period(const struct report *r, bool capital, struct buf *out)
{
	const struct report_period *p = &r->period;
	if (p->has_from && p->has_to)
		buf_printf(out, "%s to %s (UTC, both days included)", p->from_day, p->to_day);
	else if (p->has_from)
		buf_printf(out, "%s %s (UTC) on", capital ? "From" : "from", p->from_day);
	else if (p->has_to)
		buf_printf(out, "%s %s (UTC, included)", capital ? "Up to" : "up to", p->to_day);
	else
		buf_printf(out, "%s incidents in the ledger", capital ? "All" : "all");
}

void report_say_no_comms(const struct report *r, struct buf *out)
{
	int64_t n = r->totals.no_comms_started;
	if (n)
		buf_printf(out, "No communications started: %" PRId64 " %s detected in the period %s no "
			   "T0; %s counted here only, in no other figure.", n,
			   report_plural(n, "incident", "incidents"), report_plural(n, "has", "have"),
			   report_plural(n, "it is", "they are"));
	else
		buf_puts(out, "No communications started: no incident detected in the period lacks a T0.");
}

void report_say_scope(const struct report *r, struct buf *out)
{
	buf_printf(out, "The figures below count the %" PRId64 " in-scope %s only",
		   r->totals.in_scope, report_plural(r->totals.in_scope, "incident", "incidents"));
	if (r->totals.out_of_scope)
		buf_printf(out, "; the %" PRId64 " out of the plan's scope %s counted above only",
			   r->totals.out_of_scope, report_plural(r->totals.out_of_scope, "is", "are"));
	buf_putc(out, '.');
}

void report_say_s1(const struct report *r, const char *b_open, const char *b_close, const char *brk,
		   struct buf *out)
{
	buf_puts(out, b_open);
	report_share_pct(out, r->s1.meeting_share, "No share yet");
	buf_printf(out, "%s of the decided S1 artifacts met the turnaround: %" PRId64 " met, %" PRId64
		   " missed, %" PRId64 " excepted; %" PRId64 " pending.%sMet: the TURNAROUND finding "
		   "passed.  The share is met / (met + missed + excepted): an excepted artifact did not "
		   "meet the turnaround; pending ones (not decided yet) are left out.", b_close,
		   r->s1.met, r->s1.missed, r->s1.excepted, r->s1.pending, brk);
}

/* ---- Tables for people (md, html) --------------------------------------- */

void report_table_row(const struct report *r, int q, size_t i, const struct report_table_style *st,
		      struct buf *out)
{
	const char *keys[3];
	struct report_fig f[REPORT_FIGS_MAX];
	size_t nk = report_keys(r, q, i, keys), nf = report_figures(r, q, i, f);
	buf_puts(out, st->row_open);
	for (size_t k = 0; k < nk; k++) {
		buf_puts(out, st->key_open);
		st->text(out, keys[k]);
		buf_puts(out, st->key_close);
	}
	for (size_t k = 0; k < nf; k++) {
		buf_puts(out, st->fig_open);
		report_fig_people(out, &f[k], st->null);
		buf_puts(out, st->fig_close);
	}
	buf_puts(out, st->row_close);
}

void report_table(const struct report *r, int q, const struct report_table_style *st,
		  const char *head, const char *none, struct buf *out)
{
	size_t n = report_rows(r, q);
	if (n == 0) {
		buf_puts(out, st->none_open);
		buf_puts(out, none);
		buf_puts(out, st->none_close);
		return;
	}
	buf_puts(out, head);
	for (size_t i = 0; i < n; i++)
		report_table_row(r, q, i, st, out);
	buf_puts(out, st->table_close);
}
