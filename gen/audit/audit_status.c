/* audit_status.c - the live view for the comms manager: the audit with
 * the horizon at "now", sorted into what to do next. */
#include "audit/audit_report.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/ts.h"
#include "model/timeline.h"

/* "15:32 (7 min left)" or "15:00 (25 min ago)", in the display zone. */
static void when(const struct audit *au, int64_t t, struct buf *out)
{
	char iso[TS_BUFSZ], human[TS_BUFSZ];
	ts_format_offset(t, au->pol->zone_offset, iso);
	ts_format_human(t >= au->audited_at ? t - au->audited_at : au->audited_at - t, human);
	buf_printf(out, "%.10s %.5s %s (%s %s)", iso, iso + 11, au->pol->zone_name, human,
		   t >= au->audited_at ? "left" : "ago");
}

/* The group a finding is about, or NULL. */
static const struct pol_group *group_of(const struct audit *au, const struct audit_finding *f)
{
	return f->group >= 0 ? &au->pol->groups[f->group] : NULL;
}

/* The title of the artifact a finding is about (its subject if none). */
static const char *artifact_title(const struct audit *au, const struct audit_finding *f)
{
	return f->artifact >= 0 ? au->pol->artifacts[f->artifact].title : f->subject;
}

static void backups(const struct pol_group *g, struct buf *out)
{
	if (g->n_chain < 2) {
		buf_puts(out, "no back-ups in the policy");
		return;
	}
	for (size_t i = 1; i < g->n_chain; i++)
		buf_printf(out, "%s%s", i > 1 ? ", then " : "", g->chain[i]);
}

static bool is_response(const struct audit_finding *f)
{
	return f->rule == POL_RULE_REVIEW_RESPONSE || f->rule == POL_RULE_APPROVAL_RESPONSE;
}

/* Kind 0: an answer still awaited within its window; kind 1: a window
 * closed with no answer in it and no back-ups engaged, where back-ups are
 * the move (before the grace ends, or late). */
static bool wanted(const struct audit_finding *f, int kind)
{
	if (!is_response(f))
		return false;
	if (kind == 0)
		return f->reason == AUDIT_R_DUE;
	return f->reason == AUDIT_R_ENGAGE_BACKUPS ||
	       (f->status == AUDIT_FAIL && f->reason == AUDIT_R_NO_STAND_IN && !f->detail.pair->backup);
}

static const char *round_of(const struct audit_finding *f)
{
	return f->rule == POL_RULE_REVIEW_RESPONSE ? "review" : "final approval";
}

