/* context.c - the template context built from a record and its policy. */
#include "draft/context.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ts.h"
#include "draft/facts.h"
#include "model/timeline.h"

/* ---- Times ---------------------------------------------------------- */

/* A map {has, utc, local, day, short, when} for a moment (facts.h
 * writes every time a draft shows); has=false when absent. */
static struct tval *moment(struct arena *a, const struct policy *pol, bool has, int64_t t)
{
	struct facts_moment fm;
	facts_moment(pol, has, t, &fm);
	struct tval *m = tval_map(a);
	tval_set_bool(m, "has", has);
	if (!has)
		return m;
	tval_set_str(m, "utc", fm.utc);
	tval_set_str(m, "local", fm.local);
	tval_set_str(m, "day", fm.day);
	tval_set_str(m, "short", fm.shrt);
	tval_set_str(m, "when", fm.when);
	return m;
}

/* The same from a moment facts.h made. */
static struct tval *fact_moment(struct arena *a, const struct facts_moment *fm)
{
	struct tval *m = tval_map(a);
	tval_set_bool(m, "has", fm->has);
	if (!fm->has)
		return m;
	tval_set_str(m, "utc", fm->utc);
	tval_set_str(m, "local", fm->local);
	tval_set_str(m, "day", fm->day);
	tval_set_str(m, "short", fm->shrt);
	tval_set_str(m, "when", fm->when);
	return m;
}

/* Appends s as "%s" prints it: "(null)" for NULL.  The context's
 * sentences are built from many short strings, thousands a record, and
 * printf's format parsing was a tenth of building them. */
static void put(struct buf *b, const char *s)
{
	buf_puts(b, s ? s : "(null)");
}

/* Copies s into out[64] as snprintf(out, 64, "%s", s) does. */
static void copy64(char out[64], const char *s)
{
	size_t n = strnlen(s, 63);
	memcpy(out, s, n);
	out[n] = '\0';
}

/* "2026-03-04 09:12 UTC" and "5 Mar 17:20" in the display zone. */
static void local_time(const struct policy *pol, int64_t t, char out[64])
{
	struct facts_moment fm;
	facts_moment(pol, true, t, &fm);
	copy64(out, fm.local);
}

static void short_time(const struct policy *pol, int64_t t, char out[64])
{
	struct facts_moment fm;
	facts_moment(pol, true, t, &fm);
	copy64(out, fm.shrt);
}

static struct tval *event_moment(struct arena *a, const struct policy *pol,
				       const struct rec_event *ev)
{
	return moment(a, pol, ev != NULL, ev ? ev->at : 0);
}

/* A map {has, seconds, human, iso} for a duration. */
static struct tval *span(struct arena *a, bool has, int64_t secs)
{
	struct tval *m = tval_map(a);
	tval_set_bool(m, "has", has);
	if (!has)
		return m;
	char buf[TS_BUFSZ];
	tval_set_int(m, "seconds", secs);
	ts_format_human(secs, buf);
	tval_set_str(m, "human", buf);
	ts_format_duration(secs, buf);
	tval_set_str(m, "iso", buf);
	return m;
}

/* A map of strings from key, value pairs ending with a NULL key; a NULL
 * value is null, as tval_set_str makes it. */
