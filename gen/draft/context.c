/* context.c - the template context built from a record and its policy. */
#include "draft/context.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/timeline.h"
#include "base/ts.h"

/* ---- Times ---------------------------------------------------------- */

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* "2026-03-04 09:12 UTC": the time in the policy's display zone. */
static void local_time(const struct policy *pol, int64_t t, char out[64])
{
	char iso[TS_BUFSZ];
	ts_format_offset(t, pol->zone_offset, iso);
	snprintf(out, 64, "%.10s %.5s %s", iso, iso + 11, pol->zone_name);
}

/* "4 March 2026" in the display zone. */
static void day(const struct policy *pol, int64_t t, char out[64])
{
	char iso[TS_BUFSZ];
	ts_format_offset(t, pol->zone_offset, iso);
	unsigned y, m, d;
	if (sscanf(iso, "%4u-%2u-%2u", &y, &m, &d) != 3 || m < 1 || m > 12)
		m = 1, d = 1, y = 1970;
	snprintf(out, 64, "%u %s %u", d, month_names[m - 1], y);
}

/* "5 Mar 17:20": short, for dense tables (the zone is said once above). */
static void short_time(const struct policy *pol, int64_t t, char out[64])
{
	char iso[TS_BUFSZ];
	ts_format_offset(t, pol->zone_offset, iso);
	unsigned y, m, d;
	if (sscanf(iso, "%4u-%2u-%2u", &y, &m, &d) != 3 || m < 1 || m > 12)
		m = 1, d = 1;
	snprintf(out, 64, "%u %.3s %.5s", d, month_names[m - 1], iso + 11);
}

/* A map {has, utc, local, day, short} for a moment; has=false when absent. */
static struct tmpl_value *moment(struct arena *a, const struct policy *pol, bool has, int64_t t)
{
	struct tmpl_value *m = tv_map(a);
	tv_set_bool(m, "has", has);
	if (!has)
		return m;
	char buf[64];
	ts_format_utc(t, buf);
	tv_set_str(m, "utc", buf);
	local_time(pol, t, buf);
	tv_set_str(m, "local", buf);
	day(pol, t, buf);
	tv_set_str(m, "day", buf);
	short_time(pol, t, buf);
	tv_set_str(m, "short", buf);
	return m;
}

static struct tmpl_value *event_moment(struct arena *a, const struct policy *pol,
				       const struct rec_event *ev)
{
	return moment(a, pol, ev != NULL, ev ? ev->at : 0);
}

/* A map {has, seconds, human, iso} for a duration. */
static struct tmpl_value *span(struct arena *a, bool has, int64_t secs)
{
	struct tmpl_value *m = tv_map(a);
	tv_set_bool(m, "has", has);
	if (!has)
		return m;
	char buf[TS_BUFSZ];
	tv_set_int(m, "seconds", secs);
	ts_format_human(secs, buf);
	tv_set_str(m, "human", buf);
	ts_format_duration(secs, buf);
	tv_set_str(m, "iso", buf);
	return m;
}

/* ---- Labels --------------------------------------------------------- */

static const char *status_label(enum rec_status s)
{
	switch (s) {
	case REC_STATUS_INVESTIGATING: return "Under investigation";
	case REC_STATUS_MITIGATED: return "Mitigated; investigation continues";
	case REC_STATUS_RESOLVED: return "Resolved";
	}
	return "";
}

static const char *users_label(enum rec_users u)
{
	switch (u) {
	case REC_USERS_NONE: return "No users";
	case REC_USERS_SOME: return "Some users";
	case REC_USERS_MANY: return "Many users";
	case REC_USERS_ALL: return "All users";
	}
	return "";
}

static const char *kind_label(const char *kind)
{
	if (strcmp(kind, "production") == 0)
		return "production";
	if (strcmp(kind, "enterprise-apps") == 0)
		return "enterprise apps";
	return "other";
}

