/* context.c - the template context built from a record and its policy. */
#include "draft/context.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ts.h"
#include "draft/facts.h"
#include "model/timeline.h"

/* Every key the context sets, each hashed once for the whole process
 * (tval_key): a context sets some two thousand values a record, and
 * hashing their keys again and again was a tenth of building it. */
#define CONTEXT_KEYS(X) \
	X(a) X(action) X(address) X(advisory) X(all) X(announced) X(approved) \
	X(approved_by) X(approver) X(approvers) X(artifact) X(artifact_id) \
	X(artifact_title) X(artifacts) X(artifacts_deployed) \
	X(artifacts_drafted) X(as_of) X(at_local) X(at_utc) X(attribution) \
	X(awareness) X(backup_grace) X(backup_list) X(backups) X(blog) X(by) \
	X(cadence) X(channel) X(comm) X(commitments) X(comms_started) \
	X(compensating_controls) X(condition) X(contact) X(continuous) \
	X(count) X(counts) X(customer_action) X(customer_impact) X(cutoff) \
	X(dates) X(day) X(deadline) X(deadlines) X(delay) X(deployed) \
	X(deployment) X(detected) X(drafted) X(drafting) X(dri) X(dri_list) \
	X(due) X(due_short) X(engaged) X(engagements) X(events) X(exceptions) \
	X(expires) X(external) X(external_comms) X(fact_list) X(facts) X(faq) \
	X(final) X(first_deployment) X(first_draft) X(from) X(fyi) X(fyi_list) \
	X(group) X(group_id) X(group_title) X(has) X(has_approvers) \
	X(has_commitments) X(has_count) X(has_faq) X(has_mitigation) \
	X(has_next_steps) X(heading) X(heading_them) X(human) X(id) \
	X(immediately) X(impact) X(impact_determined) X(in_scope) X(incident) \
	X(investigating) X(iso) X(justification) X(kind) X(kind_label) \
	X(known) X(label) X(lead) X(line) X(link) X(links) X(local) X(many) \
	X(matrix) X(members) X(milestones) X(mitigated) X(mitigation) X(name) \
	X(needed) X(next) X(next_steps) X(next_update) X(none) X(ongoing) \
	X(org) X(plan) X(policy) X(population) X(press) X(primary) X(q) \
	X(quorum) X(quote) X(quote_by) X(reader) X(requested) X(requested_by) \
	X(required) X(required_count) X(required_groups) X(required_list) \
	X(resolved) X(response) X(review) X(risk) X(role) X(role_label) \
	X(rule) X(s1) X(scope) X(seccmoc) X(seconds) X(security) \
	X(sender_address) X(sender_name) X(seoc) X(services) X(severity) \
	X(severity_determined) X(sha256) X(short) X(simoc) X(some) X(state) \
	X(stated) X(status) X(status_label) X(subject) X(summary) \
	X(support_moc) X(targets) X(team) X(text) X(timeline) X(title) \
	X(turnaround) X(type) X(update) X(urgent) X(users) X(utc) X(when) \
	X(who) X(zone)

enum context_key {
#define X(name) K_##name,
	CONTEXT_KEYS(X)
#undef X
	K_COUNT
};

static struct tval_key keys[K_COUNT];
static pthread_once_t keys_once = PTHREAD_ONCE_INIT;

static void keys_init(void)
{
	static const char *const names[K_COUNT] = {
#define X(name) #name,
		CONTEXT_KEYS(X)
#undef X
	};
	for (size_t i = 0; i < K_COUNT; i++)
		tval_key_init(&keys[i], names[i]);
}

/* The key `name`, hashed. */
#define K(name) (&keys[K_##name])


/*
 * A context holds some two thousand values a record.  What makes it
 * cheap: strings of the record, the policy and the labels below are
 * borrowed, not copied (tval_ref), and every key is hashed once
 * (tval_key); each moment is written once (facts_moment) however many
 * fields show it, and its map is shared; sentences are built in one
 * reused buffer.
 */

/* A moment written once, by its time. */
struct seen_moment {
	int64_t t;
	const struct facts_moment *fm;  /* NULL: an empty slot */
	struct tval *map;               /* its {has, utc, ...}, made when first asked for */
};

struct builder {
	const struct record *rec;
	const struct policy *pol;
	const struct facts *f;
	struct arena *a;
	struct buf text;                /* the sentence being built */
	struct seen_moment *moments;    /* open addressing, at most half full */
	size_t n_moments, moments_cap;
	struct tval *no_moment;         /* {has: false}, shared */
	const char **backups;           /* per group: "X, then Y", made once */
	struct tval **backup_lists;     /* per group, made once */
	struct tval **fyi_entries;      /* per group: its entry where it does not approve */
	size_t *groups;                 /* scratch: group indexes, twice n_groups */
	size_t drafted, deployed;       /* artifacts the timeline drafted, deployed */
	struct { bool has; int64_t secs; struct tval *map; } spans[16];  /* durations written */
	size_t n_spans;
};

/* Setting a key; strings borrowed (tval_ref). */
static void set(struct tval *m, const struct tval_key *k, struct tval *v)
{
	tval_put_key(m, k, v);
}

static void set_str(struct builder *b, struct tval *m, const struct tval_key *k, const char *s)
{
	tval_put_key(m, k, tval_ref(b->a, s));
}

static void set_bool(struct tval *m, const struct tval_key *k, bool v)
{
	tval_put_key(m, k, tval_bool(NULL, v));
}

static void set_int(struct builder *b, struct tval *m, const struct tval_key *k, long long n)
{
	tval_put_key(m, k, tval_int(b->a, n));
}

/* ---- Times ---------------------------------------------------------- */

