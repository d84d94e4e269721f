/* policy.c - loading, checking and querying the policy. */
#include "model/policy.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>
#include <sodium.h>

#include "format/eml.h"
#include "format/link.h"
#include "base/resources.h"
#include "base/ts.h"
#include "model/xmlin.h"

/* ---- Vocabulary ----------------------------------------------------- */

static const char *const severity_names[] = { "S1", "S2", "S3", "S4" };
static const char *const impact_names[] = { "low", "medium", "high", "critical" };
static const char *const fact_names[] = {
	"data-breach", "pii", "private-projects", "financial", "ee-customers",
	"publicly-reported", "regulatory", "rce-exploited", "security-quoted",
};
static const char *const fact_labels[] = {
	"data breach", "PII exposed", "private projects exposed",
	"financial information exposed", "EE customers impacted",
	"publicly reported", "regulatory requirement", "RCE exploited",
	"quote attributed to Security",
};
static const char *const rule_names[] = {
	"ENGAGE", "UPDATE-CADENCE", "DRAFTING", "CUTOFF", "REVIEW-RESPONSE",
	"APPROVAL-RESPONSE", "AUTHORIZED-APPROVER", "QUORUM", "DEPLOYMENT",
	"TURNAROUND", "COMPANIONS", "AWARENESS", "EXTCOMMS-REVIEW", "EXTCOMMS-APPROVAL",
	"FYI-INFORMED", "NEXT-UPDATE", "NOTIFY",
};
static const char *const role_names[] = {
	"none", "approver", "fyi", "dri", "approver-if-security-quoted",
};
static const char *const from_names[] = {
	"severity-determined", "fact", "comms-started", "impact-determined",
	"first-draft", "first-deployment",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *pol_severity_name(enum pol_severity s) { return severity_names[s]; }
int pol_severity_parse(const char *s) { return name_index(severity_names, COUNT(severity_names), s); }
const char *pol_impact_name(enum pol_impact i) { return impact_names[i]; }
int pol_impact_parse(const char *s) { return name_index(impact_names, COUNT(impact_names), s); }
const char *pol_fact_name(enum pol_fact f) { return fact_names[f]; }
const char *pol_fact_label(enum pol_fact f) { return fact_labels[f]; }
int pol_fact_parse(const char *s) { return name_index(fact_names, COUNT(fact_names), s); }
const char *pol_rule_name(enum pol_rule r) { return rule_names[r]; }
int pol_rule_parse(const char *s) { return name_index(rule_names, COUNT(rule_names), s); }
const char *pol_role_name(enum pol_role r) { return role_names[r]; }
const char *pol_from_name(enum pol_from f) { return from_names[f]; }

/* ---- Building the model --------------------------------------------- */

struct builder {
	struct policy *pol;
	const char *path;
	struct diag *d;
	int rc;         /* -1 once an error was added outside a function's own rc */
	const char *quorum_text[POL_SEVERITY_COUNT];   /* each target's quorum as written */
};

/* The templates put the policy's texts (the organisation, titles,
 * channels, plan wording) into drafts, which carry no tracking or
 * redirect links: such a link is refused here, with its line, rather
 * than in every draft made under the policy. */
struct link_check {
	struct builder *b;
	const xmlNode *n;
};

static void refuse_link(const char *url, size_t n, void *ud)
{
	struct link_check *lc = ud;
	char *why = link_problem(url, n);
	if (!why)
		return;
	diag_error(lc->b->d, lc->b->path, xmlin_line(lc->n),
		   "link '%.*s' %s; drafts carry no tracking or redirect links", (int)n, url, why);
	lc->b->rc = -1;
	free(why);
}

static const char *no_bad_links(struct builder *b, const xmlNode *n, const char *v)
{
	if (v) {
		struct link_check lc = { b, n };
		link_each_in_text(v, strlen(v), refuse_link, &lc);
	}
	return v;
}

/* An attribute copied into the policy's arena, or NULL. */
static const char *attr(struct builder *b, const xmlNode *n, const char *name)
{
	return no_bad_links(b, n, xmlin_attr_in(n, name, &b->pol->arena));
}

/* ---- Display zones from the tz database ----------------------------- */

/* The tz database's directory: $TZDIR as the C library reads it, else
 * the system's. */
static const char *tz_dir(void)
{
	const char *d = getenv("TZDIR");
	return d && *d == '/' ? d : "/usr/share/zoneinfo";
}

/* True when name looks like a tz database zone ("Europe/Berlin",
 * "America/Argentina/Buenos_Aires", "UTC"): no path tricks. */
static bool tz_name_ok(const char *name)
{
	if (!*name || *name == '/' || strstr(name, "..") || strlen(name) > 64)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || strchr("/_+-", *p)))
			return false;
	return true;
}

/* localtime_r's offset (seconds east) and abbreviation at t, in the
 * zone TZ names now. */
static long tz_at(int64_t t, char abbr[12])
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return 0;
	if (abbr)
		snprintf(abbr, 12, "%s", tm.tm_zone ? tm.tm_zone : "");
	return tm.tm_gmtoff;
}

/*
 * Reads the display zone `pol->zone_name` from the system's tz database
 * through the C library (localtime_r under TZ set to the zone's file),
 * as the spans of one offset from 1970 to POL_ZONE_END, then puts TZ
 * back.  Policies are loaded before any worker thread starts, which
 * setenv needs.  Returns 0, or -1 after an error at `line`.
 */
