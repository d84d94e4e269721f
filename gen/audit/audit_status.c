/* audit_status.c - the live view for the comms manager (`sircomm status`):
 * the audit with the horizon at "now", sorted into what to do next, as
 * text for a terminal or JSON for chat bots and scripts (docs/status.md).
 * Every action is read from the audit's findings and request/answer
 * pairs, never worked out from the timeline again, so that a correction
 * of a rule shows here unchanged. */
#include "audit/audit_report.h"
#include "audit/audit_clocks.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/esc.h"
#include "base/ts.h"
#include "model/timeline.h"

/* Due within this many seconds: soon (yellow on a terminal). */
#define SOON (15 * 60)

#define RED "\033[1;31m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"

/* ---- The view: the actions, gathered from the audit ----------------- */

/* Policy indexes (artifacts or channels), each once, in the order added. */
struct ints {
	int *v;
	size_t n, cap;
};

static void ints_add(struct ints *s, int x)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i] == x)
			return;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = x;
}

enum act { ACT_ANSWER, ACT_UPDATE, ACT_ENGAGE, ACT_DRAFT, ACT_CUTOFF, ACT_DEPLOY, ACT_POST,
	   ACT_EXTCOMMS_REVIEW, ACT_EXTCOMMS_APPROVAL, ACT_INFORM, ACT_NOTICE };

/* The actions' names in JSON. */
static const char *const act_names[] = {
	"answer", "update", "engage", "draft", "announce-cutoff", "deploy", "post",
	"extcomms-review", "extcomms-approval", "inform", "publish-update",
};

/* Where an action is listed: with a deadline, soonest first; needed before
 * the next deployment (of the artifacts it names, or of any); needed
 * before the first public release (the support FAQ, published to
 * Support, is not one); owed, with no deadline yet. */
enum where { DUE_NEXT, BEFORE_DEPLOYMENT, BEFORE_PUBLIC, STILL_OWED };

/* One action, for one group or for several artifacts or channels at once. */
struct item {
	enum act act;
	enum where where;
	bool has_due;
	int64_t due;
	int group;                        /* a policy index, or -1 */
	bool has_after;                   /* STILL_OWED: waits for an event */
	enum pol_from after;
	const struct audit_pair *pair;    /* ANSWER: the request */
	const struct pol_engage *engage;  /* ENGAGE: the policy row */
	enum pol_rule limit;              /* DEPLOY: the rule that sets its due time */
	bool has_quorum;                  /* DEPLOY: quorum reached, at quorum_at */
	int64_t quorum_at;
	bool has_latest;                  /* CUTOFF: the latest cutoff allowed */
	int64_t latest;
	struct ints arts, chans;
	size_t notice;                    /* NOTICE: the notice that promised it */
	size_t order;                     /* as gathered, for a stable sort */
};

/* Back-ups to engage for a group's silence in one round. */
struct backup {
	int group;
	enum rec_round round;
	int64_t window;                   /* when the response window closed */
	bool late;                        /* the grace after it is over too */
	int64_t by;                       /* the end of that grace */
	struct ints arts;
};

struct view {
	const struct audit *au;
	const struct pol_target *tg;
	struct item *items;
	size_t n, cap;
	struct backup *bk;
	size_t n_bk, cap_bk;
	bool turnaround_open;             /* an artifact's turnaround is still to meet */
	const struct rec_event *cutoff;   /* the first cutoff announced, or NULL */
};

static bool same_item(const struct item *a, const struct item *b)
{
	return a->act == b->act && a->where == b->where && a->has_due == b->has_due &&
	       (!a->has_due || a->due == b->due) && a->group == b->group &&
	       a->has_after == b->has_after && (!a->has_after || a->after == b->after) &&
	       (a->pair == b->pair || (a->pair && b->pair && a->pair->request == b->pair->request &&
				       a->pair->round == b->pair->round)) &&
	       a->engage == b->engage && a->limit == b->limit && a->has_quorum == b->has_quorum &&
	       a->notice == b->notice &&
	       (!a->has_quorum || a->quorum_at == b->quorum_at);
}

/* The item like `key`, made if there is none: one action over several
 * artifacts or channels is one line. */
static struct item *item_for(struct view *v, const struct item *key)
{
	for (size_t i = 0; i < v->n; i++)
		if (same_item(&v->items[i], key))
			return &v->items[i];
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 16;
		v->items = xrealloc(v->items, v->cap * sizeof(*v->items));
	}
	struct item *it = &v->items[v->n];
	*it = *key;
	it->arts = (struct ints){ NULL, 0, 0 };
	it->chans = (struct ints){ NULL, 0, 0 };
	it->order = v->n++;
	return it;
}

