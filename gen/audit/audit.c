/* audit.c - the rule engine: findings, exceptions and metrics.  It decides;
 * audit_note.c words what it decided. */
#include "audit/audit.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model/timeline.h"

static const char *const status_names[] = { "pass", "fail", "excepted", "n/a", "pending" };
static const char *const exc_state_names[] = {
	"used", "retroactive", "unused", "expired", "not yet approved", "unauthorized",
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

/* "a/b" in the audit's arena: the subject of most findings, made without
 * fmt's printf (which was a sixth of the rules' instructions). */
static const char *pair_subject(struct auditor *A, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = arena_alloc(&A->au->arena, la + lb + 2);
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
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
		f->subject = pair_subject(A, pol->groups[group].id, pol->artifacts[artifact].id);
	else
		f->subject = arena_strdup(&au->arena, group >= 0 ? pol->groups[group].id
						      : artifact >= 0 ? pol->artifacts[artifact].id
						      : channel >= 0 ? pol->channels[channel] : "-");
	f->status = AUDIT_PASS;
	f->reason = AUDIT_R_IN_TIME;
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

/* The finding's status and why. */
static void judge(struct audit_finding *f, enum audit_status status, enum audit_reason reason)
{
	f->status = status;
	f->reason = reason;
}

/* A deadline with nothing done by the horizon: pending before it, failed
 * after it. */
static void owed(struct auditor *A, struct audit_finding *f, int64_t deadline)
{
	due(f, deadline);
	if (A->h <= deadline)
		judge(f, AUDIT_PENDING, AUDIT_R_DUE);
	else
		judge(f, AUDIT_FAIL, AUDIT_R_OVERDUE);
}

/* Something that counts from an event that has not happened (`reason`
 * says which): pending while the incident goes on, n/a once it is
 * resolved. */
static void waiting(struct auditor *A, struct audit_finding *f, enum audit_reason reason)
{
	judge(f, A->closed ? AUDIT_NA : AUDIT_PENDING, reason);
}

/* An obligation counting from an event of type `anchor` that the record
 * lacks, though `shown` (tl_shown_by) shows it happened: the deadline
 * cannot be computed, so nothing done can be proven in time.  Fails. */
static void unproven(struct auditor *A, struct audit_finding *f, enum rec_event_type anchor,
		     const struct rec_event *shown, const struct rec_event *done)
{
	f->detail.anchor = anchor;
	f->detail.shown_by = shown;
	f->detail.done = done;
	evidence(A, f, shown);
	evidence(A, f, done);
	if (done)
		met(f, done->at);
	judge(f, AUDIT_FAIL, AUDIT_R_UNPROVEN);
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
	size_t n;
	const struct rec_event *const *evs = rec_events_of(A->rec, type, &n);
	for (size_t i = 0; i < n && evs[i]->at <= A->h; i++)
		if (rec_event_has_artifact(evs[i], a))
			return evs[i];
	return NULL;
}

/* The first public release (a deployment naming a public-facing
 * artifact), by the horizon: Developer Relations "should be engaged before
 * public-facing materials are released", and AWARENESS counts from it. */
static const struct rec_event *first_public_deployment(const struct auditor *A)
{
	const struct rec_event *ev = tl_first_public_deployment(A->rec, A->pol);
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
		struct audit_finding *f = add(A, POL_RULE_ENGAGE, (int)e->group, NO_ARTIFACT, NO_CHANNEL);
		f->detail.engagement = e;
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
			evidence(A, f, e->from == POL_FROM_FIRST_DEPLOYMENT ? first_public_deployment(A)
					 : first(A, from_type[e->from]));
		}
		if (!has_base) {
			/* The event the row counts from: for facts without a
			 * time, the severity determination. */
			static const enum rec_event_type anchor_of[POL_FROM_COUNT] = {
				[POL_FROM_SEVERITY_DETERMINED] = REC_EV_SEVERITY_DETERMINED,
				[POL_FROM_FACT] = REC_EV_SEVERITY_DETERMINED,
				[POL_FROM_COMMS_STARTED] = REC_EV_COMMS_STARTED,
				[POL_FROM_IMPACT_DETERMINED] = REC_EV_IMPACT_DETERMINED,
				[POL_FROM_FIRST_DRAFT] = REC_EV_DRAFT_READY,
				[POL_FROM_FIRST_DEPLOYMENT] = REC_EV_DEPLOYED,
			};
			const struct rec_event *shown = tl_shown_by(A->rec, anchor_of[e->from], A->h);
			if (shown) {
				unproven(A, f, anchor_of[e->from], shown, done);
				continue;
			}
		}
		evidence(A, f, done);
		if (!has_base) {
			if (done) {
				met(f, done->at);
				judge(f, AUDIT_PASS, AUDIT_R_EARLY);
			} else {
				waiting(A, f, AUDIT_R_NO_BASE);
			}
			continue;
		}
		int64_t deadline = base + e->delay;
		due(f, deadline);
		if (done) {
			met(f, done->at);
			elapsed(f, base, done->at);
			if (done->at > deadline)
				judge(f, AUDIT_FAIL, AUDIT_R_LATE);
			else
				judge(f, AUDIT_PASS, done->at >= base ? AUDIT_R_IN_TIME : AUDIT_R_EARLY);
		} else {
			owed(A, f, deadline);
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
			waiting(A, f, AUDIT_R_NOT_ENGAGED);
			continue;
		}
		evidence(A, f, eng);
		int64_t last = eng->at, worst = 0, worst_end = 0;
		bool breached = false;
		int64_t breach_due = 0;
		int64_t end = res ? res->at : A->h;
		size_t n;
		const struct rec_event *const *evs = rec_events_of(A->rec, REC_EV_UPDATE, &n);
		for (size_t i = 0; i < n; i++) {
			const struct rec_event *ev = evs[i];
			if (ev->at > end || ev->at < eng->at || ev->group != (int)g)
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
		f->detail.cadence = cadence;
		f->detail.gap_end = worst_end;
		f->detail.gap_end_kind = res && worst_end == res->at ? AUDIT_GAP_AT_RESOLUTION
					 : !res && worst_end == A->h ? AUDIT_GAP_AT_HORIZON
					 : AUDIT_GAP_AT_UPDATE;
		struct audit_metrics *m = &A->au->metrics;
		if (!m->gaps)
			m->gaps = arena_alloc(&A->au->arena, (pol->n_groups + 1) * sizeof(*m->gaps));
		m->gaps[m->n_gaps++] = (struct audit_gap){ pol->groups[g].id, worst };
		if (!res) {
			f->detail.has_next_update = true;
			f->detail.next_update = last + cadence;
		}
		if (breached) {
			due(f, breach_due);
			judge(f, AUDIT_FAIL, AUDIT_R_LATE);
		} else if (!res) {
			due(f, last + cadence);
			judge(f, AUDIT_PENDING, AUDIT_R_DUE);
		}
	}
}

/* ---- Artifacts in play ---------------------------------------------- */

/* Artifacts the incident communicates: external ones named by a
 * draft-ready, review-requested or deployed event (mask bit 1), and by a
 * review-requested or deployed one (bit 2: owed to the public). */
static unsigned in_play(const struct auditor *A, int a)
{
	static const struct { enum rec_event_type type; unsigned mask; } kinds[] = {
		{ REC_EV_REVIEW_REQUESTED, 3 }, { REC_EV_DEPLOYED, 3 }, { REC_EV_DRAFT_READY, 1 },
	};
	unsigned m = 0;
	if (!A->pol->artifacts[a].external)
		return 0;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && m != 3; k++) {
		size_t n;
		const struct rec_event *const *evs = rec_events_of(A->rec, kinds[k].type, &n);
		for (size_t i = 0; i < n; i++) {
			if (rec_event_has_artifact(evs[i], a)) {
				m |= kinds[k].mask;
				break;
			}
		}
	}
	return m;
}

