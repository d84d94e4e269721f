/*
 * audit.h - judging a record's communications process against the plan.
 *
 * The engine derives every finding of the rule table (ENGAGE,
 * UPDATE-CADENCE, DRAFTING, CUTOFF, REVIEW-RESPONSE, APPROVAL-RESPONSE,
 * AUTHORIZED-APPROVER, QUORUM, DEPLOYMENT, TURNAROUND, COMPANIONS,
 * AWARENESS) from the timeline and the policy, with every limit taken
 * from the policy.  docs/rules.md explains each rule and the plan's
 * sentence it encodes.
 *
 * The audit looks at the record "as of" a horizon: what was due by then
 * and not done fails, what is due later is pending.  By default the
 * horizon is the latest moment the record speaks of (its last event or
 * exception approval), so auditing the same record always gives the same
 * result; `--at` moves it.
 *
 * A finding is data: the rule, what it judged (policy indexes), a status
 * and the reason for it, the times and the evidence lines.  Its English
 * note is rendered from those (audit_note.c) and is for people: code
 * that needs to know why reads the reason, never the note.
 *
 *     struct audit *au;
 *     audit_run(rec, pol, AUDIT_AT_RECORD, &au);
 *     for (size_t i = 0; i < au->n_findings; i++) {
 *             const struct audit_finding *f = &au->findings[i];
 *             if (f->status == AUDIT_FAIL && f->reason == AUDIT_R_NO_STAND_IN)
 *                     printf("engage the back-ups of %s\n", pol->groups[f->group].title);
 *     }
 *     audit_free(au);
 */
#ifndef SIRCOMM_AUDIT_H
#define SIRCOMM_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/policy.h"
#include "model/record.h"
#include "base/util.h"

/* Pass to audit_run to take the horizon from the record. */
#define AUDIT_AT_RECORD INT64_MIN

enum audit_status { AUDIT_PASS = 0, AUDIT_FAIL, AUDIT_EXCEPTED, AUDIT_NA, AUDIT_PENDING,
		    AUDIT_STATUS_COUNT };

/* The status in the words of every format: "pass", "fail", "excepted",
 * "n/a", "pending".  A static string. */
const char *audit_status_name(enum audit_status s);

/* One piece of evidence: an event of the record (or a fact's time). */
struct audit_evidence {
	long line;
	int64_t at;
	const char *type;       /* event type, or "fact:data-breach" */
};

/* One approver group's answer to one round's request for one artifact:
 * the first request of the round covering both, the group's first
 * answer after it (feedback or approved in the review round, approved in
 * the final one) and its first back-up engagement after it, as of the
 * horizon (tl_answer_for pairs them).  REVIEW-RESPONSE and
 * APPROVAL-RESPONSE judge these, the response metrics measure them and
 * the HTML timeline draws them: nothing pairs the events again. */
struct audit_pair {
	int group, artifact;               /* policy indexes */
	enum rec_round round;              /* REC_ROUND_REVIEW or REC_ROUND_FINAL */
	const struct rec_event *request;   /* never NULL */
	int64_t due;                       /* the request plus the response window */
	const struct rec_event *answer;    /* NULL: no answer by the horizon */
	const struct rec_event *backup;    /* NULL: no back-ups engaged by the horizon */
};

/*
 * Why a finding has its status.  The note is rendered from this code and
 * the finding's particulars, never the other way round: code that must
 * know why a finding failed reads the reason.  A code shared by several
 * rules means the same for each; an excepted finding keeps the reason it
 * failed for.
 */