static struct tval *str_map(struct arena *a, const char *const kv[])
{
	struct tval *m = tval_map(a);
	for (size_t i = 0; kv[i]; i += 2)
		tval_set_str(m, kv[i], kv[i + 1]);
	return m;
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
static void event_label(const struct policy *pol, const struct rec_event *ev, struct buf *b)
{
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
	case REC_EV_CUTOFF_ANNOUNCED: {
		char t[64];
		local_time(pol, ev->cutoff, t);
		buf_puts(b, "Approval cutoff announced: ");
		buf_puts(b, t);
		break;
	}
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
		tval_push(l, tval_str(a, items[i]));
	return l;
}

static struct tval *group_entry(struct arena *a, const struct pol_group *g)
{
	struct tval *m = tval_map(a);
	tval_set_str(m, "id", g->id);
	tval_set_str(m, "title", g->title);
	tval_set_bool(m, "required", g->required);
	tval_set_str(m, "primary", g->n_chain ? g->chain[0] : NULL);
	struct buf b = BUF_INIT;
	for (size_t i = 1; i < g->n_chain; i++) {
		if (i > 1)
			buf_puts(&b, ", then ");
		put(&b, g->chain[i]);
	}
	tval_set_str(m, "backups", b.len ? buf_str(&b) : NULL);
	buf_free(&b);
	tval_set(m, "backup_list", str_list(a, g->n_chain > 1 ? g->chain + 1 : NULL,
					  g->n_chain > 1 ? g->n_chain - 1 : 0));
	return m;
}

static void add_incident(struct tval *ctx, const struct record *rec,
			 const struct policy *pol, const struct facts *f, struct arena *a)
{
	struct tval *inc = tval_map(a);
	tval_set_str(inc, "id", rec->id);
	tval_set_str(inc, "title", rec->title);
	tval_set_str(inc, "severity", pol_severity_name(rec->severity));
	tval_set_bool(inc, "s1", rec->severity == POL_S1);
	tval_set_str(inc, "impact", pol_impact_name(rec->impact));
	tval_set_str(inc, "status", rec_status_name(rec->status));
	tval_set_str(inc, "status_label", f->status_label);
	tval_set_bool(inc, "investigating", rec->status == REC_STATUS_INVESTIGATING);
	tval_set_bool(inc, "mitigated", rec->status == REC_STATUS_MITIGATED);
	tval_set_bool(inc, "resolved", rec->status == REC_STATUS_RESOLVED);
	tval_set_bool(inc, "in_scope", pol_in_scope(pol, rec->impact));
	struct buf risk = BUF_INIT;
	buf_printf(&risk, "%s (%s, impact %s)", impact_risks[rec->impact],
		   pol_severity_name(rec->severity), pol_impact_name(rec->impact));
	bool first = true;
	for (int k = 0; k < POL_FACT_COUNT; k++) {
		if (!rec->fact_present[k] || k == POL_FACT_SECURITY_QUOTED)
			continue;
		buf_puts(&risk, first ? ": " : ", ");
		put(&risk, pol_fact_label((enum pol_fact)k));
		first = false;
	}
	buf_putc(&risk, '.');
	tval_set_str(inc, "risk", buf_str(&risk));
	buf_free(&risk);
	tval_set(ctx, "incident", inc);

	tval_set(ctx, "org", str_map(a, (const char *const[]){
		"name", pol->organization, "sender_name", pol->sender_name,
		"sender_address", pol->sender_address, NULL }));
	struct tval *p = str_map(a, (const char *const[]){
		"name", pol->name, "title", pol->title, "sha256", pol->sha256_hex,
		"zone", pol->zone_name, NULL });
	tval_set(ctx, "policy", p);

	struct tval *users = tval_map(a);
	tval_set_str(users, "scope", rec_users_name(f->users));
	tval_set_bool(users, "none", f->users == REC_USERS_NONE);
	tval_set_bool(users, "some", f->users == REC_USERS_SOME);
	tval_set_bool(users, "many", f->users == REC_USERS_MANY);
	tval_set_bool(users, "all", f->users == REC_USERS_ALL);
	tval_set_bool(users, "has_count", f->has_count);
	tval_set_str(users, "count", f->has_count ? f->count : NULL);
	tval_set_str(users, "label", f->users_label);
	tval_set_str(users, "population", f->population);
	tval_set_bool(users, "reader", f->reader_affected);
	tval_set(ctx, "users", users);

	struct tval *services = tval_list(a);
	for (size_t i = 0; i < rec->n_services; i++) {
		struct tval *s = tval_map(a);
		tval_set_str(s, "name", rec->services[i].name);
		tval_set_str(s, "kind", rec->services[i].kind);
		tval_set_str(s, "kind_label", kind_label(rec->services[i].kind));
		tval_push(services, s);
	}
	tval_set(ctx, "services", services);

	struct tval *facts = tval_map(a), *fact_list = tval_list(a);
	for (int i = 0; i < POL_FACT_COUNT; i++) {
		char key[32];
		snprintf(key, sizeof(key), "%s", pol_fact_name((enum pol_fact)i));
		for (char *k = key; *k; k++)
			if (*k == '-')
				*k = '_';
		tval_set_bool(facts, key, rec->fact_present[i]);
		if (!rec->fact_present[i])
			continue;
		struct tval *e = tval_map(a);
		tval_set_str(e, "name", pol_fact_name((enum pol_fact)i));
		tval_set_str(e, "label", pol_fact_label((enum pol_fact)i));
		tval_set(e, "known", moment(a, pol, rec->facts[i].has_at, rec->facts[i].at));
		tval_push(fact_list, e);
	}
	tval_set(ctx, "facts", facts);
	tval_set(ctx, "fact_list", fact_list);

	struct tval *team = tval_map(a), *members = tval_list(a);
	static const char *const role_keys[] = { "seoc", "simoc", "seccmoc", "external_comms", "support_moc" };
	for (size_t r = 0; r < 5; r++)
		tval_set(team, role_keys[r], tval_null(a));
	for (size_t i = 0; i < rec->n_members; i++) {
		const struct rec_member *m = &rec->members[i];
		if (!tval_truthy(tval_get(team, role_keys[m->role])))
			tval_set_str(team, role_keys[m->role], m->name);
		struct tval *e = tval_map(a);
		tval_set_str(e, "role", rec_role_name(m->role));
		tval_set_str(e, "name", m->name);
		tval_push(members, e);
	}
	tval_set(ctx, "team", team);
	tval_set(ctx, "members", members);
}

static void add_dates(struct tval *ctx, const struct record *rec,
		      const struct policy *pol, const struct facts *f, struct arena *a)
{
	const struct pol_target *tg = &pol->targets[rec->severity];
	struct tval *dates = tval_map(a);
	tval_set(dates, "as_of", fact_moment(a, &f->as_of));
	tval_set(dates, "detected", event_moment(a, pol, tl_first(rec, REC_EV_DETECTED)));
	tval_set(dates, "severity_determined", event_moment(a, pol, tl_first(rec, REC_EV_SEVERITY_DETERMINED)));
	const struct rec_event *t0 = tl_first(rec, REC_EV_COMMS_STARTED);
	tval_set(dates, "comms_started", event_moment(a, pol, t0));
	tval_set(dates, "impact_determined", event_moment(a, pol, tl_first(rec, REC_EV_IMPACT_DETERMINED)));
	tval_set(dates, "first_draft", event_moment(a, pol, tl_first(rec, REC_EV_DRAFT_READY)));
	tval_set(dates, "first_deployment", event_moment(a, pol, tl_first_external_deployment(rec, pol)));
	tval_set(dates, "resolved", event_moment(a, pol, tl_first(rec, REC_EV_RESOLVED)));
	tval_set(ctx, "dates", dates);

	struct tval *targets = tval_map(a);
	tval_set(targets, "turnaround", span(a, tg->has_turnaround, tg->turnaround));
	tval_set(targets, "drafting", span(a, tg->has_drafting, tg->drafting));
	tval_set(targets, "deployment", span(a, tg->has_deployment, tg->deployment));
	tval_set(targets, "response", span(a, true, tg->response));
	tval_set(targets, "backup_grace", span(a, true, tg->backup_grace));
	tval_set_int(targets, "quorum", tg->quorum);
	struct tval *required = tval_list(a);
	for (size_t g = 0; g < pol->n_groups; g++)
		if (pol->groups[g].required)
			tval_push(required, tval_str(a, pol->groups[g].title));
	tval_set_int(targets, "required_count", (long long)tval_len(required));
	struct buf names = BUF_INIT;
	for (size_t i = 0; i < tval_len(required); i++) {
		buf_puts(&names, i == 0 ? "" : i + 1 == tval_len(required) ? " and " : ", ");
		put(&names, tval_string(tval_at(required, i)));
	}
	tval_set_str(targets, "required_list", buf_str(&names));
	buf_free(&names);
	tval_set(targets, "required_groups", required);
	tval_set(ctx, "targets", targets);

	/* Deadlines counted from the start of communications (T0). */
	struct tval *dl = tval_map(a);
	tval_set(dl, "turnaround", moment(a, pol, t0 && tg->has_turnaround,
					t0 ? t0->at + tg->turnaround : 0));
	tval_set(dl, "drafting", moment(a, pol, t0 && tg->has_drafting,
				      t0 ? t0->at + tg->drafting : 0));
	const struct rec_event *cut = tl_first(rec, REC_EV_CUTOFF_ANNOUNCED);
	struct tval *cutoff = cut && cut->has_cutoff ? moment(a, pol, true, cut->cutoff)
		: moment(a, pol, t0 && tg->has_turnaround, t0 ? pol_latest_cutoff(tg, t0->at) : 0);
	tval_set_bool(cutoff, "announced", cut != NULL);
	tval_set(dl, "cutoff", cutoff);
	tval_set(ctx, "deadlines", dl);
}

static void add_comm(struct tval *ctx, const struct record *rec, struct arena *a)
{
	const struct rec_comm *c = &rec->comm;
	struct tval *comm = str_map(a, (const char *const[]){
		"summary", c->summary, "customer_impact", c->customer_impact,
		"response", c->response, "customer_action", c->customer_action, NULL });
	tval_set(comm, "mitigation", str_list(a, c->mitigation, c->n_mitigation));
	tval_set_bool(comm, "has_mitigation", c->n_mitigation > 0);
	tval_set(comm, "next_steps", str_list(a, c->next_steps, c->n_next_steps));
	tval_set_bool(comm, "has_next_steps", c->n_next_steps > 0);
	struct tval *faq = tval_list(a);
	for (size_t i = 0; i < c->n_faq; i++) {
		struct tval *item = tval_map(a);
		tval_set_str(item, "q", c->faq[i].q);
		tval_set_str(item, "a", c->faq[i].a);
		tval_push(faq, item);
	}
	tval_set(comm, "faq", faq);
	tval_set_bool(comm, "has_faq", c->n_faq > 0);
	tval_set_str(comm, "quote", c->quote);
	tval_set_str(comm, "quote_by", c->quote_by);
	tval_set(ctx, "comm", comm);

}

/* The facts every draft states (facts.h), where templates read them. */
static void add_facts(struct tval *ctx, const struct facts *f, struct arena *a)
{
	struct tval *action = str_map(a, (const char *const[]){
		"line", f->action_line, "heading", f->action_heading,
		"heading_them", f->action_heading_them, NULL });
	tval_set_bool(action, "stated", f->action != REC_ACTION_UNSTATED);
	tval_set_bool(action, "none", f->action == REC_ACTION_NONE);
	tval_set_bool(action, "required", f->action == REC_ACTION_REQUIRED);
	tval_set_bool(action, "urgent", f->action == REC_ACTION_URGENT);
	tval_set_bool(action, "needed", f->action == REC_ACTION_REQUIRED ||
				       f->action == REC_ACTION_URGENT);
	tval_set(ctx, "action", action);

	struct tval *status = str_map(a, (const char *const[]){
		"label", f->status_label, "line", f->status_line, "update", f->update_line, NULL });
	tval_set_bool(status, "ongoing", f->ongoing);
	tval_set(status, "next_update", fact_moment(a, &f->next_update));
	tval_set(ctx, "status", status);

	tval_set(ctx, "links", str_map(a, (const char *const[]){
		"blog", f->blog, "advisory", f->advisory, "contact", f->contact,
		"link", f->link, NULL }));

	struct tval *quote = str_map(a, (const char *const[]){
		"text", f->quote, "lead", f->quote_lead, "by", f->quote_by, "name", f->quote_name,
		"who", f->quote_who, "attribution", f->quote_attribution, NULL });
	tval_set_bool(quote, "has", f->quote != NULL);
	tval_set_bool(quote, "security", f->quote_security);
	tval_set(ctx, "quote", quote);

	tval_set(ctx, "press", str_map(a, (const char *const[]){
		"name", f->press_name, "address", f->press_address, NULL }));

	tval_set(ctx, "commitments", str_list(a, f->commitments, f->n_commitments));
	tval_set_bool(ctx, "has_commitments", f->n_commitments > 0);
	/* "What happens next" has something to say. */
	tval_set_bool(ctx, "next", f->n_commitments > 0 || f->update_line);
}

/* The state of one group's answer to one round, for the matrix:
 * {requested, due, due_short, state}. */
static struct tval *answer_state(struct arena *a, const struct record *rec,
				       const struct policy *pol, size_t g, int art,
				       enum rec_round round, int64_t as_of)
{
	const struct pol_target *tg = &pol->targets[rec->severity];
	struct tl_answer ans;
	tl_answer_for(rec, g, art, round, tg->response, &ans);
	struct tval *m = tval_map(a);
	tval_set_bool(m, "requested", ans.request != NULL);
	char t[64];
	struct buf state = BUF_INIT;
	if (!ans.request) {
		buf_puts(&state, "not requested");
	} else {
		local_time(pol, ans.due, t);
		tval_set_str(m, "due", t);
		short_time(pol, ans.due, t);
		tval_set_str(m, "due_short", t);
		if (ans.answer) {
			short_time(pol, ans.answer->at, t);
			buf_puts(&state, ans.answer->type == REC_EV_APPROVED ? "approved " : "feedback ");
			buf_puts(&state, t);
			buf_puts(&state, " by ");
			put(&state, ans.answer->by);
			if (ans.backup && ans.backup->at <= ans.answer->at) {
				short_time(pol, ans.backup->at, t);
				buf_puts(&state, " (back-ups engaged ");
				buf_puts(&state, t);
				buf_putc(&state, ')');
			} else if (ans.answer->at > ans.due) {
				buf_puts(&state, " (late)");
			}
		} else if (ans.backup) {
			short_time(pol, ans.backup->at, t);
			buf_puts(&state, "no answer; back-ups engaged ");
			buf_puts(&state, t);
		} else if (as_of > ans.due) {
			buf_puts(&state, "no answer: engage back-ups");
		} else {
			buf_puts(&state, "awaiting");
		}
	}
	tval_set_str(m, "state", buf_str(&state));
	buf_free(&state);
	return m;
}

/* Sets key to "Support (Support Manager on Call), Corporate
 * Communications (...)", or null for no groups. */
static void set_group_list(struct tval *m, const char *key, const struct tval *groups)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < tval_len(groups); i++) {
		const struct tval *g = tval_at(groups, i);
		if (i)
			buf_puts(&b, ", ");
		put(&b, tval_string(tval_get(g, "title")));
		buf_puts(&b, " (");
		put(&b, tval_string(tval_get(g, "primary")));
		buf_putc(&b, ')');
	}
	tval_set_str(m, key, b.len ? buf_str(&b) : NULL);
	buf_free(&b);
}

