/*
 * record.h - the incident record: parsing, checking and the C model.
 *
 * A record is one XML file per incident (docs/record-format.md).  Loading
 * it parses safely, validates it against the built-in RelaxNG schema and
 * then checks what a schema cannot: times with offsets, safe ids, the
 * attributes each event type needs, and that every group, artifact and
 * approver title exists in the policy.  The result is a plain model:
 * times as UTC epoch seconds, events sorted stably by time, each with the
 * line it came from for evidence.
 *
 *     struct diag d = DIAG_INIT;
 *     struct record *rec;
 *     if (rec_load("rec.xml", pol, &d, &rec) != 0) { diag_print(&d, stderr); ... }
 *     for (size_t i = 0; i < rec->n_events; i++)
 *             use(&rec->events[i]);
 *     rec_free(rec);
 *
 * Everything in a record is owned by it and valid until rec_free().
 * Warnings (an unknown approver title, events out of file order) leave
 * the record loaded; errors do not.
 */
#ifndef SIRCOMM_RECORD_H
#define SIRCOMM_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "model/policy.h"
#include "base/util.h"

/* The longest incident or exception id: ids name files and zip entries. */
#define REC_ID_MAX 64

/*
 * Size limits (docs/record-format.md, "Size limits"): what a
 * communication needs, many times over.  cmark-gfm takes time that
 * grows faster than the text on some Markdown, and libxml2's validator
 * on long lists; these bounds keep checking and drafting any record
 * under a second (docs/performance.md).  Sizes are bytes of UTF-8 as
 * written in the file, after XML character references are decoded.
 */
#define REC_MARKDOWN_MAX 8192        /* one Markdown field (a summary, a step, ...) */
#define REC_MARKDOWN_TOTAL 32768     /* every Markdown field of a record together */
#define REC_LIST_MAX 100             /* steps in a list, items in the FAQ */
#define REC_LINE_MAX 256             /* the title, a service, an attribute value */
#define REC_EVENT_TEXT_MAX 512       /* an event's text */
#define REC_LINK_MAX 2048            /* a <links> address */

enum rec_status { REC_STATUS_INVESTIGATING = 0, REC_STATUS_MITIGATED, REC_STATUS_RESOLVED };
enum rec_users { REC_USERS_NONE = 0, REC_USERS_SOME, REC_USERS_MANY, REC_USERS_ALL };
enum rec_round { REC_ROUND_NONE = 0, REC_ROUND_REVIEW, REC_ROUND_FINAL };
/* What customers must do: <customer-action required="no|yes|urgent">;
 * UNSTATED when the record has no <customer-action>. */
enum rec_action { REC_ACTION_UNSTATED = 0, REC_ACTION_NONE, REC_ACTION_REQUIRED,
		  REC_ACTION_URGENT };
enum rec_role { REC_ROLE_SEOC = 0, REC_ROLE_SIMOC, REC_ROLE_SECCMOC,
		REC_ROLE_EXTERNAL_COMMS, REC_ROLE_SUPPORT_MOC };

enum rec_event_type {
	REC_EV_DETECTED = 0, REC_EV_SEVERITY_DETERMINED, REC_EV_ENGAGED,
	REC_EV_UPDATE, REC_EV_COMMS_STARTED, REC_EV_DRAFT_READY,
	REC_EV_CUTOFF_ANNOUNCED, REC_EV_REVIEW_REQUESTED, REC_EV_FEEDBACK,
	REC_EV_BACKUP_ENGAGED, REC_EV_APPROVED, REC_EV_DEPLOYED, REC_EV_POSTED,
	REC_EV_IMPACT_DETERMINED, REC_EV_RESOLVED, REC_EV_NOTE,
	REC_EV_INFORMED,        /* a group was sent artifacts for information (FYI) */
	/* Regulators' clocks (docs/regulatory.md): the triggers a legal
	 * deadline counts from, each for the regimes it names (all when it
	 * names none), and a notification made. */
	REC_EV_AWARE, REC_EV_MATERIAL, REC_EV_CLASSIFIED_MAJOR, REC_EV_PAYMENT,
	REC_EV_NOTIFIED,
	REC_EV_COUNT
};

