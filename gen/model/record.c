/* record.c - parsing and checking incident records into the C model. */
#include "model/record.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#include "format/eml.h"
#include "base/ts.h"
#include "model/xmlin.h"
#include "model/record_legal.h"

/* ---- Names ---------------------------------------------------------- */

static const char *const event_names[] = {
	"detected", "severity-determined", "engaged", "update", "comms-started",
	"draft-ready", "cutoff-announced", "review-requested", "feedback",
	"backup-engaged", "approved", "deployed", "posted", "impact-determined",
	"resolved", "note", "informed",
	"aware", "material", "classified-major", "payment", "notified",
};
static const char *const status_names[] = { "investigating", "mitigated", "resolved" };
static const char *const users_names[] = { "none", "some", "many", "all" };
static const char *const round_names[] = { "", "review", "final" };
static const char *const role_names[] = {
	"seoc", "simoc", "seccmoc", "external-comms", "support-moc",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *rec_event_type_name(enum rec_event_type t) { return event_names[t]; }
int rec_event_type_parse(const char *s) { return name_index(event_names, COUNT(event_names), s); }
const char *rec_status_name(enum rec_status s) { return status_names[s]; }
static const char *const notice_status_names[] = { "investigating", "identified", "monitoring",
						    "resolved" };
const char *rec_notice_status_name(enum rec_notice_status s) { return notice_status_names[s]; }
const char *rec_users_name(enum rec_users u) { return users_names[u]; }
const char *rec_round_name(enum rec_round r) { return round_names[r]; }
const char *rec_role_name(enum rec_role r) { return role_names[r]; }

/* Which attributes each event type needs (R) and accepts (A). */
enum {
	AT_GROUP = 1 << 0, AT_BY = 1 << 1, AT_ARTIFACTS = 1 << 2,
	AT_ROUND = 1 << 3, AT_CHANNEL = 1 << 4, AT_CUTOFF = 1 << 5,
	/* Regulators' clocks (record_legal.c reads these). */
	AT_REGIMES = 1 << 6, AT_REGIME = 1 << 7, AT_STAGE = 1 << 8, AT_AUTHORITY = 1 << 9,
	AT_REFERENCE = 1 << 10,
};

static const struct {
	unsigned required, allowed;
} event_attrs[REC_EV_COUNT] = {
	[REC_EV_DETECTED] = { 0, AT_BY },
	[REC_EV_SEVERITY_DETERMINED] = { 0, AT_BY },
	[REC_EV_ENGAGED] = { AT_GROUP, AT_GROUP | AT_BY | AT_CHANNEL },
	[REC_EV_UPDATE] = { AT_GROUP, AT_GROUP | AT_BY | AT_CHANNEL },
	[REC_EV_COMMS_STARTED] = { 0, AT_BY },
	[REC_EV_DRAFT_READY] = { AT_ARTIFACTS, AT_ARTIFACTS | AT_BY },
	[REC_EV_CUTOFF_ANNOUNCED] = { AT_CUTOFF, AT_CUTOFF | AT_BY | AT_CHANNEL },
	[REC_EV_REVIEW_REQUESTED] = { AT_ROUND | AT_ARTIFACTS,
				      AT_ROUND | AT_ARTIFACTS | AT_GROUP | AT_BY | AT_CHANNEL },
	[REC_EV_FEEDBACK] = { AT_GROUP | AT_BY | AT_ARTIFACTS,
			      AT_GROUP | AT_BY | AT_ARTIFACTS | AT_ROUND },
	[REC_EV_BACKUP_ENGAGED] = { AT_GROUP, AT_GROUP | AT_BY | AT_ARTIFACTS | AT_ROUND | AT_CHANNEL },
	[REC_EV_APPROVED] = { AT_GROUP | AT_BY | AT_ARTIFACTS,
			      AT_GROUP | AT_BY | AT_ARTIFACTS | AT_ROUND },
	[REC_EV_DEPLOYED] = { AT_ARTIFACTS, AT_ARTIFACTS | AT_BY | AT_CHANNEL },
	[REC_EV_POSTED] = { AT_CHANNEL, AT_CHANNEL | AT_BY | AT_ARTIFACTS },
	[REC_EV_IMPACT_DETERMINED] = { 0, AT_BY },
	[REC_EV_RESOLVED] = { 0, AT_BY },
	[REC_EV_NOTE] = { 0, AT_BY },
	[REC_EV_INFORMED] = { AT_GROUP | AT_ARTIFACTS, AT_GROUP | AT_ARTIFACTS | AT_BY | AT_CHANNEL },
	[REC_EV_AWARE] = { 0, AT_BY | AT_REGIMES },
	[REC_EV_MATERIAL] = { 0, AT_BY | AT_REGIMES },
	[REC_EV_CLASSIFIED_MAJOR] = { 0, AT_BY | AT_REGIMES },
	[REC_EV_PAYMENT] = { 0, AT_BY | AT_REGIMES },
	[REC_EV_NOTIFIED] = { AT_REGIME | AT_STAGE | AT_AUTHORITY,
			      AT_REGIME | AT_STAGE | AT_AUTHORITY | AT_REFERENCE | AT_BY | AT_CHANNEL },
};

static const char *const attr_names[] = { "group", "by", "artifacts", "round", "channel", "cutoff",
					  "regimes", "regime", "stage", "authority", "reference" };

/* ---- Ids ------------------------------------------------------------ */

bool rec_id_is_safe(const char *s, const char **why)
{
	static const char *const reserved[] = {
		"CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5",
		"COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4",
		"LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
	};
	size_t n = strlen(s);
	if (n == 0 || n > REC_ID_MAX) {
		*why = "must be 1 to 64 characters";
		return false;
	}
	if (!isalnum((unsigned char)s[0])) {
		*why = "must start with a letter or a digit";
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!(isalnum(c) || c == '.' || c == '_' || c == '-') || c > 0x7f) {
			*why = "may hold only letters, digits, '.', '_' and '-' "
			       "(it names files and bundle entries)";
			return false;
		}
	}
	if (strstr(s, "..")) {
		*why = "must not contain '..'";
		return false;
	}
	char stem[8] = { 0 };
	size_t k = strcspn(s, ".");
	if (k < sizeof(stem)) {
		memcpy(stem, s, k);
		for (size_t i = 0; i < COUNT(reserved); i++) {
			if (ascii_eq_nocase(stem, reserved[i])) {
				*why = "is a reserved device name on some systems";
				return false;
			}
		}
	}
	return true;
}