enum audit_reason {
	AUDIT_R_IN_TIME = 0,      /* pass: done by its deadline (or, without one,
				     done: COMPANIONS, AWARENESS, UPDATE-CADENCE) */
	AUDIT_R_OUT_OF_SCOPE,     /* n/a: the impact is below the plan's scope */
	AUDIT_R_NO_TARGET,        /* n/a: the policy sets no limit for the severity
				     (DRAFTING, CUTOFF, DEPLOYMENT, TURNAROUND) */
	/* Waiting for the event the obligation counts from: pending while the
	 * incident goes on, n/a once it was resolved without it. */
	AUDIT_R_NOT_STARTED,      /* no comms-started (DRAFTING, CUTOFF, TURNAROUND) */
	AUDIT_R_NO_BASE,          /* ENGAGE: the row's starting event has not happened */
	AUDIT_R_NOT_ENGAGED,      /* UPDATE-CADENCE: the group has not been engaged */
	AUDIT_R_NO_REVIEW,        /* CUTOFF: no review requested, no cutoff announced */
	AUDIT_R_NOT_DEPLOYED,     /* QUORUM: the artifact has not been deployed */
	AUDIT_R_NO_DEPLOYMENT,    /* COMPANIONS: no incident response deployed;
				     AWARENESS: nothing public-facing deployed */
	AUDIT_R_NO_QUORUM_YET,    /* DEPLOYMENT: not deployed, quorum not reached */
	/* Owed and not done. */
	AUDIT_R_DUE,              /* pending: the deadline (due) is ahead, or there
				     is none (AWARENESS); UPDATE-CADENCE: the next
				     update is due */
	AUDIT_R_OVERDUE,          /* fail: the deadline passed with nothing in the
				     record (CUTOFF: no cutoff before the first
				     review request; AWARENESS: no post by the
				     resolution) */
	AUDIT_R_ENGAGE_BACKUPS,   /* pending: the response window closed with no
				     answer; back-ups are due by the end of the
				     grace (REVIEW-RESPONSE, APPROVAL-RESPONSE) */
	/* Done, and judged. */
	AUDIT_R_EARLY,            /* pass: ENGAGE before the row's starting event
				     (no due when that has not happened) */
	AUDIT_R_LATE,             /* fail: done after its deadline (UPDATE-CADENCE:
				     the longest gap is over the cadence; CUTOFF:
				     announced after the first review request;
				     REVIEW-, APPROVAL-RESPONSE: answered after the
				     window with no stand-in appointed before) */
	AUDIT_R_CUTOFF_TOO_LATE,  /* fail: the announced cutoff is later than T0
				     plus the turnaround */
	AUDIT_R_NO_DEPLOYMENT_TIME, /* fail: CUTOFF, the announced cutoff is within
				     the turnaround but leaves less than the
				     deployment budget before it */
	AUDIT_R_ANNOUNCED,        /* pass: CUTOFF announced, no review requested yet */
	AUDIT_R_STAND_IN,         /* pass: no answer in the window, back-ups engaged
				     within the grace */
	AUDIT_R_NO_STAND_IN,      /* fail: no answer, and no back-ups engaged
				     within the grace */
	AUDIT_R_BY_APPROVER,      /* pass: approved by the chain's approver */
	AUDIT_R_BY_BACKUP,        /* pass: approved by a back-up, engaged before */
	AUDIT_R_NOT_IN_CHAIN,     /* fail: approved by a title not in the chain */
	AUDIT_R_BACKUP_UNENGAGED, /* fail: approved by a back-up before any back-up
				     of the group was engaged */
	AUDIT_R_ALL_APPROVED,     /* pass: QUORUM, every approver group approved */
	AUDIT_R_CUTOFF_QUORUM,    /* pass: QUORUM under the cutoff fallback */
	AUDIT_R_NO_QUORUM,        /* QUORUM fail, DEPLOYMENT n/a: deployed without
				     quorum */
	AUDIT_R_MISSING,          /* fail: COMPANIONS, a companion was not drafted
				     by the first external deployment */
	/* The checkpoints: something owed before an artifact goes on. */
	AUDIT_R_OWED_FIRST,       /* pending: owed before the artifact goes to the
				     approvers (EXTCOMMS-REVIEW) or is deployed
				     (EXTCOMMS-APPROVAL, FYI-INFORMED), which has
				     not happened; n/a once the incident is over
				     without it */
	AUDIT_R_UNREVIEWED,       /* fail: EXTCOMMS-REVIEW, sent to the approvers
				     (or deployed) before the checkpoint group
				     reviewed it */
	AUDIT_R_UNAPPROVED,       /* fail: EXTCOMMS-APPROVAL, deployed without the
				     checkpoint group's approval of the final
				     messaging */
	AUDIT_R_UNINFORMED,       /* fail: FYI-INFORMED, deployed before the FYI
				     group was informed */
	AUDIT_R_UNPROVEN,         /* fail: the event the deadline counts from
				     (detail.anchor) is not in the record, though
				     a later one (detail.shown_by) shows it
				     happened: the deadline cannot be proven met
				     (ENGAGE, DRAFTING, CUTOFF, TURNAROUND) */
	/* NOTIFY, the regulators' deadlines (docs/regulatory.md). */
	AUDIT_R_NOT_STATED,       /* n/a: the record's <regulatory> statement leaves
				     the stage out */
	AUDIT_R_CLOCK_NOT_STARTED, /* the event the deadline counts from (a trigger,
				     or an earlier stage's notification) is not in
				     the record: pending while the incident goes on,
				     n/a once it is over */
	AUDIT_R_UNDUE_DELAY,      /* "without undue delay", no fixed deadline: pass
				     once notified, pending before, never judged on
				     time; elapsed says how long it took or has
				     taken so far, for counsel to judge */
	AUDIT_R_COUNT
};