static const char *impact_risk(enum pol_impact i)
{
	switch (i) {
	case POL_IMPACT_CRITICAL: return "Critical";
	case POL_IMPACT_HIGH: return "High";
	case POL_IMPACT_MEDIUM: return "Medium";
	case POL_IMPACT_LOW: return "Low";
	case POL_IMPACT_COUNT: break;
	}
	return "";
}

static const char *role_label(enum pol_role r)
{
	switch (r) {
	case POL_ROLE_APPROVER: return "Approver";
	case POL_ROLE_FYI: return "FYI";
	case POL_ROLE_DRI: return "DRI/Contributor";
	case POL_ROLE_APPROVER_IF_QUOTED: return "Approver (Security quoted)";
	case POL_ROLE_NONE: break;
	}
	return "";
}

/* Artifact titles of an event: "Customer email, Blog post". */
static void artifact_titles(const struct policy *pol, const struct rec_event *ev, struct buf *b)
{
	for (size_t i = 0; i < ev->n_artifacts; i++)
		buf_printf(b, "%s%s", i ? ", " : "", pol->artifacts[ev->artifacts[i]].title);
}

/* One line saying what an event was, for timelines. */
static void event_label(const struct policy *pol, const struct rec_event *ev, struct buf *b)
{
	const char *group = ev->group >= 0 ? pol->groups[ev->group].title : NULL;
	switch (ev->type) {
	case REC_EV_DETECTED: buf_puts(b, "Detected"); break;
	case REC_EV_SEVERITY_DETERMINED: buf_puts(b, "Severity determined"); break;
	case REC_EV_ENGAGED: buf_printf(b, "%s engaged", group); break;
	case REC_EV_UPDATE: buf_printf(b, "Update to %s", group); break;
	case REC_EV_COMMS_STARTED: buf_puts(b, "Communications started"); break;
	case REC_EV_DRAFT_READY:
		buf_puts(b, "Draft ready: ");
		artifact_titles(pol, ev, b);
		break;
	case REC_EV_CUTOFF_ANNOUNCED: {
		char t[64];
		local_time(pol, ev->cutoff, t);
		buf_printf(b, "Approval cutoff announced: %s", t);
		break;
	}
	case REC_EV_REVIEW_REQUESTED:
		buf_printf(b, "%s requested%s%s: ",
			   ev->round == REC_ROUND_FINAL ? "Final approval" : "Review",
			   group ? " from " : "", group ? group : "");
		artifact_titles(pol, ev, b);
		break;
	case REC_EV_FEEDBACK:
		buf_printf(b, "Feedback from %s (%s): ", group, ev->by);
		artifact_titles(pol, ev, b);
		break;
	case REC_EV_BACKUP_ENGAGED: buf_printf(b, "Back-up approvers engaged for %s", group); break;
	case REC_EV_APPROVED:
		buf_printf(b, "Approved by %s (%s): ", group, ev->by);
		artifact_titles(pol, ev, b);
		break;
	case REC_EV_DEPLOYED:
		buf_puts(b, "Deployed: ");
		artifact_titles(pol, ev, b);
		if (ev->channel)
			buf_printf(b, " (%s)", ev->channel);
		break;
	case REC_EV_POSTED: buf_printf(b, "Posted to %s", ev->channel); break;
	case REC_EV_IMPACT_DETERMINED: buf_puts(b, "Impact determined"); break;
	case REC_EV_RESOLVED: buf_puts(b, "Resolved"); break;
	case REC_EV_NOTE: buf_puts(b, "Note"); break;
	case REC_EV_COUNT: break;
	}
}

/* ---- Sections of the context ---------------------------------------- */

static struct tmpl_value *str_list(struct arena *a, const char *const *items, size_t n)
{
	struct tmpl_value *l = tv_list(a);
	for (size_t i = 0; i < n; i++)
		tv_push(l, tv_str(a, items[i]));
	return l;
}