static size_t moment_slot(const struct seen_moment *s, size_t cap, int64_t t)
{
	size_t mask = cap - 1;
	size_t i = (size_t)(((uint64_t)t * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & mask;
	while (s[i].fm && s[i].t != t)
		i = (i + 1) & mask;
	return i;
}

/* The moment t in every form facts.h writes it, written once a context.
 * The slot is valid until the next call that adds a moment (which may
 * move the table); the facts_moment, in the arena, for good. */
static struct seen_moment *seen(struct builder *b, int64_t t)
{
	if (b->moments_cap) {
		struct seen_moment *s = &b->moments[moment_slot(b->moments, b->moments_cap, t)];
		if (s->fm)
			return s;
	}
	if ((b->n_moments + 1) * 2 > b->moments_cap) {
		struct seen_moment *old = b->moments;
		size_t old_cap = b->moments_cap;
		b->moments_cap = old_cap ? old_cap * 2 : 64;
		b->moments = xcalloc(b->moments_cap, sizeof(*b->moments));
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].fm)
				b->moments[moment_slot(b->moments, b->moments_cap, old[i].t)] = old[i];
		free(old);
	}
	struct seen_moment *s = &b->moments[moment_slot(b->moments, b->moments_cap, t)];
	struct facts_moment *fm = arena_alloc(b->a, sizeof(*fm));
	facts_moment(b->pol, true, t, fm);
	s->t = t;
	s->fm = fm;
	b->n_moments++;
	return s;
}

static const struct facts_moment *moment_at(struct builder *b, int64_t t)
{
	return seen(b, t)->fm;
}

/* A new map {has, utc, local, day, short, when} for a moment; has=false
 * when absent. */
static struct tval *new_moment(struct builder *b, bool has, int64_t t)
{
	struct tval *m = tval_map(b->a);
	set_bool(m, K(has), has);
	if (!has)
		return m;
	const struct facts_moment *fm = moment_at(b, t);
	set_str(b, m, K(utc), fm->utc);
	set_str(b, m, K(local), fm->local);
	set_str(b, m, K(day), fm->day);
	set_str(b, m, K(short), fm->shrt);
	set_str(b, m, K(when), fm->when);
	return m;
}

/* The same, one map for each moment, shared by every field that shows
 * it: not to be changed. */
static struct tval *moment(struct builder *b, bool has, int64_t t)
{
	if (!has) {
		if (!b->no_moment)
			b->no_moment = new_moment(b, false, 0);
		return b->no_moment;
	}
	struct seen_moment *s = seen(b, t);
	if (!s->map) {
		struct tval *m = new_moment(b, true, t);
		/* Again: making the map may have added moments. */
		s = seen(b, t);
		s->map = m;
	}
	return s->map;
}

/* The same from a moment facts.h made: the same strings, as facts_moment
 * writes a moment one way. */
static struct tval *fact_moment(struct builder *b, const struct facts_moment *fm)
{
	return moment(b, fm->has, fm->at);
}

/* Appends s as "%s" prints it: "(null)" for NULL.  The context's
 * sentences are built from many short strings, thousands a record, and
 * printf's format parsing was a tenth of building them. */
static void put(struct buf *b, const char *s)
{
	buf_puts(b, s ? s : "(null)");
}

static struct tval *event_moment(struct builder *b, const struct rec_event *ev)
{
	return moment(b, ev != NULL, ev ? ev->at : 0);
}

/* A map {has, seconds, human, iso} for a duration, one for each
 * duration, shared: not to be changed. */
static struct tval *span(struct builder *b, bool has, int64_t secs)
{
	struct arena *a = b->a;
	if (!has)
		secs = 0;
	for (size_t i = 0; i < b->n_spans; i++)
		if (b->spans[i].has == has && b->spans[i].secs == secs)
			return b->spans[i].map;
	struct tval *m = tval_map(a);
	if (b->n_spans < sizeof(b->spans) / sizeof(b->spans[0])) {
		b->spans[b->n_spans].has = has;
		b->spans[b->n_spans].secs = secs;
		b->spans[b->n_spans++].map = m;
	}
	set_bool(m, K(has), has);
	if (!has)
		return m;
	char buf[TS_BUFSZ];
	set_int(b, m, K(seconds), secs);
	ts_format_human(secs, buf);
	set(m, K(human), tval_str(a, buf));
	ts_format_duration(secs, buf);
	set(m, K(iso), tval_str(a, buf));
	return m;
}

/* A key and its string. */
struct kv {
	const struct tval_key *k;
	const char *v;
};

/* A map of strings from key, value pairs ending with a NULL key; a NULL
 * value is null, as tval_set_str makes it.  Values borrowed. */
static struct tval *str_map(struct builder *b, const struct kv kv[])
{
	struct tval *m = tval_map(b->a);
	for (size_t i = 0; kv[i].k; i++)
		set_str(b, m, kv[i].k, kv[i].v);
	return m;
}

/* Sets key to a copy of the sentence in b->text, or to null when it is
 * empty and empty_null. */
static void put_text(struct builder *b, struct tval *m, const struct tval_key *key,
		     bool empty_null)
{
	if (empty_null && !b->text.len)
		set(m, key, NULL);
	else
		set(m, key, tval_strn(b->a, buf_str(&b->text), b->text.len));
}

/* ---- Labels --------------------------------------------------------- */

/* What each value reads as in a draft; the enums index them. */
static const char *const impact_risks[] = { [POL_IMPACT_CRITICAL] = "Critical",
	[POL_IMPACT_HIGH] = "High", [POL_IMPACT_MEDIUM] = "Medium", [POL_IMPACT_LOW] = "Low" };
static const char *const role_labels[] = { [POL_ROLE_NONE] = "", [POL_ROLE_APPROVER] = "Approver",
	[POL_ROLE_FYI] = "FYI", [POL_ROLE_DRI] = "DRI/Contributor",
	[POL_ROLE_APPROVER_IF_QUOTED] = "Approver (Security quoted)" };

static const char *kind_label(const char *kind)
{
	if (strcmp(kind, "production") == 0)
		return "production";
	if (strcmp(kind, "enterprise-apps") == 0)
		return "enterprise apps";
	return "other";
}

/* Artifact titles of an event: "Customer email, Blog post". */
static void artifact_titles(const struct policy *pol, const struct rec_event *ev, struct buf *b)
{
	for (size_t i = 0; i < ev->n_artifacts; i++) {
		if (i)
			buf_puts(b, ", ");
		put(b, pol->artifacts[ev->artifacts[i]].title);
	}
}

