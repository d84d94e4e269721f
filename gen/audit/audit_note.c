/*
 * audit_note.c - a finding's note: why it has its status, in the words
 * every format and the ledger carry.
 *
 * The engine (audit.c) decides; this file only words what it decided,
 * from the finding's reason code and particulars (audit.h), one function
 * per rule.  A note names times in UTC ("2026-03-04T09:12:00Z") and
 * durations the way people say them ("4 h 12 min"), to the second where
 * that rounding would hide what decided the finding ("1 h 1 s" against
 * a one-hour budget).
 */
#include "audit/audit.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/ts.h"

/* A time and a duration in a note's words, held in a buffer that lives
 * until the end of the enclosing block. */
#define NOTE_TIME(t) note_time((char[TS_BUFSZ]){ 0 }, (t))
#define NOTE_SPAN(secs) note_span((char[TS_BUFSZ]){ 0 }, (secs))

static const char *note_time(char s[TS_BUFSZ], int64_t t)
{
	ts_format_utc(t, s);
	return s;
}

static const char *note_span(char s[TS_BUFSZ], int64_t secs)
{
	ts_format_human(secs, s);
	return s;
}

/* A duration set against a limit: in the usual words, or to the second
 * when those would read the same for both although they differ (3601 s
 * against an hour is "1 h 1 s", not "1 h"), so the note shows what
 * decided the finding.  Works for either side of the comparison. */
#define NOTE_SPAN_VS(secs, limit) note_span_vs((char[TS_BUFSZ]){ 0 }, (secs), (limit))

static const char *note_span_vs(char s[TS_BUFSZ], int64_t secs, int64_t limit)
{
	char other[TS_BUFSZ];
	ts_format_human(secs, s);
	ts_format_human(limit, other);
	if (secs == limit || strcmp(s, other) != 0)
		return s;
	static const struct { int64_t size; const char *unit; } units[] = {
		{ 86400, "d" }, { 3600, "h" }, { 60, "min" }, { 1, "s" },
	};
	int64_t left = secs < 0 ? -secs : secs;
	size_t n = (size_t)snprintf(s, TS_BUFSZ, "%s", secs < 0 ? "-" : "");
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		int64_t k = left / units[i].size;
		left %= units[i].size;
		if (k && n < TS_BUFSZ)
			n += (size_t)snprintf(s + n, TS_BUFSZ - n, "%s%" PRId64 " %s",
					      n && s[n - 1] != '-' ? " " : "", k, units[i].unit);
	}
	return s;
}

static const struct pol_target *target(const struct audit *au)
{
	return &au->pol->targets[au->rec->severity];
}

static const char *group_title(const struct audit *au, int g)
{
	return au->pol->groups[g].title;
}

static const char *artifact_title(const struct audit *au, const struct audit_finding *f)
{
	return au->pol->artifacts[f->artifact].title;
}

/* ---- Shared shapes -------------------------------------------------- */

/* Waiting for the event an obligation counts from (see waiting() in
 * audit.c): what has not happened, then "yet" while the incident goes
 * on, or that it was resolved without it.  False for other reasons. */
static bool waiting(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	switch (f->reason) {
	case AUDIT_R_NOT_STARTED:
		buf_puts(out, "communications have not started (no comms-started)");
		break;
	case AUDIT_R_NO_BASE: {
		const struct pol_engage *e = f->detail.engagement;
		if (e->delay)
			buf_printf(out, "due %s after %s, which has not happened", NOTE_SPAN(e->delay),
				   pol_from_name(e->from));
		else
			buf_printf(out, "due by %s, which has not happened", pol_from_name(e->from));
		break;
	}
	case AUDIT_R_NOT_ENGAGED:
		buf_printf(out, "updates count from the engagement of %s (see ENGAGE), which has not "
			   "happened", group_title(au, f->group));
		break;
	case AUDIT_R_NO_REVIEW:
		buf_puts(out, "no review has been requested");
		break;
	case AUDIT_R_NOT_DEPLOYED: {
		const struct audit_quorum *q = &f->detail.quorum;
		if (q->reached)
			buf_printf(out, "quorum was reached at %s%s, but %s has not been deployed",
				   NOTE_TIME(q->at), q->fallback ? " (cutoff fallback)" : "",
				   artifact_title(au, f));
		else
			buf_printf(out, "%s has not been deployed", artifact_title(au, f));
		break;
	}
	case AUDIT_R_NO_DEPLOYMENT:
		buf_puts(out, f->rule == POL_RULE_COMPANIONS
			 ? "no incident response (a public-facing artifact other than a companion) has "
			   "been deployed"
			 : "nothing public-facing has been deployed");
		break;
	default:
		return false;
	}
	buf_puts(out, f->status == AUDIT_NA ? "; the incident was resolved without it" : " yet");
	return true;
}