const char *rec_event_type_name(enum rec_event_type t);   /* "review-requested" */
int rec_event_type_parse(const char *s);                  /* -1 if unknown */
const char *rec_status_name(enum rec_status s);
const char *rec_users_name(enum rec_users u);
const char *rec_round_name(enum rec_round r);              /* "" for NONE */
const char *rec_role_name(enum rec_role r);

struct rec_event {
	enum rec_event_type type;
	int64_t at;             /* UTC epoch seconds */
	int offset;             /* minutes east of UTC, as written */
	long line;              /* line in the record, for evidence */
	size_t seq;             /* position in the file, 0-based */
	int group;              /* policy group index, or -1 */
	const char *by;         /* NULL when absent */
	const int *artifacts;   /* policy artifact indexes */
	size_t n_artifacts;
	enum rec_round round;
	const char *channel;    /* NULL when absent */
	bool has_cutoff;
	int64_t cutoff;
	const char *text;       /* the event's description (a note's text), or NULL */
	/* Triggers: the regimes (indexes into pol->legal.regimes) the event
	 * starts clocks for; none listed: every regime.  notified: the
	 * regime and stage, who was notified, and the reference the
	 * authority gave, if any (NULL).  -1 and NULL otherwise. */
	const int *regimes;
	size_t n_regimes;
	int regime, stage;
	const char *authority, *reference;
};

/* A regime the record says applies to the incident (<regulatory>):
 * counsel's decision, not sircomm's.  stages[s] for each stage of the
 * policy's regime: true when it applies (all of them when the record
 * names none). */
struct rec_regime {
	int regime;             /* index into pol->legal.regimes */
	const char *decided_by;
	bool has_decided_at;
	int64_t decided_at;
	const bool *stages;
	long line;
};

struct rec_fact {
	bool present;
	bool has_at;
	int64_t at;
	long line;
};

struct rec_service { const char *kind; const char *name; };
struct rec_member { enum rec_role role; const char *name; };
struct rec_faq { const char *q; const char *a; };

struct rec_exception {
	const char *id;
	enum pol_rule rule;
	const char *subject;    /* NULL: the exception covers the whole rule */
	const char *requested_by, *approved_by;
	int64_t approved_at;
	bool has_expires;
	int64_t expires;
	const char *justification;
	const char *compensating;   /* NULL when absent */
	long line;
};

/* Communication content: Markdown text for the templates; NULL when the
 * record leaves it out. */
struct rec_comm {
	const char *summary, *customer_impact, *response, *customer_action;
	enum rec_action action;     /* required="..." (yes when not written) */
	const char *action_brief;   /* brief="...": the action in one line, or NULL */
	bool email_to_affected;     /* <communication email-to="affected"> */
	bool has_next_update;       /* <next-update at="..."/> */
	int64_t next_update;
	const char **mitigation; size_t n_mitigation;
	const char **next_steps; size_t n_next_steps;
	struct rec_faq *faq; size_t n_faq;
	const char *quote, *quote_by;
	const char *quote_name;     /* <quote name>: the person's name, or NULL */
	bool quote_security;        /* quote_by names someone from Security */
	const char *blog, *advisory, *contact;
};

/* Where an incident stands in a public notice, as status pages say it. */
enum rec_notice_status {
	REC_NOTICE_INVESTIGATING = 0, REC_NOTICE_IDENTIFIED, REC_NOTICE_MONITORING,
	REC_NOTICE_RESOLVED
};

const char *rec_notice_status_name(enum rec_notice_status s);   /* "identified" */

/*
 * A public notice after the first (<notices>): an update or the final
 * notice.  The first notice is the <communication>, whose status and
 * promised next update are in struct record (comm_status, ...).
 */
struct rec_notice {
	bool has_at;                /* false: being drafted, not published yet */
	int64_t at;                 /* when it went out */
	enum rec_notice_status status;
	bool has_next_update;       /* it promises the next update by next_update */
	int64_t next_update;
	const char *changes;        /* Markdown: what changed since the notice before */
	const char *summary;        /* Markdown replacing the summary, or NULL */
	long line;
};