/* One line saying what an event was, for timelines. */
static void event_label(struct builder *bl, const struct rec_event *ev, struct buf *b)
{
	const struct policy *pol = bl->pol;
	const char *group = ev->group >= 0 ? pol->groups[ev->group].title : NULL;
	switch (ev->type) {
	case REC_EV_DETECTED: buf_puts(b, "Detected"); break;
	case REC_EV_SEVERITY_DETERMINED: buf_puts(b, "Severity determined"); break;
	case REC_EV_ENGAGED: put(b, group); buf_puts(b, " engaged"); break;
	case REC_EV_UPDATE: buf_puts(b, "Update to "); put(b, group); break;
	case REC_EV_COMMS_STARTED: buf_puts(b, "Communications started"); break;
	case REC_EV_DRAFT_READY:
		buf_puts(b, "Draft ready: ");
		artifact_titles(pol, ev, b);
		break;
	case REC_EV_CUTOFF_ANNOUNCED:
		buf_puts(b, "Approval cutoff announced: ");
		buf_puts(b, moment_at(bl, ev->cutoff)->local);
		break;
	case REC_EV_REVIEW_REQUESTED:
		buf_puts(b, ev->round == REC_ROUND_FINAL ? "Final approval requested"
						       : "Review requested");
		if (group) {
			buf_puts(b, " from ");
			buf_puts(b, group);
		}
		buf_puts(b, ": ");
		artifact_titles(pol, ev, b);
		break;
	case REC_EV_FEEDBACK:
		buf_puts(b, "Feedback from ");
		put(b, group);
		buf_puts(b, " (");
		put(b, ev->by);
		buf_puts(b, "): ");
		artifact_titles(pol, ev, b);
		break;
	case REC_EV_BACKUP_ENGAGED:
		buf_puts(b, "Back-up approvers engaged for ");
		put(b, group);
		break;
	case REC_EV_APPROVED:
		buf_puts(b, "Approved by ");
		put(b, group);
		buf_puts(b, " (");
		put(b, ev->by);
		buf_puts(b, "): ");
		artifact_titles(pol, ev, b);
		break;
	case REC_EV_DEPLOYED:
		buf_puts(b, "Deployed: ");
		artifact_titles(pol, ev, b);
		if (ev->channel) {
			buf_puts(b, " (");
			buf_puts(b, ev->channel);
			buf_putc(b, ')');
		}
		break;
	case REC_EV_POSTED: buf_puts(b, "Posted to "); put(b, ev->channel); break;
	case REC_EV_IMPACT_DETERMINED: buf_puts(b, "Impact determined"); break;
	case REC_EV_RESOLVED: buf_puts(b, "Resolved"); break;
	case REC_EV_NOTE: buf_puts(b, "Note"); break;
	case REC_EV_INFORMED:
		buf_puts(b, "Sent to ");
		put(b, group);
		buf_puts(b, " for information: ");
		artifact_titles(pol, ev, b);
		break;
	case REC_EV_AWARE: buf_puts(b, "Became aware of the incident"); break;
	case REC_EV_MATERIAL: buf_puts(b, "Incident determined to be material"); break;
	case REC_EV_CLASSIFIED_MAJOR: buf_puts(b, "Incident classified as major"); break;
	case REC_EV_PAYMENT: buf_puts(b, "Extortion payment made"); break;
	case REC_EV_NOTIFIED: buf_puts(b, "Notified "); put(b, ev->authority); break;
	case REC_EV_COUNT: break;
	}
}

/* ---- Sections of the context ---------------------------------------- */

static struct tval *str_list(struct arena *a, const char *const *items, size_t n)
{
	struct tval *l = tval_list(a);
	for (size_t i = 0; i < n; i++)
		tval_push(l, tval_ref(a, items[i]));
	return l;
}

/* A group's entry {id, title, required, primary, backups, backup_list}
 * in an artifact's approvers, fyi or dri. */
static struct tval *group_entry(struct builder *b, size_t gi)
{
	const struct pol_group *g = &b->pol->groups[gi];
	if (!b->backup_lists[gi]) {
		buf_reset(&b->text);
		for (size_t i = 1; i < g->n_chain; i++) {
			if (i > 1)
				buf_puts(&b->text, ", then ");
			put(&b->text, g->chain[i]);
		}
		b->backups[gi] = b->text.len ? arena_strndup(b->a, b->text.data, b->text.len) : NULL;
		b->backup_lists[gi] = str_list(b->a, g->n_chain > 1 ? g->chain + 1 : NULL,
					       g->n_chain > 1 ? g->n_chain - 1 : 0);
	}
	struct tval *m = tval_map(b->a);
	set_str(b, m, K(id), g->id);
	set_str(b, m, K(title), g->title);
	set_bool(m, K(required), g->required);
	set_str(b, m, K(primary), g->n_chain ? g->chain[0] : NULL);
	set_str(b, m, K(backups), b->backups[gi]);
	set(m, K(backup_list), b->backup_lists[gi]);
	return m;
}