bool rec_event_for_regime(const struct rec_event *ev, int r)
{
	for (size_t i = 0; i < ev->n_regimes; i++)
		if (ev->regimes[i] == r)
			return true;
	return ev->n_regimes == 0;
}

const struct rec_regime *rec_regime_of(const struct record *rec, int r)
{
	for (size_t i = 0; i < rec->n_regimes; i++)
		if (rec->regimes[i].regime == r)
			return &rec->regimes[i];
	return NULL;
}

bool rec_event_has_artifact(const struct rec_event *ev, int a)
{
	for (size_t i = 0; i < ev->n_artifacts; i++)
		if (ev->artifacts[i] == a)
			return true;
	return false;
}

/* ---- Building the model --------------------------------------------- */

struct builder {
	struct record *rec;
	const struct policy *pol;
	const char *path;
	struct diag *d;
	int rc;
};

#define ERROR(b, node, ...) \
	(diag_error((b)->d, (b)->path, xmlin_line(node), __VA_ARGS__), (b)->rc = -1)
#define WARN(b, node, ...) diag_warning((b)->d, (b)->path, xmlin_line(node), __VA_ARGS__)

static const char *attr(struct builder *b, const xmlNode *n, const char *name)
{
	return xmlin_attr_in(n, name, &b->rec->arena);
}

/* An attribute the schema reads as a token (an enumerated value, a
 * number): white space around it is no part of it. */
static const char *token_attr(struct builder *b, const xmlNode *n, const char *name)
{
	return xmlin_token_in(n, name, &b->rec->arena);
}

/*
 * Keeps the index an enumerated value was looked up as, or adds an error
 * and returns -1 when the lookup failed.  The schema refuses such a value
 * first, so this only guards against the two ever disagreeing: the index
 * of a failed lookup is never used.
 */
static int known(struct builder *b, const xmlNode *n, const char *what, const char *v, int i)
{
	if (i < 0)
		ERROR(b, n, "%s '%s' is not allowed", what, v ? v : "");
	return i;
}

/* An enumerated attribute: its index in names, or -1 after an error. */
static int enum_attr(struct builder *b, const xmlNode *n, const char *name,
		     const char *const *names, size_t count)
{
	const char *v = token_attr(b, n, name);
	return known(b, n, name, v, name_index(names, count, v));
}

/* The text of an element, as a token. */
static const char *token_text(struct builder *b, const xmlNode *n)
{
	return xmlin_text_token_in(n, &b->rec->arena);
}

/* Text of an element with surrounding blank lines removed and the common
 * indentation of its lines taken away, so Markdown written indented
 * inside the XML does not turn into code blocks. */
static const char *block_text(struct builder *b, const xmlNode *n)
{
	xmlChar *owned;
	const char *s = xmlin_text_ref(n, &owned);
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	/* Skip leading blank lines; remember whether the text starts on the
	 * tag's own line (then that line takes no part in the indentation). */
	size_t start = 0;
	bool inline_first = false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			start = i + 1;
		} else if (!isspace((unsigned char)s[i])) {
			inline_first = start == 0;
			break;
		}
	}
	if (inline_first)
		while (start < len && (s[start] == ' ' || s[start] == '\t'))
			start++;
	size_t indent = SIZE_MAX;
	for (size_t i = start; i < len;) {
		size_t eol = i;
		while (eol < len && s[eol] != '\n')
			eol++;
		if (!(inline_first && i == start)) {
			size_t k = i;
			while (k < eol && (s[k] == ' ' || s[k] == '\t'))
				k++;
			if (k < eol && k - i < indent)
				indent = k - i;
		}
		i = eol + 1;
	}
	if (indent == SIZE_MAX)
		indent = 0;
	/* The lines, less their indentation, straight into the arena: the
	 * result is never longer than the text. */
	char *r = arena_alloc(&b->rec->arena, len - start + 1);
	char *w = r;
	for (size_t i = start; i < len;) {
		size_t eol = i;
		while (eol < len && s[eol] != '\n')
			eol++;
		size_t skip = 0;
		if (!(inline_first && i == start))
			while (skip < indent && i + skip < eol &&
			       (s[i + skip] == ' ' || s[i + skip] == '\t'))
				skip++;
		memcpy(w, s + i + skip, eol - i - skip);
		w += eol - i - skip;
		if (eol < len)
			*w++ = '\n';
		i = eol + 1;
	}
	*w = '\0';
	xmlFree(owned);
	return r;
}

/* A one-line value: trimmed, and refused when it holds a line break or
 * any other control character (it may become an email header). */
static const char *line_text(struct builder *b, const xmlNode *n, const char *what)
{
	xmlChar *raw = xmlNodeGetContent(n);
	const char *s = raw ? (const char *)raw : "";
	while (isspace((unsigned char)*s))
		s++;
	size_t len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	const char *r = arena_strndup(&b->rec->arena, s, len);
	xmlFree(raw);
	/* The rule of an email header, which the title becomes: Unicode's
	 * line breaks (NEL, U+2028, U+2029) and C1 controls count too. */
	if (eml_header_problem(r))
		ERROR(b, n, "%s must be one line without control characters", what);
	if (len == 0)
		ERROR(b, n, "%s is empty", what);
	return r;
}

/* An attribute that becomes a line of a draft (the social post, a
 * heading, an email's sentence): trimmed, one line, no control
 * characters, not empty. */