/* An obligation whose starting event is missing from a record that shows
 * it happened (AUDIT_R_UNPROVEN): what was done, what is missing and what
 * shows it, and the limit that cannot be proven. */
static bool unproven(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	const struct audit_detail *d = &f->detail;
	const struct pol_target *tg = target(au);
	if (f->reason != AUDIT_R_UNPROVEN)
		return false;
	switch (f->rule) {
	case POL_RULE_ENGAGE:
		if (d->done)
			buf_printf(out, "engaged at %s", NOTE_TIME(d->done->at));
		else
			buf_printf(out, "%s not engaged", group_title(au, f->group));
		break;
	case POL_RULE_DRAFTING:
		if (d->done)
			buf_printf(out, "first draft at %s", NOTE_TIME(d->done->at));
		else
			buf_printf(out, "%s never drafted", artifact_title(au, f));
		break;
	case POL_RULE_TURNAROUND:
		if (d->done)
			buf_printf(out, "deployed at %s", NOTE_TIME(d->done->at));
		else
			buf_printf(out, "%s not deployed", artifact_title(au, f));
		break;
	case POL_RULE_CUTOFF:
		buf_printf(out, "cutoff %s announced at %s", NOTE_TIME(d->cutoff), NOTE_TIME(d->done->at));
		break;
	default:
		break;
	}
	if (d->shown_by == d->done)
		buf_printf(out, "; the record has no %s event, though that %s event shows it happened, "
			   "so ", rec_event_type_name(d->anchor), rec_event_type_name(d->shown_by->type));
	else
		buf_printf(out, "; the record has no %s event, though the %s event at %s shows it "
			   "happened, so ", rec_event_type_name(d->anchor),
			   rec_event_type_name(d->shown_by->type), NOTE_TIME(d->shown_by->at));
	switch (f->rule) {
	case POL_RULE_ENGAGE: {
		const struct pol_engage *e = f->detail.engagement;
		if (e->delay)
			buf_printf(out, "the deadline (%s after it) cannot be proven met", NOTE_SPAN(e->delay));
		else
			buf_puts(out, "the deadline (by it) cannot be proven met");
		break;
	}
	case POL_RULE_DRAFTING:
		buf_printf(out, "the %s drafting budget cannot be proven met", NOTE_SPAN(tg->drafting));
		break;
	case POL_RULE_TURNAROUND:
		buf_printf(out, "the %s turnaround cannot be proven met", NOTE_SPAN(tg->turnaround));
		break;
	case POL_RULE_CUTOFF:
		buf_printf(out, "the cutoff cannot be proven to leave the deployment time within the "
			   "%s turnaround", NOTE_SPAN(tg->turnaround));
		break;
	default:
		buf_puts(out, "the deadline cannot be proven met");
		break;
	}
	return true;
}

static void owed(const struct audit *au, const struct audit_finding *f, struct buf *out,
		 const char *what, ...) SC_PRINTF(4, 5);

/* Owed and not done: what (a format) is due by the finding's due time,
 * or was. */
static void owed(const struct audit *au, const struct audit_finding *f, struct buf *out,
		 const char *what, ...)
{
	va_list ap;
	va_start(ap, what);
	buf_vprintf(out, what, ap);
	va_end(ap);
	if (f->reason == AUDIT_R_DUE)
		buf_printf(out, " is due by %s (%s left)", NOTE_TIME(f->due),
			   NOTE_SPAN(f->due - au->audited_at));
	else
		buf_printf(out, " was due by %s and is not in the record", NOTE_TIME(f->due));
}

/* ---- One function per rule ------------------------------------------ */