struct record {
	const char *path;           /* as given on the command line */
	const char *id, *title;
	enum pol_severity severity;
	enum pol_impact impact;
	enum rec_status status;
	enum rec_users users;
	bool has_count;
	uint64_t count;
	struct rec_service *services; size_t n_services;
	struct rec_fact facts[POL_FACT_COUNT];
	bool fact_present[POL_FACT_COUNT];  /* the facts as flags, for conditions */
	struct rec_member *members; size_t n_members;
	struct rec_event *events; size_t n_events;   /* sorted by (at, seq) */
	/* The events of each type, in the same order: type t's are
	 * by_type[type_at[t]] to by_type[type_at[t + 1]] (rec_events_of). */
	const struct rec_event **by_type;
	size_t type_at[REC_EV_COUNT + 1];
	struct rec_exception *exceptions; size_t n_exceptions;
	struct rec_comm comm;
	struct rec_regime *regimes; size_t n_regimes;   /* <regulatory>, in file order */
	/* <notice-content>: what the regulators' notices say, by enum
	 * legal_content; NULL where the record says nothing.  The counted
	 * ones read "categories (about N)", the yes/no ones "yes" or "no". */
	const char *notice[LEGAL_CONTENT_COUNT];
	long notice_line;           /* of <notice-content>, or of <regulatory>; 0: neither */
	/* The first notice's status (<communication status>), or -1 when
	 * not given (then it follows <status>), and its promised next
	 * update; the later notices, in file order (their times in order). */
	int comm_status;
	bool comm_has_next_update;
	int64_t comm_next_update;
	long comm_line;
	struct rec_notice *notices; size_t n_notices;
	const char *source;         /* the file's bytes, NUL-terminated */
	size_t source_len;
	struct arena arena;
};

/*
 * Loads and checks the record at `path` ("-" reads standard input)
 * against the policy.  Returns 0 and a new record the caller frees with
 * rec_free (warnings may have been added to d), or -1 after adding at
 * least one error to d.
 */
int rec_load(const char *path, const struct policy *pol, struct diag *d,
	     struct record **out);

/* The same from bytes in memory; `path` names them in diagnostics. */
int rec_parse(const char *path, const char *data, size_t len,
	      const struct policy *pol, struct diag *d, struct record **out);

/*
 * Loads a standing-exceptions file (schemas/exceptions.rng): exceptions
 * not tied to one incident.  The result is a record holding only
 * `exceptions` (id "standing"), checked like a record's: safe unique
 * ids, known rules, subjects the policy knows (warning), times with
 * offsets.  Returns 0 or -1 after diagnostics.
 */
int rec_load_standing(const char *path, const struct policy *pol, struct diag *d,
		      struct record **out);

/* Frees the record.  NULL is a no-op. */
void rec_free(struct record *rec);

/*
 * A quick look at a record's incident id, without loading it: reads the
 * start of the file (an open descriptor) or of bytes in memory up to the
 * root element (xmlin_peek_root_attr).  Returns true with a new string
 * the caller frees and the line rec_load reports the id on; false when
 * it cannot be seen (rec_load will then say why).
 */
bool rec_peek_id_fd(int fd, char **id, long *line);
bool rec_peek_id(const char *data, size_t len, char **id, long *line);

/* True when s is a safe file-name component (the rule for incident and
 * exception ids); *why explains a refusal. */
bool rec_id_is_safe(const char *s, const char **why);

/* True when the record lists artifact index a in the event. */
bool rec_event_has_artifact(const struct rec_event *ev, int a);

/* The record's events of type t in timeline order, *n of them: an index
 * built once, so that a question about one type need not pass over the
 * whole timeline (most of which is notes).  Borrowed; valid until
 * rec_free.
 *
 *     size_t n;
 *     const struct rec_event *const *dep = rec_events_of(rec, REC_EV_DEPLOYED, &n);
 *     for (size_t i = 0; i < n; i++)
 *             use(dep[i]);
 */
const struct rec_event *const *rec_events_of(const struct record *rec, enum rec_event_type t,
					     size_t *n);

/* True for the regulators' events: aware, material, classified-major,
 * payment, notified. */
bool rec_event_is_legal(enum rec_event_type t);

/* True when a trigger event starts the clocks of regime r (it lists r,
 * or lists no regime). */
bool rec_event_for_regime(const struct rec_event *ev, int r);

/* The record's statement for regime r (a policy index), or NULL when the
 * record does not say the regime applies. */
const struct rec_regime *rec_regime_of(const struct record *rec, int r);

#endif