static int zone_load(struct policy *pol, struct builder *b, long line)
{
	const char *name = pol->zone_name;
	char *file = tz_name_ok(name) ? xasprintf("%s/%s", tz_dir(), name) : NULL;
	char magic[4] = { 0 };
	FILE *f = file ? fopen(file, "rb") : NULL;
	bool is_tzif = f && fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	if (f)
		fclose(f);
	if (!is_tzif) {
		diag_error(b->d, b->path, line, "display-zone '%s' is not a zone of the tz "
			   "database in %s: give a name such as Europe/Berlin or America/New_York, "
			   "or a fixed offset (offset=\"+01:00\")", name, tz_dir());
		free(file);
		return -1;
	}
	const char *old = getenv("TZ");
	char *saved = old ? xstrdup(old) : NULL;
	char *tz = xasprintf(":%s", file);
	setenv("TZ", tz, 1);
	tzset();

	struct pol_zone_span *spans = NULL;
	size_t n = 0, cap = 0;
	char abbr[12];
	long off = tz_at(0, abbr);
	for (int64_t t = 0;; t += 86400) {
		if (t > POL_ZONE_END)
			t = POL_ZONE_END;
		char a2[12];
		long o2 = tz_at(t, a2);
		if (n == 0 || o2 != off || strcmp(a2, abbr) != 0) {
			/* The change is within the last day: find its second. */
			int64_t lo = n == 0 ? t : t - 86400, hi = t;
			while (n > 0 && hi - lo > 1) {
				int64_t mid = lo + (hi - lo) / 2;
				char am[12];
				long om = tz_at(mid, am);
				if (om == off && strcmp(am, abbr) == 0)
					lo = mid;
				else
					hi = mid;
			}
			if (n == cap) {
				cap = cap ? 2 * cap : 64;
				spans = xrealloc(spans, cap * sizeof(*spans));
			}
			spans[n].from = n == 0 ? TS_MIN : hi;
			spans[n].offset = (int)(o2 / 60);
			memcpy(spans[n].abbr, a2, sizeof(a2));
			n++;
			off = o2;
			memcpy(abbr, a2, sizeof(a2));
		}
		if (t == POL_ZONE_END)
			break;
	}
	if (saved)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	free(tz);
	free(file);

	struct pol_zone_span *kept = arena_alloc(&pol->arena, n * sizeof(*kept));
	memcpy(kept, spans, n * sizeof(*kept));
	free(spans);
	pol->zone_spans = kept;
	pol->n_zone_spans = n;
	pol->zone_offset = kept[0].offset;
	return 0;
}

/* An attribute the schema reads as a token (an enumerated value, a
 * number, a boolean): white space around it is no part of it. */
static const char *token_attr(struct builder *b, const xmlNode *n, const char *name)
{
	return xmlin_token_in(n, name, &b->pol->arena);
}

/*
 * Keeps the index an enumerated attribute was looked up as, or adds an
 * error and returns -1 when the lookup failed.  The schema refuses such a
 * value first, so this only guards against the two ever disagreeing: the
 * index of a failed lookup is never used.
 */
static int known(struct builder *b, const xmlNode *n, const char *name, const char *v, int i)
{
	if (i < 0) {
		diag_error(b->d, b->path, xmlin_line(n), "%s '%s' is not allowed", name, v ? v : "");
		b->rc = -1;
	}
	return i;
}

/* An enumerated attribute: its index in names, or -1 after an error. */
static int enum_attr(struct builder *b, const xmlNode *n, const char *name,
		     const char *const *names, size_t count)
{
	const char *v = token_attr(b, n, name);
	return known(b, n, name, v, name_index(names, count, v));
}

/* An XML Schema boolean attribute ("true", "false", "1" or "0"); false
 * when absent. */
static bool bool_attr(struct builder *b, const xmlNode *n, const char *name)
{
	static const char *const values[] = { "false", "0", "true", "1" };
	const char *v = token_attr(b, n, name);
	if (!v)
		return false;
	return known(b, n, name, v, name_index(values, COUNT(values), v)) >= 2;
}

static const char *text(struct builder *b, const xmlNode *n)
{
	return no_bad_links(b, n, xmlin_text_in(n, &b->pol->arena));
}

static int duration(struct builder *b, const xmlNode *n, const char *name,
		    int64_t *out)
{
	const char *v = attr(b, n, name);
	const char *why;
	if (ts_parse_duration(v, out, &why) != 0) {
		diag_error(b->d, b->path, xmlin_line(n), "%s '%s' %s", name, v, why);
		return -1;
	}
	return 0;
}

/*
 * A positive integer attribute (XML Schema positiveInteger: a token of
 * digits, maybe after a '+'), as an int; a number past INT_MAX reads as
 * INT_MAX, which every check that bounds a count refuses.  *text gets the
 * token, to quote in messages.  An error and 0 when it is no number (the
 * schema refuses that first).
 */
static int count_attr(struct builder *b, const xmlNode *n, const char *name, const char **text)
{
	const char *v = token_attr(b, n, name);
	*text = v ? v : "";
	const char *p = *text + (**text == '+');
	long long k = 0;
	for (const char *q = p; *q; q++) {
		if (*q < '0' || *q > '9') {
			known(b, n, name, *text, -1);
			return 0;
		}
		k = k * 10 + (*q - '0');
		if (k > INT_MAX)
			k = (long long)INT_MAX + 1;
	}
	if (!*p) {
		known(b, n, name, *text, -1);
		return 0;
	}
	return k > INT_MAX ? INT_MAX : (int)k;
}