static bool note_engage(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	const struct pol_engage *e = f->detail.engagement;
	const char *from = pol_from_name(e->from);
	const char *known = e->from == POL_FROM_FACT ? "the fact became known" : from;
	switch (f->reason) {
	case AUDIT_R_EARLY:
		if (f->has_due)
			buf_printf(out, "engaged %s before %s", NOTE_SPAN(-f->elapsed), known);
		else
			buf_printf(out, "engaged at %s, before %s happened", NOTE_TIME(f->met), from);
		return true;
	case AUDIT_R_IN_TIME:
		buf_printf(out, "engaged %s after %s (allowed %s)", NOTE_SPAN_VS(f->elapsed, e->delay),
			   known, NOTE_SPAN_VS(e->delay, f->elapsed));
		return true;
	case AUDIT_R_LATE:
		buf_printf(out, "engaged at %s, %s after the deadline %s (%s after %s)", NOTE_TIME(f->met),
			   NOTE_SPAN(f->met - f->due), NOTE_TIME(f->due), NOTE_SPAN(e->delay), from);
		return true;
	case AUDIT_R_DUE:
	case AUDIT_R_OVERDUE:
		owed(au, f, out, "engaging %s (%s)", group_title(au, f->group), e->dri);
		return true;
	default:
		return false;
	}
}

static bool note_cadence(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	static const char *const gap_end[] = {
		[AUDIT_GAP_AT_UPDATE] = "",
		[AUDIT_GAP_AT_RESOLUTION] = ", at resolution",
		[AUDIT_GAP_AT_HORIZON] = ", the audit time",
	};
	const struct audit_detail *d = &f->detail;
	(void)au;
	switch (f->reason) {
	case AUDIT_R_LATE:
		buf_printf(out, "longest gap %s (ending %s%s) is over the %s cadence; an update was due "
			   "by %s", NOTE_SPAN_VS(f->elapsed, d->cadence), NOTE_TIME(d->gap_end),
			   gap_end[d->gap_end_kind], NOTE_SPAN_VS(d->cadence, f->elapsed),
			   NOTE_TIME(f->due));
		return true;
	case AUDIT_R_DUE:
		buf_printf(out, "next update due by %s; longest gap so far %s", NOTE_TIME(f->due),
			   NOTE_SPAN(f->elapsed));
		return true;
	case AUDIT_R_IN_TIME:
		buf_printf(out, "longest gap %s, within the %s cadence", NOTE_SPAN_VS(f->elapsed, d->cadence),
			   NOTE_SPAN_VS(d->cadence, f->elapsed));
		return true;
	default:
		return false;
	}
}

/* DRAFTING and TURNAROUND: an artifact's first draft or deployment within
 * a budget counted from T0. */
static bool note_from_t0(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	bool drafting = f->rule == POL_RULE_DRAFTING;
	const struct pol_target *tg = target(au);
	switch (f->reason) {
	case AUDIT_R_NO_TARGET:
		buf_printf(out, "the policy sets no %s for %s", drafting ? "drafting budget" : "turnaround",
			   pol_severity_name(au->rec->severity));
		return true;
	case AUDIT_R_LATE: {
		int64_t limit = drafting ? tg->drafting : tg->turnaround;
		buf_printf(out, "%s at %s, %s after communications started (%s %s)",
			   drafting ? "first draft" : "deployed", NOTE_TIME(f->met),
			   NOTE_SPAN_VS(f->elapsed, limit), drafting ? "budget" : "target",
			   NOTE_SPAN_VS(limit, f->elapsed));
		return true;
	}
	case AUDIT_R_IN_TIME:
		/* A draft in time says no more than its times. */
		if (drafting)
			return false;
		buf_printf(out, "deployed %s after communications started",
			   NOTE_SPAN_VS(f->elapsed, tg->turnaround));
		return true;
	case AUDIT_R_DUE:
	case AUDIT_R_OVERDUE:
		owed(au, f, out, "%s %s", drafting ? "a draft of" : "deploying", artifact_title(au, f));
		return true;
	default:
		return false;
	}
}

