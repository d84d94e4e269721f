/* audit.c - the rule engine: findings, exceptions and metrics. */
#include "audit/audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/timeline.h"
#include "base/ts.h"

static const char *const status_names[] = { "pass", "fail", "excepted", "n/a", "pending" };
static const char *const exc_state_names[] = {
	"used", "retroactive", "unused", "expired", "not yet approved",
};

const char *audit_status_name(enum audit_status s) { return status_names[s]; }
const char *audit_exception_state_name(enum audit_exception_state s) { return exc_state_names[s]; }

/* ---- Building findings ---------------------------------------------- */

struct auditor {
	struct audit *au;
	const struct record *rec;
	const struct policy *pol;
	const struct pol_target *tg;
	int64_t h;                 /* horizon */
	bool resolved;             /* resolved by the horizon */
	/* The process is over: resolved, and the horizon at or past the
	 * record's last word.  Obligations without a deadline (and those
	 * counting from an event that never came) are only judged then:
	 * communications often go on after the fix lands. */
	bool closed;
	bool quoted;               /* security-quoted */
	/* Findings as they are made; each stays where it was allocated, so a
	 * rule may hold several at once.  Copied into au->findings at the end. */
	struct audit_finding **list;
	size_t n, cap;
	/* Per artifact (`cached`), per group: the first back-up engagement
	 * covering it, the first final-round request, and the first approval
	 * that counts for quorum.  Loaded once per artifact, so quorum can be
	 * tested at many moments without rescanning the timeline. */
	int cached;
	const struct rec_event **backup, **final_req, **approval;
};

static char *fmt(struct auditor *A, const char *f, ...) SC_PRINTF(2, 3);

static char *fmt(struct auditor *A, const char *f, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, f);
	buf_vprintf(&b, f, ap);
	va_end(ap);
	char *s = arena_strdup(&A->au->arena, buf_str(&b));
	buf_free(&b);
	return s;
}

/* A time for notes: "2026-03-04T09:12:00Z". */
static const char *T(struct auditor *A, int64_t t)
{
	char s[TS_BUFSZ];
	ts_format_utc(t, s);
	return arena_strdup(&A->au->arena, s);
}

/* A duration for notes: "4 h 12 min". */
static const char *D(struct auditor *A, int64_t secs)
{
	char s[TS_BUFSZ];
	ts_format_human(secs, s);
	return arena_strdup(&A->au->arena, s);
}

/* Subjects of findings: what a rule judges, by policy index (-1: none). */
#define NO_GROUP -1
#define NO_ARTIFACT -1
#define NO_CHANNEL -1

/* A new finding of a rule about a group, an artifact, both, a channel or
 * nothing ("-"); it passes until the rule says otherwise. */
static struct audit_finding *add(struct auditor *A, enum pol_rule rule, int group, int artifact,
				 int channel)
{
	struct audit *au = A->au;
	const struct policy *pol = A->pol;
	if (A->n == A->cap) {
		A->cap = A->cap ? A->cap * 2 : 32;
		A->list = xrealloc(A->list, A->cap * sizeof(*A->list));
	}
	struct audit_finding *f = arena_alloc(&au->arena, sizeof(*f));
	A->list[A->n++] = f;
	f->rule = rule;
	f->group = group;
	f->artifact = artifact;
	f->channel = channel;
	if (group >= 0 && artifact >= 0)
		f->subject = fmt(A, "%s/%s", pol->groups[group].id, pol->artifacts[artifact].id);
	else
		f->subject = arena_strdup(&au->arena, group >= 0 ? pol->groups[group].id
						      : artifact >= 0 ? pol->artifacts[artifact].id
						      : channel >= 0 ? pol->channels[channel] : "-");
	f->status = AUDIT_PASS;
	return f;
}

/* Grows a finding's evidence by doubling (in the arena), so a cadence
 * finding over thousands of updates costs linear time and memory. */
static struct audit_evidence *evidence_slot(struct auditor *A, struct audit_finding *f)
{
	if (f->n_evidence == f->evidence_cap) {
		size_t cap = f->evidence_cap ? f->evidence_cap * 2 : 4;
		struct audit_evidence *e = arena_alloc(&A->au->arena, cap * sizeof(*e));
		if (f->n_evidence)
			memcpy(e, f->evidence, f->n_evidence * sizeof(*e));
		f->evidence = e;
		f->evidence_cap = cap;
	}
	return &f->evidence[f->n_evidence++];
}

static void evidence(struct auditor *A, struct audit_finding *f, const struct rec_event *ev)
{
	if (!ev)
		return;
	/* The same event is named twice only by neighbouring calls. */
	for (size_t i = f->n_evidence > 8 ? f->n_evidence - 8 : 0; i < f->n_evidence; i++)
		if (f->evidence[i].line == ev->line && f->evidence[i].at == ev->at)
			return;
	*evidence_slot(A, f) = (struct audit_evidence){ ev->line, ev->at, rec_event_type_name(ev->type) };
}

static void fact_evidence(struct auditor *A, struct audit_finding *f, enum pol_fact fact)
{
	const struct rec_fact *rf = &A->rec->facts[fact];
	*evidence_slot(A, f) = (struct audit_evidence){ rf->line, rf->at,
		fmt(A, "fact:%s", pol_fact_name(fact)) };
}

static void due(struct audit_finding *f, int64_t t)
{
	f->has_due = true;
	f->due = t;
}

static void met(struct audit_finding *f, int64_t t)
{
	f->has_met = true;
	f->met = t;
}

/* How long the obligation took: from the moment its clock started. */
static void elapsed(struct audit_finding *f, int64_t from, int64_t to)
{
	f->has_elapsed = true;
	f->elapsed = to - from;
}

/* A deadline with nothing done by the horizon: pending before it, failed
 * after it.  `what` says what was owed. */
static void owed(struct auditor *A, struct audit_finding *f, int64_t deadline, const char *what)
{
	due(f, deadline);
	if (A->h <= deadline) {
		f->status = AUDIT_PENDING;
		f->note = fmt(A, "%s is due by %s (%s left)", what, T(A, deadline), D(A, deadline - A->h));
	} else {
		f->status = AUDIT_FAIL;
		f->note = fmt(A, "%s was due by %s and is not in the record", what, T(A, deadline));
	}
}