/* ---- DRAFTING, CUTOFF, TURNAROUND ----------------------------------- */

/* An artifact's first event of a kind within a budget counted from T0:
 * DRAFTING (draft-ready within the drafting budget) and TURNAROUND
 * (deployed within the turnaround).  `play` picks the artifacts (see
 * in_play). */
static void rule_from_t0(struct auditor *A, enum pol_rule rule, unsigned play,
			 enum rec_event_type type, bool has_budget, int64_t budget)
{
	const struct policy *pol = A->pol;
	for (size_t a = 0; a < pol->n_artifacts; a++) {
		if (!(in_play(A, (int)a) & play))
			continue;
		struct audit_finding *f = add(A, rule, NO_GROUP, (int)a, NO_CHANNEL);
		if (!has_budget) {
			judge(f, AUDIT_NA, AUDIT_R_NO_TARGET);
			continue;
		}
		const struct rec_event *d = first_for(A, type, (int)a);
		if (!A->au->has_t0) {
			const struct rec_event *shown = tl_shown_by(A->rec, REC_EV_COMMS_STARTED, A->h);
			if (shown)
				unproven(A, f, REC_EV_COMMS_STARTED, shown, d);
			else
				waiting(A, f, AUDIT_R_NOT_STARTED);
			continue;
		}
		int64_t deadline = A->au->t0 + budget;
		evidence(A, f, first(A, REC_EV_COMMS_STARTED));
		evidence(A, f, d);
		due(f, deadline);
		if (d) {
			met(f, d->at);
			elapsed(f, A->au->t0, d->at);
			if (d->at > deadline)
				judge(f, AUDIT_FAIL, AUDIT_R_LATE);
		} else {
			owed(A, f, deadline);
		}
	}
}

static void rule_drafting(struct auditor *A)
{
	rule_from_t0(A, POL_RULE_DRAFTING, 1, REC_EV_DRAFT_READY, A->tg->has_drafting,
		     A->tg->drafting);
}

static void rule_turnaround(struct auditor *A)
{
	rule_from_t0(A, POL_RULE_TURNAROUND, 2, REC_EV_DEPLOYED, A->tg->has_turnaround,
		     A->tg->turnaround);
}

static void rule_cutoff(struct auditor *A)
{
	struct audit_finding *f = add(A, POL_RULE_CUTOFF, NO_GROUP, NO_ARTIFACT, NO_CHANNEL);
	if (!A->tg->has_turnaround) {
		judge(f, AUDIT_NA, AUDIT_R_NO_TARGET);
		return;
	}
	const struct rec_event *req = first(A, REC_EV_REVIEW_REQUESTED);
	const struct rec_event *ann = first(A, REC_EV_CUTOFF_ANNOUNCED);
	if (ann)
		f->detail.cutoff = ann->cutoff;
	if (!A->au->has_t0) {
		const struct rec_event *shown = tl_shown_by(A->rec, REC_EV_COMMS_STARTED, A->h);
		if (!shown || (!req && !ann)) {
			waiting(A, f, !shown ? AUDIT_R_NOT_STARTED : AUDIT_R_NO_REVIEW);
			return;
		}
		/* Whether the cutoff came before the first request needs no
		 * T0; whether it is within the turnaround of T0 does. */
		evidence(A, f, ann);
		evidence(A, f, req);
		if (req) {
			due(f, req->at);
			if (!ann || ann->at > req->at) {
				if (ann)
					met(f, ann->at);
				judge(f, AUDIT_FAIL, ann ? AUDIT_R_LATE : AUDIT_R_OVERDUE);
				return;
			}
		}
		unproven(A, f, REC_EV_COMMS_STARTED, shown, ann);
		return;
	}
	int64_t turnaround_end = A->au->t0 + A->tg->turnaround;
	int64_t latest_cutoff = pol_latest_cutoff(A->tg, A->au->t0);
	/* Why a cutoff is too late: past the turnaround itself, or past the
	 * moment that leaves the deployment budget before it. */
	enum audit_reason too_late = ann && ann->cutoff > turnaround_end ? AUDIT_R_CUTOFF_TOO_LATE
				     : AUDIT_R_NO_DEPLOYMENT_TIME;
	evidence(A, f, first(A, REC_EV_COMMS_STARTED));
	evidence(A, f, ann);
	evidence(A, f, req);
	if (!req) {
		if (ann) {
			met(f, ann->at);
			if (ann->has_cutoff && ann->cutoff > latest_cutoff) {
				due(f, ann->at);
				judge(f, AUDIT_FAIL, too_late);
			} else {
				judge(f, AUDIT_PASS, AUDIT_R_ANNOUNCED);
			}
		} else {
			waiting(A, f, AUDIT_R_NO_REVIEW);
		}
		return;
	}
	due(f, req->at);
	if (!ann) {
		judge(f, AUDIT_FAIL, AUDIT_R_OVERDUE);
		return;
	}
	met(f, ann->at);
	if (ann->at > req->at)
		judge(f, AUDIT_FAIL, AUDIT_R_LATE);
	else if (ann->cutoff > latest_cutoff)
		judge(f, AUDIT_FAIL, too_late);
}