static bool note_cutoff(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	const struct pol_target *tg = target(au);
	switch (f->reason) {
	case AUDIT_R_NO_TARGET:
		buf_printf(out, "the policy sets no turnaround, so no cutoff, for %s",
			   pol_severity_name(au->rec->severity));
		return true;
	case AUDIT_R_CUTOFF_TOO_LATE:
		buf_printf(out, "announced cutoff %s is later than %s after communications started (%s)",
			   NOTE_TIME(f->detail.cutoff), NOTE_SPAN(tg->turnaround),
			   NOTE_TIME(au->t0 + tg->turnaround));
		return true;
	case AUDIT_R_NO_DEPLOYMENT_TIME:
		buf_printf(out, "announced cutoff %s leaves less than the %s deployment budget before the "
			   "%s turnaround ends at %s; the latest cutoff was %s",
			   NOTE_TIME(f->detail.cutoff), NOTE_SPAN(tg->deployment),
			   NOTE_SPAN(tg->turnaround), NOTE_TIME(au->t0 + tg->turnaround),
			   NOTE_TIME(pol_latest_cutoff(tg, au->t0)));
		return true;
	case AUDIT_R_ANNOUNCED:
		buf_printf(out, "cutoff %s announced; no review requested yet", NOTE_TIME(f->detail.cutoff));
		return true;
	case AUDIT_R_LATE:
		buf_printf(out, "cutoff announced at %s, after the first review request at %s",
			   NOTE_TIME(f->met), NOTE_TIME(f->due));
		return true;
	case AUDIT_R_OVERDUE:
		buf_printf(out, "no cutoff announced before the first review request at %s",
			   NOTE_TIME(f->due));
		return true;
	case AUDIT_R_IN_TIME:
		buf_printf(out, "cutoff %s announced before the first review request",
			   NOTE_TIME(f->detail.cutoff));
		return true;
	default:
		return false;
	}
}

/* REVIEW-RESPONSE and APPROVAL-RESPONSE. */
static bool note_response(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	const struct audit_pair *p = f->detail.pair;
	const struct pol_target *tg = target(au);
	const struct pol_group *g = &au->pol->groups[p->group];
	const char *word = p->round == REC_ROUND_REVIEW ? "feedback or approval" : "approval";
	int64_t grace = p->due + tg->backup_grace;
	switch (f->reason) {
	case AUDIT_R_IN_TIME:
		buf_printf(out, "%s by %s after %s", word, p->answer->by,
			   NOTE_SPAN_VS(p->answer->at - p->request->at, tg->response));
		return true;
	case AUDIT_R_STAND_IN:
		buf_printf(out, "no %s within %s; back-ups engaged at %s", word, NOTE_SPAN(tg->response),
			   NOTE_TIME(p->backup->at));
		if (p->backup < p->request)
			buf_puts(out, ", before this request: once engaged, they stay engaged");
		else if (p->backup->at <= p->due)
			buf_puts(out, ", within the window");
		else
			buf_printf(out, ", within the %s grace", NOTE_SPAN(tg->backup_grace));
		return true;
	case AUDIT_R_LATE:
		buf_printf(out, "%s came after %s; ", word,
			   NOTE_SPAN_VS(p->answer->at - p->request->at, tg->response));
		if (!p->backup)
			buf_puts(out, "no stand-in was appointed before it");
		else if (p->backup > p->answer)
			buf_printf(out, "back-ups engaged at %s, after that answer, stand in for no one",
				   NOTE_TIME(p->backup->at));
		else
			buf_printf(out, "back-ups were engaged late, at %s", NOTE_TIME(p->backup->at));
		buf_printf(out, "; the window closed at %s", NOTE_TIME(p->due));
		if (tg->backup_grace)
			buf_printf(out, " (stand-in allowed until %s)", NOTE_TIME(grace));
		return true;
	case AUDIT_R_NO_STAND_IN:
		buf_printf(out, "no %s", word);
		if (p->backup)
			buf_printf(out, " and back-ups were engaged late, at %s", NOTE_TIME(p->backup->at));
		buf_printf(out, "; no stand-in appointed by %s", NOTE_TIME(grace));
		if (tg->backup_grace)
			buf_printf(out, " (window %s + grace %s)", NOTE_SPAN(tg->response),
				   NOTE_SPAN(tg->backup_grace));
		else
			buf_printf(out, ", the end of the %s window", NOTE_SPAN(tg->response));
		return true;
	case AUDIT_R_DUE:
		buf_printf(out, "awaiting %s from %s by %s", word, g->title, NOTE_TIME(p->due));
		return true;
	case AUDIT_R_ENGAGE_BACKUPS:
		buf_puts(out, "no answer");
		buf_printf(out, "; window passed at %s: engage the back-ups (%s) by %s", NOTE_TIME(p->due),
			   g->n_chain > 1 ? g->chain[1] : "none", NOTE_TIME(grace));
		return true;
	default:
		return false;
	}
}