static struct tmpl_value *group_entry(struct arena *a, const struct pol_group *g)
{
	struct tmpl_value *m = tv_map(a);
	tv_set_str(m, "id", g->id);
	tv_set_str(m, "title", g->title);
	tv_set_bool(m, "required", g->required);
	tv_set_str(m, "primary", g->n_chain ? g->chain[0] : NULL);
	struct buf b = BUF_INIT;
	for (size_t i = 1; i < g->n_chain; i++)
		buf_printf(&b, "%s%s", i > 1 ? ", then " : "", g->chain[i]);
	tv_set_str(m, "backups", b.len ? buf_str(&b) : NULL);
	buf_free(&b);
	tv_set(m, "backup_list", str_list(a, g->n_chain > 1 ? g->chain + 1 : NULL,
					  g->n_chain > 1 ? g->n_chain - 1 : 0));
	return m;
}

static void add_incident(struct tmpl_value *ctx, const struct record *rec,
			 const struct policy *pol, struct arena *a)
{
	struct tmpl_value *inc = tv_map(a);
	tv_set_str(inc, "id", rec->id);
	tv_set_str(inc, "title", rec->title);
	tv_set_str(inc, "severity", pol_severity_name(rec->severity));
	tv_set_bool(inc, "s1", rec->severity == POL_S1);
	tv_set_str(inc, "impact", pol_impact_name(rec->impact));
	tv_set_str(inc, "status", rec_status_name(rec->status));
	tv_set_str(inc, "status_label", status_label(rec->status));
	tv_set_bool(inc, "investigating", rec->status == REC_STATUS_INVESTIGATING);
	tv_set_bool(inc, "mitigated", rec->status == REC_STATUS_MITIGATED);
	tv_set_bool(inc, "resolved", rec->status == REC_STATUS_RESOLVED);
	tv_set_bool(inc, "in_scope", pol_in_scope(pol, rec->impact));
	struct buf risk = BUF_INIT;
	buf_printf(&risk, "%s (%s, impact %s)", impact_risk(rec->impact),
		   pol_severity_name(rec->severity), pol_impact_name(rec->impact));
	bool first = true;
	for (int f = 0; f < POL_FACT_COUNT; f++) {
		if (!rec->fact_present[f] || f == POL_FACT_SECURITY_QUOTED)
			continue;
		buf_printf(&risk, "%s%s", first ? ": " : ", ", pol_fact_label((enum pol_fact)f));
		first = false;
	}
	buf_putc(&risk, '.');
	tv_set_str(inc, "risk", buf_str(&risk));
	buf_free(&risk);
	tv_set(ctx, "incident", inc);

	struct tmpl_value *org = tv_map(a);
	tv_set_str(org, "name", pol->organization);
	tv_set_str(org, "sender_name", pol->sender_name);
	tv_set_str(org, "sender_address", pol->sender_address);
	tv_set(ctx, "org", org);

	struct tmpl_value *p = tv_map(a);
	tv_set_str(p, "name", pol->name);
	tv_set_str(p, "title", pol->title);
	tv_set_str(p, "sha256", pol->sha256_hex);
	tv_set_str(p, "zone", pol->zone_name);
	tv_set(ctx, "policy", p);

	struct tmpl_value *users = tv_map(a);
	tv_set_str(users, "scope", rec_users_name(rec->users));
	tv_set_bool(users, "none", rec->users == REC_USERS_NONE);
	tv_set_bool(users, "some", rec->users == REC_USERS_SOME);
	tv_set_bool(users, "many", rec->users == REC_USERS_MANY);
	tv_set_bool(users, "all", rec->users == REC_USERS_ALL);
	tv_set_bool(users, "has_count", rec->has_count);
	if (rec->has_count) {
		tv_set_int(users, "count", (long long)rec->count);
		char label[96];
		snprintf(label, sizeof(label), "%s (%" PRIu64 " known)", users_label(rec->users), rec->count);
		tv_set_str(users, "label", label);
	} else {
		tv_set_str(users, "label", users_label(rec->users));
	}
	tv_set(ctx, "users", users);

	struct tmpl_value *services = tv_list(a);
	for (size_t i = 0; i < rec->n_services; i++) {
		struct tmpl_value *s = tv_map(a);
		tv_set_str(s, "name", rec->services[i].name);
		tv_set_str(s, "kind", rec->services[i].kind);
		tv_set_str(s, "kind_label", kind_label(rec->services[i].kind));
		tv_push(services, s);
	}
	tv_set(ctx, "services", services);

	struct tmpl_value *facts = tv_map(a), *fact_list = tv_list(a);
	for (int f = 0; f < POL_FACT_COUNT; f++) {
		char key[32];
		snprintf(key, sizeof(key), "%s", pol_fact_name((enum pol_fact)f));
		for (char *k = key; *k; k++)
			if (*k == '-')
				*k = '_';
		tv_set_bool(facts, key, rec->fact_present[f]);
		if (!rec->fact_present[f])
			continue;
		struct tmpl_value *e = tv_map(a);
		tv_set_str(e, "name", pol_fact_name((enum pol_fact)f));
		tv_set_str(e, "label", pol_fact_label((enum pol_fact)f));
		tv_set(e, "known", moment(a, pol, rec->facts[f].has_at, rec->facts[f].at));
		tv_push(fact_list, e);
	}
	tv_set(ctx, "facts", facts);
	tv_set(ctx, "fact_list", fact_list);

	struct tmpl_value *team = tv_map(a), *members = tv_list(a);
	static const char *const role_keys[] = { "seoc", "simoc", "seccmoc", "external_comms", "support_moc" };
	for (size_t r = 0; r < 5; r++)
		tv_set(team, role_keys[r], tv_null(a));
	for (size_t i = 0; i < rec->n_members; i++) {
		const struct rec_member *m = &rec->members[i];
		if (!tv_truthy(tv_get(team, role_keys[m->role])))
			tv_set_str(team, role_keys[m->role], m->name);
		struct tmpl_value *e = tv_map(a);
		tv_set_str(e, "role", rec_role_name(m->role));
		tv_set_str(e, "name", m->name);
		tv_push(members, e);
	}
	tv_set(ctx, "team", team);
	tv_set(ctx, "members", members);
}

