/*
 * policy.h - the communications plan as data.
 *
 * A policy holds the groups and their approver chains, the artifacts, the
 * approval matrix, the engagement rows, the per-severity targets, the
 * awareness channels and the scope rule.  The built-in policy encodes the
 * reference plan (policy/policy.xml in the source tree); an organisation
 * passes its own with --policy FILE.  docs/policy-format.md describes the
 * format.
 *
 *     struct diag d = DIAG_INIT;
 *     struct policy *pol;
 *     if (pol_load(path_or_NULL, &d, &pol) != 0) { diag_print(&d, stderr); ... }
 *     int g = pol_group_index(pol, "legal");
 *     ...
 *     pol_free(pol);
 *
 * The policy also owns the vocabulary records share: severities, impact
 * levels and fact names.
 */
#ifndef SIRCOMM_POLICY_H
#define SIRCOMM_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/util.h"
#include "model/legal.h"

/* ---- Vocabulary ----------------------------------------------------- */

enum pol_severity { POL_S1 = 0, POL_S2, POL_S3, POL_S4, POL_SEVERITY_COUNT };

enum pol_impact { POL_IMPACT_LOW = 0, POL_IMPACT_MEDIUM, POL_IMPACT_HIGH,
		  POL_IMPACT_CRITICAL, POL_IMPACT_COUNT };

/* Facts a record can state; a policy condition tests them. */
enum pol_fact {
	POL_FACT_DATA_BREACH = 0, POL_FACT_PII, POL_FACT_PRIVATE_PROJECTS,
	POL_FACT_FINANCIAL, POL_FACT_EE_CUSTOMERS, POL_FACT_PUBLICLY_REPORTED,
	POL_FACT_REGULATORY, POL_FACT_RCE_EXPLOITED, POL_FACT_SECURITY_QUOTED,
	POL_FACT_COUNT
};

/* Audit rule ids, in the order of the rule table. */
enum pol_rule {
	POL_RULE_ENGAGE = 0, POL_RULE_UPDATE_CADENCE, POL_RULE_DRAFTING,
	POL_RULE_CUTOFF, POL_RULE_REVIEW_RESPONSE, POL_RULE_APPROVAL_RESPONSE,
	POL_RULE_AUTHORIZED_APPROVER, POL_RULE_QUORUM, POL_RULE_DEPLOYMENT,
	POL_RULE_TURNAROUND, POL_RULE_COMPANIONS, POL_RULE_AWARENESS,
	/* The policy's checkpoints (<checkpoints>), after the rules above so
	 * that their findings keep their order. */
	POL_RULE_EXTCOMMS_REVIEW, POL_RULE_EXTCOMMS_APPROVAL, POL_RULE_FYI_INFORMED,
	POL_RULE_NEXT_UPDATE,     /* a public notice's promised next update kept */
	/* The regulators' deadlines (<regulatory>), one finding per stage of
	 * each regime the record states: subject "regime/stage". */
	POL_RULE_NOTIFY,
	POL_RULE_COUNT
};

/* Name <-> value; the lookups return -1 for an unknown name. */
const char *pol_severity_name(enum pol_severity s);   /* "S1" */
int pol_severity_parse(const char *s);
const char *pol_impact_name(enum pol_impact i);       /* "high" */
int pol_impact_parse(const char *s);
const char *pol_fact_name(enum pol_fact f);           /* "data-breach" */
const char *pol_fact_label(enum pol_fact f);          /* "data breach" */
int pol_fact_parse(const char *s);
const char *pol_rule_name(enum pol_rule r);           /* "TURNAROUND" */
int pol_rule_parse(const char *s);

/* ---- Model ---------------------------------------------------------- */

enum pol_role {
	POL_ROLE_NONE = 0,          /* the group has no part in the artifact */
	POL_ROLE_APPROVER,
	POL_ROLE_FYI,
	POL_ROLE_DRI,
	POL_ROLE_APPROVER_IF_QUOTED /* approver when security-quoted holds */
};

const char *pol_role_name(enum pol_role r);   /* "approver-if-security-quoted" */

struct pol_group {
	const char *id;
	const char *title;
	bool required;          /* one of the groups that count for quorum */
	const char **chain;     /* chain[0] the primary approver, then back-ups */
	size_t n_chain;         /* 0 for groups that only get engaged */
	long line;
};