static bool note_authorized(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	const struct rec_event *ap = f->detail.approval;
	switch (f->reason) {
	case AUDIT_R_NOT_IN_CHAIN:
		buf_printf(out, "'%s' is not in the approver chain of %s", ap->by,
			   group_title(au, f->group));
		return true;
	case AUDIT_R_BACKUP_UNENGAGED:
		buf_printf(out, "'%s' is a back-up approver, but no back-ups of %s had been engaged "
			   "before the approval at %s", ap->by, group_title(au, f->group),
			   NOTE_TIME(ap->at));
		return true;
	case AUDIT_R_BY_BACKUP:
		buf_printf(out, "approved by back-up '%s', engaged at %s", ap->by,
			   NOTE_TIME(f->detail.backup->at));
		return true;
	case AUDIT_R_BY_APPROVER:
		buf_printf(out, "approved by '%s'", ap->by);
		return true;
	default:
		return false;
	}
}

/* Why the cutoff fallback did not hold at a deployment without quorum. */
static void quorum_gap(const struct audit *au, const struct audit_quorum *q, struct buf *out)
{
	switch (q->gap) {
	case AUDIT_QG_NO_CUTOFF:
		buf_puts(out, "no cutoff had been announced");
		break;
	case AUDIT_QG_BEFORE_CUTOFF:
		buf_printf(out, "before the announced cutoff %s", NOTE_TIME(q->gap_at));
		break;
	case AUDIT_QG_TOO_FEW:
		buf_printf(out, "%zu of the required groups had approved, %zu needed", q->approved,
			   q->need);
		break;
	case AUDIT_QG_NO_FINAL_REQUEST:
		buf_printf(out, "%s had no final approval request", group_title(au, q->gap_group));
		break;
	case AUDIT_QG_WINDOW_OPEN:
		buf_printf(out, "the %s window of %s ran until %s", NOTE_SPAN(target(au)->response),
			   group_title(au, q->gap_group), NOTE_TIME(q->gap_at));
		break;
	case AUDIT_QG_NO_BACKUPS:
		buf_printf(out, "the back-ups of %s had not been engaged", group_title(au, q->gap_group));
		break;
	case AUDIT_QG_NONE:
		buf_puts(out, "unknown");
		break;
	}
}

static bool note_quorum(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	const struct audit_quorum *q = &f->detail.quorum;
	switch (f->reason) {
	case AUDIT_R_ALL_APPROVED:
		buf_printf(out, "every approver group had approved by the deployment at %s",
			   NOTE_TIME(f->due));
		return true;
	case AUDIT_R_CUTOFF_QUORUM:
		buf_printf(out, "deployed at the cutoff with %zu of %zu required groups approved (%zu "
			   "needed); missing groups had their full window and back-ups engaged",
			   q->approved, q->required, q->need);
		return true;
	case AUDIT_R_NO_QUORUM:
		buf_printf(out, "deployed at %s without quorum: not every approver group had approved, "
			   "and the cutoff fallback did not hold (", NOTE_TIME(f->due));
		quorum_gap(au, q, out);
		buf_putc(out, ')');
		return true;
	default:
		return false;
	}
}

static bool note_deployment(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	const struct audit_quorum *q = &f->detail.quorum;
	switch (f->reason) {
	case AUDIT_R_NO_TARGET:
		buf_printf(out, "the policy sets no deployment budget for %s",
			   pol_severity_name(au->rec->severity));
		return true;
	case AUDIT_R_DUE:
	case AUDIT_R_OVERDUE:
		owed(au, f, out, "deploying %s (quorum at %s)", artifact_title(au, f), NOTE_TIME(q->at));
		return true;
	case AUDIT_R_NO_QUORUM_YET:
		buf_puts(out, "quorum not reached yet");
		return true;
	case AUDIT_R_NO_QUORUM:
		buf_puts(out, "deployed without quorum (see QUORUM)");
		return true;
	case AUDIT_R_LATE:
		buf_printf(out, "deployed %s after quorum at %s (budget %s)",
			   NOTE_SPAN_VS(f->elapsed, target(au)->deployment), NOTE_TIME(q->at),
			   NOTE_SPAN_VS(target(au)->deployment, f->elapsed));
		return true;
	case AUDIT_R_IN_TIME:
		buf_printf(out, "deployed %s after quorum at %s",
			   NOTE_SPAN_VS(f->elapsed, target(au)->deployment), NOTE_TIME(q->at));
		return true;
	default:
		return false;
	}
}

