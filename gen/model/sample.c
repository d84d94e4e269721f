/* sample.c - generating realistic incident records. */
#include "model/sample.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/ts.h"

/* ---- A small deterministic generator (xorshift64*) ------------------ */

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

/* A whole number in [lo, hi]. */
static int64_t between(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(next(r) % (uint64_t)(hi - lo + 1));
}

/* True with probability pct percent. */
static bool chance(struct rng *r, int pct)
{
	return (int)(next(r) % 100) < pct;
}

static const char *pick(struct rng *r, const char *const *items, size_t n)
{
	return items[next(r) % n];
}

#define PICK(r, a) pick(r, a, sizeof(a) / sizeof((a)[0]))

/* ---- Events --------------------------------------------------------- */

struct gev {
	int64_t at;
	size_t seq;
	char *xml;       /* the attributes after at=, and the content */
};

struct gen {
	struct rng r;
	const struct policy *pol;
	struct gev *ev;
	size_t n, cap;
	int offset;      /* minutes east of UTC the record is written in */
};

static void add(struct gen *g, int64_t at, const char *fmt, ...) SC_PRINTF(3, 4);

static void add(struct gen *g, int64_t at, const char *fmt, ...)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 64;
		g->ev = xrealloc(g->ev, g->cap * sizeof(*g->ev));
	}
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	g->ev[g->n] = (struct gev){ at, g->n, buf_detach(&b) };
	g->n++;
}