struct pol_artifact {
	const char *id;
	const char *title;
	bool external;          /* deployed to customers or the public */
	/* Released to the public (email, blog, media statement, alert, social
	 * post), not only to a team (the support FAQ): "public-facing
	 * materials".  Never true of an internal artifact; when the policy does
	 * not say, the same as external. */
	bool public_facing;
	long line;
};

/* Per-severity targets, in seconds.  has_* false means no such target. */
struct pol_target {
	bool has_turnaround, has_drafting, has_deployment;
	int64_t turnaround, drafting, deployment;
	int64_t response;       /* approver response window per round */
	int64_t backup_grace;   /* after the window, to appoint a stand-in */
	int quorum;             /* required groups that must approve at cutoff */
	long line;
};

enum pol_cond_kind { POL_COND_ALWAYS, POL_COND_SEVERITY, POL_COND_FACT,
		     POL_COND_ANY, POL_COND_ALL, POL_COND_NOT };

struct pol_cond {
	enum pol_cond_kind kind;
	unsigned severities;    /* POL_COND_SEVERITY: bit (1 << enum pol_severity) */
	enum pol_fact fact;     /* POL_COND_FACT */
	struct pol_cond **kids; /* ANY, ALL: n_kids >= 1; NOT: exactly 1 */
	size_t n_kids;
};

/* What an engagement deadline counts from. */
enum pol_from {
	POL_FROM_SEVERITY_DETERMINED = 0, POL_FROM_FACT, POL_FROM_COMMS_STARTED,
	POL_FROM_IMPACT_DETERMINED, POL_FROM_FIRST_DRAFT, POL_FROM_FIRST_DEPLOYMENT,
	POL_FROM_COUNT
};

const char *pol_from_name(enum pol_from f);    /* "severity-determined" */

struct pol_engage {
	size_t group;             /* index into policy.groups */
	enum pol_from from;
	int64_t delay;            /* seconds after `from` */
	bool delay_immediately;   /* written "immediately" (= defaults) */
	int64_t cadence;          /* seconds; 0 = "continuous", not audited */
	const char *dri;
	const char *channel;
	const struct pol_cond *when;  /* never NULL: ALWAYS when not written */
	const char *plan;         /* the plan's words for the row, or NULL */
	long line;
};

/* A stretch of time with one offset in a tz database zone: from `from`
 * (UTC epoch seconds) to the next span's start. */
struct pol_zone_span {
	int64_t from;
	int offset;               /* minutes east of UTC */
	char abbr[12];            /* "CEST", "EST", "+0530" */
};

/* A tz database zone is read for the years up to this one (2200-01-01);
 * later times keep the last offset. */
#define POL_ZONE_END ((int64_t)7258118400)

struct policy {
	const char *path;         /* "built-in" or the file it came from */
	const char *name, *title, *organization;
	const char *sender_name, *sender_address;
	const char *press_name, *press_address;  /* the press contact, or NULL */
	const char *zone_name;    /* the label ("CET") or the tz database's name */
	int zone_offset;          /* minutes east of UTC: the fixed offset, or
				     the zone's first one for a tz database zone */
	const struct pol_zone_span *zone_spans;   /* NULL for a fixed offset */
	size_t n_zone_spans;
	enum pol_impact min_impact;
	int64_t immediately;
	struct pol_target targets[POL_SEVERITY_COUNT];
	struct pol_group *groups;
	size_t n_groups;
	struct pol_artifact *artifacts;
	size_t n_artifacts;
	enum pol_role *matrix;    /* n_groups * n_artifacts, row per group */
	struct pol_engage *engagements;
	size_t n_engagements;
	const char **channels;    /* awareness channels */
	size_t n_channels;
	/* Titles that may approve an exception to the procedure ("SIRT
	 * Management (Code Owners) | Responsible for approving significant
	 * changes and exceptions"); none when the policy names none, and then
	 * no exception excuses a finding. */
	const char **exception_approvers;
	size_t n_exception_approvers;
	/* Checkpoints (<checkpoints>): the group that reviews every external
	 * artifact before it goes to the approvers (EXTCOMMS-REVIEW) and the
	 * one that approves it before it is deployed (EXTCOMMS-APPROVAL), or
	 * -1 when the policy has no such checkpoint; whether FYI groups must
	 * be informed of an artifact before it is deployed (FYI-INFORMED). */
	int extcomms_review_group, extcomms_approval_group;
	bool fyi_informed;
	long checkpoints_line;
	/* Regulators' notification deadlines (<regulatory>); empty when the
	 * policy has none.  model/legal.h. */
	struct legal legal;
	unsigned char sha256[32]; /* of the policy file's bytes */
	char sha256_hex[65];
	const char *source;       /* the policy file's bytes, NUL-terminated */
	size_t source_len;
	struct arena arena;       /* owns everything above */
};

