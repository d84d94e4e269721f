/* record_legal.c - the record's regulatory statement and legal events. */
#include "model/record_legal.h"

#include <stdio.h>
#include <string.h>

#include "base/ts.h"
#include "model/xmlin.h"

#define ERROR(c, node, ...) \
	(diag_error((c)->d, (c)->path, xmlin_line(node), __VA_ARGS__), rc = -1)
#define WARN_AT(c, line, ...) diag_warning((c)->d, (c)->path, line, __VA_ARGS__)

bool rec_event_is_legal(enum rec_event_type t)
{
	return t == REC_EV_AWARE || t == REC_EV_MATERIAL || t == REC_EV_CLASSIFIED_MAJOR ||
	       t == REC_EV_PAYMENT || t == REC_EV_NOTIFIED;
}

/* The policy's regime ids, for a message: "gdpr, nis2, ...". */
static void regime_list(const struct legal *lg, struct buf *out)
{
	if (!lg->n_regimes)
		buf_puts(out, "the policy defines none");
	for (size_t i = 0; i < lg->n_regimes; i++)
		buf_printf(out, "%s%s", i ? ", " : "", lg->regimes[i].id);
}

static int unknown_regime(const struct record_legal *c, const xmlNode *n, const char *id)
{
	int rc = 0;
	struct buf ids = BUF_INIT;
	regime_list(&c->pol->legal, &ids);
	ERROR(c, n, "unknown regime '%s' (the policy's regimes: %s)", id, buf_str(&ids));
	buf_free(&ids);
	return rc;
}

static int unknown_stage(const struct record_legal *c, const xmlNode *n,
			 const struct legal_regime *r, const char *id)
{
	int rc = 0;
	struct buf ids = BUF_INIT;
	for (size_t i = 0; i < r->n_stages; i++)
		buf_printf(&ids, "%s%s", i ? ", " : "", r->stages[i].id);
	ERROR(c, n, "regime '%s' has no stage '%s' (its stages: %s)", r->id, id, buf_str(&ids));
	buf_free(&ids);
	return rc;
}

/* A space-separated list of regime ids into indexes. */
static int regime_tokens(const struct record_legal *c, const xmlNode *n, const char *v,
			 const int **out, size_t *count)
{
	int rc = 0;
	const struct legal *lg = &c->pol->legal;
	int *ids = arena_alloc(&c->rec->arena, (strlen(v) / 2 + 1) * sizeof(*ids));
	size_t k = 0;
	for (const char *p = v; *p;) {
		p += strspn(p, " \t\r\n");
		size_t len = strcspn(p, " \t\r\n");
		if (!len)
			break;
		char *id = arena_strndup(&c->rec->arena, p, len);
		int r = legal_regime_index(lg, id);
		if (r < 0)
			rc = unknown_regime(c, n, id);
		else
			ids[k++] = r;
		p += len;
	}
	*out = ids;
	*count = k;
	return rc;
}

int record_legal_event(const struct record_legal *c, const xmlNode *n, struct rec_event *ev)
{
	int rc = 0;
	struct arena *a = &c->rec->arena;
	const struct legal *lg = &c->pol->legal;
	ev->regime = ev->stage = -1;
	if (ev->type != REC_EV_NOTIFIED) {
		const char *v = xmlin_attr_in(n, "regimes", a);
		if (v)
			rc |= regime_tokens(c, n, v, &ev->regimes, &ev->n_regimes);
		return rc;
	}
	const char *regime = xmlin_token_in(n, "regime", a);
	const char *stage = xmlin_token_in(n, "stage", a);
	ev->authority = xmlin_attr_in(n, "authority", a);
	ev->reference = xmlin_attr_in(n, "reference", a);
	/* record.c has said which of these is missing. */
	if (!regime || !stage)
		return -1;
	ev->regime = legal_regime_index(lg, regime);
	if (ev->regime < 0)
		return unknown_regime(c, n, regime);
	const struct legal_regime *r = &lg->regimes[ev->regime];
	ev->stage = legal_stage_index(r, stage);
	if (ev->stage < 0)
		return unknown_stage(c, n, r, stage);
	return rc;
}