static void add_matrix(struct tval *ctx, const struct record *rec,
		       const struct policy *pol, struct arena *a)
{
	bool quoted = rec->fact_present[POL_FACT_SECURITY_QUOTED];
	int64_t as_of = tl_as_of(rec);
	struct tval *artifacts = tval_list(a), *rows = tval_list(a);
	for (size_t ai = 0; ai < pol->n_artifacts; ai++) {
		const struct pol_artifact *art = &pol->artifacts[ai];
		struct tval *e = tval_map(a);
		tval_set_str(e, "id", art->id);
		tval_set_str(e, "title", art->title);
		tval_set_bool(e, "external", art->external);
		struct tval *appr = tval_list(a), *fyi = tval_list(a), *dri = tval_list(a);
		for (size_t g = 0; g < pol->n_groups; g++) {
			enum pol_role role = pol_role_of(pol, g, ai);
			if (role == POL_ROLE_NONE)
				continue;
			bool approver = pol_is_approver(pol, g, ai, quoted);
			struct tval *ge = group_entry(a, &pol->groups[g]);
			tval_push(approver ? appr : role == POL_ROLE_DRI ? dri : fyi, ge);

			struct tval *row = tval_map(a);
			tval_set_str(row, "artifact_id", art->id);
			tval_set_str(row, "artifact_title", art->title);
			tval_set_str(row, "group_id", pol->groups[g].id);
			tval_set_str(row, "group_title", pol->groups[g].title);
			tval_set_str(row, "role", approver ? "approver" : role == POL_ROLE_DRI ? "dri" : "fyi");
			tval_set_str(row, "role_label", role == POL_ROLE_APPROVER_IF_QUOTED
				   ? (approver ? "Approver (Security quoted)" : "FYI (Security not quoted)")
				   : role_labels[role]);
			tval_set_bool(row, "approver", approver);
			tval_set_str(row, "primary", tval_string(tval_get(ge, "primary")));
			tval_set_str(row, "backups", tval_string(tval_get(ge, "backups")));
			if (approver) {
				struct tval *review = answer_state(a, rec, pol, g, (int)ai, REC_ROUND_REVIEW, as_of);
				struct tval *final = answer_state(a, rec, pol, g, (int)ai, REC_ROUND_FINAL, as_of);
				tval_set(row, "review", review);
				tval_set(row, "final", final);
				tval_set(ge, "review", review);
				tval_set(ge, "final", final);
			}
			tval_push(rows, row);
		}
		tval_set(e, "approvers", appr);
		tval_set(e, "fyi", fyi);
		tval_set(e, "dri", dri);
		tval_set_bool(e, "has_approvers", tval_len(appr) > 0);
		set_group_list(e, "fyi_list", fyi);
		set_group_list(e, "dri_list", dri);
		bool drafted = false, deployed = false;
		for (size_t i = 0; i < rec->n_events; i++) {
			const struct rec_event *ev = &rec->events[i];
			if (!rec_event_has_artifact(ev, (int)ai))
				continue;
			drafted |= ev->type == REC_EV_DRAFT_READY;
			deployed |= ev->type == REC_EV_DEPLOYED;
		}
		tval_set_bool(e, "drafted", drafted);
		tval_set_bool(e, "deployed", deployed);
		tval_push(artifacts, e);
	}
	tval_set(ctx, "artifacts", artifacts);
	tval_set(ctx, "matrix", rows);
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
		buf_printf(out, "%sseverity %s", negated ? "not " : "",
			   pol_severity_name(rec->severity));
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
	struct buf why = BUF_INIT;
	cond_reason(e->when, rec, false, &why);
	struct buf when = BUF_INIT;
	if (e->delay_immediately) {
		buf_printf(&when, "immediately after %s", after[e->from]);
	} else if (e->delay == 0) {
		buf_printf(&when, "%s %s", e->from == POL_FROM_FACT ? "when" : "before",
			   after[e->from]);
	} else {
		char human[TS_BUFSZ];
		ts_format_human(e->delay, human);
		buf_printf(&when, "within %s %s %s", human,
			   e->from == POL_FROM_FACT ? "after" : "of", after[e->from]);
	}
	const char *first = why.len ? buf_str(&why) : buf_str(&when);
	buf_printf(out, "%c%s", first[0] >= 'a' && first[0] <= 'z' ? first[0] - 'a' + 'A' : first[0],
		   first + 1);
	if (why.len)
		buf_printf(out, ": %s", buf_str(&when));
	buf_free(&why);
	buf_free(&when);
}