/* ---- Loading -------------------------------------------------------- */

/*
 * Loads the policy at `path`, or the built-in one when path is NULL.
 * Returns 0 and a new policy the caller frees with pol_free, or -1 after
 * adding diagnostics (with the file and line) to d.
 */
int pol_load(const char *path, struct diag *d, struct policy **out);

/* The same from bytes in memory; `path` names them in diagnostics. */
int pol_parse(const char *path, const char *data, size_t len,
	      struct diag *d, struct policy **out);

/* Frees the policy.  NULL is a no-op. */
void pol_free(struct policy *pol);

/* ---- Queries -------------------------------------------------------- */

/* Index of the group or artifact with that id, or -1. */
int pol_group_index(const struct policy *pol, const char *id);
int pol_artifact_index(const struct policy *pol, const char *id);

/* The role of group g for artifact a as written in the matrix. */
enum pol_role pol_role_of(const struct policy *pol, size_t g, size_t a);

/* True when the group approves the artifact, given whether the record has
 * the security-quoted fact. */
bool pol_is_approver(const struct policy *pol, size_t g, size_t a, bool security_quoted);

/* True when the group is to be kept informed of the artifact: its role is
 * fyi, or approver-if-security-quoted without the security-quoted fact. */
bool pol_is_fyi(const struct policy *pol, size_t g, size_t a, bool security_quoted);

/* Position of `title` in the group's chain (0 = primary), or -1. */
int pol_chain_position(const struct pol_group *g, const char *title);

/*
 * True when some finding of rule r can have subject s under the policy
 * (docs/rules.md: a group, an artifact, group/artifact, a channel or "-",
 * each from the policy's own lists).  Otherwise appends to `forms` the
 * subjects the rule's findings can have, in words, for an error message.
 */
bool pol_rule_subject_ok(const struct policy *pol, enum pol_rule r, const char *s,
			 struct buf *forms);

/* True when the policy names `title` among those who may approve
 * exceptions (exactly as written, like approver titles). */
bool pol_may_approve_exceptions(const struct policy *pol, const char *title);
/* The latest approval cutoff a target allows for communications started
 * at t0: t0 plus the turnaround, less the deployment budget when there is
 * one (the turnaround includes the deployment time, so approvals must be
 * in by then).  Meaningful only when tg->has_turnaround. */
int64_t pol_latest_cutoff(const struct pol_target *tg, int64_t t0);

/* The display zone's offset from UTC at the instant t, in minutes east,
 * and its label then: "CET" or "CEST" for Europe/Berlin (the tz
 * database's abbreviation), the name written for a fixed offset. */
int pol_zone_offset_at(const struct policy *pol, int64_t t);
const char *pol_zone_label_at(const struct policy *pol, int64_t t);

/* The instants at which the display zone's clocks read `local` (a wall
 * time as seconds since 1970-01-01T00:00 of that clock): 1 as a rule,
 * 0 in the hour skipped when clocks go forward, 2 in the hour repeated
 * when they go back (earlier first).  Returns how many, into at[]. */
int pol_zone_from_local(const struct policy *pol, int64_t local, int64_t at[2]);

/*
 * Reads "YYYY-MM-DD hh:mm[:ss]" (or with a T), a time on the display
 * zone's clock, into *t.  Returns 1 when it is one; 0 when s is not of
 * that form; -1 when it is but names no single instant (a day that does
 * not exist, a time the clocks skipped or went through twice), with
 * *why a new string the caller frees.
 */
int pol_zone_parse_local(const struct policy *pol, const char *s, int64_t *t, char **why);

/* True when the incident's impact falls within the plan's scope. */
bool pol_in_scope(const struct policy *pol, enum pol_impact impact);

/* Evaluates a condition for a severity and a set of facts. */
bool pol_cond_eval(const struct pol_cond *c, enum pol_severity sev,
		   const bool facts[POL_FACT_COUNT]);

/* ---- Rendering ------------------------------------------------------ */

/* Appends a condition in words: "severity S1 and (data breach or ...)". */
void pol_cond_describe(const struct pol_cond *c, struct buf *out);

/* Appends the whole policy as Markdown tables, in the order of the plan,
 * for `sircomm policy show`. */
void pol_show_markdown(const struct policy *pol, struct buf *out);

#endif