/* Something that counts from an event that has not happened: pending
 * while the incident goes on, n/a once it is resolved. */
static void waiting(struct auditor *A, struct audit_finding *f, const char *why)
{
	f->status = A->closed ? AUDIT_NA : AUDIT_PENDING;
	f->note = A->closed ? fmt(A, "%s; the incident was resolved without it", why)
			    : fmt(A, "%s yet", why);
}

/* Events seen by the horizon only. */
static bool seen(const struct auditor *A, const struct rec_event *ev)
{
	return ev && ev->at <= A->h;
}

static const struct rec_event *first(const struct auditor *A, enum rec_event_type type)
{
	const struct rec_event *ev = tl_first(A->rec, type);
	return seen(A, ev) ? ev : NULL;
}

/* The first event of a type naming artifact a, by the horizon. */
static const struct rec_event *first_for(const struct auditor *A, enum rec_event_type type, int a)
{
	for (size_t i = 0; i < A->rec->n_events && A->rec->events[i].at <= A->h; i++) {
		const struct rec_event *ev = &A->rec->events[i];
		if (ev->type == type && rec_event_has_artifact(ev, a))
			return ev;
	}
	return NULL;
}

static const struct rec_event *first_external_deployment(const struct auditor *A)
{
	const struct rec_event *ev = tl_first_external_deployment(A->rec, A->pol);
	return seen(A, ev) ? ev : NULL;
}

/* ---- ENGAGE and UPDATE-CADENCE -------------------------------------- */

static void rule_engage(struct auditor *A)
{
	const struct policy *pol = A->pol;
	for (size_t i = 0; i < pol->n_engagements; i++) {
		const struct pol_engage *e = &pol->engagements[i];
		if (!pol_cond_eval(e->when, A->rec->severity, A->rec->fact_present))
			continue;
		const struct pol_group *g = &pol->groups[e->group];
		struct audit_finding *f = add(A, POL_RULE_ENGAGE, (int)e->group, NO_ARTIFACT, NO_CHANNEL);
		int64_t base;
		bool has_base = tl_engage_base(A->rec, pol, e, &base) && base <= A->h;
		const struct rec_event *done = tl_engaged(A->rec, e->group);
		if (!seen(A, done))
			done = NULL;
		if (e->from == POL_FROM_FACT) {
			for (int k = 0; k < POL_FACT_COUNT; k++)
				if (A->rec->facts[k].present && A->rec->facts[k].has_at &&
				    has_base && A->rec->facts[k].at == base)
					fact_evidence(A, f, (enum pol_fact)k);
			if (has_base && !f->n_evidence)
				evidence(A, f, first(A, REC_EV_SEVERITY_DETERMINED));
		} else if (has_base) {
			static const enum rec_event_type from_type[POL_FROM_COUNT] = {
				[POL_FROM_SEVERITY_DETERMINED] = REC_EV_SEVERITY_DETERMINED,
				[POL_FROM_COMMS_STARTED] = REC_EV_COMMS_STARTED,
				[POL_FROM_IMPACT_DETERMINED] = REC_EV_IMPACT_DETERMINED,
				[POL_FROM_FIRST_DRAFT] = REC_EV_DRAFT_READY,
			};
			evidence(A, f, e->from == POL_FROM_FIRST_DEPLOYMENT ? first_external_deployment(A)
					 : first(A, from_type[e->from]));
		}
		evidence(A, f, done);
		if (!has_base) {
			if (done) {
				met(f, done->at);
				f->note = fmt(A, "engaged at %s, before %s happened", T(A, done->at),
					      pol_from_name(e->from));
			} else {
				waiting(A, f, e->delay
					? fmt(A, "due %s after %s, which has not happened", D(A, e->delay),
					      pol_from_name(e->from))
					: fmt(A, "due by %s, which has not happened", pol_from_name(e->from)));
			}
			continue;
		}
		int64_t deadline = base + e->delay;
		due(f, deadline);
		if (done) {
			met(f, done->at);
			elapsed(f, base, done->at);
			if (done->at > deadline) {
				f->status = AUDIT_FAIL;
				f->note = fmt(A, "engaged at %s, %s after the deadline %s (%s after %s)",
					      T(A, done->at), D(A, done->at - deadline), T(A, deadline),
					      D(A, e->delay), pol_from_name(e->from));
			} else {
				const char *from = e->from == POL_FROM_FACT ? "the fact became known"
									  : pol_from_name(e->from);
				f->note = done->at >= base
					? fmt(A, "engaged %s after %s (allowed %s)", D(A, done->at - base), from,
					      D(A, e->delay))
					: fmt(A, "engaged %s before %s", D(A, base - done->at), from);
			}
		} else {
			owed(A, f, deadline, fmt(A, "engaging %s (%s)", g->title, e->dri));
		}
	}
}