/* ---- Review and approval -------------------------------------------- */

/* Pairs every request an approver group had to answer with what came of
 * it (struct audit_pair), once, for the rules, the metrics and the
 * timeline. */
static void pair_requests(struct auditor *A)
{
	struct audit *au = A->au;
	const struct policy *pol = A->pol;
	/* At most one pair per round and approver (group, artifact). */
	size_t most = 0;
	for (size_t a = 0; a < pol->n_artifacts; a++)
		for (size_t g = 0; g < pol->n_groups; g++)
			most += pol_is_approver(pol, g, a, A->quoted) ? 2 : 0;
	au->pairs = arena_alloc(&au->arena, (most + 1) * sizeof(*au->pairs));
	for (int r = REC_ROUND_REVIEW; r <= REC_ROUND_FINAL; r++) {
		for (size_t a = 0; a < pol->n_artifacts; a++) {
			for (size_t g = 0; g < pol->n_groups; g++) {
				if (!pol_is_approver(pol, g, a, A->quoted))
					continue;
				struct tl_answer ans;
				tl_answer_for(A->rec, g, (int)a, (enum rec_round)r, A->tg->response, &ans);
				if (!seen(A, ans.request))
					continue;
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
	enum pol_rule rule = round == REC_ROUND_REVIEW ? POL_RULE_REVIEW_RESPONSE
						       : POL_RULE_APPROVAL_RESPONSE;
	for (size_t i = 0; i < A->au->n_pairs; i++) {
		const struct audit_pair *p = &A->au->pairs[i];
		if (p->round != round)
			continue;
		struct audit_finding *f = add(A, rule, p->group, p->artifact, NO_CHANNEL);
		f->detail.pair = p;
		int64_t window = p->due, grace = p->due + A->tg->backup_grace;
		bool in_time = p->answer && p->answer->at <= window;
		evidence(A, f, p->request);
		evidence(A, f, p->answer);
		/* The back-ups decide, or are named, only when the answer
		 * did not come in time. */
		if (!in_time)
			evidence(A, f, p->backup);
		/* A stand-in is appointed for a group that has not answered:
		 * back-ups engaged after the group's own (late) answer stand in
		 * for no one.  Events of one second keep file order. */
		bool stand_in = p->backup && p->backup->at <= grace &&
				(!p->answer || p->backup < p->answer);
		due(f, window);
		if (p->answer)
			elapsed(f, p->request->at, p->answer->at);
		if (in_time) {
			met(f, p->answer->at);
		} else if (stand_in) {
			met(f, p->backup->at);
			judge(f, AUDIT_PASS, AUDIT_R_STAND_IN);
		} else if (p->answer) {
			/* Answered after the window with no stand-in before it:
			 * nothing that comes later can make it pass. */
			met(f, p->answer->at);
			judge(f, AUDIT_FAIL, AUDIT_R_LATE);
		} else if (p->backup || A->h > grace) {
			judge(f, AUDIT_FAIL, AUDIT_R_NO_STAND_IN);
		} else if (A->h <= window) {
			judge(f, AUDIT_PENDING, AUDIT_R_DUE);
		} else {
			judge(f, AUDIT_PENDING, AUDIT_R_ENGAGE_BACKUPS);
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
		A->approval[g] = NULL;
	}
	for (size_t g = 0; g < pol->n_groups; g++)
		A->backup[g] = tl_backup_engaged(A->rec, g, a);
	size_t n;
	const struct rec_event *const *evs = rec_events_of(A->rec, REC_EV_APPROVED, &n);
	for (size_t i = 0; i < n; i++) {
		const struct rec_event *ev = evs[i];
		if (ev->group < 0)
			continue;
		size_t g = (size_t)ev->group;
		const struct rec_event *bk;
		if (!A->approval[g] && rec_event_has_artifact(ev, a) && final_approval(A, ev, g) &&
		    authorized(A, ev, &bk))
			A->approval[g] = ev;
	}
	A->cached = a;
}

static void rule_authorized(struct auditor *A)
{
	const struct policy *pol = A->pol;
	for (size_t a = 0; a < pol->n_artifacts; a++) {
		for (size_t g = 0; g < pol->n_groups; g++) {
			/* Security External Communications approves as a checkpoint
			 * (EXTCOMMS-APPROVAL), not as an approver with a chain. */
			if (!pol->groups[g].n_chain && ((int)g == pol->extcomms_review_group ||
							 (int)g == pol->extcomms_approval_group))
				continue;
			struct audit_finding *f = NULL;
			size_t n;
			const struct rec_event *const *evs = rec_events_of(A->rec, REC_EV_APPROVED, &n);
			for (size_t i = 0; i < n && evs[i]->at <= A->h; i++) {
				const struct rec_event *ev = evs[i];
				if (ev->group != (int)g || !rec_event_has_artifact(ev, (int)a))
					continue;
				cache_artifact(A, (int)a);
				if (!f)
					f = add(A, POL_RULE_AUTHORIZED_APPROVER, (int)g, (int)a, NO_CHANNEL);
				evidence(A, f, ev);
				const struct rec_event *bk;
				bool ok = authorized(A, ev, &bk);
				evidence(A, f, bk);
				/* The first unauthorized approval decides; until one
				 * comes, the note names the latest approval. */
				if (f->status == AUDIT_FAIL)
					continue;
				f->detail.approval = ev;
				f->detail.backup = bk;
				if (!ok) {
					due(f, ev->at);
					judge(f, AUDIT_FAIL, pol_chain_position(&pol->groups[g], ev->by) < 0
						     ? AUDIT_R_NOT_IN_CHAIN : AUDIT_R_BACKUP_UNENGAGED);
				} else {
					met(f, ev->at);
					judge(f, AUDIT_PASS, bk ? AUDIT_R_BY_BACKUP : AUDIT_R_BY_APPROVER);
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
	enum audit_quorum_gap gap; /* why the fallback does not hold */
	int gap_group;
	int64_t gap_at;
};

/* Notes why the fallback does not hold: the first obstacle a group
 * presents, unless `over` (an obstacle that outweighs the groups'). */
static void quorum_gap(struct quorum_state *q, bool over, enum audit_quorum_gap gap, int group,
		       int64_t at)
{
	if (q->gap != AUDIT_QG_NONE && !over)
		return;
	q->gap = gap;
	q->gap_group = group;
	q->gap_at = at;
}

/* The group's first approval of the artifact counting for quorum, by t. */
static const struct rec_event *approved_by(const struct auditor *A, size_t g, int64_t t)
{
	const struct rec_event *ev = A->approval[g];
	return ev && ev->at <= t ? ev : NULL;
}

/* Quorum for artifact a at moment t, with why the fallback does not hold. */
static void quorum_at(struct auditor *A, int a, int64_t t, struct quorum_state *q)
{
	const struct policy *pol = A->pol;
	cache_artifact(A, a);
	*q = (struct quorum_state){ true, false, 0, 0, 0, AUDIT_QG_NONE, -1, 0 };
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
			quorum_gap(q, false, AUDIT_QG_NO_FINAL_REQUEST, (int)g, 0);
			fallback_ok = false;
		} else if (req->at + A->tg->response > t) {
			quorum_gap(q, false, AUDIT_QG_WINDOW_OPEN, (int)g, req->at + A->tg->response);
			fallback_ok = false;
		} else if (!bk || bk->at > t) {
			quorum_gap(q, false, AUDIT_QG_NO_BACKUPS, (int)g, 0);
			fallback_ok = false;
		}
	}
	q->need = (size_t)A->tg->quorum < q->required ? (size_t)A->tg->quorum : q->required;
	if (q->all)
		return;
	if (!cut || !cut->has_cutoff || t < cut->cutoff) {
		if (cut && cut->has_cutoff)
			quorum_gap(q, true, AUDIT_QG_BEFORE_CUTOFF, -1, cut->cutoff);
		else
			quorum_gap(q, true, AUDIT_QG_NO_CUTOFF, -1, 0);
		return;
	}
	if (q->approved_required < q->need) {
		quorum_gap(q, true, AUDIT_QG_TOO_FEW, -1, 0);
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
			quorum_at(A, a, cands[k], &q);
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
			judge(fd, AUDIT_NA, AUDIT_R_NO_TARGET);
			fd = NULL;
		}
		struct audit_quorum *qd = &f->detail.quorum;
		qd->gap_group = -1;
		qd->reached = quorum_reached(A, (int)a, dep ? dep->at : A->h, &qd->at);
		if (qd->reached) {
			struct quorum_state q;
			quorum_at(A, (int)a, qd->at, &q);
			qd->fallback = !q.all;
		}
		if (!dep) {
			waiting(A, f, AUDIT_R_NOT_DEPLOYED);
			if (fd) {
				fd->detail.quorum = *qd;
				if (qd->reached)
					owed(A, fd, qd->at + A->tg->deployment);
				else
					waiting(A, fd, AUDIT_R_NO_QUORUM_YET);
			}
			continue;
		}
		evidence(A, f, dep);
		due(f, dep->at);
		struct quorum_state q;
		quorum_at(A, (int)a, dep->at, &q);
		if (!qd->reached && (q.all || q.fallback)) {
			qd->reached = true;
			qd->at = dep->at;
		}
		qd->required = q.required;
		qd->approved = q.approved_required;
		qd->need = q.need;
		for (size_t g = 0; g < pol->n_groups; g++) {
			if (pol_is_approver(pol, g, a, A->quoted))
				evidence(A, f, approved_by(A, g, dep->at));
		}
		if (q.all) {
			met(f, qd->at);
			judge(f, AUDIT_PASS, AUDIT_R_ALL_APPROVED);
		} else if (q.fallback) {
			met(f, qd->at);
			A->au->metrics.quorum_deployments++;
			evidence(A, f, first(A, REC_EV_CUTOFF_ANNOUNCED));
			judge(f, AUDIT_PASS, AUDIT_R_CUTOFF_QUORUM);
		} else {
			qd->gap = q.gap;
			qd->gap_group = q.gap_group;
			qd->gap_at = q.gap_at;
			judge(f, AUDIT_FAIL, AUDIT_R_NO_QUORUM);
		}
		if (!fd)
			continue;
		fd->detail.quorum = *qd;
		evidence(A, fd, dep);
		if (!qd->reached) {
			judge(fd, AUDIT_NA, AUDIT_R_NO_QUORUM);
			continue;
		}
		int64_t deadline = qd->at + A->tg->deployment;
		due(fd, deadline);
		met(fd, dep->at);
		elapsed(fd, qd->at, dep->at);
		if (dep->at > deadline)
			judge(fd, AUDIT_FAIL, AUDIT_R_LATE);
	}
}

/* ---- NEXT-UPDATE ---------------------------------------------------- */

/* A public notice as the rule sees it: when it went out (the
 * communication at the first deployment) and what it promised. */
struct notice_view {
	bool out;
	int64_t at;
	long line;
	bool promise;
	int64_t next_update;
};

/* The record's notices, the communication first; *n of them (0 when
 * the record has no communication). */
static struct notice_view *notice_views(const struct auditor *A, size_t *n)
{
	const struct record *rec = A->rec;
	struct notice_view *v = xcalloc(rec->n_notices + 1, sizeof(*v));
	*n = 0;
	if (!rec->comm_line)
		return v;
	const struct rec_event *dep = first(A, REC_EV_DEPLOYED);
	v[0] = (struct notice_view){ dep != NULL, dep ? dep->at : 0, rec->comm_line,
				     rec->comm_has_next_update, rec->comm_next_update };
	for (size_t i = 0; i < rec->n_notices; i++) {
		const struct rec_notice *x = &rec->notices[i];
		v[i + 1] = (struct notice_view){ x->has_at && x->at <= A->h, x->at, x->line,
						 x->has_next_update, x->next_update };
	}
	*n = rec->n_notices + 1;
	return v;
}

/* A notice as evidence: its line in the record and when it went out. */
static void notice_evidence(struct auditor *A, struct audit_finding *f, const struct notice_view *nv)
{
	*evidence_slot(A, f) = (struct audit_evidence){ nv->line, nv->at, "notice" };
}

/* "For on-going, live site incidents ..., updates are provided by the
 * SIMOC/CMOC through status.io": a notice that promises the next update
 * by a time is kept when a later notice went out by then.  One finding
 * per notice that went out with a promise. */
static void rule_next_update(struct auditor *A)
{
	size_t n;
	struct notice_view *v = notice_views(A, &n);
	for (size_t k = 0; k < n; k++) {
		if (!v[k].out || !v[k].promise)
			continue;   /* a promise is made when its notice goes out */
		struct audit_finding *f = add(A, POL_RULE_NEXT_UPDATE, NO_GROUP, NO_ARTIFACT, NO_CHANNEL);
		f->subject = fmt(A, "notice-%zu", k + 1);
		f->detail.notice = k + 1;
		notice_evidence(A, f, &v[k]);
		const struct notice_view *next = k + 1 < n && v[k + 1].out ? &v[k + 1] : NULL;
		if (!next) {
			owed(A, f, v[k].next_update);
			continue;
		}
		due(f, v[k].next_update);
		notice_evidence(A, f, next);
		met(f, next->at);
		elapsed(f, v[k].at, next->at);
		f->detail.has_next_notice = true;
		f->detail.next_notice_at = next->at;
		if (next->at > v[k].next_update)
			judge(f, AUDIT_FAIL, AUDIT_R_LATE);
	}
	free(v);
}

/* Whether the record promises a next update anywhere (NEXT-UPDATE has
 * findings to make). */
static bool promises_updates(const struct record *rec)
{
	bool any = rec->comm_line && rec->comm_has_next_update;
	for (size_t i = 0; i < rec->n_notices; i++)
		any |= rec->notices[i].has_next_update;
	return any;
}

/* ---- COMPANIONS and AWARENESS --------------------------------------- */

/* The companions of every incident response: "each incident response
 * (direct email, media statement, blog post, etc) should have
 * accompanying: Social media statement; FAQs for our Support and
 * customer-facing teams". */
static const char *const companion_ids[] = { "social-post", "support-faq" };

static bool is_companion(const struct policy *pol, int a)
{
	for (size_t i = 0; i < sizeof(companion_ids) / sizeof(companion_ids[0]); i++)
		if (strcmp(pol->artifacts[a].id, companion_ids[i]) == 0)
			return true;
	return false;
}

/* The first release of an incident response by the horizon: a deployment
 * naming a public-facing artifact that is not itself a companion (a
 * social post going out first accompanies the response to come; it is
 * not the response). */
static const struct rec_event *first_response_deployment(const struct auditor *A)
{
	size_t n;
	const struct rec_event *const *evs = rec_events_of(A->rec, REC_EV_DEPLOYED, &n);
	for (size_t i = 0; i < n && evs[i]->at <= A->h; i++) {
		const struct rec_event *ev = evs[i];
		for (size_t k = 0; k < ev->n_artifacts; k++)
			if (A->pol->artifacts[ev->artifacts[k]].public_facing &&
			    !is_companion(A->pol, ev->artifacts[k]))
				return ev;
	}
	return NULL;
}

static void rule_companions(struct auditor *A)
{
	struct audit_finding *f = add(A, POL_RULE_COMPANIONS, NO_GROUP, NO_ARTIFACT, NO_CHANNEL);
	const struct rec_event *dep = first_response_deployment(A);
	static const char *const companions[] = { "social-post", "support-faq" };
	if (!dep) {
		/* What the first deployment would still lack (`sircomm status`). */
		for (size_t i = 0; i < 2; i++) {
			int a = pol_artifact_index(A->pol, companions[i]);
			if (a < 0 || !first_for(A, REC_EV_DRAFT_READY, a))
				f->detail.missing[f->detail.n_missing++] = companions[i];
		}
		waiting(A, f, AUDIT_R_NO_DEPLOYMENT);
		return;
	}
	evidence(A, f, dep);
	due(f, dep->at);
	int64_t last = 0;
	for (size_t i = 0; i < 2; i++) {
		int a = pol_artifact_index(A->pol, companion_ids[i]);
		const struct rec_event *d = a >= 0 ? first_for(A, REC_EV_DRAFT_READY, a) : NULL;
		if (d && d->at <= dep->at) {
			evidence(A, f, d);
			if (d->at > last)
				last = d->at;
		} else {
			f->detail.missing[f->detail.n_missing++] = companion_ids[i];
		}
	}
	if (f->detail.n_missing)
		judge(f, AUDIT_FAIL, AUDIT_R_MISSING);
	else
		met(f, last);
}

static void rule_awareness(struct auditor *A)
{
	const struct rec_event *dep = first_public_deployment(A);
	for (size_t c = 0; c < A->pol->n_channels; c++) {
		const char *ch = A->pol->channels[c];
		struct audit_finding *f = add(A, POL_RULE_AWARENESS, NO_GROUP, NO_ARTIFACT, (int)c);
		if (!dep) {
			waiting(A, f, AUDIT_R_NO_DEPLOYMENT);
			continue;
		}
		f->detail.first_deployment = dep->at;
		evidence(A, f, dep);
		const struct rec_event *post = NULL;
		size_t n;
		const struct rec_event *const *evs = rec_events_of(A->rec, REC_EV_POSTED, &n);
		for (size_t i = 0; i < n && evs[i]->at <= A->h; i++) {
			const struct rec_event *ev = evs[i];
			if (ev->at >= dep->at && ev->channel && strcmp(ev->channel, ch) == 0) {
				post = ev;
				break;
			}
		}
		if (post) {
			evidence(A, f, post);
			met(f, post->at);
			elapsed(f, dep->at, post->at);
		} else if (A->closed) {
			/* The plan sets no deadline: owed until the process is over. */
			due(f, first(A, REC_EV_RESOLVED)->at > dep->at ? first(A, REC_EV_RESOLVED)->at : dep->at);
			judge(f, AUDIT_FAIL, AUDIT_R_OVERDUE);
		} else {
			judge(f, AUDIT_PENDING, AUDIT_R_DUE);
		}
	}
}

/* ---- Checkpoints: EXTCOMMS-REVIEW, EXTCOMMS-APPROVAL, FYI-INFORMED -- */

/* The first event of a type by group g naming artifact a, by the horizon,
 * that `counts` accepts (NULL: any). */
static const struct rec_event *first_by(const struct auditor *A, enum rec_event_type type, int g,
					int a,
					bool (*counts)(const struct auditor *, const struct rec_event *,
						       int),
					int arg)
{
	size_t n;
	const struct rec_event *const *evs = rec_events_of(A->rec, type, &n);
	for (size_t i = 0; i < n && evs[i]->at <= A->h; i++) {
		const struct rec_event *ev = evs[i];
		if (ev->group == g && rec_event_has_artifact(ev, a) && (!counts || counts(A, ev, arg)))
			return ev;
	}
	return NULL;
}

/* The obligation of a checkpoint finding: `act` (what the checkpoint asks
 * for) must come before `gate` (an event that may not have happened yet),
 * earlier in the timeline (events of one second keep file order).
 * `late` is the reason when the gate came first. */
static void before_gate(struct auditor *A, struct audit_finding *f, const struct rec_event *act,
			const struct rec_event *gate, enum audit_reason late)
{
	f->detail.act = act;
	f->detail.gate = gate;
	evidence(A, f, act);
	evidence(A, f, gate);
	if (gate)
		due(f, gate->at);
	if (act)
		met(f, act->at);
	if (act && (!gate || act < gate))
		judge(f, AUDIT_PASS, AUDIT_R_IN_TIME);
	else if (gate)
		judge(f, AUDIT_FAIL, late);
	else
		waiting(A, f, AUDIT_R_OWED_FIRST);
}

/* Security External Communications' review comes before the SecCMOC
 * routes the artifact to the approvers: "When Security External
 * Communications has completed their review, the SecCMOC should route the
 * communication doc to the designated key approvers".  The review is the
 * group's first feedback (or approval) naming the artifact; the routing
 * the first review request of either round naming it, or its deployment
 * when that came first. */
static void rule_extcomms_review(struct auditor *A)
{
	int g = A->pol->extcomms_review_group;
	for (size_t a = 0; g >= 0 && a < A->pol->n_artifacts; a++) {
		if (!(in_play(A, (int)a) & 2))
			continue;
		struct audit_finding *f = add(A, POL_RULE_EXTCOMMS_REVIEW, NO_GROUP, (int)a, NO_CHANNEL);
		const struct rec_event *fb = first_by(A, REC_EV_FEEDBACK, g, (int)a, NULL, 0);
		const struct rec_event *ap = first_by(A, REC_EV_APPROVED, g, (int)a, NULL, 0);
		const struct rec_event *review = !fb || (ap && ap < fb) ? ap : fb;
		const struct rec_event *req = first_for(A, REC_EV_REVIEW_REQUESTED, (int)a);
		const struct rec_event *dep = first_for(A, REC_EV_DEPLOYED, (int)a);
		before_gate(A, f, review, !req || (dep && dep < req) ? dep : req, AUDIT_R_UNREVIEWED);
	}
}

/* The first final request naming artifact a in the whole record (as
 * QUORUM reads it, so that an approval counts or not whatever the
 * horizon). */
static const struct rec_event *first_final_request(const struct auditor *A, int a)
{
	size_t n;
	const struct rec_event *const *evs = rec_events_of(A->rec, REC_EV_REVIEW_REQUESTED, &n);
	for (size_t i = 0; i < n; i++)
		if (evs[i]->round == REC_ROUND_FINAL && rec_event_has_artifact(evs[i], a))
			return evs[i];
	return NULL;
}

/* An approval of the final messaging: round="final", or no round and no
 * earlier than the first final request (any approval when there was
 * none), as QUORUM counts final approvals. */
static bool approves_final(const struct auditor *A, const struct rec_event *ev, int a)
{
	if (ev->round != REC_ROUND_NONE)
		return ev->round == REC_ROUND_FINAL;
	const struct rec_event *req = first_final_request(A, a);
	return !req || req <= ev;
}

/* Security External Communications is DRI for "Acting as an approval
 * point on final messaging to ensure it's ready for external use": its
 * approval of the final messaging comes before the artifact's first
 * deployment. */
static void rule_extcomms_approval(struct auditor *A)
{
	int g = A->pol->extcomms_approval_group;
	for (size_t a = 0; g >= 0 && a < A->pol->n_artifacts; a++) {
		if (!(in_play(A, (int)a) & 2))
			continue;
		struct audit_finding *f = add(A, POL_RULE_EXTCOMMS_APPROVAL, NO_GROUP, (int)a, NO_CHANNEL);
		before_gate(A, f, first_by(A, REC_EV_APPROVED, g, (int)a, approves_final, (int)a),
			    first_for(A, REC_EV_DEPLOYED, (int)a), AUDIT_R_UNAPPROVED);
	}
}

/* The "FYI Only" cells of the designated key approvers table: each FYI
 * group of an artifact is sent it (an `informed` event) no later than its
 * first deployment. */
static void rule_fyi_informed(struct auditor *A)
{
	const struct policy *pol = A->pol;
	for (size_t a = 0; pol->fyi_informed && a < pol->n_artifacts; a++) {
		if (!(in_play(A, (int)a) & 2))
			continue;
		const struct rec_event *dep = first_for(A, REC_EV_DEPLOYED, (int)a);
		for (size_t g = 0; g < pol->n_groups; g++) {
			if (!pol_is_fyi(pol, g, a, A->quoted))
				continue;
			struct audit_finding *f = add(A, POL_RULE_FYI_INFORMED, (int)g, (int)a, NO_CHANNEL);
			before_gate(A, f, first_by(A, REC_EV_INFORMED, (int)g, (int)a, NULL, 0), dep,
				    AUDIT_R_UNINFORMED);
		}
	}
}

/* ---- NOTIFY: the regulators' deadlines ------------------------------ */

/* The first trigger of type t for regime r, by the horizon. */
static const struct rec_event *trigger_for(const struct auditor *A, enum rec_event_type t, int r)
{
	size_t n;
	const struct rec_event *const *evs = rec_events_of(A->rec, t, &n);
	for (size_t i = 0; i < n && seen(A, evs[i]); i++)
		if (rec_event_for_regime(evs[i], r))
			return evs[i];
	return NULL;
}

/* The first notification of stage s of regime r by the horizon (first:
 * latest = false), or the latest one no later than `until` (latest). */
static const struct rec_event *notified(const struct auditor *A, int r, int s, bool latest,
					int64_t until)
{
	const struct rec_event *found = NULL;
	size_t n;
	const struct rec_event *const *evs = rec_events_of(A->rec, REC_EV_NOTIFIED, &n);
	/* Sorted by time: past the horizon (or `until`), so are the rest. */
	for (size_t i = 0; i < n; i++) {
		const struct rec_event *ev = evs[i];
		if (!seen(A, ev) || (latest && ev->at > until))
			break;
		if (ev->regime == r && ev->stage == s) {
			found = ev;
			if (!latest)
				break;
		}
	}
	return found;
}

static const enum rec_event_type trigger_events[LEGAL_TRIGGER_COUNT] = {
	[LEGAL_AWARE] = REC_EV_AWARE, [LEGAL_MATERIAL] = REC_EV_MATERIAL,
	[LEGAL_CLASSIFIED_MAJOR] = REC_EV_CLASSIFIED_MAJOR, [LEGAL_PAYMENT] = REC_EV_PAYMENT,
};

/* The event a clock starts at: its trigger for the regime, or the latest
 * notification of the earlier stage before `until`; NULL when the record
 * has none. */
static const struct rec_event *clock_start(const struct auditor *A, int r,
					   const struct legal_clock *c, int64_t until)
{
	if (c->trigger >= 0)
		return trigger_for(A, trigger_events[c->trigger], r);
	return notified(A, r, c->after, true, until);
}

/* Events in the record's order (time, then position in the file). */
static int by_time(const void *x, const void *y)
{
	const struct rec_event *a = *(const struct rec_event *const *)x;
	const struct rec_event *b = *(const struct rec_event *const *)y;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void notify_stage(struct auditor *A, const struct rec_regime *rr, int s)
{
	const struct legal *lg = &A->pol->legal;
	const struct legal_regime *lr = &lg->regimes[rr->regime];
	const struct legal_stage *st = &lr->stages[s];
	struct audit_finding *f = add(A, POL_RULE_NOTIFY, NO_GROUP, NO_ARTIFACT, NO_CHANNEL);
	f->subject = pair_subject(A, lr->id, st->id);
	f->detail.regime = rr->regime;
	f->detail.stage = s;
	f->detail.clock = -1;
	if (!rr->stages[s]) {
		judge(f, AUDIT_NA, AUDIT_R_NOT_STATED);
		return;
	}
	const struct rec_event *act = notified(A, rr->regime, s, false, 0);
	f->detail.act = act;
	int64_t until = act ? act->at : A->h;
	struct legal_start *starts = xcalloc(st->n_clocks + 1, sizeof(*starts));
	const struct rec_event **events = xcalloc(st->n_clocks + 1, sizeof(*events));
	int missing = -1;      /* a fixed clock whose start is not in the record */
	for (size_t i = 0; i < st->n_clocks; i++) {
		const struct rec_event *ev = clock_start(A, rr->regime, &st->clocks[i], until);
		events[i] = ev;
		starts[i] = ev ? (struct legal_start){ true, ev->at, ev->offset }
			       : (struct legal_start){ false, 0, 0 };
		if (!ev && missing < 0)
			missing = (int)i;
	}
	/* Evidence in the record's order: the clocks' starts, then the act. */
	const struct rec_event **ev_sorted = xcalloc(st->n_clocks + 2, sizeof(*ev_sorted));
	size_t n_ev = 0;
	for (size_t i = 0; i < st->n_clocks; i++)
		if (events[i])
			ev_sorted[n_ev++] = events[i];
	if (act)
		ev_sorted[n_ev++] = act;
	qsort(ev_sorted, n_ev, sizeof(*ev_sorted), by_time);
	for (size_t i = 0; i < n_ev; i++)
		evidence(A, f, ev_sorted[i]);
	free(ev_sorted);
	if (!legal_stage_has_deadline(st)) {
		/* Without undue delay: how long it took, or has taken so far. */
		const struct rec_event *from = events[0];
		f->detail.clock_start = from;
		if (st->clocks[0].trigger >= 0)
			f->detail.anchor = trigger_events[st->clocks[0].trigger];
		if (!from && act)
			unproven(A, f, REC_EV_AWARE, act, act);
		else if (!from)
			waiting(A, f, AUDIT_R_CLOCK_NOT_STARTED);
		else {
			elapsed(f, from->at, act ? act->at : A->h);
			if (act)
				met(f, act->at);
			judge(f, act ? AUDIT_PASS : AUDIT_PENDING, AUDIT_R_UNDUE_DELAY);
		}
		free(starts);
		free(events);
		return;
	}
	int64_t deadline = 0;
	int k = legal_stage_due(lg, st, starts, &deadline);
	const struct legal_clock *mc = missing >= 0 ? &st->clocks[missing] : NULL;
	enum rec_event_type anchor = mc && mc->trigger >= 0 ? trigger_events[mc->trigger] : REC_EV_NOTIFIED;
	if (k >= 0) {
		f->detail.clock = k;
		f->detail.clock_start = events[k];
		const struct legal_clock *c = &st->clocks[k];
		if (c->unit == LEGAL_BUSINESS_DAYS) {
			const struct legal_calendar *cal = &lg->calendars[c->calendar];
			int64_t last = (deadline + (int64_t)events[k]->offset * 60) / 86400;
			f->detail.beyond_calendar = !cal->n_holidays || last > cal->last ||
						    events[k]->at / 86400 < cal->first;
		}
	}
	if (act && mc) {
		/* A clock that would count from an event the record lacks could
		 * have ended first: nothing done can be proven in time. */
		if (k >= 0)
			due(f, deadline);
		unproven(A, f, anchor, act, act);
	} else if (k < 0) {
		waiting(A, f, AUDIT_R_CLOCK_NOT_STARTED);
		f->detail.anchor = anchor;
	} else if (act) {
		due(f, deadline);
		met(f, act->at);
		elapsed(f, events[k]->at, act->at);
		if (act->at <= deadline)
			judge(f, AUDIT_PASS, AUDIT_R_IN_TIME);
		else
			judge(f, AUDIT_FAIL, AUDIT_R_LATE);
	} else {
		owed(A, f, deadline);
		elapsed(f, events[k]->at, A->h);
	}
	free(starts);
	free(events);
}

/* NOTIFY: every stage of every regime the record states, whatever the
 * plan's scope: the regulators' clocks do not depend on it. */
static void rule_notify(struct auditor *A)
{
	for (size_t i = 0; i < A->rec->n_regimes; i++) {
		const struct rec_regime *rr = &A->rec->regimes[i];
		for (size_t s = 0; s < A->pol->legal.regimes[rr->regime].n_stages; s++)
			notify_stage(A, rr, (int)s);
	}
}

/* ---- Exceptions ----------------------------------------------------- */

/* An exception's state before it meets any finding.  Only SIRT
 * management approves exceptions ("SIRT Management (Code Owners) |
 * Responsible for approving significant changes and exceptions to this
 * procedure"): one approved by a title the policy does not name excuses
 * nothing, whatever it matches. */
static enum audit_exception_state exception_state(const struct auditor *A,
						  const struct rec_exception *e)
{
	if (e->approved_at > A->h)
		return AUDIT_EXC_NOT_YET_APPROVED;
	if (!pol_may_approve_exceptions(A->pol, e->approved_by))
		return AUDIT_EXC_UNAUTHORIZED;
	return AUDIT_EXC_UNUSED;
}

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
			e, std, exception_state(A, e), 0,
		};
	}
	for (size_t i = 0; i < au->n_findings; i++) {
		struct audit_finding *f = &au->findings[i];
		/* Out of the plan's scope only the regulators' clocks run. */
		if (f->status != AUDIT_FAIL || (!au->in_scope && f->rule != POL_RULE_NOTIFY))
			continue;
		int64_t violation = f->has_due ? f->due : A->h;
		for (size_t x = 0; x < n; x++) {
			struct audit_exception_use *use = &au->exceptions[x];
			const struct rec_exception *e = use->exception;
			if (e->rule != f->rule || (e->subject && strcmp(e->subject, f->subject) != 0))
				continue;
			if (e->approved_at > A->h)
				continue;
			if (use->state == AUDIT_EXC_UNAUTHORIZED) {
				if (!f->unauthorized)
					f->unauthorized = arena_alloc(&au->arena, n * sizeof(*f->unauthorized));
				f->unauthorized[f->n_unauthorized++] = e;
				continue;
			}
			if (e->has_expires && e->expires <= violation) {
				if (use->state == AUDIT_EXC_UNUSED)
					use->state = AUDIT_EXC_EXPIRED;
				if (!f->expired)
					f->expired = arena_alloc(&au->arena, n * sizeof(*f->expired));
				f->expired[f->n_expired++] = e;
				continue;
			}
			f->status = AUDIT_EXCEPTED;
			f->exception = e;
			f->retroactive = e->approved_at > violation;
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
	size_t n;
	const struct rec_event *const *bk = rec_events_of(A->rec, REC_EV_BACKUP_ENGAGED, &n);
	for (size_t i = 0; i < n && bk[i]->at <= A->h; i++)
		m->backups_engaged++;
}

/* ---- Running -------------------------------------------------------- */

int64_t audit_record_horizon(const struct record *rec)
{
	return tl_horizon(rec);
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
	au->over = A.closed;
	/* Statuses only move forward: investigating, mitigated, resolved. */
	au->status_known = au->audited_at >= audit_record_horizon(rec) || A.resolved ||
			   rec->status == REC_STATUS_INVESTIGATING;
	au->status = au->audited_at >= audit_record_horizon(rec) ? rec->status
		     : A.resolved ? REC_STATUS_RESOLVED : REC_STATUS_INVESTIGATING;
	pair_requests(&A);

	if (!au->in_scope) {
		for (int r = 0; r < POL_RULE_NOTIFY; r++) {
			/* NEXT-UPDATE judges promises; a record without one has
			 * nothing for it to be n/a about. */
			if (r == POL_RULE_NEXT_UPDATE && !promises_updates(rec))
				continue;
			struct audit_finding *f = add(&A, (enum pol_rule)r, NO_GROUP, NO_ARTIFACT, NO_CHANNEL);
			judge(f, AUDIT_NA, AUDIT_R_OUT_OF_SCOPE);
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
		rule_extcomms_review(&A);
		rule_extcomms_approval(&A);
		rule_fyi_informed(&A);
		rule_next_update(&A);
	}
	rule_notify(&A);
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
	struct buf note = BUF_INIT;
	for (size_t i = 0; i < au->n_findings; i++) {
		buf_reset(&note);
		if (audit_note(au, &au->findings[i], &note))
			au->findings[i].note = arena_strdup(&au->arena, buf_str(&note));
	}
	buf_free(&note);
	if (au->in_scope)
		metrics(&A);
	for (size_t i = 0; i < au->n_findings; i++)
		au->counts[au->findings[i].status]++;
	*out = au;
	return 0;
}

const char *audit_incident_status(const struct audit *au)
{
	return au->status_known ? rec_status_name(au->status) : "not yet resolved";
}

bool audit_failed(const struct audit *au)
{
	return au->counts[AUDIT_FAIL] > 0;
}

const char *audit_subject(const struct audit_finding *f)
{
	return strcmp(f->subject, "-") == 0 ? NULL : f->subject;
}

enum audit_verdict audit_verdict(const struct audit *au)
{
	if (audit_failed(au))
		return AUDIT_VERDICT_FAIL;
	if (!au->in_scope)
		return AUDIT_VERDICT_NA;
	return au->counts[AUDIT_PENDING] ? AUDIT_VERDICT_IN_PROGRESS : AUDIT_VERDICT_PASS;
}

const char *audit_verdict_name(enum audit_verdict v)
{
	static const char *const names[] = { "pass", "fail", "in-progress", "n/a" };
	return names[v];
}

const char *audit_verdict_word(enum audit_verdict v)
{
	static const char *const words[] = { "PASS", "FAIL", "IN PROGRESS", "N/A" };
	return words[v];
}

void audit_verdict_detail(const struct audit *au, struct buf *out)
{
	switch (audit_verdict(au)) {
	case AUDIT_VERDICT_FAIL:
		buf_printf(out, "%zu finding%s failed", au->counts[AUDIT_FAIL],
			   au->counts[AUDIT_FAIL] == 1 ? "" : "s");
		break;
	case AUDIT_VERDICT_NA:
		buf_puts(out, "out of the plan's scope");
		break;
	case AUDIT_VERDICT_IN_PROGRESS:
		buf_printf(out, "no failures; %zu pending", au->counts[AUDIT_PENDING]);
		break;
	case AUDIT_VERDICT_PASS:
		buf_puts(out, "no finding failed");
		break;
	}
}

void audit_free(struct audit *au)
{
	if (!au)
		return;
	free(au->findings);
	arena_free(&au->arena);
	free(au);
}