static void add_incident(struct builder *b, struct tval *ctx)
{
	const struct record *rec = b->rec;
	const struct policy *pol = b->pol;
	const struct facts *f = b->f;
	struct arena *a = b->a;
	struct tval *inc = tval_map(a);
	set_str(b, inc, K(id), rec->id);
	set_str(b, inc, K(title), rec->title);
	set_str(b, inc, K(severity), pol_severity_name(rec->severity));
	set_bool(inc, K(s1), rec->severity == POL_S1);
	set_str(b, inc, K(impact), pol_impact_name(rec->impact));
	set_str(b, inc, K(status), rec_status_name(rec->status));
	set_str(b, inc, K(status_label), f->status_label);
	set_bool(inc, K(investigating), rec->status == REC_STATUS_INVESTIGATING);
	set_bool(inc, K(mitigated), rec->status == REC_STATUS_MITIGATED);
	set_bool(inc, K(resolved), rec->status == REC_STATUS_RESOLVED);
	set_bool(inc, K(in_scope), pol_in_scope(pol, rec->impact));
	struct buf *risk = &b->text;
	buf_reset(risk);
	/* "%s (%s, impact %s)" */
	put(risk, impact_risks[rec->impact]);
	buf_puts(risk, " (");
	put(risk, pol_severity_name(rec->severity));
	buf_puts(risk, ", impact ");
	put(risk, pol_impact_name(rec->impact));
	buf_putc(risk, ')');
	bool first = true;
	for (int k = 0; k < POL_FACT_COUNT; k++) {
		if (!rec->fact_present[k] || k == POL_FACT_SECURITY_QUOTED)
			continue;
		buf_puts(risk, first ? ": " : ", ");
		put(risk, pol_fact_label((enum pol_fact)k));
		first = false;
	}
	buf_putc(risk, '.');
	put_text(b, inc, K(risk), false);
	set(ctx, K(incident), inc);

	set(ctx, K(org), str_map(b, (const struct kv[]){
		{ K(name), pol->organization }, { K(sender_name), pol->sender_name },
		{ K(sender_address), pol->sender_address }, { NULL, NULL } }));
	struct tval *p = str_map(b, (const struct kv[]){
		{ K(name), pol->name }, { K(title), pol->title },
		{ K(sha256), pol->sha256_hex }, { K(zone), pol->zone_name },
		{ NULL, NULL } });
	set(ctx, K(policy), p);

	struct tval *users = tval_map(a);
	set_str(b, users, K(scope), rec_users_name(f->users));
	set_bool(users, K(none), f->users == REC_USERS_NONE);
	set_bool(users, K(some), f->users == REC_USERS_SOME);
	set_bool(users, K(many), f->users == REC_USERS_MANY);
	set_bool(users, K(all), f->users == REC_USERS_ALL);
	set_bool(users, K(has_count), f->has_count);
	/* Copied: these two are arrays in the facts, which need not outlive
	 * the context. */
	set(users, K(count), tval_str(a, f->has_count ? f->count : NULL));
	set(users, K(label), tval_str(a, f->users_label));
	set_str(b, users, K(population), f->population);
	set_bool(users, K(reader), f->reader_affected);
	set(ctx, K(users), users);

	struct tval *services = tval_list(a);
	for (size_t i = 0; i < rec->n_services; i++) {
		struct tval *s = tval_map(a);
		set_str(b, s, K(name), rec->services[i].name);
		set_str(b, s, K(kind), rec->services[i].kind);
		set_str(b, s, K(kind_label), kind_label(rec->services[i].kind));
		tval_push(services, s);
	}
	set(ctx, K(services), services);

	struct tval *facts = tval_map(a), *fact_list = tval_list(a);
	for (int i = 0; i < POL_FACT_COUNT; i++) {
		/* The fact's name with '_' for '-': "data_breach". */
		const char *name = pol_fact_name((enum pol_fact)i);
		char key[32];
		size_t n = strnlen(name, sizeof(key) - 1);
		for (size_t k = 0; k < n; k++)
			key[k] = name[k] == '-' ? '_' : name[k];
		key[n] = '\0';
		tval_set_bool(facts, key, rec->fact_present[i]);
		if (!rec->fact_present[i])
			continue;
		struct tval *e = tval_map(a);
		set_str(b, e, K(name), name);
		set_str(b, e, K(label), pol_fact_label((enum pol_fact)i));
		set(e, K(known), moment(b, rec->facts[i].has_at, rec->facts[i].at));
		tval_push(fact_list, e);
	}
	set(ctx, K(facts), facts);
	set(ctx, K(fact_list), fact_list);

	struct tval *team = tval_map(a), *members = tval_list(a);
	const struct tval_key *const role_keys[] = { K(seoc), K(simoc), K(seccmoc), K(external_comms),
						      K(support_moc) };
	for (size_t r = 0; r < 5; r++)
		set(team, role_keys[r], NULL);
	for (size_t i = 0; i < rec->n_members; i++) {
		const struct rec_member *m = &rec->members[i];
		if (!tval_truthy(tval_get(team, role_keys[m->role]->s)))
			set_str(b, team, role_keys[m->role], m->name);
		struct tval *e = tval_map(a);
		set_str(b, e, K(role), rec_role_name(m->role));
		set_str(b, e, K(name), m->name);
		tval_push(members, e);
	}
	set(ctx, K(team), team);
	set(ctx, K(members), members);
}

static void add_dates(struct builder *b, struct tval *ctx)
{
	const struct record *rec = b->rec;
	const struct policy *pol = b->pol;
	struct arena *a = b->a;
	const struct pol_target *tg = &pol->targets[rec->severity];
	struct tval *dates = tval_map(a);
	set(dates, K(as_of), fact_moment(b, &b->f->as_of));
	set(dates, K(detected), event_moment(b, tl_first(rec, REC_EV_DETECTED)));
	set(dates, K(severity_determined), event_moment(b, tl_first(rec, REC_EV_SEVERITY_DETERMINED)));
	const struct rec_event *t0 = tl_first(rec, REC_EV_COMMS_STARTED);
	set(dates, K(comms_started), event_moment(b, t0));
	set(dates, K(impact_determined), event_moment(b, tl_first(rec, REC_EV_IMPACT_DETERMINED)));
	set(dates, K(first_draft), event_moment(b, tl_first(rec, REC_EV_DRAFT_READY)));
	set(dates, K(first_deployment), event_moment(b, tl_first_external_deployment(rec, pol)));
	set(dates, K(resolved), event_moment(b, tl_first(rec, REC_EV_RESOLVED)));
	set(ctx, K(dates), dates);

	struct tval *targets = tval_map(a);
	set(targets, K(turnaround), span(b, tg->has_turnaround, tg->turnaround));
	set(targets, K(drafting), span(b, tg->has_drafting, tg->drafting));
	set(targets, K(deployment), span(b, tg->has_deployment, tg->deployment));
	set(targets, K(response), span(b, true, tg->response));
	set(targets, K(backup_grace), span(b, true, tg->backup_grace));
	set_int(b, targets, K(quorum), tg->quorum);
	struct tval *required = tval_list(a);
	for (size_t g = 0; g < pol->n_groups; g++)
		if (pol->groups[g].required)
			tval_push(required, tval_ref(a, pol->groups[g].title));
	set_int(b, targets, K(required_count), (long long)tval_len(required));
	struct buf *names = &b->text;
	buf_reset(names);
	for (size_t i = 0; i < tval_len(required); i++) {
		buf_puts(names, i == 0 ? "" : i + 1 == tval_len(required) ? " and " : ", ");
		put(names, tval_string(tval_at(required, i)));
	}
	put_text(b, targets, K(required_list), false);
	set(targets, K(required_groups), required);
	set(ctx, K(targets), targets);

	/* Deadlines counted from the start of communications (T0). */
	struct tval *dl = tval_map(a);
	set(dl, K(turnaround), moment(b, t0 && tg->has_turnaround,
					t0 ? t0->at + tg->turnaround : 0));
	set(dl, K(drafting), moment(b, t0 && tg->has_drafting,
				      t0 ? t0->at + tg->drafting : 0));
	const struct rec_event *cut = tl_first(rec, REC_EV_CUTOFF_ANNOUNCED);
	/* A map of its own: it says whether the cutoff was announced. */
	struct tval *cutoff = cut && cut->has_cutoff ? new_moment(b, true, cut->cutoff)
		: new_moment(b, t0 && tg->has_turnaround, t0 ? pol_latest_cutoff(tg, t0->at) : 0);
	set_bool(cutoff, K(announced), cut != NULL);
	set(dl, K(cutoff), cutoff);
	set(ctx, K(deadlines), dl);
}