void audit_render_status(const struct audit *au, struct buf *out)
{
	const struct record *rec = au->rec;
	const struct pol_target *tg = &au->pol->targets[rec->severity];
	char iso[TS_BUFSZ];
	ts_format_offset(au->audited_at, au->pol->zone_offset, iso);
	buf_printf(out, "%s  %s\n%s, impact %s, %s; as of %.10s %.5s %s\n", rec->id, rec->title,
		   pol_severity_name(rec->severity), pol_impact_name(rec->impact),
		   audit_incident_status(au), iso, iso + 11, au->pol->zone_name);
	if (!au->in_scope) {
		buf_printf(out, "\nImpact %s is below the plan's scope (impact %s or greater): nothing is owed.\n",
			   pol_impact_name(rec->impact), pol_impact_name(au->pol->min_impact));
		return;
	}

	buf_puts(out, "\nDeadlines\n");
	const struct rec_event *started = au->has_t0 ? NULL
		: tl_shown_by(rec, REC_EV_COMMS_STARTED, au->audited_at);
	if (started) {
		/* The audit fails what counts from it as unproven: say so
		 * rather than "not started". */
		char at[TS_BUFSZ];
		ts_format_offset(started->at, au->pol->zone_offset, at);
		buf_printf(out, "  Communications started (the %s event at %.10s %.5s %s shows it), but the "
			   "record has no comms-started event: the turnaround cannot be proven.\n",
			   rec_event_type_name(started->type), at, at + 11, au->pol->zone_name);
	} else if (!au->has_t0) {
		buf_puts(out, "  Communications have not started (no comms-started event).\n");
	} else if (tg->has_turnaround) {
		size_t open = 0;
		for (size_t i = 0; i < au->n_findings; i++)
			open += au->findings[i].rule == POL_RULE_TURNAROUND &&
				au->findings[i].status == AUDIT_PENDING;
		buf_puts(out, open ? "  Turnaround: approved and deployed by " :
			 "  Turnaround: nothing left to deploy (deadline ");
		when(au, au->t0 + tg->turnaround, out);
		buf_puts(out, open ? "\n" : ")\n");
	} else {
		buf_printf(out, "  No turnaround target for %s.\n", pol_severity_name(rec->severity));
	}
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		if (f->rule != POL_RULE_CUTOFF || f->status == AUDIT_NA)
			continue;
		const struct rec_event *cut = NULL;
		for (size_t k = 0; k < rec->n_events; k++)
			if (rec->events[k].type == REC_EV_CUTOFF_ANNOUNCED && rec->events[k].at <= au->audited_at) {
				cut = &rec->events[k];
				break;
			}
		if (cut && cut->has_cutoff) {
			buf_puts(out, "  Approval cutoff (announced): ");
			when(au, cut->cutoff, out);
			buf_putc(out, '\n');
		} else if (au->has_t0) {
			buf_puts(out, "  Approval cutoff: not announced; announce it before the first review "
				 "request, no later than ");
			when(au, pol_latest_cutoff(tg, au->t0), out);
			buf_putc(out, '\n');
		}
	}

	size_t n = 0;
	buf_puts(out, "\nOverdue\n");
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		if (f->status != AUDIT_FAIL)
			continue;
		buf_printf(out, "  %s %s: %s\n", pol_rule_name(f->rule), f->subject, f->note);
		n++;
	}
	if (!n)
		buf_puts(out, "  Nothing.\n");

	/* Answers awaited and back-ups to engage: one line per group and
	 * round, naming every artifact concerned. */
	static const char *const titles[2] = { "\nAwaiting answers\n", "\nEngage back-ups now\n" };
	static const char *const none[2] = { "  Nobody.\n", "  None.\n" };
	for (int kind = 0; kind < 2; kind++) {
		buf_puts(out, titles[kind]);
		n = 0;
		bool *done = xcalloc(au->n_findings + 1, sizeof(*done));
		for (size_t i = 0; i < au->n_findings; i++) {
			if (done[i] || !wanted(&au->findings[i], kind))
				continue;
			const struct audit_finding *f = &au->findings[i];
			const struct pol_group *g = group_of(au, f);
			if (!g)
				continue;
			struct buf arts = BUF_INIT;
			for (size_t k = i; k < au->n_findings; k++) {
				const struct audit_finding *o = &au->findings[k];
				if (done[k] || o->rule != f->rule || !wanted(o, kind) ||
				    o->group != f->group || o->due != f->due)
					continue;
				done[k] = true;
				buf_printf(&arts, "%s%s", arts.len ? ", " : "", artifact_title(au, o));
			}
			if (kind == 0) {
				buf_printf(out, "  %s (%s): %s of %s", g->title, g->n_chain ? g->chain[0] : "?",
					   round_of(f), buf_str(&arts));
				buf_puts(out, "; requested ");
				when(au, f->detail.pair->request->at, out);
				buf_puts(out, ", due ");
				when(au, f->due, out);
			} else {
				buf_printf(out, "  %s, %s of %s: window closed ", g->title, round_of(f),
					   buf_str(&arts));
				when(au, f->due, out);
				buf_puts(out, "; engage ");
				backups(g, out);
				if (f->status == AUDIT_PENDING) {
					buf_puts(out, " by ");
					when(au, f->due + tg->backup_grace, out);
				} else {
					buf_puts(out, " (already late)");
				}
			}
			buf_putc(out, '\n');
			buf_free(&arts);
			n++;
		}
		free(done);
		if (!n)
			buf_puts(out, none[kind]);
	}

	n = 0;
	buf_puts(out, "\nNext updates\n");
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		if (f->rule != POL_RULE_UPDATE_CADENCE || f->status != AUDIT_PENDING)
			continue;
		const struct pol_group *g = group_of(au, f);
		buf_printf(out, "  %s: ", g ? g->title : f->subject);
		/* Before the group is engaged its updates have no clock yet. */
		if (f->has_due) {
			buf_puts(out, "due ");
			when(au, f->due, out);
		} else {
			buf_puts(out, "none until the group is engaged (see Still owed)");
		}
		buf_putc(out, '\n');
		n++;
	}
	if (!n)
		buf_puts(out, "  None due.\n");

	n = 0;
	buf_puts(out, "\nStill owed\n");
	struct buf deploy = BUF_INIT;
	bool has_deploy_due = false;
	int64_t deploy_due = 0;
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		if (f->status != AUDIT_PENDING)
			continue;
		if (f->rule == POL_RULE_TURNAROUND) {
			buf_printf(&deploy, "%s%s", deploy.len ? ", " : "", artifact_title(au, f));
			has_deploy_due = f->has_due;
			deploy_due = f->due;
		} else if (f->rule == POL_RULE_ENGAGE || f->rule == POL_RULE_DRAFTING ||
			   f->rule == POL_RULE_CUTOFF) {
			const struct pol_group *g = f->rule == POL_RULE_ENGAGE ? group_of(au, f) : NULL;
			buf_printf(out, "  %s %s: %s\n", pol_rule_name(f->rule), g ? g->title : f->subject, f->note);
			n++;
		}
	}
	if (deploy.len) {
		buf_printf(out, "  Deploy %s", buf_str(&deploy));
		if (has_deploy_due) {
			buf_puts(out, " by ");
			when(au, deploy_due, out);
		}
		buf_putc(out, '\n');
		n++;
	}
	buf_free(&deploy);
	size_t posts = 0;
	for (size_t i = 0; i < au->n_findings; i++)
		posts += au->findings[i].rule == POL_RULE_AWARENESS && au->findings[i].status == AUDIT_PENDING;
	if (posts) {
		buf_printf(out, "  After the first deployment, post the final materials to %zu awareness "
			   "channel%s:", posts, posts == 1 ? "" : "s");
		for (size_t i = 0; i < au->n_findings; i++)
			if (au->findings[i].rule == POL_RULE_AWARENESS && au->findings[i].status == AUDIT_PENDING)
				buf_printf(out, " %s", au->findings[i].subject);
		buf_putc(out, '\n');
		n++;
	}
	if (!n)
		buf_puts(out, "  Nothing.\n");
}