static struct backup *backup_for(struct view *v, int group, enum rec_round round, int64_t window,
				 bool late, int64_t by)
{
	for (size_t i = 0; i < v->n_bk; i++) {
		struct backup *b = &v->bk[i];
		if (b->group == group && b->round == round && b->window == window && b->late == late)
			return b;
	}
	if (v->n_bk == v->cap_bk) {
		v->cap_bk = v->cap_bk ? v->cap_bk * 2 : 8;
		v->bk = xrealloc(v->bk, v->cap_bk * sizeof(*v->bk));
	}
	struct backup *b = &v->bk[v->n_bk++];
	*b = (struct backup){ group, round, window, late, by, { NULL, 0, 0 } };
	return b;
}

/* The finding of a rule about an artifact, or NULL. */
static const struct audit_finding *finding_for(const struct audit *au, enum pol_rule rule, int a)
{
	for (size_t i = 0; i < au->n_findings; i++)
		if (au->findings[i].rule == rule && au->findings[i].artifact == a)
			return &au->findings[i];
	return NULL;
}

/* Whether the artifact has been deployed: its QUORUM finding was judged
 * at a deployment. */
static bool deployed(const struct audit *au, int a)
{
	const struct audit_finding *q = finding_for(au, POL_RULE_QUORUM, a);
	return q && q->reason != AUDIT_R_NOT_DEPLOYED;
}

/* Whether a request's round is over, so that chasing its answer or its
 * back-ups makes no sense any more: the process is over, the artifact has
 * been deployed, or (for a review) the group was asked for its final
 * approval of it. */
static bool round_over(const struct audit *au, const struct audit_pair *p)
{
	if (au->over || deployed(au, p->artifact))
		return true;
	if (p->round == REC_ROUND_REVIEW)
		for (size_t i = 0; i < au->n_pairs; i++) {
			const struct audit_pair *o = &au->pairs[i];
			if (o->round == REC_ROUND_FINAL && o->artifact == p->artifact && o->group == p->group)
				return true;
		}
	return false;
}

static bool is_response(const struct audit_finding *f)
{
	return f->rule == POL_RULE_REVIEW_RESPONSE || f->rule == POL_RULE_APPROVAL_RESPONSE;
}

/* A deadline not met yet (pending, or overdue). */
static bool open_deadline(const struct audit_finding *f)
{
	return f && (f->status == AUDIT_PENDING || f->status == AUDIT_FAIL) && f->has_due && !f->has_met;
}

static void gather_response(struct view *v, const struct audit_finding *f)
{
	const struct audit_pair *p = f->detail.pair;
	if (p->answer || round_over(v->au, p))
		return;
	if (f->status == AUDIT_PENDING && f->reason == AUDIT_R_DUE) {
		struct item key = { .act = ACT_ANSWER, .where = DUE_NEXT, .has_due = true, .due = f->due,
				    .group = f->group, .pair = p };
		ints_add(&item_for(v, &key)->arts, f->artifact);
	} else if (!p->backup && ((f->status == AUDIT_PENDING && f->reason == AUDIT_R_ENGAGE_BACKUPS) ||
				  (f->status == AUDIT_FAIL && f->reason == AUDIT_R_NO_STAND_IN))) {
		struct backup *b = backup_for(v, f->group, p->round, f->due, f->status == AUDIT_FAIL,
					      f->due + v->tg->backup_grace);
		ints_add(&b->arts, f->artifact);
	}
}

static void gather_engage(struct view *v, const struct audit_finding *f)
{
	const struct pol_engage *e = f->detail.engagement;
	struct item key = { .act = ACT_ENGAGE, .group = f->group, .engage = e };
	if ((f->status == AUDIT_PENDING && f->reason == AUDIT_R_DUE) ||
	    (f->status == AUDIT_FAIL && f->reason == AUDIT_R_OVERDUE)) {
		key.where = DUE_NEXT;
		key.has_due = true;
		key.due = f->due;
	} else if (f->status == AUDIT_PENDING && f->reason == AUDIT_R_NO_BASE) {
		if (e->from == POL_FROM_FIRST_DEPLOYMENT) {
			key.where = BEFORE_PUBLIC;
		} else {
			key.where = STILL_OWED;
			key.has_after = true;
			key.after = e->from;
		}
	} else {
		return;
	}
	item_for(v, &key);
}