static void rule_cadence(struct auditor *A)
{
	const struct policy *pol = A->pol;
	const struct rec_event *res = first(A, REC_EV_RESOLVED);
	for (size_t g = 0; g < pol->n_groups; g++) {
		/* The shortest cadence among the rows that hold for this group. */
		int64_t cadence = 0;
		for (size_t i = 0; i < pol->n_engagements; i++) {
			const struct pol_engage *e = &pol->engagements[i];
			if (e->group == g && e->cadence &&
			    pol_cond_eval(e->when, A->rec->severity, A->rec->fact_present) &&
			    (!cadence || e->cadence < cadence))
				cadence = e->cadence;
		}
		if (!cadence)
			continue;
		struct audit_finding *f = add(A, POL_RULE_UPDATE_CADENCE, (int)g, NO_ARTIFACT, NO_CHANNEL);
		const struct rec_event *eng = tl_engaged(A->rec, g);
		if (!seen(A, eng)) {
			waiting(A, f, fmt(A, "updates count from the engagement of %s (see ENGAGE), which "
					  "has not happened", pol->groups[g].title));
			continue;
		}
		evidence(A, f, eng);
		int64_t last = eng->at, worst = 0, worst_end = 0;
		bool breached = false;
		int64_t breach_due = 0;
		int64_t end = res ? res->at : A->h;
		for (size_t i = 0; i < A->rec->n_events; i++) {
			const struct rec_event *ev = &A->rec->events[i];
			if (ev->at > end || ev->at < eng->at)
				continue;
			if (ev->type != REC_EV_UPDATE || ev->group != (int)g)
				continue;
			evidence(A, f, ev);
			if (ev->at - last > worst) {
				worst = ev->at - last;
				worst_end = ev->at;
			}
			if (ev->at - last > cadence && !breached) {
				breached = true;
				breach_due = last + cadence;
			}
			last = ev->at;
		}
		if (end - last > worst) {
			worst = end - last;
			worst_end = end;
		}
		if (res)
			evidence(A, f, res);
		if (!breached && end - last > cadence) {
			breached = true;
			breach_due = last + cadence;
		}
		met(f, last);
		f->has_elapsed = true;
		f->elapsed = worst;
		struct audit_metrics *m = &A->au->metrics;
		if (!m->gaps)
			m->gaps = arena_alloc(&A->au->arena, (pol->n_groups + 1) * sizeof(*m->gaps));
		m->gaps[m->n_gaps++] = (struct audit_gap){ pol->groups[g].id, worst };
		if (breached) {
			due(f, breach_due);
			f->status = AUDIT_FAIL;
			f->note = fmt(A, "longest gap %s (ending %s%s) is over the %s cadence; an update "
				      "was due by %s", D(A, worst), T(A, worst_end),
				      res && worst_end == res->at ? ", at resolution" :
				      !res && worst_end == A->h ? ", the audit time" : "",
				      D(A, cadence), T(A, breach_due));
		} else if (!res) {
			due(f, last + cadence);
			f->status = AUDIT_PENDING;
			f->note = fmt(A, "next update due by %s; longest gap so far %s", T(A, last + cadence),
				      D(A, worst));
		} else {
			f->note = fmt(A, "longest gap %s, within the %s cadence", D(A, worst), D(A, cadence));
		}
	}
}

/* ---- Artifacts in play ---------------------------------------------- */

/* Artifacts the incident communicates: external ones named by a
 * draft-ready, review-requested or deployed event (mask bit 1), and by a
 * review-requested or deployed one (bit 2: owed to the public). */
static unsigned in_play(const struct auditor *A, int a)
{
	unsigned m = 0;
	if (!A->pol->artifacts[a].external)
		return 0;
	for (size_t i = 0; i < A->rec->n_events; i++) {
		const struct rec_event *ev = &A->rec->events[i];
		if (!rec_event_has_artifact(ev, a))
			continue;
		if (ev->type == REC_EV_DRAFT_READY)
			m |= 1;
		if (ev->type == REC_EV_REVIEW_REQUESTED || ev->type == REC_EV_DEPLOYED)
			m |= 3;
	}
	return m;
}

/* ---- DRAFTING, CUTOFF, TURNAROUND ----------------------------------- */

/* An artifact's first event of a kind within a budget counted from T0:
 * DRAFTING (draft-ready within the drafting budget) and TURNAROUND
 * (deployed within the turnaround).  `play` picks the artifacts (see
 * in_play), `what` names the budget and `doing` the obligation in notes. */
struct t0_rule {
	enum pol_rule rule;
	unsigned play;
	enum rec_event_type type;
	const char *what;       /* "drafting budget", "turnaround" */
	const char *limit;      /* "budget", "target": in a failure's note */
	const char *done;       /* "first draft", "deployed" */
	const char *doing;      /* "a draft of", "deploying" */
	bool note_pass;         /* say how long it took when it passed */
};

static void rule_from_t0(struct auditor *A, const struct t0_rule *r, bool has_budget, int64_t budget)
{
	const struct policy *pol = A->pol;
	for (size_t a = 0; a < pol->n_artifacts; a++) {
		if (!(in_play(A, (int)a) & r->play))
			continue;
		struct audit_finding *f = add(A, r->rule, NO_GROUP, (int)a, NO_CHANNEL);
		if (!has_budget) {
			f->status = AUDIT_NA;
			f->note = fmt(A, "the policy sets no %s for %s", r->what,
				      pol_severity_name(A->rec->severity));
			continue;
		}
		if (!A->au->has_t0) {
			waiting(A, f, "communications have not started (no comms-started)");
			continue;
		}
		int64_t deadline = A->au->t0 + budget;
		const struct rec_event *d = first_for(A, r->type, (int)a);
		evidence(A, f, first(A, REC_EV_COMMS_STARTED));
		evidence(A, f, d);
		due(f, deadline);
		if (d) {
			met(f, d->at);
			elapsed(f, A->au->t0, d->at);
			if (d->at > deadline) {
				f->status = AUDIT_FAIL;
				f->note = fmt(A, "%s at %s, %s after communications started (%s %s)",
					      r->done, T(A, d->at), D(A, d->at - A->au->t0), r->limit,
					      D(A, budget));
			} else if (r->note_pass) {
				f->note = fmt(A, "%s %s after communications started", r->done,
					      D(A, d->at - A->au->t0));
			}
		} else {
			owed(A, f, deadline, fmt(A, "%s %s", r->doing, pol->artifacts[a].title));
		}
	}
}

static void rule_drafting(struct auditor *A)
{
	static const struct t0_rule r = { POL_RULE_DRAFTING, 1, REC_EV_DRAFT_READY,
					  "drafting budget", "budget", "first draft", "a draft of", false };
	rule_from_t0(A, &r, A->tg->has_drafting, A->tg->drafting);
}

static void rule_turnaround(struct auditor *A)
{
	static const struct t0_rule r = { POL_RULE_TURNAROUND, 2, REC_EV_DEPLOYED,
					  "turnaround", "target", "deployed", "deploying", true };
	rule_from_t0(A, &r, A->tg->has_turnaround, A->tg->turnaround);
}