static void add_engagements(struct tval *ctx, const struct record *rec,
			    const struct policy *pol, struct arena *a)
{
	struct tval *list = tval_list(a);
	for (size_t i = 0; i < pol->n_engagements; i++) {
		const struct pol_engage *e = &pol->engagements[i];
		if (!pol_cond_eval(e->when, rec->severity, rec->fact_present))
			continue;
		const struct pol_group *g = &pol->groups[e->group];
		struct tval *m = tval_map(a);
		tval_set_str(m, "group", g->id);
		tval_set_str(m, "group_title", g->title);
		struct buf b = BUF_INIT;
		pol_cond_describe(e->when, &b);
		tval_set_str(m, "condition", buf_str(&b));
		buf_free(&b);
		struct buf when = BUF_INIT;
		engage_when(e, rec, &when);
		tval_set_str(m, "when", buf_str(&when));
		buf_free(&when);
		tval_set_str(m, "from", pol_from_name(e->from));
		tval_set(m, "delay", span(a, true, e->delay));
		tval_set_bool(m, "immediately", e->delay_immediately);
		int64_t base;
		bool has = tl_engage_base(rec, pol, e, &base);
		tval_set(m, "deadline", moment(a, pol, has, has ? base + e->delay : 0));
		tval_set_str(m, "dri", e->dri);
		tval_set(m, "cadence", span(a, e->cadence > 0, e->cadence));
		tval_set_bool(m, "continuous", e->cadence == 0);
		tval_set_str(m, "channel", e->channel);
		tval_set_str(m, "plan", e->plan);
		const struct rec_event *done = tl_engaged(rec, e->group);
		tval_set(m, "engaged", event_moment(a, pol, done));
		const char *state = done ? (has && done->at > base + e->delay ? "engaged late" : "engaged")
				    : has ? "not yet engaged" : "not yet due";
		tval_set_str(m, "state", state);
		tval_push(list, m);
	}
	tval_set(ctx, "engagements", list);
}