static void add_comm(struct builder *b, struct tval *ctx)
{
	struct arena *a = b->a;
	const struct rec_comm *c = &b->rec->comm;
	struct tval *comm = str_map(b, (const struct kv[]){
		{ K(summary), c->summary }, { K(customer_impact), c->customer_impact },
		{ K(response), c->response },
		{ K(customer_action), c->customer_action }, { NULL, NULL } });
	set(comm, K(mitigation), str_list(a, c->mitigation, c->n_mitigation));
	set_bool(comm, K(has_mitigation), c->n_mitigation > 0);
	set(comm, K(next_steps), str_list(a, c->next_steps, c->n_next_steps));
	set_bool(comm, K(has_next_steps), c->n_next_steps > 0);
	struct tval *faq = tval_list(a);
	for (size_t i = 0; i < c->n_faq; i++) {
		struct tval *item = tval_map(a);
		set_str(b, item, K(q), c->faq[i].q);
		set_str(b, item, K(a), c->faq[i].a);
		tval_push(faq, item);
	}
	set(comm, K(faq), faq);
	set_bool(comm, K(has_faq), c->n_faq > 0);
	set_str(b, comm, K(quote), c->quote);
	set_str(b, comm, K(quote_by), c->quote_by);
	set(ctx, K(comm), comm);

}

/* The facts every draft states (facts.h), where templates read them.
 * Their strings are the record's, the policy's, the arena's or
 * constants, so they are borrowed. */
static void add_facts(struct builder *b, struct tval *ctx)
{
	const struct facts *f = b->f;
	struct arena *a = b->a;
	struct tval *action = str_map(b, (const struct kv[]){
		{ K(line), f->action_line }, { K(heading), f->action_heading },
		{ K(heading_them), f->action_heading_them }, { NULL, NULL } });
	set_bool(action, K(stated), f->action != REC_ACTION_UNSTATED);
	set_bool(action, K(none), f->action == REC_ACTION_NONE);
	set_bool(action, K(required), f->action == REC_ACTION_REQUIRED);
	set_bool(action, K(urgent), f->action == REC_ACTION_URGENT);
	set_bool(action, K(needed), f->action == REC_ACTION_REQUIRED ||
				       f->action == REC_ACTION_URGENT);
	set(ctx, K(action), action);

	struct tval *status = str_map(b, (const struct kv[]){
		{ K(label), f->status_label }, { K(line), f->status_line },
		{ K(update), f->update_line }, { NULL, NULL } });
	set_bool(status, K(ongoing), f->ongoing);
	set(status, K(next_update), fact_moment(b, &f->next_update));
	set(ctx, K(status), status);

	set(ctx, K(links), str_map(b, (const struct kv[]){
		{ K(blog), f->blog }, { K(advisory), f->advisory },
		{ K(contact), f->contact }, { K(link), f->link }, { NULL, NULL } }));

	struct tval *quote = str_map(b, (const struct kv[]){
		{ K(text), f->quote }, { K(lead), f->quote_lead },
		{ K(by), f->quote_by }, { K(name), f->quote_name },
		{ K(who), f->quote_who }, { K(attribution), f->quote_attribution },
		{ NULL, NULL } });
	set_bool(quote, K(has), f->quote != NULL);
	set_bool(quote, K(security), f->quote_security);
	set(ctx, K(quote), quote);

	set(ctx, K(press), str_map(b, (const struct kv[]){
		{ K(name), f->press_name }, { K(address), f->press_address },
		{ NULL, NULL } }));

	set(ctx, K(commitments), str_list(a, f->commitments, f->n_commitments));
	set_bool(ctx, K(has_commitments), f->n_commitments > 0);
	/* "What happens next" has something to say. */
	set_bool(ctx, K(next), f->n_commitments > 0 || f->update_line);
}

/* The state of one group's answer to one round, for the matrix:
 * {requested, due, due_short, state}. */
static struct tval *answer_state(struct builder *b, size_t g, int art,
				       enum rec_round round, int64_t as_of)
{
	const struct pol_target *tg = &b->pol->targets[b->rec->severity];
	struct tl_answer ans;
	tl_answer_for(b->rec, g, art, round, tg->response, &ans);
	struct tval *m = tval_map(b->a);
	set_bool(m, K(requested), ans.request != NULL);
	struct buf *state = &b->text;
	buf_reset(state);
	if (!ans.request) {
		buf_puts(state, "not requested");
	} else {
		const struct facts_moment *due = moment_at(b, ans.due);
		set_str(b, m, K(due), due->local);
		set_str(b, m, K(due_short), due->shrt);
		if (ans.answer) {
			buf_puts(state, ans.answer->type == REC_EV_APPROVED ? "approved " : "feedback ");
			buf_puts(state, moment_at(b, ans.answer->at)->shrt);
			buf_puts(state, " by ");
			put(state, ans.answer->by);
			if (ans.backup && ans.backup->at <= ans.answer->at) {
				buf_puts(state, " (back-ups engaged ");
				buf_puts(state, moment_at(b, ans.backup->at)->shrt);
				buf_putc(state, ')');
			} else if (ans.answer->at > ans.due) {
				buf_puts(state, " (late)");
			}
		} else if (ans.backup) {
			buf_puts(state, "no answer; back-ups engaged ");
			buf_puts(state, moment_at(b, ans.backup->at)->shrt);
		} else if (as_of > ans.due) {
			buf_puts(state, "no answer: engage back-ups");
		} else {
			buf_puts(state, "awaiting");
		}
	}
	put_text(b, m, K(state), false);
	return m;
}