static bool note_companions(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	(void)au;
	switch (f->reason) {
	case AUDIT_R_MISSING:
		buf_printf(out, "first incident response deployed at %s without a drafted ",
			   NOTE_TIME(f->due));
		for (size_t i = 0; i < f->detail.n_missing; i++)
			buf_printf(out, "%s%s", i ? " and " : "", f->detail.missing[i]);
		return true;
	case AUDIT_R_IN_TIME:
		buf_puts(out, "social post and support FAQ drafted before the first incident response "
			 "was deployed");
		return true;
	default:
		return false;
	}
}

static bool note_awareness(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	const char *channel = au->pol->channels[f->channel];
	switch (f->reason) {
	case AUDIT_R_IN_TIME:
		buf_printf(out, "posted %s after the first public-facing deployment",
			   NOTE_SPAN(f->elapsed));
		return true;
	case AUDIT_R_OVERDUE:
		buf_printf(out, "no post to %s after the first public-facing deployment at %s, and the "
			   "incident was resolved", channel, NOTE_TIME(f->detail.first_deployment));
		return true;
	case AUDIT_R_DUE:
		buf_printf(out, "post the final materials to %s", channel);
		return true;
	default:
		return false;
	}
}

/* EXTCOMMS-REVIEW, EXTCOMMS-APPROVAL and FYI-INFORMED: something owed
 * before the artifact goes to the approvers or out (the gate). */
static bool note_checkpoint(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	const struct rec_event *act = f->detail.act, *gate = f->detail.gate;
	const struct policy *pol = au->pol;
	const char *art = artifact_title(au, f);
	bool review = f->rule == POL_RULE_EXTCOMMS_REVIEW;
	bool routed = gate && gate->type == REC_EV_REVIEW_REQUESTED;
	const char *who = f->rule == POL_RULE_FYI_INFORMED ? group_title(au, f->group)
			  : group_title(au, review ? pol->extcomms_review_group
						   : pol->extcomms_approval_group);
	switch (f->reason) {
	case AUDIT_R_IN_TIME:
		if (f->rule == POL_RULE_FYI_INFORMED)
			buf_printf(out, "%s informed at %s", who, NOTE_TIME(act->at));
		else
			buf_printf(out, "%s by %s at %s", review ? "reviewed" : "final messaging approved",
				   who, NOTE_TIME(act->at));
		buf_printf(out, ", before %s", routed ? "it went to the approvers"
					       : gate ? "it was deployed"
					       : review ? "any request to the approvers" : "any deployment");
		return true;
	case AUDIT_R_UNREVIEWED:
	case AUDIT_R_UNAPPROVED:
	case AUDIT_R_UNINFORMED:
		buf_printf(out, "%s at %s before %s %s", routed ? "sent to the approvers" : "deployed",
			   NOTE_TIME(gate->at), who,
			   review ? "had reviewed it"
			   : f->rule == POL_RULE_EXTCOMMS_APPROVAL ? "had approved its final messaging"
			   : "was informed of it");
		if (act)
			buf_printf(out, "; %s at %s, too late",
				   review ? "reviewed" : f->rule == POL_RULE_EXTCOMMS_APPROVAL ? "approved"
				   : "informed", NOTE_TIME(act->at));
		return true;
	case AUDIT_R_OWED_FIRST:
		if (f->status == AUDIT_NA)
			buf_printf(out, "%s was never %s, and the incident was resolved", art,
				   review ? "sent to the approvers or deployed" : "deployed");
		else if (review)
			buf_printf(out, "a review by %s is owed before %s goes to the approvers", who, art);
		else if (f->rule == POL_RULE_EXTCOMMS_APPROVAL)
			buf_printf(out, "approval of the final messaging by %s is owed before %s is "
				   "deployed", who, art);
		else
			buf_printf(out, "inform %s of %s before it is deployed", who, art);
		return true;
	default:
		return false;
	}
}