static void gather_finding(struct view *v, const struct audit_finding *f)
{
	const struct audit *au = v->au;
	struct item key = { .group = -1 };
	if (is_response(f)) {
		gather_response(v, f);
		return;
	}
	switch (f->rule) {
	case POL_RULE_ENGAGE:
		gather_engage(v, f);
		return;
	case POL_RULE_UPDATE_CADENCE:
		/* Also for a group that lapsed once: it still owes the next. */
		if (!f->detail.has_next_update)
			return;
		key = (struct item){ .act = ACT_UPDATE, .where = DUE_NEXT, .has_due = true,
				     .due = f->detail.next_update, .group = f->group };
		item_for(v, &key);
		return;
	case POL_RULE_DRAFTING:
		key.act = ACT_DRAFT;
		if ((f->status == AUDIT_PENDING && f->reason == AUDIT_R_DUE) ||
		    (f->status == AUDIT_FAIL && f->reason == AUDIT_R_OVERDUE)) {
			key.where = DUE_NEXT;
			key.has_due = true;
			key.due = f->due;
		} else if (f->status == AUDIT_PENDING && f->reason == AUDIT_R_NOT_STARTED) {
			key.where = STILL_OWED;
			key.has_after = true;
			key.after = POL_FROM_COMMS_STARTED;
		} else {
			return;
		}
		ints_add(&item_for(v, &key)->arts, f->artifact);
		return;
	case POL_RULE_CUTOFF:
		key.act = ACT_CUTOFF;
		key.has_latest = au->has_t0 && v->tg->has_turnaround;
		key.latest = pol_latest_cutoff(v->tg, au->t0);
		if (f->status == AUDIT_PENDING &&
		    (f->reason == AUDIT_R_NOT_STARTED || f->reason == AUDIT_R_NO_REVIEW)) {
			key.where = STILL_OWED;
		} else if (f->status == AUDIT_FAIL && f->reason == AUDIT_R_OVERDUE) {
			/* The review went out without one: the cutoff fallback
			 * needs it still. */
			key.where = DUE_NEXT;
			key.has_due = true;
			key.due = f->due;
		} else {
			return;
		}
		item_for(v, &key);
		return;
	case POL_RULE_COMPANIONS:
		if (f->status != AUDIT_PENDING || f->reason != AUDIT_R_NO_DEPLOYMENT || !f->detail.n_missing)
			return;
		key.act = ACT_DRAFT;
		key.where = BEFORE_PUBLIC;
		struct item *it = item_for(v, &key);
		for (size_t i = 0; i < f->detail.n_missing; i++) {
			int a = pol_artifact_index(au->pol, f->detail.missing[i]);
			if (a >= 0)
				ints_add(&it->arts, a);
		}
		return;
	case POL_RULE_AWARENESS:
		if (f->status != AUDIT_PENDING)
			return;
		key.act = ACT_POST;
		key.where = STILL_OWED;
		if (f->reason == AUDIT_R_NO_DEPLOYMENT) {
			key.has_after = true;
			key.after = POL_FROM_FIRST_DEPLOYMENT;
		}
		ints_add(&item_for(v, &key)->chans, f->channel);
		return;
	case POL_RULE_EXTCOMMS_REVIEW:
	case POL_RULE_EXTCOMMS_APPROVAL:
	case POL_RULE_FYI_INFORMED:
		/* A checkpoint still owed before its gate: the review before the
		 * artifact goes to the approvers, the approval and the FYI
		 * before it is deployed. */
		if (f->status != AUDIT_PENDING || f->reason != AUDIT_R_OWED_FIRST)
			return;
		key.act = f->rule == POL_RULE_EXTCOMMS_REVIEW	 ? ACT_EXTCOMMS_REVIEW
			  : f->rule == POL_RULE_EXTCOMMS_APPROVAL ? ACT_EXTCOMMS_APPROVAL
								   : ACT_INFORM;
		key.where = f->rule == POL_RULE_EXTCOMMS_REVIEW ? STILL_OWED : BEFORE_DEPLOYMENT;
		key.group = f->rule == POL_RULE_EXTCOMMS_REVIEW	  ? au->pol->extcomms_review_group
			    : f->rule == POL_RULE_EXTCOMMS_APPROVAL ? au->pol->extcomms_approval_group
								     : f->group;
		ints_add(&item_for(v, &key)->arts, f->artifact);
		return;
	case POL_RULE_NEXT_UPDATE:
		/* A promised public update not published yet: due next, even
		 * once overdue, as long as it is still owed. */
		if (f->detail.has_next_notice ||
		    !((f->status == AUDIT_PENDING && f->reason == AUDIT_R_DUE) ||
		      (f->status == AUDIT_FAIL && f->reason == AUDIT_R_OVERDUE)))
			return;
		key = (struct item){ .act = ACT_NOTICE, .where = DUE_NEXT, .has_due = true,
				     .due = f->due, .group = -1, .notice = f->detail.notice };
		item_for(v, &key);
		return;
	default:
		return;
	}
}

/* Deployments: each artifact not deployed yet, due by the first of its
 * deployment hour after quorum (DEPLOYMENT) and its turnaround. */