/* What stood in the way of the cutoff fallback when an artifact was
 * deployed without quorum: the obstacle the QUORUM note names. */
enum audit_quorum_gap {
	AUDIT_QG_NONE = 0,
	AUDIT_QG_NO_CUTOFF,        /* no cutoff had been announced */
	AUDIT_QG_BEFORE_CUTOFF,    /* deployed before the announced cutoff (gap_at) */
	AUDIT_QG_TOO_FEW,          /* fewer required groups had approved than needed */
	AUDIT_QG_NO_FINAL_REQUEST, /* gap_group had no final approval request */
	AUDIT_QG_WINDOW_OPEN,      /* gap_group's response window ran until gap_at */
	AUDIT_QG_NO_BACKUPS,       /* gap_group's back-ups had not been engaged */
};

/* How quorum stood for an artifact (QUORUM and DEPLOYMENT findings). */
struct audit_quorum {
	bool reached;              /* by the deployment, or by the horizon */
	bool fallback;             /* reached under the cutoff fallback */
	int64_t at;                /* when it was reached */
	/* At the deployment: the required approver groups, how many of them
	 * had approved, and how many the fallback needs. */
	size_t required, approved, need;
	enum audit_quorum_gap gap; /* for a deployment without quorum */
	int gap_group;             /* the group the gap names, or -1 */
	int64_t gap_at;            /* the cutoff or window end the gap names */
};

/* Where the longest gap between updates ended (UPDATE-CADENCE). */
enum audit_gap_end { AUDIT_GAP_AT_UPDATE = 0, AUDIT_GAP_AT_RESOLUTION, AUDIT_GAP_AT_HORIZON };

/* The particulars a finding's note names beyond its subject and times;
 * each is set by the rules named, and zero or NULL otherwise. */
struct audit_detail {
	const struct pol_engage *engagement;  /* ENGAGE: the policy row judged */
	int64_t cadence;                   /* UPDATE-CADENCE: the shortest that holds */
	int64_t gap_end;                   /* UPDATE-CADENCE: the longest gap's end */
	enum audit_gap_end gap_end_kind;
	/* UPDATE-CADENCE, while the group is engaged and the incident not
	 * resolved: when the next update is due, the last update (or the
	 * engagement) plus the cadence; in the past when it is overdue.  Set
	 * whatever the finding's status: a group that lapsed once still owes
	 * its next update. */
	bool has_next_update;
	int64_t next_update;
	int64_t cutoff;                    /* CUTOFF: the cutoff announced */
	const struct audit_pair *pair;     /* REVIEW-, APPROVAL-RESPONSE: the request */
	const struct rec_event *approval;  /* AUTHORIZED-APPROVER: the approval named */
	const struct rec_event *backup;    /* AUTHORIZED-APPROVER: the back-up
					      engagement it relied on, or NULL */
	struct audit_quorum quorum;        /* QUORUM, DEPLOYMENT */
	/* COMPANIONS: the artifact ids not drafted by the first external
	 * deployment; while nothing external is deployed (pending, n/a), those
	 * not drafted by the horizon. */
	const char *missing[2];
	size_t n_missing;
	int64_t first_deployment;          /* AWARENESS: the first public-facing deployment */
	/* EXTCOMMS-REVIEW, EXTCOMMS-APPROVAL, FYI-INFORMED: the event the
	 * obligation had to come before (the first request to the approvers
	 * or the first deployment; NULL when it has not happened), and the
	 * review, approval or informing that met it or came late (NULL: none
	 * by the horizon). */
	const struct rec_event *gate;
	const struct rec_event *act;
	/* AUDIT_R_UNPROVEN: the missing event's type, the event that shows
	 * it happened, and what was done (the engagement, draft, deployment
	 * or announcement), if anything. */
	enum rec_event_type anchor;
	const struct rec_event *shown_by;
	const struct rec_event *done;
	/* NOTIFY: the regime and stage (indexes into pol->legal), the clock
	 * that set the due time (-1: none), the event it counted from, and
	 * whether business days were counted past the years the holiday
	 * calendar lists; `act` is the notification, or NULL. */
	int regime, stage, clock;
	const struct rec_event *clock_start;
	bool beyond_calendar;
	/* NEXT-UPDATE: the notice that made the promise (1: the
	 * communication), and the next notice, when one went out by the
	 * horizon. */
	size_t notice;
	bool has_next_notice;
	int64_t next_notice_at;
};