static void rule_cutoff(struct auditor *A)
{
	struct audit_finding *f = add(A, POL_RULE_CUTOFF, NO_GROUP, NO_ARTIFACT, NO_CHANNEL);
	if (!A->tg->has_turnaround) {
		f->status = AUDIT_NA;
		f->note = fmt(A, "the policy sets no turnaround, so no cutoff, for %s",
			      pol_severity_name(A->rec->severity));
		return;
	}
	if (!A->au->has_t0) {
		waiting(A, f, "communications have not started (no comms-started)");
		return;
	}
	int64_t latest_cutoff = A->au->t0 + A->tg->turnaround;
	const struct rec_event *req = first(A, REC_EV_REVIEW_REQUESTED);
	const struct rec_event *ann = first(A, REC_EV_CUTOFF_ANNOUNCED);
	evidence(A, f, first(A, REC_EV_COMMS_STARTED));
	evidence(A, f, ann);
	evidence(A, f, req);
	if (!req) {
		if (ann) {
			met(f, ann->at);
			if (ann->has_cutoff && ann->cutoff > latest_cutoff) {
				f->status = AUDIT_FAIL;
				due(f, ann->at);
				f->note = fmt(A, "announced cutoff %s is later than %s after communications "
					      "started (%s)", T(A, ann->cutoff), D(A, A->tg->turnaround),
					      T(A, latest_cutoff));
			} else {
				f->note = fmt(A, "cutoff %s announced; no review requested yet",
					      T(A, ann->cutoff));
			}
		} else {
			waiting(A, f, "no review has been requested");
		}
		return;
	}
	due(f, req->at);
	if (!ann || ann->at > req->at) {
		f->status = AUDIT_FAIL;
		if (ann)
			met(f, ann->at);
		f->note = ann ? fmt(A, "cutoff announced at %s, after the first review request at %s",
				    T(A, ann->at), T(A, req->at))
			      : fmt(A, "no cutoff announced before the first review request at %s",
				    T(A, req->at));
		return;
	}
	met(f, ann->at);
	if (ann->cutoff > latest_cutoff) {
		f->status = AUDIT_FAIL;
		f->note = fmt(A, "announced cutoff %s is later than %s after communications started (%s)",
			      T(A, ann->cutoff), D(A, A->tg->turnaround), T(A, latest_cutoff));
	} else {
		f->note = fmt(A, "cutoff %s announced before the first review request", T(A, ann->cutoff));
	}
}

/* ---- Review and approval -------------------------------------------- */

/* Pairs every request an approver group had to answer with what came of
 * it (struct audit_pair), once, for the rules, the metrics and the
 * timeline. */
static void pair_requests(struct auditor *A)
{
	struct audit *au = A->au;
	const struct policy *pol = A->pol;
	size_t cap = 0;
	for (int r = REC_ROUND_REVIEW; r <= REC_ROUND_FINAL; r++) {
		for (size_t a = 0; a < pol->n_artifacts; a++) {
			for (size_t g = 0; g < pol->n_groups; g++) {
				if (!pol_is_approver(pol, g, a, A->quoted))
					continue;
				struct tl_answer ans;
				tl_answer_for(A->rec, g, (int)a, (enum rec_round)r, A->tg->response, &ans);
				if (!seen(A, ans.request))
					continue;
				if (au->n_pairs == cap) {
					cap = cap ? cap * 2 : 16;
					struct audit_pair *n = arena_alloc(&au->arena, cap * sizeof(*n));
					if (au->n_pairs)
						memcpy(n, au->pairs, au->n_pairs * sizeof(*n));
					au->pairs = n;
				}
				au->pairs[au->n_pairs++] = (struct audit_pair){
					(int)g, (int)a, (enum rec_round)r, ans.request, ans.due,
					seen(A, ans.answer) ? ans.answer : NULL,
					seen(A, ans.backup) ? ans.backup : NULL,
				};
			}
		}
	}
}

/* Every (group, artifact) a request of `round` went to, judged. */
static void rule_response(struct auditor *A, enum rec_round round)
{
	const struct policy *pol = A->pol;
	enum pol_rule rule = round == REC_ROUND_REVIEW ? POL_RULE_REVIEW_RESPONSE
						       : POL_RULE_APPROVAL_RESPONSE;
	const char *answer_word = round == REC_ROUND_REVIEW ? "feedback or approval" : "approval";
	for (size_t i = 0; i < A->au->n_pairs; i++) {
		const struct audit_pair *p = &A->au->pairs[i];
		if (p->round != round)
			continue;
		const struct pol_group *g = &pol->groups[p->group];
		struct audit_finding *f = add(A, rule, p->group, p->artifact, NO_CHANNEL);
		evidence(A, f, p->request);
		evidence(A, f, p->answer);
		evidence(A, f, p->backup);
		int64_t window = p->due, grace = p->due + A->tg->backup_grace;
		due(f, window);
		if (p->answer)
			elapsed(f, p->request->at, p->answer->at);
		if (p->answer && p->answer->at <= window) {
			met(f, p->answer->at);
			f->note = fmt(A, "%s by %s after %s", answer_word, p->answer->by,
				      D(A, p->answer->at - p->request->at));
		} else if (p->backup && p->backup->at <= grace) {
			met(f, p->backup->at);
			f->note = fmt(A, "no %s within %s; back-ups engaged at %s, within the %s grace",
				      answer_word, D(A, A->tg->response), T(A, p->backup->at),
				      D(A, A->tg->backup_grace));
		} else if (p->backup || A->h > grace) {
			/* Back-ups engaged too late, or the grace is over: a late
			 * answer alone does not meet the plan's 30 minutes. */
			f->status = AUDIT_FAIL;
			if (p->answer)
				met(f, p->answer->at);
			f->note = fmt(A, "%s%s; no stand-in appointed by %s (window %s + grace %s)",
				      p->answer ? fmt(A, "%s came after %s", answer_word,
						      D(A, p->answer->at - p->request->at))
						: fmt(A, "no %s", answer_word),
				      p->backup ? fmt(A, " and back-ups were engaged late, at %s",
						      T(A, p->backup->at)) : "",
				      T(A, grace), D(A, A->tg->response), D(A, A->tg->backup_grace));
		} else {
			f->status = AUDIT_PENDING;
			if (p->answer)
				met(f, p->answer->at);
			f->note = A->h <= window
				? fmt(A, "awaiting %s from %s by %s", answer_word, g->title, T(A, window))
				: fmt(A, "%s; window passed at %s: engage the back-ups (%s) by %s",
				      p->answer ? fmt(A, "%s came late", answer_word) : "no answer",
				      T(A, window), g->n_chain > 1 ? g->chain[1] : "none", T(A, grace));
		}
	}
}

