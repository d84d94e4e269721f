/* timeline.c - shared questions about a record's timeline. */
#include "model/timeline.h"

/*
 * Every question here is about events of one or two types, which the
 * record indexes (rec_events_of): a timeline is mostly notes, and these
 * are asked for every group and artifact of the policy.
 */

const struct rec_event *tl_first(const struct record *rec, enum rec_event_type type)
{
	size_t n;
	const struct rec_event *const *evs = rec_events_of(rec, type, &n);
	return n ? evs[0] : NULL;
}

/* The first deployment naming an artifact that is external, or public. */
static const struct rec_event *first_deployment(const struct record *rec,
						const struct policy *pol, bool public_only)
{
	size_t n;
	const struct rec_event *const *evs = rec_events_of(rec, REC_EV_DEPLOYED, &n);
	for (size_t i = 0; i < n; i++) {
		const struct rec_event *ev = evs[i];
		for (size_t k = 0; k < ev->n_artifacts; k++) {
			const struct pol_artifact *a = &pol->artifacts[ev->artifacts[k]];
			if (public_only ? a->public_facing : a->external)
				return ev;
		}
	}
	return NULL;
}

const struct rec_event *tl_deployed(const struct record *rec, int a)
{
	size_t n;
	const struct rec_event *const *evs = rec_events_of(rec, REC_EV_DEPLOYED, &n);
	for (size_t i = 0; i < n; i++)
		if (rec_event_has_artifact(evs[i], a))
			return evs[i];
	return NULL;
}

const struct rec_event *tl_first_external_deployment(const struct record *rec,
						     const struct policy *pol)
{
	return first_deployment(rec, pol, false);
}

const struct rec_event *tl_first_public_deployment(const struct record *rec,
						   const struct policy *pol)
{
	return first_deployment(rec, pol, true);
}

int64_t tl_as_of(const struct record *rec)
{
	return rec->n_events ? rec->events[rec->n_events - 1].at : 0;
}

int64_t tl_horizon(const struct record *rec)
{
	int64_t h = tl_as_of(rec);
	for (size_t i = 0; i < rec->n_exceptions; i++)
		if (rec->exceptions[i].approved_at > h)
			h = rec->exceptions[i].approved_at;
	for (int f = 0; f < POL_FACT_COUNT; f++)
		if (rec->facts[f].present && rec->facts[f].has_at && rec->facts[f].at > h)
			h = rec->facts[f].at;
	for (size_t i = 0; i < rec->n_notices; i++)
		if (rec->notices[i].has_at && rec->notices[i].at > h)
			h = rec->notices[i].at;
	return h;
}

/* The earliest `at` of a fact named in the condition that the record
 * states with a time. */
static bool cond_fact_time(const struct pol_cond *c, const struct record *rec, int64_t *t)
{
	bool found = false;
	if (c->kind == POL_COND_FACT) {
		const struct rec_fact *f = &rec->facts[c->fact];
		if (f->present && f->has_at) {
			*t = f->at;
			return true;
		}
		return false;
	}
	for (size_t i = 0; i < c->n_kids; i++) {
		int64_t k;
		if (c->kind != POL_COND_NOT && cond_fact_time(c->kids[i], rec, &k) &&
		    (!found || k < *t)) {
			*t = k;
			found = true;
		}
	}
	return found;
}

bool tl_engage_base(const struct record *rec, const struct policy *pol,
		    const struct pol_engage *e, int64_t *base)
{
	const struct rec_event *ev = NULL;
	switch (e->from) {
	case POL_FROM_FACT:
		if (cond_fact_time(e->when, rec, base))
			return true;
		ev = tl_first(rec, REC_EV_SEVERITY_DETERMINED);
		break;
	case POL_FROM_SEVERITY_DETERMINED:
		ev = tl_first(rec, REC_EV_SEVERITY_DETERMINED);
		break;
	case POL_FROM_COMMS_STARTED:
		ev = tl_first(rec, REC_EV_COMMS_STARTED);
		break;
	case POL_FROM_IMPACT_DETERMINED:
		ev = tl_first(rec, REC_EV_IMPACT_DETERMINED);
		break;
	case POL_FROM_FIRST_DRAFT:
		ev = tl_first(rec, REC_EV_DRAFT_READY);
		break;
	case POL_FROM_FIRST_DEPLOYMENT:
		ev = tl_first_public_deployment(rec, pol);
		break;
	case POL_FROM_COUNT:
		break;
	}
	if (!ev)
		return false;
	*base = ev->at;
	return true;
}

const struct rec_event *tl_engaged(const struct record *rec, size_t g)
{
	size_t n;
	const struct rec_event *const *evs = rec_events_of(rec, REC_EV_ENGAGED, &n);
	for (size_t i = 0; i < n; i++)
		if (evs[i]->group == (int)g)
			return evs[i];
	return NULL;
}