static int build_targets(struct builder *b, const xmlNode *targets)
{
	struct policy *pol = b->pol;
	bool seen[POL_SEVERITY_COUNT] = { false };
	int rc = 0;
	for (const xmlNode *t = targets->children; t; t = t->next) {
		if (!xmlin_is(t, "target"))
			continue;
		const char *sev = token_attr(b, t, "severity");
		int s = known(b, t, "severity", sev, pol_severity_parse(sev));
		long line = xmlin_line(t);
		if (s < 0)
			continue;
		if (seen[s]) {
			diag_error(b->d, b->path, line, "a second target for severity %s",
				   severity_names[s]);
			rc = -1;
			continue;
		}
		seen[s] = true;
		struct pol_target *tg = &pol->targets[s];
		tg->line = line;
		const char *v;
		if ((v = attr(b, t, "turnaround")) != NULL) {
			tg->has_turnaround = true;
			rc |= duration(b, t, "turnaround", &tg->turnaround);
		}
		if ((v = attr(b, t, "drafting")) != NULL) {
			tg->has_drafting = true;
			rc |= duration(b, t, "drafting", &tg->drafting);
		}
		if ((v = attr(b, t, "deployment")) != NULL) {
			tg->has_deployment = true;
			rc |= duration(b, t, "deployment", &tg->deployment);
		}
		rc |= duration(b, t, "response", &tg->response);
		rc |= duration(b, t, "backup-grace", &tg->backup_grace);
		tg->quorum = count_attr(b, t, "quorum", &b->quorum_text[s]);
		if (tg->response == 0) {
			diag_error(b->d, b->path, line, "response window must be longer than zero");
			rc = -1;
		}
		/* The turnaround includes the deployment time, and the cutoff
		 * must leave it (pol_latest_cutoff): a budget as long as the
		 * turnaround leaves no time for approvals, and every announced
		 * cutoff would fail. */
		if (tg->has_turnaround && tg->has_deployment && tg->turnaround > 0 &&
		    tg->deployment >= tg->turnaround) {
			char dep[TS_BUFSZ], turn[TS_BUFSZ];
			ts_format_human(tg->deployment, dep);
			ts_format_human(tg->turnaround, turn);
			diag_warning(b->d, b->path, line,
				     "severity %s: the %s deployment budget leaves no time for approvals "
				     "within the %s turnaround; every announced cutoff fails CUTOFF",
				     severity_names[s], dep, turn);
		}
	}
	for (int s = 0; s < POL_SEVERITY_COUNT; s++) {
		if (!seen[s]) {
			diag_error(b->d, b->path, xmlin_line(targets),
				   "no target for severity %s (every severity needs one)",
				   severity_names[s]);
			rc = -1;
		}
	}
	return rc ? -1 : 0;
}

static int build_groups(struct builder *b, const xmlNode *groups)
{
	struct policy *pol = b->pol;
	int rc = 0;
	pol->groups = arena_alloc(&pol->arena, xmlin_count(groups, "group") * sizeof(*pol->groups));
	for (const xmlNode *n = groups->children; n; n = n->next) {
		if (!xmlin_is(n, "group"))
			continue;
		struct pol_group *g = &pol->groups[pol->n_groups];
		g->id = attr(b, n, "id");
		g->title = attr(b, n, "title");
		g->line = xmlin_line(n);
		g->required = bool_attr(b, n, "required");
		if (pol_group_index(pol, g->id) >= 0) {
			diag_error(b->d, b->path, g->line, "group '%s' is defined twice", g->id);
			rc = -1;
		}
		const xmlNode *chain = xmlin_child(n, "chain");
		if (chain) {
			size_t k = xmlin_count(chain, "approver") + xmlin_count(chain, "backup");
			g->chain = arena_alloc(&pol->arena, k * sizeof(*g->chain));
			for (const xmlNode *c = chain->children; c; c = c->next) {
				if (!xmlin_is(c, NULL))
					continue;
				const char *title = attr(b, c, "title");
				if (pol_chain_position(g, title) >= 0) {
					diag_error(b->d, b->path, xmlin_line(c),
						   "title '%s' appears twice in the chain of group '%s'",
						   title, g->id);
					rc = -1;
				}
				g->chain[g->n_chain++] = title;
			}
		}
		if (g->required && g->n_chain == 0) {
			diag_error(b->d, b->path, g->line,
				   "required group '%s' has no approver chain", g->id);
			rc = -1;
		} else if (g->required && g->n_chain < 3) {
			/* "For the required approvers, we need at least 2 designated
			 * back-up approvers." */
			diag_warning(b->d, b->path, g->line,
				     "required group '%s' has %zu back-up approver%s; the plan asks for "
				     "at least 2", g->id, g->n_chain - 1, g->n_chain == 2 ? "" : "s");
		}
		pol->n_groups++;
	}
	return rc;
}

static int build_artifacts(struct builder *b, const xmlNode *arts)
{
	struct policy *pol = b->pol;
	int rc = 0;
	pol->artifacts = arena_alloc(&pol->arena, xmlin_count(arts, "artifact") * sizeof(*pol->artifacts));
	for (const xmlNode *n = arts->children; n; n = n->next) {
		if (!xmlin_is(n, "artifact"))
			continue;
		struct pol_artifact *a = &pol->artifacts[pol->n_artifacts];
		a->id = attr(b, n, "id");
		a->title = attr(b, n, "title");
		a->line = xmlin_line(n);
		a->external = bool_attr(b, n, "external");
		/* Unsaid, an external artifact counts as public: the rules that
		 * wait for the first public release then start no later. */
		a->public_facing = token_attr(b, n, "public") ? bool_attr(b, n, "public") : a->external;
		if (a->public_facing && !a->external) {
			diag_error(b->d, b->path, a->line,
				   "artifact '%s' is public but not external (a public-facing artifact "
				   "is deployed: set external=\"true\")", a->id);
			rc = -1;
		}
		if (pol_artifact_index(pol, a->id) >= 0) {
			diag_error(b->d, b->path, a->line, "artifact '%s' is defined twice", a->id);
			rc = -1;
		}
		pol->n_artifacts++;
	}
	return rc;
}