/* Whether an approval counts for quorum: given in the final round
 * (round="final", or no round and not before the group's final request),
 * or in a process that had no final round for the group. */
static bool final_approval(const struct auditor *A, const struct rec_event *ev, size_t g)
{
	if (ev->round != REC_ROUND_NONE)
		return ev->round == REC_ROUND_FINAL;
	return !A->final_req[g] || A->final_req[g] <= ev;
}

/* Whether an approval is by a title of the group's chain, and a back-up's
 * came after the group's back-ups were engaged (earlier in the timeline:
 * events of the same second keep file order).  Needs artifact a cached. */
static bool authorized(const struct auditor *A, const struct rec_event *ap,
		       const struct rec_event **backup)
{
	int pos = pol_chain_position(&A->pol->groups[ap->group], ap->by);
	const struct rec_event *bk = A->backup[ap->group];
	*backup = NULL;
	if (pos < 0)
		return false;
	if (pos == 0)
		return true;
	if (!bk || bk >= ap)
		return false;
	*backup = bk;
	return true;
}

static void cache_artifact(struct auditor *A, int a)
{
	if (A->cached == a)
		return;
	const struct policy *pol = A->pol;
	for (size_t g = 0; g < pol->n_groups; g++) {
		struct tl_answer fr;
		tl_answer_for(A->rec, g, a, REC_ROUND_FINAL, A->tg->response, &fr);
		A->final_req[g] = fr.request;
		A->backup[g] = A->approval[g] = NULL;
	}
	for (size_t i = 0; i < A->rec->n_events; i++) {
		const struct rec_event *ev = &A->rec->events[i];
		if (ev->group < 0)
			continue;
		size_t g = (size_t)ev->group;
		const struct rec_event *bk;
		if (ev->type == REC_EV_BACKUP_ENGAGED && !A->backup[g] &&
		    (ev->n_artifacts == 0 || rec_event_has_artifact(ev, a)))
			A->backup[g] = ev;
		else if (ev->type == REC_EV_APPROVED && !A->approval[g] && rec_event_has_artifact(ev, a) &&
			 final_approval(A, ev, g) && authorized(A, ev, &bk))
			A->approval[g] = ev;
	}
	A->cached = a;
}

static void rule_authorized(struct auditor *A)
{
	const struct policy *pol = A->pol;
	for (size_t a = 0; a < pol->n_artifacts; a++) {
		for (size_t g = 0; g < pol->n_groups; g++) {
			struct audit_finding *f = NULL;
			for (size_t i = 0; i < A->rec->n_events && A->rec->events[i].at <= A->h; i++) {
				const struct rec_event *ev = &A->rec->events[i];
				if (ev->type != REC_EV_APPROVED || ev->group != (int)g ||
				    !rec_event_has_artifact(ev, (int)a))
					continue;
				cache_artifact(A, (int)a);
				if (!f)
					f = add(A, POL_RULE_AUTHORIZED_APPROVER, (int)g, (int)a, NO_CHANNEL);
				evidence(A, f, ev);
				const struct rec_event *bk;
				bool ok = authorized(A, ev, &bk);
				evidence(A, f, bk);
				if (!ok && f->status != AUDIT_FAIL) {
					f->status = AUDIT_FAIL;
					due(f, ev->at);
					f->note = pol_chain_position(&pol->groups[g], ev->by) < 0
						? fmt(A, "'%s' is not in the approver chain of %s", ev->by,
						      pol->groups[g].title)
						: fmt(A, "'%s' is a back-up approver, but no back-ups of %s had been "
						      "engaged before the approval at %s", ev->by,
						      pol->groups[g].title, T(A, ev->at));
				} else if (ok && f->status != AUDIT_FAIL) {
					met(f, ev->at);
					f->note = bk ? fmt(A, "approved by back-up '%s', engaged at %s", ev->by,
							   T(A, bk->at))
						     : fmt(A, "approved by '%s'", ev->by);
				}
			}
		}
	}
}

/* ---- QUORUM and DEPLOYMENT ------------------------------------------ */

/* How quorum stood for an artifact at a moment: every approver group had
 * approved (all), or the plan's cutoff fallback held (fallback); why the
 * fallback did not hold, for the note. */
struct quorum_state {
	bool all, fallback;
	size_t approved_required, required, need;
	const char *why;           /* why the fallback does not hold */
};

/* The group's first approval of the artifact counting for quorum, by t. */
static const struct rec_event *approved_by(const struct auditor *A, size_t g, int64_t t)
{
	const struct rec_event *ev = A->approval[g];
	return ev && ev->at <= t ? ev : NULL;
}

/* Quorum for artifact a at moment t; `explain` fills q->why (only for
 * the note: the search over moments does without). */
static void quorum_at(struct auditor *A, int a, int64_t t, bool explain, struct quorum_state *q)
{
	const struct policy *pol = A->pol;
	cache_artifact(A, a);
	*q = (struct quorum_state){ true, false, 0, 0, 0, NULL };
	/* Only a cutoff announced by then can justify going ahead then. */
	const struct rec_event *cut = first(A, REC_EV_CUTOFF_ANNOUNCED);
	if (cut && cut->at > t)
		cut = NULL;
	bool fallback_ok = true;
	for (size_t g = 0; g < pol->n_groups; g++) {
		if (!pol_is_approver(pol, g, (size_t)a, A->quoted))
			continue;
		bool ok = approved_by(A, g, t) != NULL;
		if (pol->groups[g].required) {
			q->required++;
			q->approved_required += ok;
		}
		if (ok)
			continue;
		q->all = false;
		const struct rec_event *req = A->final_req[g];
		const struct rec_event *bk = A->backup[g];
		if (!req || req->at > t) {
			if (explain && !q->why)
				q->why = fmt(A, "%s had no final approval request", pol->groups[g].title);
			fallback_ok = false;
		} else if (req->at + A->tg->response > t) {
			if (explain && !q->why)
				q->why = fmt(A, "the %s window of %s ran until %s", D(A, A->tg->response),
					     pol->groups[g].title, T(A, req->at + A->tg->response));
			fallback_ok = false;
		} else if (!bk || bk->at > t) {
			if (explain && !q->why)
				q->why = fmt(A, "the back-ups of %s had not been engaged", pol->groups[g].title);
			fallback_ok = false;
		}
	}
	q->need = (size_t)A->tg->quorum < q->required ? (size_t)A->tg->quorum : q->required;
	if (q->all)
		return;
	if (!cut || !cut->has_cutoff || t < cut->cutoff) {
		if (explain)
			q->why = cut && cut->has_cutoff
				? fmt(A, "before the announced cutoff %s", T(A, cut->cutoff))
				: "no cutoff had been announced";
		return;
	}
	if (q->approved_required < q->need) {
		if (explain)
			q->why = fmt(A, "%zu of the required groups had approved, %zu needed",
				     q->approved_required, q->need);
		return;
	}
	q->fallback = fallback_ok;
}