static int gev_cmp(const void *x, const void *y)
{
	const struct gev *a = x, *b = y;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void time_attr(struct gen *g, struct buf *out, int64_t t)
{
	char s[TS_BUFSZ];
	ts_format_offset(t, g->offset, s);
	buf_puts(out, s);
}

/* ---- Vocabulary ----------------------------------------------------- */

static const char *const titles[] = {
	"Exposure of CI job tokens in project export files",
	"Unauthorized access to customer billing contacts through an integration key",
	"Remote code execution in the artifact importer",
	"Session tokens written to debug logs of the web tier",
	"Private repositories readable through a misconfigured mirror",
	"Credential stuffing against the sign-in service",
	"Leaked deploy key in a public container image",
	"SAML signature bypass in single sign-on",
	"Stored cross-site scripting in issue comments",
	"Object storage bucket with customer exports left public",
};
static const char *const services[] = {
	"Example Cloud CI/CD", "Example Cloud billing portal", "Container registry",
	"Single sign-on", "Web application", "Object storage", "Support ticketing",
};
static const char *const names[] = {
	"Alex Moreno", "Priya Raman", "Jonas Berg", "Mei Tanaka", "Samuel Okafor",
	"Lena Fischer", "Omar Haddad", "Chloe Martin", "Diego Alvarez", "Aisha Bello",
};
static const int offsets[] = { 0, 60, -300, 330, 540, -480 };

/* Titles of group g's chain: the primary usually, a back-up after they
 * were engaged. */
static const char *approver(const struct policy *pol, size_t g, bool backup)
{
	const struct pol_group *gr = &pol->groups[g];
	return backup && gr->n_chain > 1 ? gr->chain[1] : gr->chain[0];
}

/* ---- The record ----------------------------------------------------- */

void sample_record(const struct policy *pol, uint64_t seed, uint64_t index, struct buf *out)
{
	struct gen G = { { (seed * 0x9E3779B97F4A7C15ULL) ^ (index + 1) * 0xD1B54A32D192ED03ULL }, pol,
			 NULL, 0, 0, 0 };
	struct gen *g = &G;
	if (!g->r.s)
		g->r.s = 1;
	for (int i = 0; i < 4; i++)
		next(&g->r);
	g->offset = offsets[next(&g->r) % (sizeof(offsets) / sizeof(offsets[0]))];

	int sev_roll = (int)between(&g->r, 0, 99);
	enum pol_severity sev = sev_roll < 45 ? POL_S1 : sev_roll < 75 ? POL_S2 : sev_roll < 92 ? POL_S3 : POL_S4;
	enum pol_impact impact = sev == POL_S1 ? (chance(&g->r, 60) ? POL_IMPACT_CRITICAL : POL_IMPACT_HIGH)
				: sev == POL_S2 ? (chance(&g->r, 70) ? POL_IMPACT_HIGH : POL_IMPACT_MEDIUM)
						: (chance(&g->r, 30) ? POL_IMPACT_MEDIUM : POL_IMPACT_LOW);
	bool facts[POL_FACT_COUNT] = { false };
	facts[POL_FACT_DATA_BREACH] = chance(&g->r, 40);
	facts[POL_FACT_PII] = facts[POL_FACT_DATA_BREACH] && chance(&g->r, 60);
	facts[POL_FACT_PRIVATE_PROJECTS] = chance(&g->r, 20);
	facts[POL_FACT_FINANCIAL] = facts[POL_FACT_DATA_BREACH] && chance(&g->r, 15);
	facts[POL_FACT_EE_CUSTOMERS] = chance(&g->r, 35);
	facts[POL_FACT_PUBLICLY_REPORTED] = chance(&g->r, 15);
	facts[POL_FACT_REGULATORY] = facts[POL_FACT_DATA_BREACH] && chance(&g->r, 25);
	facts[POL_FACT_RCE_EXPLOITED] = chance(&g->r, 10);
	facts[POL_FACT_SECURITY_QUOTED] = chance(&g->r, 30);

	/* 2026, any day, any minute. */
	int64_t t = ts_days_from_civil(2026, 1, 1) * 86400 + between(&g->r, 0, 364) * 86400 +
		    between(&g->r, 0, 1439) * 60;
	int64_t detected = t;
	add(g, t, "type=\"detected\" by=\"SEOC\"");
	int64_t sevd = t + between(&g->r, 5, 25) * 60;
	add(g, sevd, "type=\"severity-determined\" by=\"SEOC\"");
	int64_t fact_at = detected + between(&g->r, 10, 60) * 60;

	/* Engagements the policy asks for, mostly on time. */
	int64_t t0 = sevd + between(&g->r, 10, 45) * 60;
	for (size_t i = 0; i < pol->n_engagements; i++) {
		const struct pol_engage *e = &pol->engagements[i];
		if (!pol_cond_eval(e->when, sev, facts))
			continue;
		int64_t base = e->from == POL_FROM_FACT ? fact_at : e->from == POL_FROM_COMMS_STARTED ? t0 : sevd;
		if (e->from == POL_FROM_FIRST_DRAFT || e->from == POL_FROM_FIRST_DEPLOYMENT ||
		    e->from == POL_FROM_IMPACT_DETERMINED)
			continue;   /* engaged later, below */
		int64_t late = chance(&g->r, 8) ? between(&g->r, 1, 30) * 60 : 0;
		add(g, base + between(&g->r, 1, e->delay / 60 > 0 ? e->delay / 60 : 1) * 60 + late,
		    "type=\"engaged\" group=\"%s\" by=\"SIMOC\"", pol->groups[e->group].id);
	}
	add(g, t0, "type=\"comms-started\" by=\"SecCMOC\"");

	/* Artifacts. */
	const char *const always[] = { "customer-email", "support-faq", "social-post" };
	int arts[8];
	size_t n_arts = 0;
	for (size_t i = 0; i < 3; i++)
		arts[n_arts++] = pol_artifact_index(pol, always[i]);
	if (chance(&g->r, 60))
		arts[n_arts++] = pol_artifact_index(pol, "blog-post");
	if (chance(&g->r, 30))
		arts[n_arts++] = pol_artifact_index(pol, "security-alert");
	if (facts[POL_FACT_PUBLICLY_REPORTED])
		arts[n_arts++] = pol_artifact_index(pol, "media-statement");
	struct buf list = BUF_INIT;
	for (size_t i = 0; i < n_arts; i++)
		if (arts[i] >= 0)
			buf_printf(&list, "%s%s", list.len ? " " : "", pol->artifacts[arts[i]].id);

	const struct pol_target *tg = &pol->targets[sev];
	int64_t draft = t0 + between(&g->r, 30, chance(&g->r, 10) ? 200 : 110) * 60;
	add(g, draft, "type=\"draft-ready\" artifacts=\"%s\" by=\"SecCMOC\"", buf_str(&list));
	add(g, draft + between(&g->r, 2, 14) * 60, "type=\"engaged\" group=\"external-comms\" by=\"SecCMOC\"");
	int64_t review = draft + between(&g->r, 15, 60) * 60;
	int64_t cutoff = t0 + (tg->has_turnaround ? tg->turnaround : 6 * 3600);
	if (chance(&g->r, 92))
		add(g, review - between(&g->r, 1, 10) * 60, "type=\"cutoff-announced\" cutoff=\"@%" PRId64 "\"",
		    cutoff);
	add(g, review, "type=\"review-requested\" round=\"review\" artifacts=\"%s\"", buf_str(&list));

	/* Each approver group answers each round: in time, late with back-ups
	 * engaged, or not at all. */
	int64_t final_req = review + between(&g->r, 40, 90) * 60;
	int64_t last_approval = final_req;
	bool silent_group[64] = { false };
	for (size_t gi = 0; gi < pol->n_groups && gi < 64; gi++) {
		bool approves_any = false;
		struct buf which = BUF_INIT;
		for (size_t i = 0; i < n_arts; i++) {
			if (arts[i] >= 0 && pol_is_approver(pol, gi, (size_t)arts[i], facts[POL_FACT_SECURITY_QUOTED])) {
				approves_any = true;
				buf_printf(&which, "%s%s", which.len ? " " : "", pol->artifacts[arts[i]].id);
			}
		}
		if (!approves_any) {
			buf_free(&which);
			continue;
		}
		const char *gid = pol->groups[gi].id;
		bool slow = chance(&g->r, 15);
		int64_t ans = review + (slow ? between(&g->r, 31, 55) : between(&g->r, 3, 29)) * 60;
		bool backup = false;
		if (slow) {
			backup = chance(&g->r, 80);
			if (backup)
				add(g, review + tg->response + between(&g->r, 0, 12) * 60,
				    "type=\"backup-engaged\" group=\"%s\" round=\"review\"", gid);
		}
		add(g, ans, "type=\"feedback\" group=\"%s\" by=\"%s\" artifacts=\"%s\"", gid,
		    approver(pol, gi, backup), buf_str(&which));
		silent_group[gi] = pol->groups[gi].required && chance(&g->r, 12);
		if (silent_group[gi]) {
			add(g, final_req + tg->response + between(&g->r, 1, 9) * 60,
			    "type=\"backup-engaged\" group=\"%s\" round=\"final\"", gid);
		} else {
			int64_t ap = final_req + between(&g->r, 2, chance(&g->r, 10) ? 45 : 29) * 60;
			add(g, ap, "type=\"approved\" group=\"%s\" by=\"%s\" artifacts=\"%s\"", gid,
			    approver(pol, gi, backup), buf_str(&which));
			if (ap > last_approval)
				last_approval = ap;
		}
		buf_free(&which);
	}
	add(g, final_req, "type=\"review-requested\" round=\"final\" artifacts=\"%s\"", buf_str(&list));

	/* Deployment: after the approvals (or at the cutoff when a group is
	 * silent), sometimes late. */
	bool any_silent = false;
	for (size_t gi = 0; gi < 64 && gi < pol->n_groups; gi++)
		any_silent |= silent_group[gi];
	int64_t deploy = any_silent ? (cutoff > last_approval ? cutoff : last_approval + tg->response)
				    : last_approval;
	deploy += between(&g->r, 5, chance(&g->r, 12) ? 150 : 55) * 60;
	add(g, deploy - between(&g->r, 5, 20) * 60, "type=\"engaged\" group=\"marketing-ops\" by=\"External Communications\"");
	add(g, deploy - between(&g->r, 5, 20) * 60, "type=\"engaged\" group=\"devrel\" by=\"External Communications\"");
	for (size_t i = 0; i < n_arts; i++)
		if (arts[i] >= 0)
			add(g, deploy + (int64_t)i * 60, "type=\"deployed\" artifacts=\"%s\" channel=\"%s\"",
			    pol->artifacts[arts[i]].id,
			    strstr(pol->artifacts[arts[i]].id, "email") || strstr(pol->artifacts[arts[i]].id, "alert")
			    ? "email" : "web");
	for (size_t c = 0; c < pol->n_channels; c++)
		if (chance(&g->r, 93))
			add(g, deploy + between(&g->r, 10, 40) * 60, "type=\"posted\" channel=\"%s\"", pol->channels[c]);

	int64_t impact_t = t0 + between(&g->r, 20, 120) * 60;
	add(g, impact_t, "type=\"impact-determined\"");
	if (!facts[POL_FACT_PUBLICLY_REPORTED] && !facts[POL_FACT_REGULATORY])
		add(g, impact_t + between(&g->r, 2, 20) * 60, "type=\"engaged\" group=\"corp-marketing\" by=\"SIMOC\"");
	int64_t resolved = deploy + between(&g->r, 30, 600) * 60;

	/* Updates at the cadence to the groups that get them, until resolved;
	 * sometimes one is missed. */
	for (size_t i = 0; i < pol->n_engagements; i++) {
		const struct pol_engage *e = &pol->engagements[i];
		if (!e->cadence || !pol_cond_eval(e->when, sev, facts))
			continue;
		int64_t u = sevd + 20 * 60;
		while ((u += between(&g->r, e->cadence / 2, e->cadence) + (chance(&g->r, 3) ? e->cadence : 0)) < resolved)
			add(g, u, "type=\"update\" group=\"%s\"", pol->groups[e->group].id);
	}
	/* Notes, up to 20-200 events in all. */
	size_t want = (size_t)between(&g->r, 20, 200);
	while (g->n < want)
		add(g, between(&g->r, detected, resolved), "type=\"note\">Investigation note %zu.</event",
		    g->n);
	/* The checkpoints, always kept: External Communications reviews the
	 * drafts before they go to the approvers and approves the final
	 * messaging before it goes out, and the FYI groups are told first.
	 * (Fixed offsets: the draws above, and so the other events, stay as
	 * they were.) */
	add(g, review - 60, "type=\"feedback\" group=\"external-comms\" by=\"External Communications\" "
	    "artifacts=\"%s\"", buf_str(&list));
	add(g, deploy - 60, "type=\"approved\" group=\"external-comms\" by=\"External Communications\" "
	    "artifacts=\"%s\" round=\"final\"", buf_str(&list));
	for (size_t gi = 0; gi < pol->n_groups; gi++) {
		struct buf fyi = BUF_INIT;
		for (size_t i = 0; i < n_arts; i++)
			if (arts[i] >= 0 && pol_is_fyi(pol, gi, (size_t)arts[i], facts[POL_FACT_SECURITY_QUOTED]))
				buf_printf(&fyi, "%s%s", fyi.len ? " " : "", pol->artifacts[arts[i]].id);
		if (fyi.len)
			add(g, deploy - 120, "type=\"informed\" group=\"%s\" by=\"SecCMOC\" artifacts=\"%s\"",
			    pol->groups[gi].id, buf_str(&fyi));
		buf_free(&fyi);
	}
	add(g, resolved, "type=\"resolved\"");
	qsort(g->ev, g->n, sizeof(*g->ev), gev_cmp);

	/* The record. */
	char id[64];
	snprintf(id, sizeof(id), "GEN-%" PRIu64 "-%06" PRIu64, seed, index);
	buf_printf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<incident id=\"%s\" version=\"1\">\n"
		   "  <title>%s</title>\n  <severity>%s</severity>\n  <impact>%s</impact>\n"
		   "  <status>resolved</status>\n", id, PICK(&g->r, titles), pol_severity_name(sev),
		   pol_impact_name(impact));
	buf_printf(out, "  <scope users=\"%s\" count=\"%" PRId64 "\">\n    <service kind=\"production\">%s</service>\n  </scope>\n",
		   chance(&g->r, 70) ? "some" : "many", between(&g->r, 1, 50000), PICK(&g->r, services));
	buf_puts(out, "  <facts>\n");
	for (int f = 0; f < POL_FACT_COUNT; f++) {
		if (!facts[f])
			continue;
		buf_printf(out, "    <%s at=\"", pol_fact_name((enum pol_fact)f));
		time_attr(g, out, fact_at);
		buf_puts(out, "\"/>\n");
	}
	buf_printf(out, "  </facts>\n  <team>\n    <member role=\"seoc\" name=\"%s\"/>\n"
		   "    <member role=\"seccmoc\" name=\"%s\"/>\n  </team>\n  <timeline>\n",
		   PICK(&g->r, names), PICK(&g->r, names));
	for (size_t i = 0; i < g->n; i++) {
		buf_puts(out, "    <event at=\"");
		time_attr(g, out, g->ev[i].at);
		buf_puts(out, "\" ");
		/* A cutoff is written as "@EPOCH" above, in the record's offset here. */
		const char *x = g->ev[i].xml, *at = strstr(x, "cutoff=\"@");
		if (at) {
			buf_append(out, x, (size_t)(at - x) + 8);
			time_attr(g, out, strtoll(at + 9, NULL, 10));
			buf_puts(out, strchr(at + 9, '"'));
		} else {
			buf_puts(out, x);
		}
		buf_puts(out, strstr(x, "</event") ? ">\n" : "/>\n");
	}
	buf_puts(out, "  </timeline>\n  <communication>\n    <summary>We are investigating a security issue "
		 "and will share what we learn.</summary>\n    <customer-action>Rotate any affected "
		 "tokens.</customer-action>\n");
	/* The fact says the media statement quotes Security: so it does. */
	if (facts[POL_FACT_SECURITY_QUOTED])
		buf_puts(out, "    <quote by=\"VP of Security\">We are working with affected customers "
			 "directly.</quote>\n");
	buf_puts(out, "    <faq>\n      <item><q>Was my account affected?</q><a>We have contacted "
		 "every affected customer directly.</a></item>\n    </faq>\n");
	buf_puts(out, "    <links blog=\"https://example.com/blog/");
	buf_printf(out, "%s\" contact=\"security@example.com\"/>\n  </communication>\n", id);
	/* A turnaround missed: an exception, approved in time, late or expired. */
	if (tg->has_turnaround && deploy > t0 + tg->turnaround && chance(&g->r, 60)) {
		int64_t approved = chance(&g->r, 70) ? t0 + tg->turnaround - 1800 : deploy + 86400;
		buf_printf(out, "  <exceptions>\n    <exception id=\"EX-%s\" rule=\"TURNAROUND\" "
			   "requested-by=\"SecCMOC\" approved-by=\"VP of Security\" approved-at=\"", id);
		time_attr(g, out, approved);
		buf_puts(out, "\" expires=\"");
		time_attr(g, out, chance(&g->r, 85) ? approved + 90 * 86400 : approved + 600);
		buf_puts(out, "\">\n      <justification>Waiting for the full customer list.</justification>\n"
			 "    </exception>\n  </exceptions>\n");
	}
	buf_puts(out, "</incident>\n");
	buf_free(&list);
	for (size_t i = 0; i < g->n; i++)
		free(g->ev[i].xml);
	free(g->ev);
}