static void gather_deployments(struct view *v)
{
	const struct audit *au = v->au;
	for (size_t a = 0; a < au->pol->n_artifacts; a++) {
		const struct audit_finding *t = finding_for(au, POL_RULE_TURNAROUND, (int)a);
		const struct audit_finding *d = finding_for(au, POL_RULE_DEPLOYMENT, (int)a);
		const struct audit_finding *q = finding_for(au, POL_RULE_QUORUM, (int)a);
		bool ot = open_deadline(t), od = open_deadline(d);
		v->turnaround_open |= ot;
		struct item key = { .act = ACT_DEPLOY, .group = -1 };
		if (ot || od) {
			key.where = DUE_NEXT;
			key.has_due = true;
			if (od && (!ot || d->due < t->due)) {
				key.due = d->due;
				key.limit = POL_RULE_DEPLOYMENT;
			} else {
				key.due = t->due;
				key.limit = POL_RULE_TURNAROUND;
			}
			if (q && q->detail.quorum.reached) {
				key.has_quorum = true;
				key.quorum_at = q->detail.quorum.at;
			}
		} else if (t && t->status == AUDIT_PENDING && t->reason == AUDIT_R_NOT_STARTED) {
			key.where = STILL_OWED;
			key.limit = POL_RULE_TURNAROUND;
			key.has_after = true;
			key.after = POL_FROM_COMMS_STARTED;
		} else {
			continue;
		}
		ints_add(&item_for(v, &key)->arts, (int)a);
	}
}

static int by_due(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	if (a->where != b->where)
		return a->where < b->where ? -1 : 1;
	if (a->where == DUE_NEXT && a->due != b->due)
		return a->due < b->due ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static void view_build(const struct audit *au, struct view *v)
{
	*v = (struct view){ .au = au, .tg = &au->pol->targets[au->rec->severity] };
	if (!au->in_scope)
		return;
	/* Findings come in rule order: deployments go with TURNAROUND, before
	 * the companions and the posts that follow them. */
	size_t i = 0;
	for (; i < au->n_findings && au->findings[i].rule < POL_RULE_COMPANIONS; i++)
		gather_finding(v, &au->findings[i]);
	gather_deployments(v);
	for (; i < au->n_findings; i++)
		gather_finding(v, &au->findings[i]);
	if (v->n)
		qsort(v->items, v->n, sizeof(*v->items), by_due);
	for (size_t k = 0; k < au->rec->n_events; k++) {
		const struct rec_event *ev = &au->rec->events[k];
		if (ev->at > au->audited_at)
			break;
		if (ev->type == REC_EV_CUTOFF_ANNOUNCED && ev->has_cutoff) {
			v->cutoff = ev;
			break;
		}
	}
}

static void view_free(struct view *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->items[i].arts.v);
		free(v->items[i].chans.v);
	}
	for (size_t i = 0; i < v->n_bk; i++)
		free(v->bk[i].arts.v);
	free(v->items);
	free(v->bk);
}

/* ---- Text ----------------------------------------------------------- */

/* "2026-03-04 15:32 UTC", in the policy's display zone. */
static void clock(const struct audit *au, int64_t t, struct buf *out)
{
	char iso[TS_BUFSZ];
	ts_format_offset(t, pol_zone_offset_at(au->pol, t), iso);
	buf_printf(out, "%.10s %.5s %s", iso, iso + 11, pol_zone_label_at(au->pol, t));
}

/* "2026-03-04 15:32 UTC (7 min left)" or "... (25 min ago)". */
static void when(const struct audit *au, int64_t t, struct buf *out)
{
	char human[TS_BUFSZ];
	ts_format_human(t >= au->audited_at ? t - au->audited_at : au->audited_at - t, human);
	clock(au, t, out);
	buf_printf(out, " (%s %s)", human, t >= au->audited_at ? "left" : "ago");
}

static void span(int64_t secs, struct buf *out)
{
	char h[TS_BUFSZ];
	ts_format_human(secs, h);
	buf_puts(out, h);
}

/* The colour of a line due at t: red once overdue, yellow when due soon. */
static const char *urgency(const struct audit *au, int64_t t)
{
	if (t < au->audited_at)
		return RED;
	return t - au->audited_at <= SOON ? YELLOW : NULL;
}

struct text {
	const struct view *v;
	bool colour;
	struct buf *out;
};

/* Starts a line of the given colour (NULL: none); line_end ends it. */
static void line_start(const struct text *tx, const char *colour)
{
	buf_puts(tx->out, "  ");
	if (tx->colour && colour)
		buf_puts(tx->out, colour);
}

static void line_end(const struct text *tx, const char *colour)
{
	if (tx->colour && colour)
		buf_puts(tx->out, RESET);
	buf_putc(tx->out, '\n');
}

static void titles(const struct audit *au, const struct ints *arts, struct buf *out)
{
	for (size_t i = 0; i < arts->n; i++)
		buf_printf(out, "%s%s", i ? ", " : "", au->pol->artifacts[arts->v[i]].title);
}

static void engage_text(const struct audit *au, const struct item *it, struct buf *out)
{
	const struct pol_engage *e = it->engage;
	buf_printf(out, "Engage %s (DRI: %s; %s)", au->pol->groups[it->group].title, e->dri, e->channel);
	if (e->cadence) {
		buf_puts(out, ", then update every ");
		span(e->cadence, out);
	}
}