/* NOTIFY: a regulator's deadline, with the cited text's article first. */
static bool note_notify(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	const struct audit_detail *d = &f->detail;
	const struct legal *lg = &au->pol->legal;
	const struct legal_regime *lr = &lg->regimes[d->regime];
	const struct legal_stage *st = &lr->stages[d->stage];
	const struct rec_event *act = d->act, *from = d->clock_start;
	buf_printf(out, "%s: ", st->citation);
	if (f->reason == AUDIT_R_NOT_STATED) {
		const struct rec_regime *rr = rec_regime_of(au->rec, d->regime);
		buf_printf(out, "the record's regulatory statement (decided by %s) leaves this stage out",
			   rr ? rr->decided_by : "-");
		return true;
	}
	if (f->reason == AUDIT_R_CLOCK_NOT_STARTED) {
		buf_printf(out, "the deadline counts from %s, which is not in the record",
			   d->anchor == REC_EV_NOTIFIED ? "an earlier stage's notification"
			   : rec_event_type_name(d->anchor));
		buf_puts(out, f->status == AUDIT_NA ? "; the incident is over without it" : " yet");
		return true;
	}
	if (f->reason == AUDIT_R_UNPROVEN) {
		buf_printf(out, "notified %s at %s, but the record has no %s event for %s: the "
			   "deadline cannot be proven met", act->authority, NOTE_TIME(act->at),
			   d->anchor == REC_EV_NOTIFIED ? "earlier stage's notified"
			   : rec_event_type_name(d->anchor), lr->id);
		return true;
	}
	/* What the clock counted from: a trigger, or an earlier stage's
	 * notification. */
	char start[160] = "";
	if (from && from->type == REC_EV_NOTIFIED)
		snprintf(start, sizeof(start), "the %s/%s submission at %s", lr->id,
			 lr->stages[from->stage].id, NOTE_TIME(from->at));
	else if (from)
		snprintf(start, sizeof(start), "%s at %s", rec_event_type_name(from->type),
			 NOTE_TIME(from->at));
	if (act) {
		buf_printf(out, "notified %s", act->authority);
		if (act->reference)
			buf_printf(out, " (reference %s)", act->reference);
		buf_printf(out, " at %s", NOTE_TIME(act->at));
		if (from)
			buf_printf(out, ", %s after %s", NOTE_SPAN(act->at - from->at), start);
	} else {
		buf_puts(out, "not notified yet");
		if (from)
			buf_printf(out, ", %s since %s", NOTE_SPAN(au->audited_at - from->at), start);
	}
	if (f->reason == AUDIT_R_UNDUE_DELAY) {
		buf_printf(out, "; the cited text sets no fixed deadline (%s): whether this %s without "
			   "undue delay is for counsel to judge", st->deadline,
			   act ? "was" : "is still");
		return true;
	}
	if (f->has_due && d->clock >= 0) {
		const struct legal_clock *c = &st->clocks[d->clock];
		char local[TS_BUFSZ];
		ts_format_offset(f->due, from ? from->offset : 0, local);
		buf_printf(out, "; due %s (%s, ", NOTE_TIME(f->due), local);
		legal_clock_describe(lr, c, out);
		if (st->n_clocks > 1) {
			buf_puts(out, ", the first of ");
			for (size_t i = 0; i < st->n_clocks; i++) {
				buf_puts(out, i ? " and " : "");
				legal_clock_describe(lr, &st->clocks[i], out);
			}
		}
		if (st->has_roll && from &&
		    legal_clock_due(lg, c, from->at, from->offset) != f->due)
			buf_printf(out, "; on a day off, so moved to the next working day at %02d:%02d",
				   st->roll.at / 60, st->roll.at % 60);
		buf_puts(out, ")");
	}
	switch (f->reason) {
	case AUDIT_R_LATE:
		buf_printf(out, "; %s late", NOTE_SPAN(f->met - f->due));
		if (act && act->text)
			buf_puts(out, "; the notification gives reasons for the delay");
		break;
	case AUDIT_R_OVERDUE:
		buf_printf(out, "; overdue by %s", NOTE_SPAN(au->audited_at - f->due));
		break;
	case AUDIT_R_DUE:
		buf_printf(out, "; %s left", NOTE_SPAN(f->due - au->audited_at));
		break;
	default:
		break;
	}
	if (d->beyond_calendar)
		buf_printf(out, "; the business days run past the years the holiday calendar lists, "
			   "so no holidays were counted for them: check the calendar");
	return true;
}