static bool has_approvers(const struct auditor *A, int a)
{
	for (size_t g = 0; g < A->pol->n_groups; g++)
		if (pol_is_approver(A->pol, g, (size_t)a, A->quoted))
			return true;
	return false;
}

/* The earliest time up to `until` at which quorum held for artifact a.
 * Quorum can only change at an event, at the close of a response window
 * (a request's time plus the window) or at the announced cutoff. */
static bool quorum_reached(struct auditor *A, int a, int64_t until, int64_t *when)
{
	bool found = false;
	*when = INT64_MAX;
	const struct rec_event *cut = first(A, REC_EV_CUTOFF_ANNOUNCED);
	for (size_t i = 0; i <= A->rec->n_events; i++) {
		int64_t cands[2];
		if (i < A->rec->n_events) {
			const struct rec_event *ev = &A->rec->events[i];
			if ((ev->type != REC_EV_APPROVED && ev->type != REC_EV_BACKUP_ENGAGED &&
			     ev->type != REC_EV_REVIEW_REQUESTED) ||
			    (ev->n_artifacts && !rec_event_has_artifact(ev, a)))
				continue;
			cands[0] = ev->at;
			cands[1] = ev->at + A->tg->response;
		} else {
			/* The cutoff itself, and its announcement when that came later. */
			cands[0] = cut && cut->has_cutoff ? cut->cutoff : INT64_MAX;
			cands[1] = cut && cut->has_cutoff ? cut->at : INT64_MAX;
		}
		for (int k = 0; k < 2; k++) {
			if (cands[k] > until || cands[k] >= *when)
				continue;
			struct quorum_state q;
			quorum_at(A, a, cands[k], false, &q);
			if (q.all || q.fallback) {
				*when = cands[k];
				found = true;
			}
		}
	}
	return found;
}

static void rule_quorum_deployment(struct auditor *A)
{
	const struct policy *pol = A->pol;
	for (size_t a = 0; a < pol->n_artifacts; a++) {
		if (!(in_play(A, (int)a) & 2) || !has_approvers(A, (int)a))
			continue;
		const struct rec_event *dep = first_for(A, REC_EV_DEPLOYED, (int)a);
		struct audit_finding *f = add(A, POL_RULE_QUORUM, NO_GROUP, (int)a, NO_CHANNEL);
		struct audit_finding *fd = add(A, POL_RULE_DEPLOYMENT, NO_GROUP, (int)a, NO_CHANNEL);
		if (!A->tg->has_deployment) {
			fd->status = AUDIT_NA;
			fd->note = fmt(A, "the policy sets no deployment budget for %s",
				       pol_severity_name(A->rec->severity));
			fd = NULL;
		}
		int64_t qt;
		bool reached = quorum_reached(A, (int)a, dep ? dep->at : A->h, &qt);
		bool fb = false;
		if (reached) {
			struct quorum_state q;
			quorum_at(A, (int)a, qt, false, &q);
			fb = !q.all;
		}
		if (!dep) {
			waiting(A, f, reached
				? fmt(A, "quorum was reached at %s%s, but %s has not been deployed", T(A, qt),
				      fb ? " (cutoff fallback)" : "", pol->artifacts[a].title)
				: fmt(A, "%s has not been deployed", pol->artifacts[a].title));
			if (fd) {
				if (reached) {
					owed(A, fd, qt + A->tg->deployment,
					     fmt(A, "deploying %s (quorum at %s)", pol->artifacts[a].title, T(A, qt)));
				} else {
					fd->status = AUDIT_NA;
					fd->note = "quorum not reached yet";
					if (!A->closed)
						fd->status = AUDIT_PENDING;
				}
			}
			continue;
		}
		evidence(A, f, dep);
		due(f, dep->at);
		struct quorum_state q;
		quorum_at(A, (int)a, dep->at, true, &q);
		if (!reached && (q.all || q.fallback)) {
			reached = true;
			qt = dep->at;
		}
		for (size_t g = 0; g < pol->n_groups; g++) {
			if (pol_is_approver(pol, g, a, A->quoted))
				evidence(A, f, approved_by(A, g, dep->at));
		}
		if (q.all) {
			met(f, qt);
			f->note = fmt(A, "every approver group had approved by the deployment at %s",
				      T(A, dep->at));
		} else if (q.fallback) {
			met(f, qt);
			A->au->metrics.quorum_deployments++;
			evidence(A, f, first(A, REC_EV_CUTOFF_ANNOUNCED));
			f->note = fmt(A, "deployed at the cutoff with %zu of %zu required groups approved "
				      "(%zu needed); missing groups had their full window and back-ups engaged",
				      q.approved_required, q.required, q.need);
		} else {
			f->status = AUDIT_FAIL;
			f->note = fmt(A, "deployed at %s without quorum: not every approver group had "
				      "approved, and the cutoff fallback did not hold (%s)", T(A, dep->at),
				      q.why ? q.why : "unknown");
		}
		if (!fd)
			continue;
		evidence(A, fd, dep);
		if (!reached) {
			fd->status = AUDIT_NA;
			fd->note = "deployed without quorum (see QUORUM)";
			continue;
		}
		int64_t deadline = qt + A->tg->deployment;
		due(fd, deadline);
		met(fd, dep->at);
		elapsed(fd, qt, dep->at);
		if (dep->at > deadline) {
			fd->status = AUDIT_FAIL;
			fd->note = fmt(A, "deployed %s after quorum at %s (budget %s)", D(A, dep->at - qt),
				       T(A, qt), D(A, A->tg->deployment));
		} else {
			fd->note = fmt(A, "deployed %s after quorum at %s", D(A, dep->at - qt), T(A, qt));
		}
	}
}