/* The events an obligation can wait for, in words. */
static const char *const from_words[POL_FROM_COUNT] = {
	[POL_FROM_SEVERITY_DETERMINED] = "the severity determination",
	[POL_FROM_FACT] = "its fact becoming known",
	[POL_FROM_COMMS_STARTED] = "the start of communications (comms-started)",
	[POL_FROM_IMPACT_DETERMINED] = "the impact determination (impact-determined)",
	[POL_FROM_FIRST_DRAFT] = "the first draft",
	[POL_FROM_FIRST_DEPLOYMENT] = "the first public release",
};

/* What an item asks for, in words (without its due time). */
static void item_text(const struct view *v, const struct item *it, struct buf *out)
{
	const struct audit *au = v->au;
	const struct pol_group *g = it->group >= 0 ? &au->pol->groups[it->group] : NULL;
	switch (it->act) {
	case ACT_ANSWER:
		buf_printf(out, "Answer from %s (%s): %s of ", g->title, g->n_chain ? g->chain[0] : "?",
			   it->pair->round == REC_ROUND_REVIEW ? "review" : "final approval");
		titles(au, &it->arts, out);
		buf_puts(out, ", requested ");
		clock(au, it->pair->request->at, out);
		break;
	case ACT_UPDATE:
		buf_printf(out, "Update %s", g->title);
		break;
	case ACT_ENGAGE:
		engage_text(au, it, out);
		break;
	case ACT_DRAFT:
		buf_puts(out, "Draft ");
		titles(au, &it->arts, out);
		if (it->where == BEFORE_PUBLIC)
			buf_puts(out, ": a social post and a support FAQ go with every incident response");
		break;
	case ACT_EXTCOMMS_REVIEW:
		buf_printf(out, "Review by %s of ", g ? g->title : "?");
		titles(au, &it->arts, out);
		buf_puts(out, ", before it goes to the approvers");
		break;
	case ACT_EXTCOMMS_APPROVAL:
		buf_printf(out, "Approval of the final messaging by %s: ", g ? g->title : "?");
		titles(au, &it->arts, out);
		break;
	case ACT_INFORM:
		buf_puts(out, "Send ");
		titles(au, &it->arts, out);
		buf_printf(out, " to %s for information", g ? g->title : "?");
		break;
	case ACT_CUTOFF:
		buf_puts(out, "Announce the approval cutoff");
		if (it->where == DUE_NEXT)
			buf_puts(out, ": the first review request went out without one");
		else
			buf_puts(out, " before the first review request");
		if (it->has_latest) {
			buf_puts(out, ", for no later than ");
			clock(au, it->latest, out);
		}
		break;
	case ACT_DEPLOY:
		buf_puts(out, "Deploy ");
		titles(au, &it->arts, out);
		if (it->where != DUE_NEXT)
			break;
		if (it->limit == POL_RULE_DEPLOYMENT) {
			buf_puts(out, " (");
			span(v->tg->deployment, out);
			buf_puts(out, " after quorum at ");
			clock(au, it->quorum_at, out);
			buf_putc(out, ')');
		} else if (it->has_quorum) {
			buf_puts(out, " (the turnaround; quorum reached at ");
			clock(au, it->quorum_at, out);
			buf_putc(out, ')');
		} else {
			buf_puts(out, " (the turnaround; quorum not reached yet)");
		}
		break;
	case ACT_NOTICE:
		buf_printf(out, "Publish update %zu to customers (promised in notice %zu)", it->notice + 1,
			   it->notice);
		break;
	case ACT_POST:
		buf_printf(out, "Post the final materials to %zu awareness channel%s:", it->chans.n,
			   it->chans.n == 1 ? "" : "s");
		for (size_t i = 0; i < it->chans.n; i++)
			buf_printf(out, " %s", au->pol->channels[it->chans.v[i]]);
		break;
	}
	if (it->where != STILL_OWED || !it->has_after)
		return;
	/* What it waits for. */
	const char *after = from_words[it->after];
	if (it->act == ACT_POST) {
		buf_printf(out, ", after %s", after);
		return;
	}
	buf_puts(out, ": ");
	if (it->act == ACT_ENGAGE && it->engage->delay) {
		span(it->engage->delay, out);
		buf_printf(out, " after %s", after);
	} else if (it->act == ACT_ENGAGE) {
		buf_printf(out, "at %s", after);
	} else {
		buf_puts(out, "within ");
		span(it->act == ACT_DRAFT ? v->tg->drafting : v->tg->turnaround, out);
		buf_printf(out, " of %s", after);
	}
	buf_puts(out, ", which has not happened yet");
}