static const char *one_line_attr(struct builder *b, const xmlNode *n, const char *name)
{
	const char *v = attr(b, n, name);
	if (!v)
		return NULL;
	while (isspace((unsigned char)*v))
		v++;
	size_t len = strlen(v);
	while (len && isspace((unsigned char)v[len - 1]))
		len--;
	const char *r = arena_strndup(&b->rec->arena, v, len);
	if (eml_header_problem(r))
		ERROR(b, n, "%s must be one line without control characters", name);
	else if (len == 0)
		ERROR(b, n, "%s is empty", name);
	return r;
}

static bool time_attr(struct builder *b, const xmlNode *n, const char *name,
		      int64_t *t, int *offset)
{
	const char *v = attr(b, n, name);
	if (!v)
		return false;
	const char *why;
	int off;
	if (ts_parse(v, t, &off, &why) != 0) {
		ERROR(b, n, "%s time '%s' %s", name, v, why);
		return false;
	}
	if (offset)
		*offset = off;
	return true;
}

static void build_scope(struct builder *b, const xmlNode *n)
{
	struct record *rec = b->rec;
	int users = enum_attr(b, n, "users", users_names, COUNT(users_names));
	rec->users = users < 0 ? REC_USERS_NONE : (enum rec_users)users;
	const char *count = token_attr(b, n, "count");
	if (count) {
		errno = 0;
		char *end;
		unsigned long long v = strtoull(count, &end, 10);
		/* The ledger keeps it as a signed 64-bit integer. */
		if (errno || *end || v > INT64_MAX)
			ERROR(b, n, "count '%s' is too large (at most %" PRId64 ")", count, INT64_MAX);
		rec->has_count = true;
		rec->count = v;
	}
	rec->services = arena_alloc(&rec->arena, xmlin_count(n, "service") * sizeof(*rec->services));
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (!xmlin_is(c, "service"))
			continue;
		struct rec_service *s = &rec->services[rec->n_services++];
		s->kind = token_attr(b, c, "kind");
		s->name = line_text(b, c, "service name");
	}
}

static void build_facts(struct builder *b, const xmlNode *n)
{
	struct record *rec = b->rec;
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next) {
		if (!xmlin_is(c, NULL))
			continue;
		int f = pol_fact_parse((const char *)c->name);
		if (f < 0)
			continue;   /* the schema allows none */
		struct rec_fact *fact = &rec->facts[f];
		fact->present = true;
		fact->line = xmlin_line(c);
		fact->has_at = time_attr(b, c, "at", &fact->at, NULL);
		rec->fact_present[f] = true;
	}
}

/* True when a quote's `by` names someone from Security: a title in the
 * approver chain of a group the matrix makes an approver when Security
 * is quoted (the VP of Security and its back-ups in the reference
 * policy), or any title with the word "Security" in it ("Director of
 * Security Operations", "Chief Information Security Officer"). */
static bool by_security(const struct policy *pol, const char *by)
{
	for (size_t g = 0; g < pol->n_groups; g++) {
		bool quoted_role = false;
		for (size_t a = 0; a < pol->n_artifacts; a++)
			quoted_role |= pol_role_of(pol, g, a) == POL_ROLE_APPROVER_IF_QUOTED;
		for (size_t i = 0; quoted_role && i < pol->groups[g].n_chain; i++)
			if (ascii_eq_nocase(pol->groups[g].chain[i], by))
				return true;
	}
	static const char word[] = "security";
	size_t n = strlen(by), k = sizeof(word) - 1;
	for (size_t i = 0; i + k <= n; i++) {
		bool starts = i == 0 || !isalnum((unsigned char)by[i - 1]);
		bool ends = i + k == n || !isalnum((unsigned char)by[i + k]);
		if (starts && ends && strncasecmp(by + i, word, k) == 0)
			return true;
	}
	return false;
}

/*
 * The security-quoted fact follows the quote: a `<quote by>` naming
 * someone from Security makes it hold, as if `<security-quoted/>` were
 * written, so Security approves the media statement that carries the
 * quote whether or not the writer remembered the fact.  A
 * `<security-quoted/>` the quote does not bear out (no quote, or one by
 * someone else) still holds, with a warning: more approval is the safe
 * side of a mistake.
 */
static void derive_security_quoted(struct builder *b, const xmlNode *communication)
{
	struct record *rec = b->rec;
	struct rec_fact *fact = &rec->facts[POL_FACT_SECURITY_QUOTED];
	const xmlNode *q = xmlin_child(communication, "quote");
	const char *by = q ? attr(b, q, "by") : NULL;
	bool security = by && by_security(b->pol, by);
	rec->comm.quote_security = security;
	if (fact->present && !q)
		diag_warning(b->d, b->path, fact->line, "<security-quoted/> says the media statement "
			     "quotes Security, but the record has no <quote>: Security approves "
			     "the media statement all the same");
	else if (fact->present && by && !security)
		diag_warning(b->d, b->path, fact->line, "<security-quoted/> says the media statement "
			     "quotes Security, but its <quote> is by '%s': Security approves the "
			     "media statement all the same (drop <security-quoted/> if Security is "
			     "not quoted)", by);
	if (security && !fact->present) {
		fact->present = true;
		fact->line = xmlin_line(q);
		rec->fact_present[POL_FACT_SECURITY_QUOTED] = true;
	}
}

static void build_team(struct builder *b, const xmlNode *n)
{
	struct record *rec = b->rec;
	rec->members = arena_alloc(&rec->arena, xmlin_count(n, "member") * sizeof(*rec->members));
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next) {
		if (!xmlin_is(c, "member"))
			continue;
		struct rec_member *m = &rec->members[rec->n_members++];
		int role = enum_attr(b, c, "role", role_names, COUNT(role_names));
		m->role = role < 0 ? REC_ROLE_SEOC : (enum rec_role)role;
		m->name = attr(b, c, "name");
	}
}