/* Sets key to "Support (Support Manager on Call), Corporate
 * Communications (...)", or null for no groups: the groups of indexes
 * groups[0..n). */
static void set_group_list(struct builder *b, struct tval *m, const struct tval_key *key,
			   const size_t *groups, size_t n)
{
	buf_reset(&b->text);
	for (size_t i = 0; i < n; i++) {
		const struct pol_group *g = &b->pol->groups[groups[i]];
		if (i)
			buf_puts(&b->text, ", ");
		put(&b->text, g->title);
		buf_puts(&b->text, " (");
		put(&b->text, g->n_chain ? g->chain[0] : NULL);
		buf_putc(&b->text, ')');
	}
	put_text(b, m, key, true);
}

static void add_matrix(struct builder *b, struct tval *ctx)
{
	const struct record *rec = b->rec;
	const struct policy *pol = b->pol;
	struct arena *a = b->a;
	bool quoted = rec->fact_present[POL_FACT_SECURITY_QUOTED];
	int64_t as_of = tl_as_of(rec);
	/* Which artifacts the timeline drafted and deployed, in one pass. */
	bool *drafted = arena_alloc(a, (pol->n_artifacts + 1) * sizeof(*drafted));
	bool *deployed = arena_alloc(a, (pol->n_artifacts + 1) * sizeof(*deployed));
	for (size_t i = 0; i < rec->n_events; i++) {
		const struct rec_event *ev = &rec->events[i];
		if (ev->type != REC_EV_DRAFT_READY && ev->type != REC_EV_DEPLOYED)
			continue;
		for (size_t k = 0; k < ev->n_artifacts; k++)
			if (ev->artifacts[k] >= 0 && (size_t)ev->artifacts[k] < pol->n_artifacts)
				(ev->type == REC_EV_DRAFT_READY ? drafted : deployed)[ev->artifacts[k]] = true;
	}
	struct tval *artifacts = tval_list(a), *rows = tval_list(a);
	for (size_t ai = 0; ai < pol->n_artifacts; ai++) {
		const struct pol_artifact *art = &pol->artifacts[ai];
		struct tval *e = tval_map(a);
		set_str(b, e, K(id), art->id);
		set_str(b, e, K(title), art->title);
		set_bool(e, K(external), art->external);
		struct tval *appr = tval_list(a), *fyi = tval_list(a), *dri = tval_list(a);
		size_t *fyi_groups = b->groups, *dri_groups = b->groups + pol->n_groups;
		size_t n_fyi = 0, n_dri = 0;
		for (size_t g = 0; g < pol->n_groups; g++) {
			enum pol_role role = pol_role_of(pol, g, ai);
			if (role == POL_ROLE_NONE)
				continue;
			bool approver = pol_is_approver(pol, g, ai, quoted);
			/* An approver's entry gets its answers below; any other
			 * group's is the same for every artifact. */
			struct tval *ge;
			if (approver) {
				ge = group_entry(b, g);
			} else {
				if (!b->fyi_entries[g])
					b->fyi_entries[g] = group_entry(b, g);
				ge = b->fyi_entries[g];
			}
			if (approver)
				tval_push(appr, ge);
			else if (role == POL_ROLE_DRI)
				tval_push(dri, ge), dri_groups[n_dri++] = g;
			else
				tval_push(fyi, ge), fyi_groups[n_fyi++] = g;

			struct tval *row = tval_map(a);
			set_str(b, row, K(artifact_id), art->id);
			set_str(b, row, K(artifact_title), art->title);
			set_str(b, row, K(group_id), pol->groups[g].id);
			set_str(b, row, K(group_title), pol->groups[g].title);
			set_str(b, row, K(role), approver ? "approver" : role == POL_ROLE_DRI ? "dri" : "fyi");
			set_str(b, row, K(role_label), role == POL_ROLE_APPROVER_IF_QUOTED
				   ? (approver ? "Approver (Security quoted)" : "FYI (Security not quoted)")
				   : role_labels[role]);
			set_bool(row, K(approver), approver);
			/* As group_entry wrote them. */
			const struct pol_group *pg = &pol->groups[g];
			set_str(b, row, K(primary), pg->n_chain ? pg->chain[0] : NULL);
			set_str(b, row, K(backups), b->backups[g]);
			if (approver) {
				struct tval *review = answer_state(b, g, (int)ai, REC_ROUND_REVIEW, as_of);
				struct tval *final = answer_state(b, g, (int)ai, REC_ROUND_FINAL, as_of);
				set(row, K(review), review);
				set(row, K(final), final);
				set(ge, K(review), review);
				set(ge, K(final), final);
			}
			tval_push(rows, row);
		}
		set(e, K(approvers), appr);
		set(e, K(fyi), fyi);
		set(e, K(dri), dri);
		set_bool(e, K(has_approvers), tval_len(appr) > 0);
		set_group_list(b, e, K(fyi_list), fyi_groups, n_fyi);
		set_group_list(b, e, K(dri_list), dri_groups, n_dri);
		set_bool(e, K(drafted), drafted[ai]);
		set_bool(e, K(deployed), deployed[ai]);
		b->drafted += drafted[ai];
		b->deployed += deployed[ai];
		tval_push(artifacts, e);
	}
	set(ctx, K(artifacts), artifacts);
	set(ctx, K(matrix), rows);
}

/* What each fact's absence reads as, for a condition that holds because
 * a fact is not there ("not publicly reported"). */
static const char *const fact_absent[POL_FACT_COUNT] = {
	[POL_FACT_DATA_BREACH] = "no data breach", [POL_FACT_PII] = "no PII exposed",
	[POL_FACT_PRIVATE_PROJECTS] = "no private projects exposed",
	[POL_FACT_FINANCIAL] = "no financial information exposed",
	[POL_FACT_EE_CUSTOMERS] = "no EE customers impacted",
	[POL_FACT_PUBLICLY_REPORTED] = "not publicly reported",
	[POL_FACT_REGULATORY] = "no regulatory requirement",
	[POL_FACT_RCE_EXPLOITED] = "no RCE exploited",
	[POL_FACT_SECURITY_QUOTED] = "Security not quoted",
};