/* NEXT-UPDATE: a public notice's promise of the next update. */
static bool note_next_update(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	(void)au;
	const struct audit_detail *d = &f->detail;
	buf_printf(out, "notice %zu promised the next update by %s", d->notice, NOTE_TIME(f->due));
	if (d->has_next_notice)
		buf_printf(out, "; notice %zu went out at %s%s", d->notice + 1, NOTE_TIME(d->next_notice_at),
			   f->reason == AUDIT_R_LATE ? ", after the promised time" : "");
	else if (f->reason == AUDIT_R_OVERDUE)
		buf_puts(out, "; no later notice went out by then");
	else
		buf_puts(out, "; no later notice yet");
	return true;
}

/* ---- The note ------------------------------------------------------- */

/* Why the finding has its status, before any exception. */
static bool why(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	if (f->reason == AUDIT_R_OUT_OF_SCOPE) {
		buf_printf(out, "impact %s is below the plan's scope (impact %s or greater)",
			   pol_impact_name(au->rec->impact), pol_impact_name(au->pol->min_impact));
		return true;
	}
	if (f->rule == POL_RULE_NOTIFY)
		return note_notify(au, f, out);
	if (waiting(au, f, out) || unproven(au, f, out))
		return true;
	switch (f->rule) {
	case POL_RULE_ENGAGE: return note_engage(au, f, out);
	case POL_RULE_UPDATE_CADENCE: return note_cadence(au, f, out);
	case POL_RULE_DRAFTING: return note_from_t0(au, f, out);
	case POL_RULE_CUTOFF: return note_cutoff(au, f, out);
	case POL_RULE_REVIEW_RESPONSE: return note_response(au, f, out);
	case POL_RULE_APPROVAL_RESPONSE: return note_response(au, f, out);
	case POL_RULE_AUTHORIZED_APPROVER: return note_authorized(au, f, out);
	case POL_RULE_QUORUM: return note_quorum(au, f, out);
	case POL_RULE_DEPLOYMENT: return note_deployment(au, f, out);
	case POL_RULE_TURNAROUND: return note_from_t0(au, f, out);
	case POL_RULE_COMPANIONS: return note_companions(au, f, out);
	case POL_RULE_AWARENESS: return note_awareness(au, f, out);
	case POL_RULE_EXTCOMMS_REVIEW:
	case POL_RULE_EXTCOMMS_APPROVAL:
	case POL_RULE_FYI_INFORMED: return note_checkpoint(au, f, out);
	case POL_RULE_NEXT_UPDATE: return note_next_update(au, f, out);
	case POL_RULE_NOTIFY: case POL_RULE_COUNT: break;
	}
	return false;
}

/* See audit.h. */
bool audit_note(const struct audit *au, const struct audit_finding *f, struct buf *out)
{
	if (!why(au, f, out))
		return false;
	for (size_t i = 0; i < f->n_unauthorized; i++)
		buf_printf(out, "; exception %s does not apply: approved by %s, whom the policy does "
			   "not name among the exception approvers", f->unauthorized[i]->id,
			   f->unauthorized[i]->approved_by);
	for (size_t i = 0; i < f->n_expired; i++)
		buf_printf(out, "; exception %s had expired at %s", f->expired[i]->id,
			   NOTE_TIME(f->expired[i]->expires));
	if (f->exception) {
		bool standing = false;
		for (size_t x = 0; x < au->n_exceptions; x++)
			if (au->exceptions[x].exception == f->exception)
				standing = au->exceptions[x].standing;
		buf_printf(out, "; excepted by %s%s (approved by %s at %s%s)", f->exception->id,
			   standing ? ", a standing exception" : "", f->exception->approved_by,
			   NOTE_TIME(f->exception->approved_at),
			   f->retroactive ? ", after the violation: retroactive" : "");
	}
	return true;
}