static int group_ref(struct builder *b, const xmlNode *n, const char *id)
{
	int g = pol_group_index(b->pol, id);
	if (g < 0)
		diag_error(b->d, b->path, xmlin_line(n), "unknown group '%s' (not defined in <groups>)", id);
	return g;
}

static int build_matrix(struct builder *b, const xmlNode *matrix)
{
	struct policy *pol = b->pol;
	int rc = 0;
	pol->matrix = arena_alloc(&pol->arena, (pol->n_groups * pol->n_artifacts + 1) * sizeof(*pol->matrix));
	for (const xmlNode *n = matrix->children; n; n = n->next) {
		if (!xmlin_is(n, "role"))
			continue;
		int g = group_ref(b, n, attr(b, n, "group"));
		const char *aid = attr(b, n, "artifact");
		int a = pol_artifact_index(pol, aid);
		if (a < 0)
			diag_error(b->d, b->path, xmlin_line(n),
				   "unknown artifact '%s' (not defined in <artifacts>)", aid);
		if (g < 0 || a < 0) {
			rc = -1;
			continue;
		}
		/* "none" is no value a policy may write: it is the empty cell. */
		int role = enum_attr(b, n, "is", role_names + 1, COUNT(role_names) - 1);
		if (role < 0) {
			rc = -1;
			continue;
		}
		role++;
		enum pol_role *cell = &pol->matrix[(size_t)g * pol->n_artifacts + (size_t)a];
		if (*cell != POL_ROLE_NONE) {
			diag_error(b->d, b->path, xmlin_line(n),
				   "a second role for group '%s' and artifact '%s'",
				   pol->groups[g].id, aid);
			rc = -1;
		}
		if ((role == POL_ROLE_APPROVER || role == POL_ROLE_APPROVER_IF_QUOTED) &&
		    pol->groups[g].n_chain == 0) {
			diag_error(b->d, b->path, xmlin_line(n),
				   "group '%s' approves '%s' but has no approver chain",
				   pol->groups[g].id, aid);
			rc = -1;
		}
		*cell = (enum pol_role)role;
	}
	return rc;
}

static struct pol_cond *build_cond(struct builder *b, const xmlNode *n)
{
	struct pol_cond *c = arena_alloc(&b->pol->arena, sizeof(*c));
	const char *name = (const char *)n->name;
	if (strcmp(name, "always") == 0) {
		c->kind = POL_COND_ALWAYS;
	} else if (strcmp(name, "severity") == 0) {
		c->kind = POL_COND_SEVERITY;
		/* A RelaxNG list: tokens separated by white space, which the
		 * collapsed value holds as single spaces. */
		const char *list = token_attr(b, n, "in");
		for (const char *p = list ? list : ""; *p;) {
			size_t k = strcspn(p, " ");
			char *tok = xstrndup(p, k);
			int s = known(b, n, "in", tok, pol_severity_parse(tok));
			if (s >= 0)
				c->severities |= 1u << s;
			free(tok);
			p += k + (p[k] == ' ');
		}
	} else if (strcmp(name, "fact") == 0) {
		c->kind = POL_COND_FACT;
		int f = enum_attr(b, n, "name", fact_names, COUNT(fact_names));
		c->fact = f < 0 ? POL_FACT_DATA_BREACH : (enum pol_fact)f;
	} else {
		c->kind = strcmp(name, "any") == 0 ? POL_COND_ANY :
			  strcmp(name, "all") == 0 ? POL_COND_ALL : POL_COND_NOT;
		c->n_kids = xmlin_count(n, NULL);
		c->kids = arena_alloc(&b->pol->arena, c->n_kids * sizeof(*c->kids));
		size_t k = 0;
		for (const xmlNode *m = n->children; m; m = m->next)
			if (xmlin_is(m, NULL))
				c->kids[k++] = build_cond(b, m);
	}
	return c;
}

static bool cond_has_fact(const struct pol_cond *c)
{
	if (c->kind == POL_COND_FACT)
		return true;
	for (size_t i = 0; i < c->n_kids; i++)
		if (cond_has_fact(c->kids[i]))
			return true;
	return false;
}