static void add_dates(struct tmpl_value *ctx, const struct record *rec,
		      const struct policy *pol, struct arena *a)
{
	const struct pol_target *tg = &pol->targets[rec->severity];
	struct tmpl_value *dates = tv_map(a);
	int64_t as_of = tl_as_of(rec);
	tv_set(dates, "as_of", moment(a, pol, true, as_of));
	tv_set(dates, "detected", event_moment(a, pol, tl_first(rec, REC_EV_DETECTED)));
	tv_set(dates, "severity_determined", event_moment(a, pol, tl_first(rec, REC_EV_SEVERITY_DETERMINED)));
	const struct rec_event *t0 = tl_first(rec, REC_EV_COMMS_STARTED);
	tv_set(dates, "comms_started", event_moment(a, pol, t0));
	tv_set(dates, "impact_determined", event_moment(a, pol, tl_first(rec, REC_EV_IMPACT_DETERMINED)));
	tv_set(dates, "first_draft", event_moment(a, pol, tl_first(rec, REC_EV_DRAFT_READY)));
	tv_set(dates, "first_deployment", event_moment(a, pol, tl_first_external_deployment(rec, pol)));
	tv_set(dates, "resolved", event_moment(a, pol, tl_first(rec, REC_EV_RESOLVED)));
	tv_set(ctx, "dates", dates);

	struct tmpl_value *targets = tv_map(a);
	tv_set(targets, "turnaround", span(a, tg->has_turnaround, tg->turnaround));
	tv_set(targets, "drafting", span(a, tg->has_drafting, tg->drafting));
	tv_set(targets, "deployment", span(a, tg->has_deployment, tg->deployment));
	tv_set(targets, "response", span(a, true, tg->response));
	tv_set(targets, "backup_grace", span(a, true, tg->backup_grace));
	tv_set_int(targets, "quorum", tg->quorum);
	struct tmpl_value *required = tv_list(a);
	for (size_t g = 0; g < pol->n_groups; g++)
		if (pol->groups[g].required)
			tv_push(required, tv_str(a, pol->groups[g].title));
	tv_set_int(targets, "required_count", (long long)tv_len(required));
	struct buf names = BUF_INIT;
	for (size_t i = 0; i < tv_len(required); i++)
		buf_printf(&names, "%s%s", i == 0 ? "" : i + 1 == tv_len(required) ? " and " : ", ",
			   tv_string(tv_at(required, i)));
	tv_set_str(targets, "required_list", buf_str(&names));
	buf_free(&names);
	tv_set(targets, "required_groups", required);
	tv_set(ctx, "targets", targets);

	/* Deadlines counted from the start of communications (T0). */
	struct tmpl_value *dl = tv_map(a);
	tv_set(dl, "turnaround", moment(a, pol, t0 && tg->has_turnaround,
					t0 ? t0->at + tg->turnaround : 0));
	tv_set(dl, "drafting", moment(a, pol, t0 && tg->has_drafting,
				      t0 ? t0->at + tg->drafting : 0));
	const struct rec_event *cut = tl_first(rec, REC_EV_CUTOFF_ANNOUNCED);
	struct tmpl_value *cutoff = cut && cut->has_cutoff ? moment(a, pol, true, cut->cutoff)
		: moment(a, pol, t0 && tg->has_turnaround, t0 ? t0->at + tg->turnaround : 0);
	tv_set_bool(cutoff, "announced", cut != NULL);
	tv_set(dl, "cutoff", cutoff);
	tv_set(ctx, "deadlines", dl);
}