/* The first request of a round covering artifact a and group g. */
static const struct rec_event *first_request(const struct record *rec, size_t g, int a,
					     enum rec_round round)
{
	size_t n;
	const struct rec_event *const *evs = rec_events_of(rec, REC_EV_REVIEW_REQUESTED, &n);
	for (size_t i = 0; i < n; i++) {
		const struct rec_event *ev = evs[i];
		if (ev->round == round && rec_event_has_artifact(ev, a) &&
		    (ev->group < 0 || ev->group == (int)g))
			return ev;
	}
	return NULL;
}

/* The first event of `type` from `request` on by group g naming artifact
 * a that belongs to the round (see tl_answer_for). */
static const struct rec_event *first_answer(const struct record *rec, enum rec_event_type type,
					    const struct rec_event *request, size_t g, int a,
					    enum rec_round round, const struct rec_event *final)
{
	size_t n;
	const struct rec_event *const *evs = rec_events_of(rec, type, &n);
	for (size_t i = 0; i < n; i++) {
		const struct rec_event *ev = evs[i];
		if (ev < request || ev->group != (int)g || !rec_event_has_artifact(ev, a))
			continue;
		if (ev->round == round || (ev->round == REC_ROUND_NONE && (!final || ev < final)))
			return ev;
	}
	return NULL;
}

void tl_answer_for(const struct record *rec, size_t g, int a, enum rec_round round,
		   int64_t response, struct tl_answer *out)
{
	*out = (struct tl_answer){ NULL, 0, NULL, NULL };
	out->request = first_request(rec, g, a, round);
	if (!out->request)
		return;
	out->due = out->request->at + response;
	out->backup = tl_backup_engaged(rec, g, a);
	/* An answer that says no round belongs to the final round once the
	 * final request has gone out (QUORUM reads it the same way). */
	const struct rec_event *final = round == REC_ROUND_REVIEW
		? first_request(rec, g, a, REC_ROUND_FINAL) : NULL;
	/* The earlier in the timeline of the first approval and, in the
	 * review round, the first feedback. */
	const struct rec_event *ap = first_answer(rec, REC_EV_APPROVED, out->request, g, a, round,
						  final);
	const struct rec_event *fb = round == REC_ROUND_REVIEW
		? first_answer(rec, REC_EV_FEEDBACK, out->request, g, a, round, final) : NULL;
	out->answer = !ap || (fb && fb < ap) ? fb : ap;
}

const struct rec_event *tl_backup_engaged(const struct record *rec, size_t g, int a)
{
	size_t n;
	const struct rec_event *const *evs = rec_events_of(rec, REC_EV_BACKUP_ENGAGED, &n);
	for (size_t i = 0; i < n; i++) {
		const struct rec_event *ev = evs[i];
		if (ev->group == (int)g && (ev->n_artifacts == 0 || rec_event_has_artifact(ev, a)))
			return ev;
	}
	return NULL;
}

/* The event types that come only after `anchor` in the plan's process:
 * one on record shows the anchor happened.  A mask over rec_event_type;
 * 0 for an anchor nothing later proves. */
static unsigned successors(enum rec_event_type anchor)
{
#define BIT(t) (1u << (t))
	switch (anchor) {
	case REC_EV_SEVERITY_DETERMINED:
		/* The severity is determined first: any step of the response
		 * after detection shows it was. */
		return ((1u << REC_EV_COUNT) - 1) & ~(BIT(REC_EV_DETECTED) |
			BIT(REC_EV_SEVERITY_DETERMINED) | BIT(REC_EV_NOTE) |
			/* counsel's determinations and notifications run on
			 * the regulators' clocks, not the plan's */
			BIT(REC_EV_AWARE) | BIT(REC_EV_MATERIAL) | BIT(REC_EV_CLASSIFIED_MAJOR) |
			BIT(REC_EV_PAYMENT) | BIT(REC_EV_NOTIFIED));
	case REC_EV_COMMS_STARTED:
		/* Drafts, reviews, approvals, deployments and awareness posts
		 * are the external communication itself. */
		return BIT(REC_EV_DRAFT_READY) | BIT(REC_EV_CUTOFF_ANNOUNCED) |
		       BIT(REC_EV_REVIEW_REQUESTED) | BIT(REC_EV_FEEDBACK) |
		       BIT(REC_EV_BACKUP_ENGAGED) | BIT(REC_EV_APPROVED) | BIT(REC_EV_DEPLOYED) |
		       BIT(REC_EV_POSTED);
	case REC_EV_DRAFT_READY:
		/* Nothing is reviewed, approved or deployed before a draft. */
		return BIT(REC_EV_REVIEW_REQUESTED) | BIT(REC_EV_FEEDBACK) | BIT(REC_EV_APPROVED) |
		       BIT(REC_EV_DEPLOYED);
	default:
		return 0;
	}
#undef BIT
}

const struct rec_event *tl_shown_by(const struct record *rec, enum rec_event_type anchor,
				    int64_t horizon)
{
	unsigned later = successors(anchor);
	if (!later || tl_first(rec, anchor))
		return NULL;
	for (size_t i = 0; i < rec->n_events && rec->events[i].at <= horizon; i++)
		if (later & (1u << rec->events[i].type))
			return &rec->events[i];
	return NULL;
}