struct audit_finding {
	enum pol_rule rule;
	/* What the rule judged, as policy indexes; -1 where the subject names
	 * no such thing.  A response or approver finding has a group and an
	 * artifact, ENGAGE and UPDATE-CADENCE a group, AWARENESS a channel
	 * (an index into pol->channels), CUTOFF and COMPANIONS none. */
	int group, artifact, channel;
	const char *subject;    /* the same in words: group, artifact,
				   "group/artifact", channel or "-" */
	enum audit_status status;
	enum audit_reason reason;  /* why */
	bool has_due, has_met, has_elapsed;
	int64_t due, met;
	int64_t elapsed;        /* seconds the obligation took from its start
				   (request to answer, T0 to deployment, ...);
				   for UPDATE-CADENCE the longest gap */
	struct audit_evidence *evidence;
	size_t n_evidence;
	size_t evidence_cap;    /* allocated slots (the engine's bookkeeping) */
	struct audit_detail detail;
	const struct rec_exception *exception;  /* for excepted findings */
	bool retroactive;       /* the exception was approved after the violation */
	/* Exceptions that matched the failure but had expired by it, in the
	 * order they were tried. */
	const struct rec_exception **expired;
	size_t n_expired;
	/* Exceptions that matched the failure but were approved by someone
	 * the policy does not let approve exceptions, in the order tried. */
	const struct rec_exception **unauthorized;
	size_t n_unauthorized;
	/* Why, in English, rendered from all the above (audit_note); NULL
	 * only for a pass with nothing to add.  The ledger stores it. */
	const char *note;
};

/* An answer of an approver group to a request, for the metrics. */
struct audit_response {
	const char *group, *artifact;
	enum rec_round round;
	int64_t requested;
	bool answered;
	int64_t seconds;        /* answer - request, when answered */
};

struct audit_metrics {
	bool has_first_draft;
	int64_t first_draft;             /* seconds from T0 to the first draft */
	struct audit_turnaround { const char *artifact; bool deployed; int64_t seconds; } *turnaround;
	size_t n_turnaround;
	struct audit_response *responses;
	size_t n_responses;
	size_t backups_engaged;
	size_t quorum_deployments;       /* artifacts deployed under the cutoff fallback */
	struct audit_gap { const char *group; int64_t seconds; } *gaps;  /* longest update gap */
	size_t n_gaps;
};

/* How an exception of the record was used. */
enum audit_exception_state { AUDIT_EXC_USED = 0, AUDIT_EXC_RETROACTIVE, AUDIT_EXC_UNUSED,
			     AUDIT_EXC_EXPIRED, AUDIT_EXC_NOT_YET_APPROVED,
			     /* approved by a title the policy's exception approvers
			      * do not name: it excuses nothing */
			     AUDIT_EXC_UNAUTHORIZED };

/* "used", "retroactive", "unused", "expired", "not yet approved",
 * "unauthorized".  A static string. */
const char *audit_exception_state_name(enum audit_exception_state s);

struct audit_exception_use {
	const struct rec_exception *exception;
	bool standing;           /* a standing exception, not the record's own */
	enum audit_exception_state state;
	size_t n_excused;        /* findings it turned into excepted */
};