static void add_comm(struct tmpl_value *ctx, const struct record *rec, struct arena *a)
{
	const struct rec_comm *c = &rec->comm;
	struct tmpl_value *comm = tv_map(a);
	tv_set_str(comm, "summary", c->summary);
	tv_set_str(comm, "customer_impact", c->customer_impact);
	tv_set_str(comm, "response", c->response);
	tv_set_str(comm, "customer_action", c->customer_action);
	tv_set(comm, "mitigation", str_list(a, c->mitigation, c->n_mitigation));
	tv_set_bool(comm, "has_mitigation", c->n_mitigation > 0);
	tv_set(comm, "next_steps", str_list(a, c->next_steps, c->n_next_steps));
	tv_set_bool(comm, "has_next_steps", c->n_next_steps > 0);
	struct tmpl_value *faq = tv_list(a);
	for (size_t i = 0; i < c->n_faq; i++) {
		struct tmpl_value *item = tv_map(a);
		tv_set_str(item, "q", c->faq[i].q);
		tv_set_str(item, "a", c->faq[i].a);
		tv_push(faq, item);
	}
	tv_set(comm, "faq", faq);
	tv_set_bool(comm, "has_faq", c->n_faq > 0);
	tv_set_str(comm, "quote", c->quote);
	tv_set_str(comm, "quote_by", c->quote_by);
	tv_set(ctx, "comm", comm);

	struct tmpl_value *links = tv_map(a);
	tv_set_str(links, "blog", c->blog);
	tv_set_str(links, "advisory", c->advisory);
	tv_set_str(links, "contact", c->contact);
	tv_set(ctx, "links", links);
}

/* The state of one group's answer to one round, for the matrix:
 * {requested, due, due_short, state}. */