static void text_deadlines(const struct text *tx)
{
	const struct audit *au = tx->v->au;
	const struct pol_target *tg = tx->v->tg;
	struct buf *out = tx->out;
	buf_puts(out, "\nDeadlines\n");
	const struct rec_event *started = au->has_t0 ? NULL
		: tl_shown_by(au->rec, REC_EV_COMMS_STARTED, au->audited_at);
	if (started) {
		/* The audit fails what counts from it as unproven: say so
		 * rather than "not started". */
		buf_printf(out, "  Communications started (the %s event at ", rec_event_type_name(started->type));
		clock(au, started->at, out);
		buf_puts(out, " shows it), but the record has no comms-started event: the turnaround "
			 "cannot be proven.\n");
		return;
	}
	if (!au->has_t0) {
		buf_puts(out, "  Communications have not started (no comms-started event).\n");
		return;
	}
	if (!tg->has_turnaround) {
		buf_printf(out, "  No turnaround target for %s.\n", pol_severity_name(au->rec->severity));
		return;
	}
	int64_t turnaround = au->t0 + tg->turnaround;
	if (!tx->v->turnaround_open) {
		buf_puts(out, "  Turnaround: ");
		clock(au, turnaround, out);
		buf_puts(out, "; nothing left to deploy\n");
		return;
	}
	const char *c = urgency(au, turnaround);
	line_start(tx, c);
	buf_puts(out, "Turnaround: approved and deployed by ");
	when(au, turnaround, out);
	line_end(tx, c);
	if (tx->v->cutoff) {
		c = urgency(au, tx->v->cutoff->cutoff);
		line_start(tx, c);
		buf_puts(out, "Approval cutoff (announced): ");
		when(au, tx->v->cutoff->cutoff, out);
		line_end(tx, c);
	} else {
		buf_puts(out, "  Approval cutoff: not announced (see Still owed)\n");
	}
}

static void text_overdue(const struct text *tx)
{
	const struct audit *au = tx->v->au;
	size_t n = 0;
	buf_puts(tx->out, "\nOverdue\n");
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		if (f->status != AUDIT_FAIL)
			continue;
		line_start(tx, RED);
		buf_printf(tx->out, "%s %s: %s", pol_rule_name(f->rule), f->subject, f->note);
		line_end(tx, RED);
		n++;
	}
	if (!n)
		buf_puts(tx->out, "  Nothing.\n");
}

static void text_backups(const struct text *tx)
{
	const struct view *v = tx->v;
	const struct audit *au = v->au;
	buf_puts(tx->out, "\nEngage back-ups now\n");
	for (size_t i = 0; i < v->n_bk; i++) {
		const struct backup *b = &v->bk[i];
		const struct pol_group *g = &au->pol->groups[b->group];
		const char *c = b->late ? RED : urgency(au, b->by);
		line_start(tx, c);
		buf_printf(tx->out, "%s, %s of ", g->title,
			   b->round == REC_ROUND_REVIEW ? "review" : "final approval");
		titles(au, &b->arts, tx->out);
		buf_puts(tx->out, ": window closed ");
		when(au, b->window, tx->out);
		buf_puts(tx->out, "; engage ");
		if (g->n_chain < 2)
			buf_puts(tx->out, "(no back-ups in the policy)");
		for (size_t k = 1; k < g->n_chain; k++)
			buf_printf(tx->out, "%s%s", k > 1 ? ", then " : "", g->chain[k]);
		if (b->late) {
			buf_puts(tx->out, " (already late)");
		} else {
			buf_puts(tx->out, " by ");
			when(au, b->by, tx->out);
		}
		line_end(tx, c);
	}
	if (!v->n_bk)
		buf_puts(tx->out, "  None.\n");
}

/* Due next: the due time and what is left of it, aligned, then the action. */
static void text_due_next(const struct text *tx)
{
	const struct view *v = tx->v;
	struct buf *stamps = xcalloc(v->n + 1, sizeof(*stamps));
	size_t width = 0, n = 0;
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i].where != DUE_NEXT)
			continue;
		when(v->au, v->items[i].due, &stamps[i]);
		width = stamps[i].len > width ? stamps[i].len : width;
	}
	buf_puts(tx->out, "\nDue next\n");
	for (size_t i = 0; i < v->n; i++) {
		const struct item *it = &v->items[i];
		if (it->where != DUE_NEXT)
			continue;
		const char *c = urgency(v->au, it->due);
		line_start(tx, c);
		buf_printf(tx->out, "%-*s  ", (int)width, buf_str(&stamps[i]));
		item_text(v, it, tx->out);
		line_end(tx, c);
		buf_free(&stamps[i]);
		n++;
	}
	free(stamps);
	if (!n)
		buf_puts(tx->out, "  Nothing.\n");
}

static void text_list(const struct text *tx, enum where where, const char *heading)
{
	size_t n = 0;
	buf_printf(tx->out, "\n%s\n", heading);
	for (size_t i = 0; i < tx->v->n; i++) {
		if (tx->v->items[i].where != where)
			continue;
		buf_puts(tx->out, "  ");
		item_text(tx->v, &tx->v->items[i], tx->out);
		buf_putc(tx->out, '\n');
		n++;
	}
	if (!n)
		buf_puts(tx->out, "  Nothing.\n");
}