static int build_engagements(struct builder *b, const xmlNode *engs)
{
	struct policy *pol = b->pol;
	int rc = 0;
	static const struct pol_cond always = { POL_COND_ALWAYS, 0, 0, NULL, 0 };
	pol->engagements = arena_alloc(&pol->arena, xmlin_count(engs, "engage") * sizeof(*pol->engagements));
	for (const xmlNode *n = engs->children; n; n = n->next) {
		if (!xmlin_is(n, "engage"))
			continue;
		struct pol_engage *e = &pol->engagements[pol->n_engagements];
		e->line = xmlin_line(n);
		int g = group_ref(b, n, attr(b, n, "group"));
		if (g < 0)
			rc = -1;
		e->group = g < 0 ? 0 : (size_t)g;
		int from = enum_attr(b, n, "from", from_names, COUNT(from_names));
		if (from < 0)
			rc = -1;
		e->from = from < 0 ? POL_FROM_SEVERITY_DETERMINED : (enum pol_from)from;
		const char *delay = attr(b, n, "delay");
		if (strcmp(delay, "immediately") == 0) {
			e->delay_immediately = true;
			e->delay = pol->immediately;
		} else if (duration(b, n, "delay", &e->delay) != 0) {
			rc = -1;
		}
		const char *cadence = attr(b, n, "cadence");
		if (strcmp(cadence, "continuous") == 0) {
			e->cadence = 0;
		} else if (duration(b, n, "cadence", &e->cadence) != 0) {
			rc = -1;
		} else if (e->cadence == 0) {
			diag_error(b->d, b->path, e->line,
				   "cadence must be longer than zero (write \"continuous\" for none)");
			rc = -1;
		}
		e->dri = attr(b, n, "dri");
		e->channel = attr(b, n, "channel");
		const xmlNode *when = xmlin_child(n, "when");
		const xmlNode *cond = NULL;
		if (when)
			for (cond = when->children; cond && !xmlin_is(cond, NULL); cond = cond->next)
				;
		e->when = cond ? build_cond(b, cond) : &always;
		const xmlNode *plan = xmlin_child(n, "plan");
		e->plan = plan ? text(b, plan) : NULL;
		if (e->from == POL_FROM_FACT && !cond_has_fact(e->when)) {
			diag_error(b->d, b->path, e->line,
				   "from=\"fact\" needs a condition that names at least one fact");
			rc = -1;
		}
		pol->n_engagements++;
	}
	return rc;
}

/* The checkpoints of <checkpoints>, each optional: the obligations of
 * Security External Communications and of FYI groups that the plan
 * states outside its tables. */
static int build_checkpoints(struct builder *b, const xmlNode *root)
{
	struct policy *pol = b->pol;
	pol->extcomms_review_group = pol->extcomms_approval_group = -1;
	const xmlNode *cp = xmlin_child(root, "checkpoints");
	if (!cp)
		return 0;
	pol->checkpoints_line = xmlin_line(cp);
	int rc = 0;
	const xmlNode *n;
	if ((n = xmlin_child(cp, "extcomms-review"))) {
		pol->extcomms_review_group = group_ref(b, n, attr(b, n, "group"));
		rc |= pol->extcomms_review_group < 0 ? -1 : 0;
	}
	if ((n = xmlin_child(cp, "extcomms-approval"))) {
		pol->extcomms_approval_group = group_ref(b, n, attr(b, n, "group"));
		rc |= pol->extcomms_approval_group < 0 ? -1 : 0;
	}
	pol->fyi_informed = xmlin_child(cp, "fyi-informed") != NULL;
	return rc;
}

/* Who may approve exceptions: <exception-approvers>, optional.  Without
 * it nobody may, which every command that loads the policy says. */
static void build_exception_approvers(struct builder *b, const xmlNode *root)
{
	struct policy *pol = b->pol;
	const xmlNode *ex = xmlin_child(root, "exception-approvers");
	if (!ex) {
		diag_warning(b->d, b->path, xmlin_line(root),
			     "the policy names no exception approvers (<exception-approvers>): no "
			     "exception will excuse a finding");
		return;
	}
	pol->exception_approvers = arena_alloc(&pol->arena, xmlin_count(ex, "approver") *
					       sizeof(*pol->exception_approvers));
	for (const xmlNode *n = ex->children; n; n = n->next) {
		if (!xmlin_is(n, "approver"))
			continue;
		const char *title = attr(b, n, "title");
		if (pol_may_approve_exceptions(pol, title))
			diag_warning(b->d, b->path, xmlin_line(n),
				     "exception approver '%s' is listed twice", title);
		pol->exception_approvers[pol->n_exception_approvers++] = title;
	}
}