static struct tmpl_value *answer_state(struct arena *a, const struct record *rec,
				       const struct policy *pol, size_t g, int art,
				       enum rec_round round, int64_t as_of)
{
	const struct pol_target *tg = &pol->targets[rec->severity];
	struct tl_answer ans;
	tl_answer_for(rec, g, art, round, tg->response, &ans);
	struct tmpl_value *m = tv_map(a);
	tv_set_bool(m, "requested", ans.request != NULL);
	char t[64];
	struct buf state = BUF_INIT;
	if (!ans.request) {
		buf_puts(&state, "not requested");
	} else {
		local_time(pol, ans.due, t);
		tv_set_str(m, "due", t);
		short_time(pol, ans.due, t);
		tv_set_str(m, "due_short", t);
		if (ans.answer) {
			short_time(pol, ans.answer->at, t);
			buf_printf(&state, "%s %s by %s",
				   ans.answer->type == REC_EV_APPROVED ? "approved" : "feedback",
				   t, ans.answer->by);
			if (ans.backup && ans.backup->at <= ans.answer->at) {
				short_time(pol, ans.backup->at, t);
				buf_printf(&state, " (back-ups engaged %s)", t);
			} else if (ans.answer->at > ans.due) {
				buf_puts(&state, " (late)");
			}
		} else if (ans.backup) {
			short_time(pol, ans.backup->at, t);
			buf_printf(&state, "no answer; back-ups engaged %s", t);
		} else if (as_of > ans.due) {
			buf_puts(&state, "no answer: engage back-ups");
		} else {
			buf_puts(&state, "awaiting");
		}
	}
	tv_set_str(m, "state", buf_str(&state));
	buf_free(&state);
	return m;
}

/* Sets key to "Support (Support Manager on Call), Corporate
 * Communications (...)", or null for no groups. */
static void set_group_list(struct tmpl_value *m, const char *key, const struct tmpl_value *groups)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < tv_len(groups); i++) {
		const struct tmpl_value *g = tv_at(groups, i);
		buf_printf(&b, "%s%s (%s)", i ? ", " : "", tv_string(tv_get(g, "title")),
			   tv_string(tv_get(g, "primary")));
	}
	tv_set_str(m, key, b.len ? buf_str(&b) : NULL);
	buf_free(&b);
}

static void add_matrix(struct tmpl_value *ctx, const struct record *rec,
		       const struct policy *pol, struct arena *a)
{
	bool quoted = rec->fact_present[POL_FACT_SECURITY_QUOTED];
	int64_t as_of = tl_as_of(rec);
	struct tmpl_value *artifacts = tv_list(a), *rows = tv_list(a);
	for (size_t ai = 0; ai < pol->n_artifacts; ai++) {
		const struct pol_artifact *art = &pol->artifacts[ai];
		struct tmpl_value *e = tv_map(a);
		tv_set_str(e, "id", art->id);
		tv_set_str(e, "title", art->title);
		tv_set_bool(e, "external", art->external);
		struct tmpl_value *appr = tv_list(a), *fyi = tv_list(a), *dri = tv_list(a);
		for (size_t g = 0; g < pol->n_groups; g++) {
			enum pol_role role = pol_role_of(pol, g, ai);
			if (role == POL_ROLE_NONE)
				continue;
			bool approver = pol_is_approver(pol, g, ai, quoted);
			struct tmpl_value *ge = group_entry(a, &pol->groups[g]);
			tv_push(approver ? appr : role == POL_ROLE_DRI ? dri : fyi, ge);

			struct tmpl_value *row = tv_map(a);
			tv_set_str(row, "artifact_id", art->id);
			tv_set_str(row, "artifact_title", art->title);
			tv_set_str(row, "group_id", pol->groups[g].id);
			tv_set_str(row, "group_title", pol->groups[g].title);
			tv_set_str(row, "role", approver ? "approver" : role == POL_ROLE_DRI ? "dri" : "fyi");
			tv_set_str(row, "role_label", role == POL_ROLE_APPROVER_IF_QUOTED
				   ? (approver ? "Approver (Security quoted)" : "FYI (Security not quoted)")
				   : role_label(role));
			tv_set_bool(row, "approver", approver);
			tv_set_str(row, "primary", tv_string(tv_get(ge, "primary")));
			tv_set_str(row, "backups", tv_string(tv_get(ge, "backups")));
			if (approver) {
				struct tmpl_value *review = answer_state(a, rec, pol, g, (int)ai, REC_ROUND_REVIEW, as_of);
				struct tmpl_value *final = answer_state(a, rec, pol, g, (int)ai, REC_ROUND_FINAL, as_of);
				tv_set(row, "review", review);
				tv_set(row, "final", final);
				tv_set(ge, "review", review);
				tv_set(ge, "final", final);
			}
			tv_push(rows, row);
		}
		tv_set(e, "approvers", appr);
		tv_set(e, "fyi", fyi);
		tv_set(e, "dri", dri);
		tv_set_bool(e, "has_approvers", tv_len(appr) > 0);
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
		tv_set_bool(e, "drafted", drafted);
		tv_set_bool(e, "deployed", deployed);
		tv_push(artifacts, e);
	}
	tv_set(ctx, "artifacts", artifacts);
	tv_set(ctx, "matrix", rows);
}