static void render_text(const struct view *v, bool colour, struct buf *out)
{
	const struct audit *au = v->au;
	const struct record *rec = au->rec;
	buf_printf(out, "%s  %s\n%s, impact %s, %s; as of ", rec->id, rec->title,
		   pol_severity_name(rec->severity), pol_impact_name(rec->impact),
		   audit_incident_status(au));
	clock(au, au->audited_at, out);
	buf_putc(out, '\n');
	/* The regulators' clocks first, in and out of the plan's scope. */
	audit_clocks_text(au, colour, out);
	if (!au->in_scope) {
		buf_printf(out, "\nImpact %s is below the plan's scope (impact %s or greater): %s.\n",
			   pol_impact_name(rec->impact), pol_impact_name(au->pol->min_impact),
			   rec->n_regimes ? "the plan owes nothing; the regulators' clocks above still run"
					  : "nothing is owed");
		return;
	}
	struct text tx = { v, colour, out };
	text_deadlines(&tx);
	text_overdue(&tx);
	text_backups(&tx);
	text_due_next(&tx);
	text_list(&tx, BEFORE_DEPLOYMENT, "Before the next deployment");
	text_list(&tx, BEFORE_PUBLIC, "Before the first public release");
	text_list(&tx, STILL_OWED, "Still owed");
}

/* ---- JSON ----------------------------------------------------------- */

static void json_ints(const char *const *names, const struct ints *s, struct buf *out)
{
	buf_putc(out, '[');
	for (size_t i = 0; i < s->n; i++) {
		buf_puts(out, i ? ", " : "");
		esc_json(out, names[s->v[i]]);
	}
	buf_putc(out, ']');
}

static void json_artifacts(const struct audit *au, const struct ints *s, struct buf *out)
{
	buf_putc(out, '[');
	for (size_t i = 0; i < s->n; i++) {
		buf_puts(out, i ? ", " : "");
		esc_json(out, au->pol->artifacts[s->v[i]].id);
	}
	buf_putc(out, ']');
}

static void json_due(const struct audit *au, bool has, int64_t due, struct buf *out)
{
	buf_puts(out, "\"due\": ");
	esc_json_time(out, has, due);
	if (has)
		buf_printf(out, ", \"seconds_left\": %" PRId64 ", \"overdue\": %s", due - au->audited_at,
			   due < au->audited_at ? "true" : "false");
	else
		buf_puts(out, ", \"seconds_left\": null, \"overdue\": false");
}

static void json_item(const struct view *v, const struct item *it, struct buf *out)
{
	const struct audit *au = v->au;
	const struct pol_group *g = it->group >= 0 ? &au->pol->groups[it->group] : NULL;
	buf_printf(out, "{\"action\": \"%s\", ", act_names[it->act]);
	json_due(au, it->has_due, it->due, out);
	buf_puts(out, ", \"group\": ");
	esc_json(out, g ? g->id : NULL);
	buf_puts(out, ", \"title\": ");
	esc_json(out, g ? g->title : NULL);
	buf_puts(out, ", \"artifacts\": ");
	json_artifacts(au, &it->arts, out);
	buf_puts(out, ", \"channels\": ");
	json_ints(au->pol->channels, &it->chans, out);
	buf_puts(out, ", \"after\": ");
	esc_json(out, it->where == STILL_OWED && it->has_after ? pol_from_name(it->after) : NULL);
	switch (it->act) {
	case ACT_ANSWER:
		buf_puts(out, ", \"approver\": ");
		esc_json(out, g->n_chain ? g->chain[0] : NULL);
		buf_printf(out, ", \"round\": \"%s\", \"requested\": ",
			   it->pair->round == REC_ROUND_REVIEW ? "review" : "final");
		esc_json_time(out, true, it->pair->request->at);
		break;
	case ACT_ENGAGE:
		buf_puts(out, ", \"dri\": ");
		esc_json(out, it->engage->dri);
		buf_puts(out, ", \"channel\": ");
		esc_json(out, it->engage->channel);
		if (it->engage->cadence)
			buf_printf(out, ", \"cadence_seconds\": %" PRId64, it->engage->cadence);
		else
			buf_puts(out, ", \"cadence_seconds\": null");
		break;
	case ACT_DEPLOY:
		buf_printf(out, ", \"limit\": \"%s\", \"quorum_at\": ", pol_rule_name(it->limit));
		esc_json_time(out, it->has_quorum, it->quorum_at);
		break;
	case ACT_CUTOFF:
		buf_puts(out, ", \"latest\": ");
		esc_json_time(out, it->has_latest, it->latest);
		break;
	case ACT_NOTICE:
		buf_printf(out, ", \"notice\": %zu", it->notice);
		break;
	default:
		break;
	}
	buf_putc(out, '}');
}