/* The events a high-level status update shows: how the incident was
 * found, judged and closed, and how the communications went out (the
 * first draft, the cutoff, each deployment); not the engagements,
 * updates, reviews and answers around them. */
static bool milestone(const struct record *rec, const struct rec_event *ev)
{
	switch (ev->type) {
	case REC_EV_DETECTED: case REC_EV_SEVERITY_DETERMINED: case REC_EV_IMPACT_DETERMINED:
	case REC_EV_COMMS_STARTED: case REC_EV_CUTOFF_ANNOUNCED: case REC_EV_DEPLOYED:
	case REC_EV_RESOLVED:
		return true;
	case REC_EV_DRAFT_READY:
		return ev == tl_first(rec, REC_EV_DRAFT_READY);
	default:
		return false;
	}
}

static void add_timeline(struct tval *ctx, const struct record *rec,
			 const struct policy *pol, struct arena *a)
{
	struct tval *list = tval_list(a), *milestones = tval_list(a);
	char t[64];
	for (size_t i = 0; i < rec->n_events; i++) {
		const struct rec_event *ev = &rec->events[i];
		struct tval *m = tval_map(a);
		ts_format_utc(ev->at, t);
		tval_set_str(m, "at_utc", t);
		local_time(pol, ev->at, t);
		tval_set_str(m, "at_local", t);
		tval_set_str(m, "type", rec_event_type_name(ev->type));
		struct buf b = BUF_INIT;
		event_label(pol, ev, &b);
		tval_set_str(m, "label", buf_str(&b));
		buf_free(&b);
		tval_set_str(m, "text", ev->text && *ev->text ? ev->text : NULL);
		tval_set_int(m, "line", ev->line);
		tval_push(list, m);
		if (milestone(rec, ev))
			tval_push(milestones, m);
	}
	tval_set(ctx, "timeline", list);
	tval_set(ctx, "milestones", milestones);
	tval_set(ctx, "awareness", str_list(a, pol->channels, pol->n_channels));

	struct tval *exc = tval_list(a);
	for (size_t i = 0; i < rec->n_exceptions; i++) {
		const struct rec_exception *x = &rec->exceptions[i];
		struct tval *m = tval_map(a);
		tval_set_str(m, "id", x->id);
		tval_set_str(m, "rule", pol_rule_name(x->rule));
		tval_set_str(m, "subject", x->subject);
		tval_set_str(m, "requested_by", x->requested_by);
		tval_set_str(m, "approved_by", x->approved_by);
		tval_set(m, "approved", moment(a, pol, true, x->approved_at));
		tval_set(m, "expires", moment(a, pol, x->has_expires, x->expires));
		tval_set_str(m, "justification", x->justification);
		tval_set_str(m, "compensating_controls", x->compensating);
		tval_push(exc, m);
	}
	tval_set(ctx, "exceptions", exc);
}