int record_legal_statement(const struct record_legal *c, const xmlNode *regulatory)
{
	int rc = 0;
	struct record *rec = c->rec;
	struct arena *a = &rec->arena;
	const struct legal *lg = &c->pol->legal;
	size_t max = xmlin_count(regulatory, "regime");
	rec->regimes = arena_alloc(a, (max + 1) * sizeof(*rec->regimes));
	for (const xmlNode *n = regulatory ? regulatory->children : NULL; n; n = n->next) {
		if (!xmlin_is(n, "regime"))
			continue;
		const char *id = xmlin_token_in(n, "id", a);
		int r = legal_regime_index(lg, id);
		if (r < 0) {
			rc |= unknown_regime(c, n, id);
			continue;
		}
		if (rec_regime_of(rec, r)) {
			ERROR(c, n, "regime '%s' is stated twice; state each regime once", id);
			continue;
		}
		const struct legal_regime *lr = &lg->regimes[r];
		struct rec_regime *rr = &rec->regimes[rec->n_regimes++];
		rr->regime = r;
		rr->line = xmlin_line(n);
		rr->decided_by = xmlin_attr_in(n, "decided-by", a);
		const char *at = xmlin_attr_in(n, "decided-at", a);
		if (at) {
			const char *why;
			int off;
			if (ts_parse(at, &rr->decided_at, &off, &why) != 0)
				ERROR(c, n, "decided-at time '%s' %s", at, why);
			else
				rr->has_decided_at = true;
		}
		bool *stages = arena_alloc(a, (lr->n_stages + 1) * sizeof(*stages));
		const char *list = xmlin_token_in(n, "stages", a);
		for (size_t s = 0; s < lr->n_stages; s++)
			stages[s] = !list;
		for (const char *p = list; p && *p;) {
			size_t len = strcspn(p, " ");
			char *sid = arena_strndup(a, p, len);
			int s = legal_stage_index(lr, sid);
			if (s < 0)
				rc |= unknown_stage(c, n, lr, sid);
			else
				stages[s] = true;
			p += len + (p[len] == ' ');
		}
		rr->stages = stages;
	}
	rec->notice_line = regulatory ? xmlin_line(regulatory) : 0;
	const xmlNode *nc = xmlin_child(regulatory, "notice-content");
	if (nc)
		rec->notice_line = xmlin_line(nc);
	for (const xmlNode *n = nc ? nc->children : NULL; n; n = n->next) {
		if (!xmlin_is(n, NULL))
			continue;
		int k = legal_content_parse((const char *)n->name);
		if (k < 0)
			continue;
		const char *cats = xmlin_attr_in(n, "categories", a);
		if (cats) {
			char *text = arena_alloc(a, strlen(cats) + 64);
			const char *approx = xmlin_token_in(n, "approx", a);
			sprintf(text, "%s (about %.40s)", cats, approx ? approx : "?");
			rec->notice[k] = text;
		} else {
			rec->notice[k] = xmlin_text_in(n, a);
		}
	}
	/* Legal events for regimes the statement leaves out: kept, and said. */
	for (size_t i = 0; i < rec->n_events; i++) {
		const struct rec_event *ev = &rec->events[i];
		if (ev->type == REC_EV_NOTIFIED && ev->regime >= 0) {
			const struct rec_regime *rr = rec_regime_of(rec, ev->regime);
			const struct legal_regime *lr = &lg->regimes[ev->regime];
			if (!rr)
				WARN_AT(c, ev->line, "a notification under regime '%s', which the record's "
					"<regulatory> statement does not say applies", lr->id);
			else if (ev->stage >= 0 && !rr->stages[ev->stage])
				WARN_AT(c, ev->line, "a notification for stage '%s' of regime '%s', which the "
					"record's <regulatory> statement leaves out", lr->stages[ev->stage].id,
					lr->id);
		}
		for (size_t k = 0; k < ev->n_regimes; k++)
			if (!rec_regime_of(rec, ev->regimes[k]))
				WARN_AT(c, ev->line, "a %s event for regime '%s', which the record's "
					"<regulatory> statement does not say applies",
					rec_event_type_name(ev->type), lg->regimes[ev->regimes[k]].id);
	}
	return rc;
}