static void event_artifacts(struct builder *b, const xmlNode *n, struct rec_event *ev,
			    const char *list)
{
	const struct policy *pol = b->pol;
	size_t max = 1;
	for (const char *p = list; *p; p++)
		max += isspace((unsigned char)*p) != 0;
	int *arts = arena_alloc(&b->rec->arena, max * sizeof(*arts));
	ev->artifacts = arts;
	const char *p = list;
	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		const char *e = p;
		while (*e && !isspace((unsigned char)*e))
			e++;
		char *id = xstrndup(p, (size_t)(e - p));
		int a = pol_artifact_index(pol, id);
		if (a < 0)
			ERROR(b, n, "unknown artifact '%s' (the policy defines no such artifact)", id);
		else if (rec_event_has_artifact(ev, a))
			ERROR(b, n, "artifact '%s' is listed twice", id);
		else
			arts[ev->n_artifacts++] = a;
		free(id);
		p = e;
	}
	if (strspn(list, " \t\r\n") == strlen(list))
		ERROR(b, n, "artifacts lists no artifact");
}

/* Checks what a group does in the event against the policy. */
static void event_group_checks(struct builder *b, const xmlNode *n, struct rec_event *ev)
{
	const struct policy *pol = b->pol;
	if (ev->group < 0)
		return;
	const struct pol_group *g = &pol->groups[ev->group];
	bool quoted = b->rec->fact_present[POL_FACT_SECURITY_QUOTED];
	if (ev->type == REC_EV_INFORMED) {
		for (size_t i = 0; i < ev->n_artifacts; i++) {
			int a = ev->artifacts[i];
			if (!pol_is_fyi(pol, (size_t)ev->group, (size_t)a, quoted))
				WARN(b, n, "group '%s' is not FYI for '%s' in the policy's matrix",
				     g->id, pol->artifacts[a].id);
		}
		return;
	}
	/* Security External Communications reviews and approves as a
	 * checkpoint of its own (EXTCOMMS-REVIEW, EXTCOMMS-APPROVAL), not as
	 * an approver group with a chain. */
	if ((ev->type == REC_EV_FEEDBACK || ev->type == REC_EV_APPROVED) && g->n_chain == 0 &&
	    ((int)ev->group == pol->extcomms_review_group ||
	     (int)ev->group == pol->extcomms_approval_group))
		return;
	bool approving = ev->type == REC_EV_REVIEW_REQUESTED || ev->type == REC_EV_FEEDBACK ||
			 ev->type == REC_EV_APPROVED || ev->type == REC_EV_BACKUP_ENGAGED;
	if (approving && g->n_chain == 0) {
		ERROR(b, n, "group '%s' has no approver chain in the policy: it cannot take part "
		      "in event type '%s'", g->id, event_names[ev->type]);
		return;
	}
	if ((ev->type == REC_EV_FEEDBACK || ev->type == REC_EV_APPROVED) && ev->by &&
	    pol_chain_position(g, ev->by) < 0) {
		struct buf chain = BUF_INIT;
		for (size_t i = 0; i < g->n_chain; i++)
			buf_printf(&chain, "%s'%s'", i ? ", " : "", g->chain[i]);
		WARN(b, n, "'%s' is not in the approver chain of group '%s' (%s)",
		     ev->by, g->id, buf_str(&chain));
		buf_free(&chain);
	}
	if (ev->type == REC_EV_FEEDBACK || ev->type == REC_EV_APPROVED) {
		for (size_t i = 0; i < ev->n_artifacts; i++) {
			int a = ev->artifacts[i];
			if (!pol_is_approver(pol, (size_t)ev->group, (size_t)a, quoted))
				WARN(b, n, "group '%s' is not an approver of '%s' in the policy's matrix",
				     g->id, pol->artifacts[a].id);
		}
	}
}

static void build_event(struct builder *b, const xmlNode *n, struct rec_event *ev,
			int64_t *latest, long *latest_line)
{
	const struct policy *pol = b->pol;
	ev->line = xmlin_line(n);
	ev->group = -1;
	int ti = enum_attr(b, n, "type", event_names, COUNT(event_names));
	ev->type = ti < 0 ? REC_EV_NOTE : (enum rec_event_type)ti;
	const char *type = event_names[ev->type];
	if (!time_attr(b, n, "at", &ev->at, &ev->offset) || ti < 0)
		return;

	const char *vals[COUNT(attr_names)];
	xmlin_attrs_in(n, attr_names, COUNT(attr_names), vals, &b->rec->arena);
	for (size_t i = 0; i < COUNT(attr_names); i++) {
		unsigned bit = 1u << i;
		if (!vals[i] && (event_attrs[ev->type].required & bit))
			ERROR(b, n, "event type '%s' needs %s %s attribute", type,
			      strchr("aeiou", attr_names[i][0]) ? "an" : "a", attr_names[i]);
		else if (vals[i] && !(event_attrs[ev->type].allowed & bit))
			WARN(b, n, "the %s attribute means nothing on event type '%s'", attr_names[i], type);
	}
	const char *group = vals[0];
	if (group && (event_attrs[ev->type].allowed & AT_GROUP)) {
		ev->group = pol_group_index(pol, group);
		if (ev->group < 0)
			ERROR(b, n, "unknown group '%s' (the policy defines no such group)", group);
	}
	ev->by = vals[1];
	if (vals[2] && (event_attrs[ev->type].allowed & AT_ARTIFACTS))
		event_artifacts(b, n, ev, vals[2]);
	if (vals[3]) {
		/* Read as a token, like the other enumerated values; "" (no
		 * round) is not one a record may write. */
		int r = enum_attr(b, n, "round", round_names + 1, COUNT(round_names) - 1);
		ev->round = r < 0 ? REC_ROUND_NONE : (enum rec_round)(r + 1);
	}
	ev->channel = vals[4];
	if (vals[5] && (event_attrs[ev->type].allowed & AT_CUTOFF))
		ev->has_cutoff = time_attr(b, n, "cutoff", &ev->cutoff, NULL);

	/* Any event may carry a description; a note is nothing else. */
	bool has_text = xmlin_has_text(n);
	ev->text = has_text ? block_text(b, n) : NULL;
	if (ev->type == REC_EV_NOTE && !has_text)
		WARN(b, n, "a note with no text");

	event_group_checks(b, n, ev);
	ev->regime = ev->stage = -1;
	if (rec_event_is_legal(ev->type)) {
		struct record_legal c = { pol, b->rec, b->path, b->d };
		if (record_legal_event(&c, n, ev) != 0)
			b->rc = -1;
	}

	if (ev->at < *latest) {
		char t[TS_BUFSZ];
		ts_format_utc(*latest, t);
		WARN(b, n, "events out of order: this %s event is earlier than the event on "
		     "line %ld (%s); sircomm sorts events by time", type, *latest_line, t);
	} else {
		*latest = ev->at;
		*latest_line = ev->line;
	}
}