struct tval *context_build(const struct record *rec, const struct policy *pol,
			     const struct facts *f, struct arena *a)
{
	struct tval *ctx = tval_map(a);
	add_incident(ctx, rec, pol, f, a);
	add_dates(ctx, rec, pol, f, a);
	add_comm(ctx, rec, a);
	add_facts(ctx, f, a);
	add_matrix(ctx, rec, pol, a);
	add_engagements(ctx, rec, pol, a);
	add_timeline(ctx, rec, pol, a);
	tval_set(ctx, "artifact", tval_null(a));

	struct tval *counts = tval_map(a);
	size_t drafted = 0, deployed = 0;
	const struct tval *arts = tval_get(ctx, "artifacts");
	for (size_t i = 0; i < tval_len(arts); i++) {
		drafted += tval_truthy(tval_get(tval_at(arts, i), "drafted"));
		deployed += tval_truthy(tval_get(tval_at(arts, i), "deployed"));
	}
	tval_set_int(counts, "events", (long long)rec->n_events);
	tval_set_int(counts, "services", (long long)rec->n_services);
	tval_set_int(counts, "faq", (long long)rec->comm.n_faq);
	tval_set_int(counts, "exceptions", (long long)rec->n_exceptions);
	tval_set_int(counts, "engagements", (long long)tval_len(tval_get(ctx, "engagements")));
	tval_set_int(counts, "artifacts_drafted", (long long)drafted);
	tval_set_int(counts, "artifacts_deployed", (long long)deployed);
	tval_set(ctx, "counts", counts);
	return ctx;
}

void context_set_artifact(struct tval *ctx, const struct record *rec,
		      const struct policy *pol, int artifact, struct arena *a)
{
	(void)rec;
	const struct tval *arts = tval_get(ctx, "artifacts");
	for (size_t i = 0; i < tval_len(arts); i++) {
		const struct tval *e = tval_at(arts, i);
		if (strcmp(tval_string(tval_get(e, "id")), pol->artifacts[artifact].id) == 0) {
			tval_set(ctx, "artifact", (struct tval *)e);
			return;
		}
	}
	tval_set(ctx, "artifact", tval_null(a));
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