static void add_engagements(struct tmpl_value *ctx, const struct record *rec,
			    const struct policy *pol, struct arena *a)
{
	struct tmpl_value *list = tv_list(a);
	for (size_t i = 0; i < pol->n_engagements; i++) {
		const struct pol_engage *e = &pol->engagements[i];
		if (!pol_cond_eval(e->when, rec->severity, rec->fact_present))
			continue;
		const struct pol_group *g = &pol->groups[e->group];
		struct tmpl_value *m = tv_map(a);
		tv_set_str(m, "group", g->id);
		tv_set_str(m, "group_title", g->title);
		struct buf b = BUF_INIT;
		pol_cond_describe(e->when, &b);
		tv_set_str(m, "condition", buf_str(&b));
		buf_free(&b);
		tv_set_str(m, "from", pol_from_name(e->from));
		tv_set(m, "delay", span(a, true, e->delay));
		tv_set_bool(m, "immediately", e->delay_immediately);
		int64_t base;
		bool has = tl_engage_base(rec, pol, e, &base);
		tv_set(m, "deadline", moment(a, pol, has, has ? base + e->delay : 0));
		tv_set_str(m, "dri", e->dri);
		tv_set(m, "cadence", span(a, e->cadence > 0, e->cadence));
		tv_set_bool(m, "continuous", e->cadence == 0);
		tv_set_str(m, "channel", e->channel);
		tv_set_str(m, "plan", e->plan);
		const struct rec_event *done = tl_engaged(rec, e->group);
		tv_set(m, "engaged", event_moment(a, pol, done));
		const char *state = done ? (has && done->at > base + e->delay ? "engaged late" : "engaged")
				    : has ? "not yet engaged" : "not yet due";
		tv_set_str(m, "state", state);
		tv_push(list, m);
	}
	tv_set(ctx, "engagements", list);
}

static void add_timeline(struct tmpl_value *ctx, const struct record *rec,
			 const struct policy *pol, struct arena *a)
{
	struct tmpl_value *list = tv_list(a);
	char t[64];
	for (size_t i = 0; i < rec->n_events; i++) {
		const struct rec_event *ev = &rec->events[i];
		struct tmpl_value *m = tv_map(a);
		ts_format_utc(ev->at, t);
		tv_set_str(m, "at_utc", t);
		local_time(pol, ev->at, t);
		tv_set_str(m, "at_local", t);
		tv_set_str(m, "type", rec_event_type_name(ev->type));
		struct buf b = BUF_INIT;
		event_label(pol, ev, &b);
		tv_set_str(m, "label", buf_str(&b));
		buf_free(&b);
		tv_set_str(m, "text", ev->text && *ev->text ? ev->text : NULL);
		tv_set_int(m, "line", ev->line);
		tv_push(list, m);
	}
	tv_set(ctx, "timeline", list);
	tv_set(ctx, "awareness", str_list(a, pol->channels, pol->n_channels));

	struct tmpl_value *exc = tv_list(a);
	for (size_t i = 0; i < rec->n_exceptions; i++) {
		const struct rec_exception *x = &rec->exceptions[i];
		struct tmpl_value *m = tv_map(a);
		tv_set_str(m, "id", x->id);
		tv_set_str(m, "rule", pol_rule_name(x->rule));
		tv_set_str(m, "subject", x->subject);
		tv_set_str(m, "requested_by", x->requested_by);
		tv_set_str(m, "approved_by", x->approved_by);
		tv_set(m, "approved", moment(a, pol, true, x->approved_at));
		tv_set(m, "expires", moment(a, pol, x->has_expires, x->expires));
		tv_set_str(m, "justification", x->justification);
		tv_set_str(m, "compensating_controls", x->compensating);
		tv_push(exc, m);
	}
	tv_set(ctx, "exceptions", exc);
}