static int event_cmp(const void *x, const void *y)
{
	const struct rec_event *a = x, *b = y;
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void build_timeline(struct builder *b, const xmlNode *n)
{
	struct record *rec = b->rec;
	rec->events = arena_alloc(&rec->arena, xmlin_count(n, "event") * sizeof(*rec->events));
	int64_t latest = INT64_MIN;
	long latest_line = 0;
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (!xmlin_is(c, "event"))
			continue;
		struct rec_event *ev = &rec->events[rec->n_events];
		ev->seq = rec->n_events++;
		build_event(b, c, ev, &latest, &latest_line);
	}
	qsort(rec->events, rec->n_events, sizeof(*rec->events), event_cmp);
	/* The index by type: counted, then filled in timeline order. */
	size_t next[REC_EV_COUNT] = { 0 };
	for (size_t i = 0; i < rec->n_events; i++)
		rec->type_at[rec->events[i].type + 1]++;
	for (size_t t = 0; t < REC_EV_COUNT; t++) {
		rec->type_at[t + 1] += rec->type_at[t];
		next[t] = rec->type_at[t];
	}
	rec->by_type = arena_alloc(&rec->arena, rec->n_events * sizeof(*rec->by_type));
	for (size_t i = 0; i < rec->n_events; i++)
		rec->by_type[next[rec->events[i].type]++] = &rec->events[i];
}

const struct rec_event *const *rec_events_of(const struct record *rec, enum rec_event_type t,
					     size_t *n)
{
	*n = rec->type_at[t + 1] - rec->type_at[t];
	return rec->by_type ? rec->by_type + rec->type_at[t] : NULL;
}

static const char **build_steps(struct builder *b, const xmlNode *n, size_t *count)
{
	const char **steps = arena_alloc(&b->rec->arena, xmlin_count(n, "step") * sizeof(*steps));
	*count = 0;
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (xmlin_is(c, "step"))
			steps[(*count)++] = block_text(b, c);
	return steps;
}

/* Links end up in emails and HTML pages: only plain web addresses. */
static const char *link_attr(struct builder *b, const xmlNode *n, const char *name, bool email_ok)
{
	const char *v = attr(b, n, name);
	if (!v)
		return NULL;
	bool web = strncmp(v, "https://", 8) == 0 || strncmp(v, "http://", 7) == 0;
	bool mail = email_ok && strchr(v, '@') && !strchr(v, ':');
	bool clean = true;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '<' || *p == '>' || *p == '"')
			clean = false;
	if (!(web || mail) || !clean)
		ERROR(b, n, "%s link '%s' is not a plain %s", name, v,
		      email_ok ? "http(s) address or email address" : "http(s) address");
	return v;
}

static void build_communication(struct builder *b, const xmlNode *n)
{
	struct rec_comm *c = &b->rec->comm;
	const xmlNode *e;
	b->rec->comm_status = -1;
	if (!n)
		return;
	b->rec->comm_line = xmlin_line(n);
	if (attr(b, n, "status"))
		b->rec->comm_status = enum_attr(b, n, "status", notice_status_names,
						COUNT(notice_status_names));
	b->rec->comm_has_next_update = time_attr(b, n, "next-update", &b->rec->comm_next_update, NULL);
	if ((e = xmlin_child(n, "summary")))
		c->summary = block_text(b, e);
	if ((e = xmlin_child(n, "customer-impact")))
		c->customer_impact = block_text(b, e);
	if ((e = xmlin_child(n, "response")))
		c->response = block_text(b, e);
	const char *to = token_attr(b, n, "email-to");
	c->email_to_affected = to && strcmp(to, "affected") == 0;
	if ((e = xmlin_child(n, "customer-action"))) {
		c->customer_action = block_text(b, e);
		static const char *const levels[] = { "no", "yes", "urgent" };
		const char *v = token_attr(b, e, "required");
		int i = v ? name_index(levels, COUNT(levels), v) : 1;
		if (i < 0)
			ERROR(b, e, "<customer-action> required=\"%s\" is not allowed: expected no, "
			      "yes or urgent", v);
		c->action = i < 0 ? REC_ACTION_REQUIRED : (enum rec_action)(REC_ACTION_NONE + i);
		c->action_brief = one_line_attr(b, e, "brief");
	}
	if ((e = xmlin_child(n, "next-update")))
		c->has_next_update = time_attr(b, e, "at", &c->next_update, NULL);
	/* <next-update at> and <communication next-update> are one promise,
	 * the first notice's: either may be written, and both must agree. */
	if (c->has_next_update && b->rec->comm_has_next_update &&
	    c->next_update != b->rec->comm_next_update)
		ERROR(b, e, "<next-update at> and <communication next-update> promise different "
		      "times: write the promise once");
	else if (c->has_next_update) {
		b->rec->comm_has_next_update = true;
		b->rec->comm_next_update = c->next_update;
	} else if (b->rec->comm_has_next_update) {
		c->has_next_update = true;
		c->next_update = b->rec->comm_next_update;
	}
	c->mitigation = build_steps(b, xmlin_child(n, "mitigation"), &c->n_mitigation);
	c->next_steps = build_steps(b, xmlin_child(n, "next-steps"), &c->n_next_steps);
	const xmlNode *faq = xmlin_child(n, "faq");
	c->faq = arena_alloc(&b->rec->arena, xmlin_count(faq, "item") * sizeof(*c->faq));
	for (const xmlNode *it = faq ? faq->children : NULL; it; it = it->next) {
		if (!xmlin_is(it, "item"))
			continue;
		struct rec_faq *f = &c->faq[c->n_faq++];
		f->q = block_text(b, xmlin_child(it, "q"));
		f->a = block_text(b, xmlin_child(it, "a"));
	}
	if ((e = xmlin_child(n, "quote"))) {
		c->quote = block_text(b, e);
		c->quote_by = attr(b, e, "by");
		c->quote_name = one_line_attr(b, e, "name");
	}
	if ((e = xmlin_child(n, "links"))) {
		c->blog = link_attr(b, e, "blog", false);
		c->advisory = link_attr(b, e, "advisory", false);
		c->contact = link_attr(b, e, "contact", true);
	}
}