/* ---- COMPANIONS and AWARENESS --------------------------------------- */

static void rule_companions(struct auditor *A)
{
	struct audit_finding *f = add(A, POL_RULE_COMPANIONS, NO_GROUP, NO_ARTIFACT, NO_CHANNEL);
	const struct rec_event *dep = first_external_deployment(A);
	if (!dep) {
		waiting(A, f, "nothing external has been deployed");
		return;
	}
	evidence(A, f, dep);
	due(f, dep->at);
	static const char *const companions[] = { "social-post", "support-faq" };
	struct buf missing = BUF_INIT;
	int64_t last = 0;
	for (size_t i = 0; i < 2; i++) {
		int a = pol_artifact_index(A->pol, companions[i]);
		const struct rec_event *d = a >= 0 ? first_for(A, REC_EV_DRAFT_READY, a) : NULL;
		if (d && d->at <= dep->at) {
			evidence(A, f, d);
			if (d->at > last)
				last = d->at;
		} else {
			buf_printf(&missing, "%s%s", missing.len ? " and " : "", companions[i]);
		}
	}
	if (missing.len) {
		f->status = AUDIT_FAIL;
		f->note = fmt(A, "first external deployment at %s without a drafted %s",
			      T(A, dep->at), buf_str(&missing));
	} else {
		met(f, last);
		f->note = "social post and support FAQ drafted before the first deployment";
	}
	buf_free(&missing);
}

static void rule_awareness(struct auditor *A)
{
	const struct rec_event *dep = first_external_deployment(A);
	for (size_t c = 0; c < A->pol->n_channels; c++) {
		const char *ch = A->pol->channels[c];
		struct audit_finding *f = add(A, POL_RULE_AWARENESS, NO_GROUP, NO_ARTIFACT, (int)c);
		if (!dep) {
			waiting(A, f, "nothing external has been deployed");
			continue;
		}
		evidence(A, f, dep);
		const struct rec_event *post = NULL;
		for (size_t i = 0; i < A->rec->n_events && A->rec->events[i].at <= A->h; i++) {
			const struct rec_event *ev = &A->rec->events[i];
			if (ev->type == REC_EV_POSTED && ev->at >= dep->at && ev->channel &&
			    strcmp(ev->channel, ch) == 0) {
				post = ev;
				break;
			}
		}
		if (post) {
			evidence(A, f, post);
			met(f, post->at);
			elapsed(f, dep->at, post->at);
			f->note = fmt(A, "posted %s after the first deployment", D(A, post->at - dep->at));
		} else if (A->closed) {
			/* The plan sets no deadline: owed until the process is over. */
			due(f, first(A, REC_EV_RESOLVED)->at > dep->at ? first(A, REC_EV_RESOLVED)->at : dep->at);
			f->status = AUDIT_FAIL;
			f->note = fmt(A, "no post to %s after the first deployment at %s, and the incident "
				      "was resolved", ch, T(A, dep->at));
		} else {
			f->status = AUDIT_PENDING;
			f->note = fmt(A, "post the final materials to %s", ch);
		}
	}
}

/* ---- Exceptions ----------------------------------------------------- */

static void apply_exceptions(struct auditor *A, const struct rec_exception *standing,
			     size_t n_standing)
{
	struct audit *au = A->au;
	const struct record *rec = A->rec;
	size_t n = rec->n_exceptions + n_standing;
	au->n_exceptions = n;
	au->exceptions = arena_alloc(&au->arena, (n + 1) * sizeof(*au->exceptions));
	for (size_t x = 0; x < n; x++) {
		bool std = x >= rec->n_exceptions;
		const struct rec_exception *e = std ? &standing[x - rec->n_exceptions] : &rec->exceptions[x];
		au->exceptions[x] = (struct audit_exception_use){
			e, std, e->approved_at > A->h ? AUDIT_EXC_NOT_YET_APPROVED : AUDIT_EXC_UNUSED, 0,
		};
	}
	if (!au->in_scope)
		return;
	for (size_t i = 0; i < au->n_findings; i++) {
		struct audit_finding *f = &au->findings[i];
		if (f->status != AUDIT_FAIL)
			continue;
		int64_t violation = f->has_due ? f->due : A->h;
		for (size_t x = 0; x < n; x++) {
			struct audit_exception_use *use = &au->exceptions[x];
			const struct rec_exception *e = use->exception;
			if (e->rule != f->rule || (e->subject && strcmp(e->subject, f->subject) != 0))
				continue;
			if (e->approved_at > A->h)
				continue;
			if (e->has_expires && e->expires <= violation) {
				if (use->state == AUDIT_EXC_UNUSED)
					use->state = AUDIT_EXC_EXPIRED;
				f->note = fmt(A, "%s; exception %s had expired at %s", f->note, e->id,
					      T(A, e->expires));
				continue;
			}
			f->status = AUDIT_EXCEPTED;
			f->exception = e;
			f->retroactive = e->approved_at > violation;
			f->note = fmt(A, "%s; excepted by %s%s (approved by %s at %s%s)", f->note, e->id,
				      use->standing ? ", a standing exception" : "", e->approved_by,
				      T(A, e->approved_at),
				      f->retroactive ? ", after the violation: retroactive" : "");
			use->n_excused++;
			if (f->retroactive)
				use->state = AUDIT_EXC_RETROACTIVE;
			else if (use->state != AUDIT_EXC_RETROACTIVE)
				use->state = AUDIT_EXC_USED;
			break;
		}
	}
}

/* ---- Metrics -------------------------------------------------------- */