struct audit {
	const struct record *rec;
	const struct policy *pol;
	int64_t audited_at;      /* the horizon */
	bool in_scope;
	/* The incident's status as the record tells it at the horizon.  From
	 * the record's last word on, its <status>; before that, resolved once
	 * a `resolved` event has happened, and investigating when the record
	 * never got further.  Otherwise status_known is false: the incident
	 * was then investigating or mitigated, and the record does not say
	 * when it was mitigated. */
	bool status_known;
	enum rec_status status;
	/* The process is over: resolved by the horizon, and the horizon at or
	 * past the record's last word.  Nothing more is owed then; what counts
	 * from an event that never came is n/a (docs/rules.md). */
	bool over;
	bool has_t0;
	int64_t t0;              /* first comms-started */
	struct audit_finding *findings;
	size_t n_findings;
	size_t counts[AUDIT_STATUS_COUNT];
	struct audit_metrics metrics;
	/* Every request an approver group had to answer by the horizon, in
	 * round, artifact and group order (in and out of scope alike). */
	struct audit_pair *pairs;
	size_t n_pairs;
	struct audit_exception_use *exceptions;   /* one per record exception */
	size_t n_exceptions;
	struct arena arena;      /* owns everything above but rec and pol */
};

/*
 * Audits the record against the policy as of `at` (AUDIT_AT_RECORD for
 * the record's own horizon).  Returns 0 and a new audit the caller frees
 * with audit_free; the record and policy must outlive it.  Never fails
 * on a record that loaded.
 */
int audit_run(const struct record *rec, const struct policy *pol, int64_t at,
	      struct audit **out);

/* The same, with standing exceptions (not tied to one incident) applied
 * after the record's own; they are listed in au->exceptions after the
 * record's, marked standing, and must outlive the audit. */
int audit_run_with(const struct record *rec, const struct policy *pol, int64_t at,
		   const struct rec_exception *standing, size_t n_standing, struct audit **out);

/* The latest moment a record speaks of (tl_horizon): the audit time of
 * AUDIT_AT_RECORD. */
int64_t audit_record_horizon(const struct record *rec);

/* True when any finding fails (an excepted one does not). */
bool audit_failed(const struct audit *au);

/*
 * The verdict every format shows: FAIL when a finding failed; otherwise
 * N/A when the record is below the plan's scope, IN PROGRESS while
 * findings are pending (the incident is not over, and nothing is late
 * yet), and PASS when every obligation was met, excepted or n/a.  The
 * exit status and the JSON's "result" still only say whether a finding
 * failed.
 */
enum audit_verdict { AUDIT_VERDICT_PASS, AUDIT_VERDICT_FAIL, AUDIT_VERDICT_IN_PROGRESS,
		     AUDIT_VERDICT_NA };

enum audit_verdict audit_verdict(const struct audit *au);

/* "pass", "fail", "in-progress", "n/a": the JSON's summary "verdict". */
const char *audit_verdict_name(enum audit_verdict v);

/* "PASS", "FAIL", "IN PROGRESS", "N/A": the verdict for people. */
const char *audit_verdict_word(enum audit_verdict v);

/* Appends why, in words: "3 findings failed", "no failures; 28 pending",
 * "out of the plan's scope" or "no finding failed". */
void audit_verdict_detail(const struct audit *au, struct buf *out);

/* A finding's subject for the data formats: f->subject, or NULL for a
 * finding about no group, artifact, channel or regulator's stage
 * (CUTOFF, COMPANIONS, and every rule out of scope), which the text
 * shows as "-": JSON writes
 * null and CSV an empty field, not a "-" a script would take for a
 * name. */
const char *audit_subject(const struct audit_finding *f);

/* The incident's status at the audit's horizon, in words: "resolved",
 * "mitigated", "investigating", or "not yet resolved" when the record
 * does not say which of the first two it was then. */
const char *audit_incident_status(const struct audit *au);

/* Appends a finding of au's note: why it has its status, in English,
 * rendered from its reason and particulars, exceptions included (what
 * f->note already holds).  Returns false, appending nothing, for a pass
 * with nothing to add.  audit_note.c. */
bool audit_note(const struct audit *au, const struct audit_finding *f, struct buf *out);

/* Frees the audit.  NULL is a no-op. */
void audit_free(struct audit *au);

#endif