/* The notices after the first: times in order, each promise after its
 * notice, a notice being drafted (no `at`) only last. */
static void build_notices(struct builder *b, const xmlNode *n)
{
	struct record *rec = b->rec;
	size_t count = xmlin_count(n, "notice");
	rec->notices = arena_alloc(&rec->arena, (count ? count : 1) * sizeof(*rec->notices));
	if (n && !xmlin_child(n->parent, "communication"))
		ERROR(b, n, "<notices> follow the first notice, the <communication>, which is missing");
	/* The first notice goes out with the first deployment. */
	const struct rec_event *first_out = NULL;
	for (size_t i = 0; i < rec->n_events && !first_out; i++)
		if (rec->events[i].type == REC_EV_DEPLOYED)
			first_out = &rec->events[i];
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next) {
		if (!xmlin_is(c, "notice"))
			continue;
		struct rec_notice *x = &rec->notices[rec->n_notices];
		x->line = xmlin_line(c);
		x->has_at = time_attr(b, c, "at", &x->at, NULL);
		int st = enum_attr(b, c, "status", notice_status_names, COUNT(notice_status_names));
		x->status = st < 0 ? REC_NOTICE_INVESTIGATING : (enum rec_notice_status)st;
		x->has_next_update = time_attr(b, c, "next-update", &x->next_update, NULL);
		x->changes = block_text(b, xmlin_child(c, "changes"));
		const xmlNode *sm = xmlin_child(c, "summary");
		x->summary = sm ? block_text(b, sm) : NULL;
		const struct rec_notice *prev = rec->n_notices ? &rec->notices[rec->n_notices - 1] : NULL;
		if (prev && !prev->has_at)
			ERROR(b, c, "a notice follows one that has not gone out (no at): only the last "
			      "notice may be a draft");
		if (!prev && x->has_at && first_out && x->at < first_out->at)
			ERROR(b, c, "notice 2 went out before the first notice (the communication, out "
			      "with the first deployed event, line %ld)", first_out->line);
		if (prev && prev->has_at && x->has_at && x->at < prev->at)
			ERROR(b, c, "notice %zu went out before notice %zu (line %ld): notices are in the "
			      "order they went out", rec->n_notices + 2, rec->n_notices + 1, prev->line);
		if (x->has_at && x->has_next_update && x->next_update <= x->at)
			ERROR(b, c, "next-update is not after the notice's time");
		rec->n_notices++;
	}
}

/* The policy's exception approvers, for a message: "'A', 'B'" or "none";
 * valid until the record is freed. */
static const char *exception_approvers(struct builder *b)
{
	const struct policy *pol = b->pol;
	struct buf all = BUF_INIT;
	for (size_t i = 0; i < pol->n_exception_approvers; i++)
		buf_printf(&all, "%s'%s'", i ? ", " : "", pol->exception_approvers[i]);
	const char *s = arena_strdup(&b->rec->arena, all.len ? buf_str(&all) : "none");
	buf_free(&all);
	return s;
}

/* An exception's id, where it stands, and the line of the first
 * exception with the same id (0: it is the first). */
struct id_use {
	const char *id;
	size_t seq;
	long line, first_line;
};