static void metrics(struct auditor *A)
{
	struct audit *au = A->au;
	struct audit_metrics *m = &au->metrics;
	const struct policy *pol = A->pol;
	const struct rec_event *d = first(A, REC_EV_DRAFT_READY);
	if (au->has_t0 && d) {
		m->has_first_draft = true;
		m->first_draft = d->at - au->t0;
	}
	m->turnaround = arena_alloc(&au->arena, (pol->n_artifacts + 1) * sizeof(*m->turnaround));
	for (size_t a = 0; a < pol->n_artifacts; a++) {
		if (!(in_play(A, (int)a) & 2))
			continue;
		const struct rec_event *dep = first_for(A, REC_EV_DEPLOYED, (int)a);
		m->turnaround[m->n_turnaround++] = (struct audit_turnaround){
			pol->artifacts[a].id, dep && au->has_t0, dep && au->has_t0 ? dep->at - au->t0 : 0,
		};
	}
	m->responses = arena_alloc(&au->arena, (au->n_pairs + 1) * sizeof(*m->responses));
	for (size_t i = 0; i < au->n_pairs; i++) {
		const struct audit_pair *p = &au->pairs[i];
		m->responses[m->n_responses++] = (struct audit_response){
			pol->groups[p->group].id, pol->artifacts[p->artifact].id, p->round,
			p->request->at, p->answer != NULL,
			p->answer ? p->answer->at - p->request->at : 0,
		};
	}
	for (size_t i = 0; i < A->rec->n_events && A->rec->events[i].at <= A->h; i++)
		m->backups_engaged += A->rec->events[i].type == REC_EV_BACKUP_ENGAGED;
}

/* ---- Running -------------------------------------------------------- */

int64_t audit_record_horizon(const struct record *rec)
{
	int64_t h = rec->n_events ? rec->events[rec->n_events - 1].at : 0;
	for (size_t i = 0; i < rec->n_exceptions; i++)
		if (rec->exceptions[i].approved_at > h)
			h = rec->exceptions[i].approved_at;
	for (int f = 0; f < POL_FACT_COUNT; f++)
		if (rec->facts[f].present && rec->facts[f].has_at && rec->facts[f].at > h)
			h = rec->facts[f].at;
	return h;
}

int audit_run(const struct record *rec, const struct policy *pol, int64_t at,
	      struct audit **out)
{
	return audit_run_with(rec, pol, at, NULL, 0, out);
}

int audit_run_with(const struct record *rec, const struct policy *pol, int64_t at,
		   const struct rec_exception *standing, size_t n_standing, struct audit **out)
{
	struct audit *au = xcalloc(1, sizeof(*au));
	au->rec = rec;
	au->pol = pol;
	au->audited_at = at == AUDIT_AT_RECORD ? audit_record_horizon(rec) : at;
	au->in_scope = pol_in_scope(pol, rec->impact);
	struct auditor A = { au, rec, pol, &pol->targets[rec->severity], au->audited_at,
			     false, false, rec->fact_present[POL_FACT_SECURITY_QUOTED], NULL, 0, 0,
			     -1, NULL, NULL, NULL };
	A.backup = xcalloc(pol->n_groups + 1, sizeof(*A.backup));
	A.final_req = xcalloc(pol->n_groups + 1, sizeof(*A.final_req));
	A.approval = xcalloc(pol->n_groups + 1, sizeof(*A.approval));
	const struct rec_event *t0 = first(&A, REC_EV_COMMS_STARTED);
	au->has_t0 = t0 != NULL;
	au->t0 = t0 ? t0->at : 0;
	A.resolved = first(&A, REC_EV_RESOLVED) != NULL;
	A.closed = A.resolved && au->audited_at >= audit_record_horizon(rec);
	/* Statuses only move forward: investigating, mitigated, resolved. */
	au->status_known = au->audited_at >= audit_record_horizon(rec) || A.resolved ||
			   rec->status == REC_STATUS_INVESTIGATING;
	au->status = au->audited_at >= audit_record_horizon(rec) ? rec->status
		     : A.resolved ? REC_STATUS_RESOLVED : REC_STATUS_INVESTIGATING;
	pair_requests(&A);

	if (!au->in_scope) {
		for (int r = 0; r < POL_RULE_COUNT; r++) {
			struct audit_finding *f = add(&A, (enum pol_rule)r, NO_GROUP, NO_ARTIFACT, NO_CHANNEL);
			f->status = AUDIT_NA;
			f->note = fmt(&A, "impact %s is below the plan's scope (impact %s or greater)",
				      pol_impact_name(rec->impact), pol_impact_name(pol->min_impact));
		}
	} else {
		rule_engage(&A);
		rule_cadence(&A);
		rule_drafting(&A);
		rule_cutoff(&A);
		rule_response(&A, REC_ROUND_REVIEW);
		rule_response(&A, REC_ROUND_FINAL);
		rule_authorized(&A);
		rule_quorum_deployment(&A);
		rule_turnaround(&A);
		rule_companions(&A);
		rule_awareness(&A);
	}
	/* Findings in rule order, then as made: a stable, documented order. */
	size_t per_rule[POL_RULE_COUNT + 1] = { 0 };
	for (size_t i = 0; i < A.n; i++)
		per_rule[A.list[i]->rule + 1]++;
	for (int r = 0; r < POL_RULE_COUNT; r++)
		per_rule[r + 1] += per_rule[r];
	au->findings = xmalloc((A.n + 1) * sizeof(*au->findings));
	au->n_findings = A.n;
	for (size_t i = 0; i < A.n; i++)
		au->findings[per_rule[A.list[i]->rule]++] = *A.list[i];
	free(A.list);
	free(A.backup);
	free(A.final_req);
	free(A.approval);
	apply_exceptions(&A, standing, n_standing);
	if (au->in_scope)
		metrics(&A);
	for (size_t i = 0; i < au->n_findings; i++)
		au->counts[au->findings[i].status]++;
	*out = au;
	return 0;
}

bool audit_failed(const struct audit *au)
{
	return au->counts[AUDIT_FAIL] > 0;
}

void audit_free(struct audit *au)
{
	if (!au)
		return;
	free(au->findings);
	arena_free(&au->arena);
	free(au);
}