static int build(struct builder *b, const xmlNode *root)
{
	struct policy *pol = b->pol;
	int rc = 0;
	pol->name = attr(b, root, "name");
	pol->title = text(b, xmlin_child(root, "title"));
	pol->organization = text(b, xmlin_child(root, "organization"));

	const xmlNode *sender = xmlin_child(root, "sender");
	pol->sender_name = attr(b, sender, "name");
	pol->sender_address = attr(b, sender, "address");
	/* Both go into the From header of every email draft: checked by the
	 * rules the email writer applies, so no draft can refuse them. */
	if (!eml_is_plain_address(pol->sender_address)) {
		diag_error(b->d, b->path, xmlin_line(sender),
			   "sender address '%s' is not a plain email address (local@domain: a "
			   "dot-atom local part, a domain of letters, digits and hyphens)",
			   pol->sender_address);
		rc = -1;
	}
	if (eml_header_problem(pol->sender_name)) {
		diag_error(b->d, b->path, xmlin_line(sender),
			   "sender name must be one line without control characters");
		rc = -1;
	}

	/* The media statement ends with the press contact. */
	const xmlNode *press = xmlin_child(root, "press");
	if (press) {
		pol->press_name = attr(b, press, "name");
		pol->press_address = attr(b, press, "address");
		if (!eml_is_plain_address(pol->press_address)) {
			diag_error(b->d, b->path, xmlin_line(press),
				   "press address '%s' is not a plain email address (local@domain)",
				   pol->press_address);
			rc = -1;
		}
		if (eml_header_problem(pol->press_name)) {
			diag_error(b->d, b->path, xmlin_line(press),
				   "press contact name must be one line without control characters");
			rc = -1;
		}
	}

	const xmlNode *zone = xmlin_child(root, "display-zone");
	pol->zone_name = attr(b, zone, "name");
	const char *offset = attr(b, zone, "offset");
	if (offset && ts_parse_offset(offset, &pol->zone_offset) != 0) {
		diag_error(b->d, b->path, xmlin_line(zone),
			   "display-zone offset '%s' is not +hh:mm, -hh:mm or Z", offset);
		rc = -1;
	} else if (!offset && zone_load(pol, b, xmlin_line(zone)) != 0) {
		rc = -1;
	}
	const xmlNode *scope = xmlin_child(root, "scope");
	const char *min = token_attr(b, scope, "min-impact");
	int impact = known(b, scope, "min-impact", min, pol_impact_parse(min));
	pol->min_impact = impact < 0 ? POL_IMPACT_LOW : (enum pol_impact)impact;
	if (duration(b, xmlin_child(root, "defaults"), "immediately", &pol->immediately) != 0)
		rc = -1;

	rc |= build_targets(b, xmlin_child(root, "targets"));
	rc |= build_groups(b, xmlin_child(root, "groups"));
	rc |= build_artifacts(b, xmlin_child(root, "artifacts"));
	rc |= build_matrix(b, xmlin_child(root, "matrix"));
	rc |= build_engagements(b, xmlin_child(root, "engagements"));

	size_t required = 0;
	for (size_t g = 0; g < pol->n_groups; g++)
		required += pol->groups[g].required;
	for (int s = 0; s < POL_SEVERITY_COUNT; s++) {
		const struct pol_target *t = &pol->targets[s];
		if (t->line && (size_t)t->quorum > required) {
			diag_error(b->d, b->path, t->line,
				   "quorum %s for %s is more than the %zu required groups",
				   b->quorum_text[s], severity_names[s], required);
			rc = -1;
		}
	}

	const xmlNode *aw = xmlin_child(root, "awareness");
	pol->channels = arena_alloc(&pol->arena, xmlin_count(aw, "channel") * sizeof(*pol->channels));
	for (const xmlNode *n = aw->children; n; n = n->next) {
		if (!xmlin_is(n, "channel"))
			continue;
		const char *ch = text(b, n);
		for (size_t i = 0; i < pol->n_channels; i++)
			if (strcmp(pol->channels[i], ch) == 0)
				diag_warning(b->d, b->path, xmlin_line(n),
					     "awareness channel '%s' is listed twice", ch);
		pol->channels[pol->n_channels++] = ch;
	}
	rc |= build_checkpoints(b, root);
	build_exception_approvers(b, root);
	if (legal_build(xmlin_child(root, "regulatory"), b->path, &pol->arena, b->d, &pol->legal) != 0)
		rc = -1;
	return rc || b->rc ? -1 : 0;
}

int pol_parse(const char *path, const char *data, size_t len,
	      struct diag *d, struct policy **out)
{
	*out = NULL;
	xmlDocPtr doc;
	if (xmlin_load(path, data, len, "policy.rng", d, &doc) != 0)
		return -1;
	struct policy *pol = xcalloc(1, sizeof(*pol));
	struct builder b = { pol, path, d, 0, { NULL } };
	pol->path = arena_strdup(&pol->arena, path);
	char *src = arena_alloc(&pol->arena, len + 1);
	memcpy(src, data, len);
	pol->source = src;
	pol->source_len = len;
	crypto_hash_sha256(pol->sha256, (const unsigned char *)data, len);
	sodium_bin2hex(pol->sha256_hex, sizeof(pol->sha256_hex), pol->sha256, sizeof(pol->sha256));
	int rc = build(&b, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	if (rc != 0) {
		pol_free(pol);
		return -1;
	}
	*out = pol;
	return 0;
}

int pol_load(const char *path, struct diag *d, struct policy **out)
{
	if (!path) {
		const struct res_file *res = res_find("policy/policy.xml");
		return pol_parse("built-in", res->data, res->size, d, out);
	}
	char *data;
	size_t len;
	if (xmlin_read(path, d, &data, &len) != 0) {
		*out = NULL;
		return -1;
	}
	int rc = pol_parse(strcmp(path, "-") == 0 ? "<stdin>" : path, data, len, d, out);
	free(data);
	return rc;
}

void pol_free(struct policy *pol)
{
	if (!pol)
		return;
	arena_free(&pol->arena);
	free(pol);
}

/* ---- Queries -------------------------------------------------------- */

int pol_group_index(const struct policy *pol, const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < pol->n_groups; i++)
		if (strcmp(pol->groups[i].id, id) == 0)
			return (int)i;
	return -1;
}

int pol_artifact_index(const struct policy *pol, const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; i < pol->n_artifacts; i++)
		if (strcmp(pol->artifacts[i].id, id) == 0)
			return (int)i;
	return -1;
}

enum pol_role pol_role_of(const struct policy *pol, size_t g, size_t a)
{
	return pol->matrix[g * pol->n_artifacts + a];
}

bool pol_is_approver(const struct policy *pol, size_t g, size_t a, bool security_quoted)
{
	enum pol_role r = pol_role_of(pol, g, a);
	return r == POL_ROLE_APPROVER || (r == POL_ROLE_APPROVER_IF_QUOTED && security_quoted);
}

bool pol_is_fyi(const struct policy *pol, size_t g, size_t a, bool security_quoted)
{
	enum pol_role r = pol_role_of(pol, g, a);
	return r == POL_ROLE_FYI || (r == POL_ROLE_APPROVER_IF_QUOTED && !security_quoted);
}