static int id_use_cmp(const void *x, const void *y)
{
	const struct id_use *a = x, *b = y;
	int c = strcmp(a->id, b->id);
	return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

static int id_use_seq_cmp(const void *x, const void *y)
{
	const struct id_use *a = x, *b = y;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Finds repeated exception ids by sorting, not by comparing every pair:
 * a file of 30,000 exceptions took seconds that way.  Returns the uses
 * in file order, each with the line of its id's first use; the caller
 * frees them. */
static struct id_use *exception_id_uses(const xmlNode *n, size_t count)
{
	struct id_use *u = xcalloc(count ? count : 1, sizeof(*u));
	size_t k = 0;
	for (const xmlNode *c = n ? n->children : NULL; c && k < count; c = c->next) {
		if (!xmlin_is(c, "exception"))
			continue;
		char *id = xmlin_attr(c, "id");
		u[k] = (struct id_use){ xstrdup(id ? id : ""), k, xmlin_line(c), 0 };
		xmlFree(id);
		k++;
	}
	qsort(u, k, sizeof(*u), id_use_cmp);
	for (size_t i = 1; i < k; i++)
		if (strcmp(u[i].id, u[i - 1].id) == 0)
			u[i].first_line = u[i - 1].first_line ? u[i - 1].first_line : u[i - 1].line;
	qsort(u, k, sizeof(*u), id_use_seq_cmp);
	return u;
}

static void build_exceptions(struct builder *b, const xmlNode *n)
{
	struct record *rec = b->rec;
	size_t count = xmlin_count(n, "exception");
	rec->exceptions = arena_alloc(&rec->arena, count * sizeof(*rec->exceptions));
	struct id_use *uses = exception_id_uses(n, count);
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next) {
		if (!xmlin_is(c, "exception"))
			continue;
		struct rec_exception *x = &rec->exceptions[rec->n_exceptions];
		x->line = xmlin_line(c);
		x->id = attr(b, c, "id");
		const char *why;
		if (!rec_id_is_safe(x->id, &why))
			ERROR(b, c, "exception id '%s' %s", x->id, why);
		if (uses[rec->n_exceptions].first_line)
			ERROR(b, c, "exception id '%s' is used twice (first on line %ld)",
			      x->id, uses[rec->n_exceptions].first_line);
		const char *rule = attr(b, c, "rule");
		int r = pol_rule_parse(rule);
		if (r < 0) {
			struct buf all = BUF_INIT;
			for (int i = 0; i < POL_RULE_COUNT; i++)
				buf_printf(&all, "%s%s", i ? " " : "", pol_rule_name((enum pol_rule)i));
			ERROR(b, c, "unknown rule '%s' (rules: %s)", rule, buf_str(&all));
			buf_free(&all);
		}
		x->rule = r < 0 ? (enum pol_rule)0 : (enum pol_rule)r;
		x->subject = attr(b, c, "subject");
		struct buf forms = BUF_INIT;
		if (r >= 0 && x->subject && !pol_rule_subject_ok(b->pol, x->rule, x->subject, &forms))
			ERROR(b, c, "exception '%s': subject '%s' can never match a finding of %s (%s)",
			      x->id, x->subject, pol_rule_name(x->rule), buf_str(&forms));
		buf_free(&forms);
		x->requested_by = attr(b, c, "requested-by");
		x->approved_by = attr(b, c, "approved-by");
		if (!pol_may_approve_exceptions(b->pol, x->approved_by))
			WARN(b, c, "exception '%s' was approved by '%s', whom the policy does not name "
			     "among the exception approvers (%s): it will excuse no finding", x->id,
			     x->approved_by, exception_approvers(b));
		time_attr(b, c, "approved-at", &x->approved_at, NULL);
		x->has_expires = time_attr(b, c, "expires", &x->expires, NULL);
		if (x->has_expires && x->expires <= x->approved_at && b->rc == 0)
			ERROR(b, c, "exception '%s' expires before it was approved", x->id);
		x->justification = block_text(b, xmlin_child(c, "justification"));
		const xmlNode *cc = xmlin_child(c, "compensating-controls");
		x->compensating = cc ? block_text(b, cc) : NULL;
		rec->n_exceptions++;
	}
	for (size_t i = 0; i < count; i++)
		free((char *)uses[i].id);
	free(uses);
}

static void build(struct builder *b, const xmlNode *root)
{
	struct record *rec = b->rec;
	rec->id = attr(b, root, "id");
	const char *why;
	if (!rec_id_is_safe(rec->id, &why))
		ERROR(b, root, "incident id '%s' %s", rec->id, why);
	rec->title = line_text(b, xmlin_child(root, "title"), "title");
	const xmlNode *n = xmlin_child(root, "severity");
	const char *v = token_text(b, n);
	int i = known(b, n, "<severity> value", v, pol_severity_parse(v));
	rec->severity = i < 0 ? POL_S1 : (enum pol_severity)i;
	n = xmlin_child(root, "impact");
	v = token_text(b, n);
	i = known(b, n, "<impact> value", v, pol_impact_parse(v));
	rec->impact = i < 0 ? POL_IMPACT_LOW : (enum pol_impact)i;
	n = xmlin_child(root, "status");
	v = token_text(b, n);
	i = known(b, n, "<status> value", v, name_index(status_names, COUNT(status_names), v));
	rec->status = i < 0 ? REC_STATUS_INVESTIGATING : (enum rec_status)i;
	build_scope(b, xmlin_child(root, "scope"));
	build_facts(b, xmlin_child(root, "facts"));
	derive_security_quoted(b, xmlin_child(root, "communication"));
	build_team(b, xmlin_child(root, "team"));
	build_timeline(b, xmlin_child(root, "timeline"));
	build_communication(b, xmlin_child(root, "communication"));
	build_notices(b, xmlin_child(root, "notices"));
	build_exceptions(b, xmlin_child(root, "exceptions"));
	struct record_legal c = { b->pol, rec, b->path, b->d };
	if (record_legal_statement(&c, xmlin_child(root, "regulatory")) != 0)
		b->rc = -1;
}

/* ---- Size limits ---------------------------------------------------- */

/*
 * The limits of record.h, checked on the parsed document before it is
 * validated (libxml2's validator is slow on long lists, so their length
 * is checked first), wherever an element stands: the schema judges
 * positions afterwards.
 */

static const char *const markdown_elements[] = {
	"summary", "customer-impact", "response", "customer-action", "quote", "step",
	"q", "a", "justification", "compensating-controls", "changes",
	/* <notice-content> */
	"nature", "contact", "consequences", "measures", "assessment", "indicators", "root-cause",
	"material-impact", "individual-steps", "payment-justification",
};

static const char *const line_elements[] = {
	"title", "service", "severity", "impact", "status",
};

/* A file with thousands of fields over a limit needs not thousands of
 * lines to say so. */
#define MAX_LIMIT_ERRORS 20

struct limits {
	const char *path;
	struct diag *d;
	bool whole_record;         /* an incident, whose Markdown has a total */
	size_t markdown;           /* Markdown bytes so far */
	const xmlNode *over_total; /* the field that passed the total, if any */
	size_t errors;
};

static void limit_error(struct limits *l, const xmlNode *n, const char *fmt, ...) SC_PRINTF(3, 4);

static void limit_error(struct limits *l, const xmlNode *n, const char *fmt, ...)
{
	if (++l->errors > MAX_LIMIT_ERRORS) {
		if (l->errors == MAX_LIMIT_ERRORS + 1)
			diag_error(l->d, l->path, xmlin_line(n), "too many fields over their limits; stopping");
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(l->d, DIAG_ERROR, l->path, xmlin_line(n), fmt, ap);
	va_end(ap);
}

/* Bytes of text directly inside an element or an attribute. */
static size_t text_length(const xmlNode *first)
{
	size_t n = 0;
	for (const xmlNode *c = first; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			n += strlen((const char *)c->content);
	return n;
}

static bool name_in(const xmlNode *n, const char *const *names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (xmlin_is(n, names[i]))
			return true;
	return false;
}

static void limit_attributes(struct limits *l, const xmlNode *n)
{
	size_t max = n->properties && xmlin_is(n, "links") ? REC_LINK_MAX : REC_LINE_MAX;
	for (const xmlAttr *a = n->properties; a; a = a->next) {
		const char *name = (const char *)a->name;
		/* Artifact lists are bounded by the policy: an id twice is an error. */
		if (strcmp(name, "artifacts") == 0)
			continue;
		size_t len = text_length(a->children);
		if (len > max)
			limit_error(l, n, "attribute %s is %zu bytes long, over the limit of %zu bytes",
				    name, len, max);
	}
}

static void limit_list(struct limits *l, const xmlNode *n, const char *item, const char *items)
{
	size_t count = xmlin_count(n, item);
	if (count > REC_LIST_MAX)
		limit_error(l, n, "<%s> has %zu %s, over the limit of %d", (const char *)n->name,
			    count, items, REC_LIST_MAX);
}

static void limit_element(struct limits *l, const xmlNode *n)
{
	limit_attributes(l, n);
	size_t len = text_length(n->children);
	/* Events first: they are most of a record's elements, and neither
	 * Markdown, one-line fields nor lists. */
	bool event = xmlin_is(n, "event");
	if (event) {
		if (len > REC_EVENT_TEXT_MAX)
			limit_error(l, n, "<event> text is %zu bytes long, over the limit of %d bytes "
				    "for an event's description", len, REC_EVENT_TEXT_MAX);
	} else if (name_in(n, markdown_elements, COUNT(markdown_elements))) {
		if (len > REC_MARKDOWN_MAX)
			limit_error(l, n, "<%s> is %zu bytes long, over the limit of %d bytes for one "
				    "Markdown field", (const char *)n->name, len, REC_MARKDOWN_MAX);
		l->markdown += len;
		if (l->whole_record && !l->over_total && l->markdown > REC_MARKDOWN_TOTAL)
			l->over_total = n;
	} else if (name_in(n, line_elements, COUNT(line_elements)) && len > REC_LINE_MAX) {
		limit_error(l, n, "<%s> is %zu bytes long, over the limit of %d bytes",
			    (const char *)n->name, len, REC_LINE_MAX);
	}
	if (!event) {
		if (xmlin_is(n, "mitigation") || xmlin_is(n, "next-steps"))
			limit_list(l, n, "step", "steps");
		else if (xmlin_is(n, "faq"))
			limit_list(l, n, "item", "items");
		else if (xmlin_is(n, "notices"))
			limit_list(l, n, "notice", "notices");
	}
	/* libxml2 refuses documents nested deeper than 256 elements, so
	 * this recursion is shallow. */
	for (const xmlNode *c = n->children; c; c = c->next)
		if (xmlin_is(c, NULL))
			limit_element(l, c);
}

/* An xmlin_check_fn: the size limits of record.h. */
static int check_limits(const xmlNode *root, const char *path, struct diag *d)
{
	struct limits l = { path, d, xmlin_is(root, "incident"), 0, NULL, 0 };
	limit_element(&l, root);
	if (l.over_total)
		limit_error(&l, l.over_total, "the record's Markdown comes to %zu bytes, over the "
			    "limit of %d bytes in all; this <%s> passes it", l.markdown,
			    REC_MARKDOWN_TOTAL, (const char *)l.over_total->name);
	return l.errors ? -1 : 0;
}

int rec_parse(const char *path, const char *data, size_t len,
	      const struct policy *pol, struct diag *d, struct record **out)
{
	*out = NULL;
	xmlDocPtr doc;
	if (xmlin_load_checked(path, data, len, "record.rng", check_limits, d, &doc) != 0)
		return -1;
	struct record *rec = xcalloc(1, sizeof(*rec));
	rec->path = arena_strdup(&rec->arena, path);
	char *src = arena_alloc(&rec->arena, len + 1);
	memcpy(src, data, len);
	rec->source = src;
	rec->source_len = len;
	struct builder b = { rec, pol, path, d, 0 };
	build(&b, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	if (b.rc != 0) {
		rec_free(rec);
		return -1;
	}
	*out = rec;
	return 0;
}

int rec_load_standing(const char *path, const struct policy *pol, struct diag *d,
		      struct record **out)
{
	char *data;
	size_t len;
	*out = NULL;
	if (xmlin_read(path, d, &data, &len) != 0)
		return -1;
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	xmlDocPtr doc;
	int rc = xmlin_load_checked(name, data, len, "exceptions.rng", check_limits, d, &doc);
	if (rc == 0) {
		struct record *rec = xcalloc(1, sizeof(*rec));
		rec->path = arena_strdup(&rec->arena, name);
		rec->id = "standing";
		rec->title = "standing exceptions";
		char *src = arena_alloc(&rec->arena, len + 1);
		memcpy(src, data, len);
		rec->source = src;
		rec->source_len = len;
		struct builder b = { rec, pol, name, d, 0 };
		build_exceptions(&b, xmlDocGetRootElement(doc));
		xmlFreeDoc(doc);
		if (b.rc != 0) {
			rec_free(rec);
			rc = -1;
		} else {
			*out = rec;
		}
	}
	free(data);
	return rc;
}

int rec_load(const char *path, const struct policy *pol, struct diag *d,
	     struct record **out)
{
	char *data;
	size_t len;
	*out = NULL;
	if (xmlin_read(path, d, &data, &len) != 0)
		return -1;
	int rc = rec_parse(strcmp(path, "-") == 0 ? "<stdin>" : path, data, len, pol, d, out);
	free(data);
	return rc;
}

bool rec_peek_id_fd(int fd, char **id, long *line)
{
	return xmlin_peek_root_attr_fd(fd, "id", id, line);
}

bool rec_peek_id(const char *data, size_t len, char **id, long *line)
{
	return xmlin_peek_root_attr(data, len, "id", id, line);
}

void rec_free(struct record *rec)
{
	if (!rec)
		return;
	arena_free(&rec->arena);
	free(rec);
}