static void json_list(const struct view *v, enum where where, const char *key, struct buf *out)
{
	size_t n = 0;
	buf_printf(out, ",\n  \"%s\": [", key);
	for (size_t i = 0; i < v->n; i++) {
		if (v->items[i].where != where)
			continue;
		buf_puts(out, n++ ? ",\n    " : "\n    ");
		json_item(v, &v->items[i], out);
	}
	buf_puts(out, n ? "\n  ]" : "]");
}

static void json_overdue(const struct audit *au, struct buf *out)
{
	size_t n = 0;
	buf_puts(out, ",\n  \"overdue\": [");
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		if (f->status != AUDIT_FAIL)
			continue;
		buf_printf(out, "%s{\"rule\": \"%s\", \"subject\": ", n++ ? ",\n    " : "\n    ",
			   pol_rule_name(f->rule));
		esc_json(out, audit_subject(f));
		buf_puts(out, ", \"group\": ");
		esc_json(out, f->group >= 0 ? au->pol->groups[f->group].id : NULL);
		buf_puts(out, ", \"artifact\": ");
		esc_json(out, f->artifact >= 0 ? au->pol->artifacts[f->artifact].id : NULL);
		buf_puts(out, ", \"due\": ");
		esc_json_time(out, f->has_due, f->due);
		buf_puts(out, ", \"note\": ");
		esc_json(out, f->note);
		buf_putc(out, '}');
	}
	buf_puts(out, n ? "\n  ]" : "]");
}

static void json_backups(const struct view *v, struct buf *out)
{
	const struct audit *au = v->au;
	buf_puts(out, ",\n  \"engage_backups\": [");
	for (size_t i = 0; i < v->n_bk; i++) {
		const struct backup *b = &v->bk[i];
		const struct pol_group *g = &au->pol->groups[b->group];
		buf_puts(out, i ? ",\n    {\"group\": " : "\n    {\"group\": ");
		esc_json(out, g->id);
		buf_puts(out, ", \"title\": ");
		esc_json(out, g->title);
		buf_printf(out, ", \"round\": \"%s\", \"artifacts\": ",
			   b->round == REC_ROUND_REVIEW ? "review" : "final");
		json_artifacts(au, &b->arts, out);
		buf_puts(out, ", \"window_closed\": ");
		esc_json_time(out, true, b->window);
		buf_puts(out, ", ");
		json_due(au, true, b->by, out);
		buf_puts(out, ", \"backups\": [");
		for (size_t k = 1; k < g->n_chain; k++) {
			buf_puts(out, k > 1 ? ", " : "");
			esc_json(out, g->chain[k]);
		}
		buf_puts(out, "]}");
	}
	buf_puts(out, v->n_bk ? "\n  ]" : "]");
}

static void render_json(const struct view *v, struct buf *out)
{
	const struct audit *au = v->au;
	const struct pol_target *tg = v->tg;
	buf_puts(out, "{\n  \"incident\": ");
	esc_json(out, au->rec->id);
	buf_puts(out, ",\n  \"title\": ");
	esc_json(out, au->rec->title);
	buf_printf(out, ",\n  \"severity\": \"%s\",\n  \"impact\": \"%s\",\n  \"incident_status\": ",
		   pol_severity_name(au->rec->severity), pol_impact_name(au->rec->impact));
	esc_json(out, audit_incident_status(au));
	buf_printf(out, ",\n  \"in_scope\": %s,\n  \"at\": ", au->in_scope ? "true" : "false");
	esc_json_time(out, true, au->audited_at);
	buf_puts(out, ",\n  \"comms_started\": ");
	esc_json_time(out, au->has_t0, au->t0);
	buf_puts(out, ",\n  \"turnaround\": ");
	esc_json_time(out, au->in_scope && au->has_t0 && tg->has_turnaround, au->t0 + tg->turnaround);
	buf_puts(out, ",\n  \"cutoff\": ");
	esc_json_time(out, au->in_scope && v->cutoff, v->cutoff ? v->cutoff->cutoff : 0);
	json_overdue(au, out);
	json_backups(v, out);
	json_list(v, DUE_NEXT, "due_next", out);
	json_list(v, BEFORE_DEPLOYMENT, "before_deployment", out);
	json_list(v, BEFORE_PUBLIC, "before_public_release", out);
	json_list(v, STILL_OWED, "still_owed", out);
	/* Added after the keys of the first version, as docs/status.md
	 * promises new keys are. */
	buf_puts(out, ",\n  \"legal_clocks\": ");
	audit_clocks_json(au, out);
	buf_puts(out, "\n}\n");
}

void audit_render_status(const struct audit *au, enum audit_format f, bool colour, struct buf *out)
{
	struct view v;
	view_build(au, &v);
	if (f == AUDIT_FORMAT_JSON)
		render_json(&v, out);
	else
		render_text(&v, colour, out);
	view_free(&v);
}