int64_t pol_latest_cutoff(const struct pol_target *tg, int64_t t0)
{
	return t0 + tg->turnaround - (tg->has_deployment ? tg->deployment : 0);
}

int pol_chain_position(const struct pol_group *g, const char *title)
{
	if (!title)
		return -1;
	for (size_t i = 0; i < g->n_chain; i++)
		if (strcmp(g->chain[i], title) == 0)
			return (int)i;
	return -1;
}

/* ---- Subjects of findings ------------------------------------------ */

/* The subjects a rule can judge, collected to match one or to list them. */
struct subjects {
	const char *want;       /* the subject looked for */
	bool found;
	struct buf list;        /* "a, b, c" */
};

static void subject(struct subjects *sj, const char *s)
{
	if (strcmp(s, sj->want) == 0)
		sj->found = true;
	buf_printf(&sj->list, "%s%s", sj->list.len ? ", " : "", s);
}

static void subject_pair(struct subjects *sj, const char *g, const char *a)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s/%s", g, a);
	subject(sj, buf_str(&b));
	buf_free(&b);
}

/* Groups with an engagement row (with a cadence, when `cadence`). */
static void engaged_groups(const struct policy *pol, bool cadence, struct subjects *sj)
{
	for (size_t g = 0; g < pol->n_groups; g++)
		for (size_t i = 0; i < pol->n_engagements; i++)
			if (pol->engagements[i].group == g && (!cadence || pol->engagements[i].cadence)) {
				subject(sj, pol->groups[g].id);
				break;
			}
}

/* True when some group approves artifact a (whatever the facts). */
static bool has_approver(const struct policy *pol, size_t a)
{
	for (size_t g = 0; g < pol->n_groups; g++)
		if (pol_is_approver(pol, g, a, true))
			return true;
	return false;
}

/* External artifacts; with `approved`, only those some group approves. */
static void external_artifacts(const struct policy *pol, bool approved, struct subjects *sj)
{
	for (size_t a = 0; a < pol->n_artifacts; a++)
		if (pol->artifacts[a].external && (!approved || has_approver(pol, a)))
			subject(sj, pol->artifacts[a].id);
}

bool pol_rule_subject_ok(const struct policy *pol, enum pol_rule r, const char *s,
			 struct buf *forms)
{
	struct subjects sj = { s, false, BUF_INIT };
	const char *what = "";
	switch (r) {
	case POL_RULE_ENGAGE:
		what = "a group with an engagement row";
		engaged_groups(pol, false, &sj);
		break;
	case POL_RULE_UPDATE_CADENCE:
		what = "a group with an update cadence";
		engaged_groups(pol, true, &sj);
		break;
	case POL_RULE_DRAFTING:
	case POL_RULE_TURNAROUND:
		what = "an external artifact";
		external_artifacts(pol, false, &sj);
		break;
	case POL_RULE_QUORUM:
	case POL_RULE_DEPLOYMENT:
		what = "an external artifact with an approver group";
		external_artifacts(pol, true, &sj);
		break;
	case POL_RULE_REVIEW_RESPONSE:
	case POL_RULE_APPROVAL_RESPONSE:
		what = "GROUP/ARTIFACT, the group an approver of the artifact";
		for (size_t a = 0; a < pol->n_artifacts; a++)
			for (size_t g = 0; g < pol->n_groups; g++)
				if (pol_is_approver(pol, g, a, true))
					subject_pair(&sj, pol->groups[g].id, pol->artifacts[a].id);
		break;
	case POL_RULE_AUTHORIZED_APPROVER:
		what = "GROUP/ARTIFACT, the group one with an approver chain";
		for (size_t a = 0; a < pol->n_artifacts; a++)
			for (size_t g = 0; g < pol->n_groups; g++)
				if (pol->groups[g].n_chain)
					subject_pair(&sj, pol->groups[g].id, pol->artifacts[a].id);
		break;
	case POL_RULE_CUTOFF:
	case POL_RULE_COMPANIONS:
		what = "the process as a whole";
		subject(&sj, "-");
		break;
	case POL_RULE_AWARENESS:
		what = "an awareness channel";
		for (size_t i = 0; i < pol->n_channels; i++)
			subject(&sj, pol->channels[i]);
		break;
	case POL_RULE_EXTCOMMS_REVIEW:
	case POL_RULE_EXTCOMMS_APPROVAL:
		what = "an external artifact";
		if ((r == POL_RULE_EXTCOMMS_REVIEW ? pol->extcomms_review_group
						   : pol->extcomms_approval_group) >= 0)
			external_artifacts(pol, false, &sj);
		break;
	case POL_RULE_FYI_INFORMED:
		what = "GROUP/ARTIFACT, the group FYI for the external artifact";
		for (size_t a = 0; pol->fyi_informed && a < pol->n_artifacts; a++)
			for (size_t g = 0; pol->artifacts[a].external && g < pol->n_groups; g++)
				if (pol_is_fyi(pol, g, a, false))
					subject_pair(&sj, pol->groups[g].id, pol->artifacts[a].id);
		break;
	case POL_RULE_NOTIFY:
		what = "REGIME/STAGE, a stage of a regime of the policy's <regulatory>";
		for (size_t i = 0; i < pol->legal.n_regimes; i++)
			for (size_t k = 0; k < pol->legal.regimes[i].n_stages; k++)
				subject_pair(&sj, pol->legal.regimes[i].id, pol->legal.regimes[i].stages[k].id);
		break;
	case POL_RULE_NEXT_UPDATE: {
		/* notice-N, N from 1: the notices of a record, not of the policy. */
		what = "a public notice";
		const char *n = strncmp(s, "notice-", 7) == 0 ? s + 7 : "";
		sj.found = n[0] >= '1' && n[0] <= '9' && strspn(n, "0123456789") == strlen(n) &&
			   strlen(n) < 10;
		buf_puts(&sj.list, "notice-1, notice-2, ...");
		break;
	}
	case POL_RULE_COUNT:
		break;
	}
	if (!sj.found)
		buf_printf(forms, "%s findings are about %s: %s", pol_rule_name(r), what,
			   sj.list.len ? buf_str(&sj.list) : "none under this policy");
	buf_free(&sj.list);
	return sj.found;
}