struct tmpl_value *ctx_build(const struct record *rec, const struct policy *pol,
			     struct arena *a)
{
	struct tmpl_value *ctx = tv_map(a);
	add_incident(ctx, rec, pol, a);
	add_dates(ctx, rec, pol, a);
	add_comm(ctx, rec, a);
	add_matrix(ctx, rec, pol, a);
	add_engagements(ctx, rec, pol, a);
	add_timeline(ctx, rec, pol, a);
	tv_set(ctx, "artifact", tv_null(a));

	struct tmpl_value *counts = tv_map(a);
	size_t drafted = 0, deployed = 0;
	const struct tmpl_value *arts = tv_get(ctx, "artifacts");
	for (size_t i = 0; i < tv_len(arts); i++) {
		drafted += tv_truthy(tv_get(tv_at(arts, i), "drafted"));
		deployed += tv_truthy(tv_get(tv_at(arts, i), "deployed"));
	}
	tv_set_int(counts, "events", (long long)rec->n_events);
	tv_set_int(counts, "services", (long long)rec->n_services);
	tv_set_int(counts, "faq", (long long)rec->comm.n_faq);
	tv_set_int(counts, "exceptions", (long long)rec->n_exceptions);
	tv_set_int(counts, "engagements", (long long)tv_len(tv_get(ctx, "engagements")));
	tv_set_int(counts, "artifacts_drafted", (long long)drafted);
	tv_set_int(counts, "artifacts_deployed", (long long)deployed);
	tv_set(ctx, "counts", counts);
	return ctx;
}

void ctx_set_artifact(struct tmpl_value *ctx, const struct record *rec,
		      const struct policy *pol, int artifact, struct arena *a)
{
	(void)rec;
	const struct tmpl_value *arts = tv_get(ctx, "artifacts");
	for (size_t i = 0; i < tv_len(arts); i++) {
		const struct tmpl_value *e = tv_at(arts, i);
		if (strcmp(tv_string(tv_get(e, "id")), pol->artifacts[artifact].id) == 0) {
			tv_set(ctx, "artifact", (struct tmpl_value *)e);
			return;
		}
	}
	tv_set(ctx, "artifact", tv_null(a));
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

static void dump(const struct tmpl_value *v, const char *path, struct buf *out)
{
	switch (tv_kind(v)) {
	case TMPL_NULL:
		buf_printf(out, "%s: null\n", path);
		return;
	case TMPL_BOOL:
		buf_printf(out, "%s: %s\n", path, tv_truthy(v) ? "true" : "false");
		return;
	case TMPL_STRING:
		buf_printf(out, "%s: ", path);
		dump_string(tv_string(v), out);
		buf_putc(out, '\n');
		return;
	case TMPL_LIST:
		if (tv_len(v) == 0)
			buf_printf(out, "%s: []\n", path);
		for (size_t i = 0; i < tv_len(v); i++) {
			char *sub = xasprintf("%s[%zu]", path, i);
			dump(tv_at(v, i), sub, out);
			free(sub);
		}
		return;
	case TMPL_MAP:
		for (size_t i = 0; i < tv_len(v); i++) {
			char *sub = *path ? xasprintf("%s.%s", path, tv_key(v, i)) : xstrdup(tv_key(v, i));
			dump(tv_get(v, tv_key(v, i)), sub, out);
			free(sub);
		}
		return;
	}
}

void ctx_dump(const struct tmpl_value *v, struct buf *out)
{
	dump(v, "", out);
}