static void reason_sep(struct buf *out)
{
	if (out->len)
		buf_puts(out, ", ");
}

/* Appends, for a condition that holds, what makes it hold in words: the
 * facts of an "any" that are present (not every one it names), each of
 * an "all", and for a "not" what is absent.  `negated` says the
 * condition is under an odd number of "not"s (so it does not hold). */
static void cond_reason(const struct pol_cond *c, const struct record *rec, bool negated,
			struct buf *out)
{
	switch (c->kind) {
	case POL_COND_ALWAYS:
		return;
	case POL_COND_SEVERITY:
		reason_sep(out);
		buf_puts(out, negated ? "not severity " : "severity ");
		put(out, pol_severity_name(rec->severity));
		return;
	case POL_COND_FACT:
		reason_sep(out);
		buf_puts(out, negated ? fact_absent[c->fact] : pol_fact_label(c->fact));
		return;
	case POL_COND_NOT:
		cond_reason(c->kids[0], rec, !negated, out);
		return;
	case POL_COND_ANY:
	case POL_COND_ALL: {
		/* Holding, an "any" is explained by its kids that hold; not
		 * holding, an "all" by its kids that fail. */
		bool each = (c->kind == POL_COND_ALL) != negated;
		for (size_t i = 0; i < c->n_kids; i++)
			if (each || pol_cond_eval(c->kids[i], rec->severity, rec->fact_present) != negated)
				cond_reason(c->kids[i], rec, negated, out);
		return;
	}
	}
}

/* Makes the first letter written from `from` on a capital. */
static void capitalize(struct buf *b, size_t from)
{
	if (b->len > from && b->data[from] >= 'a' && b->data[from] <= 'z')
		b->data[from] = (char)(b->data[from] - 'a' + 'A');
}

/* "Data breach, PII exposed: immediately after it became known": when an
 * engagement row applies, in words, from the parts of its condition that
 * hold for this record and its deadline's reference. */
static void engage_when(const struct pol_engage *e, const struct record *rec, struct buf *out)
{
	static const char *const after[POL_FROM_COUNT] = {
		[POL_FROM_SEVERITY_DETERMINED] = "the severity determination",
		[POL_FROM_FACT] = "it became known",
		[POL_FROM_COMMS_STARTED] = "the start of communications",
		[POL_FROM_IMPACT_DETERMINED] = "the impact determination",
		[POL_FROM_FIRST_DRAFT] = "the first draft",
		[POL_FROM_FIRST_DEPLOYMENT] = "the first external deployment",
	};
	/* The reasons, then the deadline after ": "; or the deadline
	 * alone.  Either way, starting with a capital. */
	size_t start = out->len;
	cond_reason(e->when, rec, false, out);
	if (out->len > start)
		buf_puts(out, ": ");
	if (e->delay_immediately) {
		buf_puts(out, "immediately after ");
		put(out, after[e->from]);
	} else if (e->delay == 0) {
		buf_puts(out, e->from == POL_FROM_FACT ? "when " : "before ");
		put(out, after[e->from]);
	} else {
		char human[TS_BUFSZ];
		ts_format_human(e->delay, human);
		buf_puts(out, "within ");
		buf_puts(out, human);
		buf_puts(out, e->from == POL_FROM_FACT ? " after " : " of ");
		put(out, after[e->from]);
	}
	capitalize(out, start);
}

static void add_engagements(struct builder *b, struct tval *ctx)
{
	const struct record *rec = b->rec;
	const struct policy *pol = b->pol;
	struct arena *a = b->a;
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < pol->n_engagements; i++) {
		const struct pol_engage *e = &pol->engagements[i];
		if (!pol_cond_eval(e->when, rec->severity, rec->fact_present))
			continue;
		const struct pol_group *g = &pol->groups[e->group];
		struct tval *m = tval_map(a);
		set_str(b, m, K(group), g->id);
		set_str(b, m, K(group_title), g->title);
		buf_reset(&b->text);
		pol_cond_describe(e->when, &b->text);
		put_text(b, m, K(condition), false);
		buf_reset(&b->text);
		engage_when(e, rec, &b->text);
		put_text(b, m, K(when), false);
		set_str(b, m, K(from), pol_from_name(e->from));
		set(m, K(delay), span(b, true, e->delay));
		set_bool(m, K(immediately), e->delay_immediately);
		int64_t base;
		bool has = tl_engage_base(rec, pol, e, &base);
		set(m, K(deadline), moment(b, has, has ? base + e->delay : 0));
		set_str(b, m, K(dri), e->dri);
		set(m, K(cadence), span(b, e->cadence > 0, e->cadence));
		set_bool(m, K(continuous), e->cadence == 0);
		set_str(b, m, K(channel), e->channel);
		set_str(b, m, K(plan), e->plan);
		const struct rec_event *done = tl_engaged(rec, e->group);
		set(m, K(engaged), event_moment(b, done));
		const char *state = done ? (has && done->at > base + e->delay ? "engaged late" : "engaged")
				    : has ? "not yet engaged" : "not yet due";
		set_str(b, m, K(state), state);
		tval_push(list, m);
	}
	set(ctx, K(engagements), list);
}

/* The events a high-level status update shows: how the incident was
 * found, judged and closed, and how the communications went out (the
 * first draft, the cutoff, each deployment); not the engagements,
 * updates, reviews and answers around them. */
static bool milestone(const struct rec_event *ev, const struct rec_event *first_draft)
{
	switch (ev->type) {
	case REC_EV_DETECTED: case REC_EV_SEVERITY_DETERMINED: case REC_EV_IMPACT_DETERMINED:
	case REC_EV_COMMS_STARTED: case REC_EV_CUTOFF_ANNOUNCED: case REC_EV_DEPLOYED:
	case REC_EV_RESOLVED:
		return true;
	case REC_EV_DRAFT_READY:
		return ev == first_draft;
	default:
		return false;
	}
}