bool pol_may_approve_exceptions(const struct policy *pol, const char *title)
{
	for (size_t i = 0; title && i < pol->n_exception_approvers; i++)
		if (strcmp(pol->exception_approvers[i], title) == 0)
			return true;
	return false;
}

/* The span of the display zone that holds t. */
static const struct pol_zone_span *zone_span(const struct policy *pol, int64_t t)
{
	size_t lo = 0, hi = pol->n_zone_spans;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (pol->zone_spans[mid].from <= t)
			lo = mid;
		else
			hi = mid;
	}
	return &pol->zone_spans[lo];
}

int pol_zone_offset_at(const struct policy *pol, int64_t t)
{
	return pol->zone_spans ? zone_span(pol, t)->offset : pol->zone_offset;
}

const char *pol_zone_label_at(const struct policy *pol, int64_t t)
{
	return pol->zone_spans ? zone_span(pol, t)->abbr : pol->zone_name;
}

int pol_zone_from_local(const struct policy *pol, int64_t local, int64_t at[2])
{
	/* Every offset in force within a day of it (zones differ from UTC
	 * by less than a day), each tried. */
	int offs[8], n_offs = 0, n = 0;
	for (int64_t t = local - 26 * 3600; t <= local + 26 * 3600; t += 3600) {
		int o = pol_zone_offset_at(pol, t);
		bool seen = false;
		for (int i = 0; i < n_offs; i++)
			seen |= offs[i] == o;
		if (!seen && n_offs < 8)
			offs[n_offs++] = o;
	}
	for (int i = 0; i < n_offs; i++) {
		int64_t t = local - (int64_t)offs[i] * 60;
		if (pol_zone_offset_at(pol, t) != offs[i])
			continue;
		if (n == 1 && at[0] == t)
			continue;
		if (n < 2)
			at[n++] = t;
	}
	if (n == 2 && at[1] < at[0]) {
		int64_t x = at[0];
		at[0] = at[1];
		at[1] = x;
	}
	return n;
}

static bool digits_at(const char *s, int n, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

int pol_zone_parse_local(const struct policy *pol, const char *s, int64_t *t, char **why)
{
	unsigned y, mo, d, h, mi, sec = 0;
	size_t n = strlen(s);
	if ((n != 16 && n != 19) || !digits_at(s, 4, &y) || s[4] != '-' ||
	    !digits_at(s + 5, 2, &mo) || s[7] != '-' || !digits_at(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != ' ') || !digits_at(s + 11, 2, &h) || s[13] != ':' ||
	    !digits_at(s + 14, 2, &mi) || (n == 19 && (s[16] != ':' || !digits_at(s + 17, 2, &sec))))
		return 0;
	static const unsigned dim[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > dim[mo - 1] ||
	    (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || sec > 59) {
		*why = xstrdup("is not a real date and time");
		return -1;
	}
	int64_t at[2];
	int k = pol_zone_from_local(pol, ts_days_from_civil(y, mo, d) * 86400 +
					 (int64_t)h * 3600 + mi * 60 + sec, at);
	if (k == 0) {
		*why = xstrdup("did not happen in the display zone (its clocks skipped that hour): "
			       "write it with an offset");
		return -1;
	}
	if (k == 2) {
		char t1[TS_BUFSZ], t2[TS_BUFSZ];
		ts_format_offset(at[0], pol_zone_offset_at(pol, at[0]), t1);
		ts_format_offset(at[1], pol_zone_offset_at(pol, at[1]), t2);
		*why = xasprintf("happened twice in the display zone (its clocks went back): "
				 "write %s or %s", t1, t2);
		return -1;
	}
	if (at[0] < TS_MIN || at[0] > TS_MAX) {
		*why = xstrdup("is outside the years 1970 to 9999");
		return -1;
	}
	*t = at[0];
	return 1;
}

bool pol_in_scope(const struct policy *pol, enum pol_impact impact)
{
	return impact >= pol->min_impact;
}

bool pol_cond_eval(const struct pol_cond *c, enum pol_severity sev,
		   const bool facts[POL_FACT_COUNT])
{
	switch (c->kind) {
	case POL_COND_ALWAYS:
		return true;
	case POL_COND_SEVERITY:
		return (c->severities >> sev) & 1u;
	case POL_COND_FACT:
		return facts[c->fact];
	case POL_COND_ANY:
		for (size_t i = 0; i < c->n_kids; i++)
			if (pol_cond_eval(c->kids[i], sev, facts))
				return true;
		return false;
	case POL_COND_ALL:
		for (size_t i = 0; i < c->n_kids; i++)
			if (!pol_cond_eval(c->kids[i], sev, facts))
				return false;
		return true;
	case POL_COND_NOT:
		return !pol_cond_eval(c->kids[0], sev, facts);
	}
	return false;
}