static void add_timeline(struct builder *b, struct tval *ctx)
{
	const struct record *rec = b->rec;
	const struct policy *pol = b->pol;
	struct arena *a = b->a;
	struct tval *list = tval_list(a), *milestones = tval_list(a);
	const struct rec_event *first_draft = tl_first(rec, REC_EV_DRAFT_READY);
	for (size_t i = 0; i < rec->n_events; i++) {
		const struct rec_event *ev = &rec->events[i];
		struct tval *m = tval_map(a);
		const struct facts_moment *at = moment_at(b, ev->at);
		set_str(b, m, K(at_utc), at->utc);
		set_str(b, m, K(at_local), at->local);
		set_str(b, m, K(type), rec_event_type_name(ev->type));
		buf_reset(&b->text);
		event_label(b, ev, &b->text);
		put_text(b, m, K(label), false);
		set_str(b, m, K(text), ev->text && *ev->text ? ev->text : NULL);
		set_int(b, m, K(line), ev->line);
		tval_push(list, m);
		if (milestone(ev, first_draft))
			tval_push(milestones, m);
	}
	set(ctx, K(timeline), list);
	set(ctx, K(milestones), milestones);
	set(ctx, K(awareness), str_list(a, pol->channels, pol->n_channels));

	struct tval *exc = tval_list(a);
	for (size_t i = 0; i < rec->n_exceptions; i++) {
		const struct rec_exception *x = &rec->exceptions[i];
		struct tval *m = tval_map(a);
		set_str(b, m, K(id), x->id);
		set_str(b, m, K(rule), pol_rule_name(x->rule));
		set_str(b, m, K(subject), x->subject);
		set_str(b, m, K(requested_by), x->requested_by);
		set_str(b, m, K(approved_by), x->approved_by);
		set(m, K(approved), moment(b, true, x->approved_at));
		set(m, K(expires), moment(b, x->has_expires, x->expires));
		set_str(b, m, K(justification), x->justification);
		set_str(b, m, K(compensating_controls), x->compensating);
		tval_push(exc, m);
	}
	set(ctx, K(exceptions), exc);
}

struct tval *context_build(const struct record *rec, const struct policy *pol,
			     const struct facts *f, struct arena *a)
{
	pthread_once(&keys_once, keys_init);
	struct builder bl = { .rec = rec, .pol = pol, .f = f, .a = a, .text = BUF_INIT };
	struct builder *b = &bl;
	size_t ng = pol->n_groups + 1;
	b->backups = arena_alloc(a, ng * sizeof(*b->backups));
	b->backup_lists = arena_alloc(a, ng * sizeof(*b->backup_lists));
	b->fyi_entries = arena_alloc(a, ng * sizeof(*b->fyi_entries));
	b->groups = arena_alloc(a, 2 * ng * sizeof(*b->groups));

	struct tval *ctx = tval_map(a);
	add_incident(b, ctx);
	add_dates(b, ctx);
	add_comm(b, ctx);
	add_facts(b, ctx);
	add_matrix(b, ctx);
	add_engagements(b, ctx);
	add_timeline(b, ctx);
	set(ctx, K(artifact), NULL);

	struct tval *counts = tval_map(a);
	set_int(b, counts, K(events), (long long)rec->n_events);
	set_int(b, counts, K(services), (long long)rec->n_services);
	set_int(b, counts, K(faq), (long long)rec->comm.n_faq);
	set_int(b, counts, K(exceptions), (long long)rec->n_exceptions);
	set_int(b, counts, K(engagements), (long long)tval_len(tval_get(ctx, "engagements")));
	set_int(b, counts, K(artifacts_drafted), (long long)b->drafted);
	set_int(b, counts, K(artifacts_deployed), (long long)b->deployed);
	set(ctx, K(counts), counts);
	buf_free(&b->text);
	free(b->moments);
	return ctx;
}

void context_set_artifact(struct tval *ctx, const struct record *rec,
		      const struct policy *pol, int artifact, struct arena *a)
{
	(void)rec;
	pthread_once(&keys_once, keys_init);
	const struct tval *arts = tval_get(ctx, "artifacts");
	/* context_build lists the artifacts in the policy's order. */
	const struct tval *at = tval_at(arts, (size_t)artifact);
	if (at && strcmp(tval_string(tval_get(at, "id")), pol->artifacts[artifact].id) == 0) {
		set(ctx, K(artifact), (struct tval *)at);
		return;
	}
	for (size_t i = 0; i < tval_len(arts); i++) {
		const struct tval *e = tval_at(arts, i);
		if (strcmp(tval_string(tval_get(e, "id")), pol->artifacts[artifact].id) == 0) {
			set(ctx, K(artifact), (struct tval *)e);
			return;
		}
	}
	set(ctx, K(artifact), tval_null(a));
}

/* ---- Dump ----------------------------------------------------------- */

static void dump_string(const char *s, struct buf *out)
{
	buf_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_printf(out, "\\%c", *s);
		else if (*s == '\n')
			buf_puts(out, "\\n");
		else if ((unsigned char)*s < 0x20)
			buf_printf(out, "\\x%02x", (unsigned char)*s);
		else
			buf_putc(out, *s);
	}
	buf_putc(out, '"');
}

static void dump(const struct tval *v, const char *path, struct buf *out)
{
	switch (tval_kind(v)) {
	case TVAL_NULL:
		buf_printf(out, "%s: null\n", path);
		return;
	case TVAL_BOOL:
		buf_printf(out, "%s: %s\n", path, tval_truthy(v) ? "true" : "false");
		return;
	case TVAL_STRING:
		buf_printf(out, "%s: ", path);
		dump_string(tval_string(v), out);
		buf_putc(out, '\n');
		return;
	case TVAL_LIST:
		if (tval_len(v) == 0)
			buf_printf(out, "%s: []\n", path);
		for (size_t i = 0; i < tval_len(v); i++) {
			char *sub = xasprintf("%s[%zu]", path, i);
			dump(tval_at(v, i), sub, out);
			free(sub);
		}
		return;
	case TVAL_MAP:
		for (size_t i = 0; i < tval_len(v); i++) {
			char *sub = *path ? xasprintf("%s.%s", path, tval_key(v, i)) : xstrdup(tval_key(v, i));
			dump(tval_get(v, tval_key(v, i)), sub, out);
			free(sub);
		}
		return;
	}
}

void context_dump(const struct tval *v, struct buf *out)
{
	dump(v, "", out);
}
