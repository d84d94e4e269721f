/* rollup.c - the report's per-day rollups (rollup_int.h): an incident's
 * contribution added after it is stored and taken away before it is
 * deleted or replaced, and every incident's at once when a ledger is
 * migrated.  The only statements of the module that read an incident's
 * rows for the rollups are here. */
#include "ledger_int.h"
#include "rollup_int.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#include "audit/audit.h"
#include "base/ts.h"
#include "model/policy.h"
#include "model/record.h"

/* The UTC day of an epoch time t: t / 86400 rounded down (SQLite's
 * integer division rounds towards zero, which would put the last
 * second before 1970 on day 0); and the first day of its month. */
#define DAY(t) "(" t " - (" t " < 0) * 86399) / 86400"
#define MONTH(t) "unixepoch(" t ", 'unixepoch', 'start of month') / 86400"

/* Each incident counts in two spans: its day and its month.  A
 * statement joins SPANS as s and keys its rows by s.span and
 * SPAN_DAY(t), the first day of the span. */
#define SPANS "(SELECT 'day' AS span UNION ALL SELECT 'month') s"
#define SPAN_DAY(t) "s.span, CASE s.span WHEN 'day' THEN " DAY(t) " ELSE " MONTH(t) " END"

/*
 * Each table's statement, written once for both uses: WHERE selects the
 * incidents (`i.id = ?1` for one, `1` for all), SIGN multiplies what
 * they add (`?2`: 1 to add, -1 to take away; `1` to fill), and DISTINCT
 * counts the distinct incidents of a group (for one incident, 1: SIGN
 * itself, without the sort count(DISTINCT) costs).  The same
 * incident's rows always fall in the same rollup rows, so taking them
 * away undoes adding them exactly.  Not deployed and not answered are
 * keyed as `deployed = 0` and `answered = 0` with seconds 0, as a key
 * of a WITHOUT ROWID table cannot be NULL.
 */
#define INCIDENTS_SQL(WHERE, SIGN) \
	"INSERT INTO rollup_incidents (span, day, severity, in_scope, result, incidents, turnaround_met,\n" \
	"  turnaround_missed, turnaround_excepted, turnaround_pending, backups_engaged, with_backups,\n" \
	"  quorum_deployments, with_quorum)\n" \
	"SELECT " SPAN_DAY("i.comms_started_at") ", i.severity, i.in_scope, i.result,\n" \
	"       " SIGN " * count(*), " SIGN " * sum(i.turnaround_met), " SIGN " * sum(i.turnaround_missed),\n" \
	"       " SIGN " * sum(i.turnaround_excepted), " SIGN " * sum(i.turnaround_pending),\n" \
	"       " SIGN " * sum(i.backups_engaged), " SIGN " * sum(i.backups_engaged > 0),\n" \
	"       " SIGN " * sum(i.quorum_deployments), " SIGN " * sum(i.quorum_deployments > 0)\n" \
	"FROM " SPANS "\n" \
	"CROSS JOIN incidents i\n" \
	"WHERE " WHERE " AND i.comms_started_at IS NOT NULL\n" \
	"GROUP BY 1, 2, 3, 4, 5\n" \
	"ON CONFLICT (span, day, severity, in_scope, result) DO UPDATE SET\n" \
	"  incidents = incidents + excluded.incidents,\n" \
	"  turnaround_met = turnaround_met + excluded.turnaround_met,\n" \
	"  turnaround_missed = turnaround_missed + excluded.turnaround_missed,\n" \
	"  turnaround_excepted = turnaround_excepted + excluded.turnaround_excepted,\n" \
	"  turnaround_pending = turnaround_pending + excluded.turnaround_pending,\n" \
	"  backups_engaged = backups_engaged + excluded.backups_engaged,\n" \
	"  with_backups = with_backups + excluded.with_backups,\n" \
	"  quorum_deployments = quorum_deployments + excluded.quorum_deployments,\n" \
	"  with_quorum = with_quorum + excluded.with_quorum"

/* Incidents with no communications started, by the day detected. */
#define NO_COMMS_SQL(WHERE, SIGN) \
	"INSERT INTO rollup_no_comms (span, day, incidents)\n" \
	"SELECT " SPAN_DAY("i.detected_at") ", " SIGN " * count(*)\n" \
	"FROM " SPANS "\n" \
	"CROSS JOIN incidents i\n" \
	"WHERE " WHERE " AND i.comms_started_at IS NULL AND i.detected_at IS NOT NULL\n" \
	"GROUP BY 1, 2\n" \
	"ON CONFLICT (span, day) DO UPDATE SET incidents = incidents + excluded.incidents"

#define FIRST_DRAFT_SQL(WHERE, SIGN) \
	"INSERT INTO rollup_first_draft (span, day, severity, seconds, incidents)\n" \
	"SELECT " SPAN_DAY("i.comms_started_at") ", i.severity, i.first_draft, " SIGN " * count(*)\n" \
	"FROM " SPANS "\n" \
	"CROSS JOIN incidents i\n" \
	"WHERE " WHERE " AND i.comms_started_at IS NOT NULL AND i.in_scope = 1\n" \
	"  AND i.first_draft IS NOT NULL\n" \
	"GROUP BY 1, 2, 3, 4\n" \
	"ON CONFLICT (span, day, severity, seconds) DO UPDATE SET incidents = incidents + excluded.incidents"

#define TURNAROUND_SQL(WHERE, SIGN) \
	"INSERT INTO rollup_turnaround (span, day, severity, deployed, seconds, artifacts)\n" \
	"SELECT " SPAN_DAY("i.comms_started_at") ", i.severity, m.seconds IS NOT NULL,\n" \
	"       coalesce(m.seconds, 0), " SIGN " * count(*)\n" \
	"FROM " SPANS "\n" \
	"CROSS JOIN incidents i\n" \
	"CROSS JOIN metric_rows m ON m.incident = i.key\n" \
	"  AND m.name = (SELECT code FROM names WHERE name = 'turnaround')\n" \
	"WHERE " WHERE " AND i.comms_started_at IS NOT NULL AND i.in_scope = 1\n" \
	"GROUP BY 1, 2, 3, 4, 5\n" \
	"ON CONFLICT (span, day, severity, deployed, seconds) DO UPDATE SET\n" \
	"  artifacts = artifacts + excluded.artifacts"

#define RESPONSES_SQL(WHERE, SIGN) \
	"INSERT INTO rollup_responses (span, day, grp, round, answered, seconds, requests, in_window)\n" \
	"SELECT " SPAN_DAY("i.comms_started_at") ", g.name, r.name, m.seconds IS NOT NULL,\n" \
	"       coalesce(m.seconds, 0), " SIGN " * count(*),\n" \
	"       " SIGN " * coalesce(sum(m.within_window = 1), 0)\n" \
	"FROM " SPANS "\n" \
	"CROSS JOIN incidents i\n" \
	"CROSS JOIN metric_rows m ON m.incident = i.key\n" \
	"  AND m.name = (SELECT code FROM names WHERE name = 'response')\n" \
	"JOIN names g ON g.code = m.grp\n" \
	"JOIN names r ON r.code = m.round\n" \
	"WHERE " WHERE " AND i.comms_started_at IS NOT NULL AND i.in_scope = 1\n" \
	"GROUP BY 1, 2, 3, 4, 5, 6\n" \
	"ON CONFLICT (span, day, grp, round, answered, seconds) DO UPDATE SET\n" \
	"  requests = requests + excluded.requests, in_window = in_window + excluded.in_window"

/* An incident is in one day, so the incidents of a rule on each day
 * add up to the distinct incidents of the rule over the days. */
#define FAILURES_SQL(WHERE, SIGN, DISTINCT) \
	"INSERT INTO rollup_failures (span, day, rule, findings, incidents)\n" \
	"SELECT " SPAN_DAY("i.comms_started_at") ", r.name, " SIGN " * count(*),\n" \
	"       " DISTINCT "\n" \
	"FROM " SPANS "\n" \
	"CROSS JOIN incidents i\n" \
	"CROSS JOIN finding_rows f ON f.incident = i.key AND f.status = 1\n" \
	"JOIN names r ON r.code = f.rule\n" \
	"WHERE " WHERE " AND i.comms_started_at IS NOT NULL AND i.in_scope = 1\n" \
	"GROUP BY 1, 2, 3\n" \
	"ON CONFLICT (span, day, rule) DO UPDATE SET findings = findings + excluded.findings,\n" \
	"  incidents = incidents + excluded.incidents"

/* kind: the incident's own exception (a row of it in exceptions) or a
 * standing one. */
#define EXCEPTIONS_SQL(WHERE, SIGN, DISTINCT) \
	"INSERT INTO rollup_exceptions (span, day, exception, kind, rule, findings, incidents, retroactive)\n" \
	"SELECT " SPAN_DAY("i.comms_started_at") ", f.exception_id,\n" \
	"       CASE WHEN x.id IS NULL THEN 'standing' ELSE 'incident' END, r.name,\n" \
	"       " SIGN " * count(*), " DISTINCT ", " SIGN " * sum(f.retroactive)\n" \
	"FROM " SPANS "\n" \
	"CROSS JOIN incidents i\n" \
	"CROSS JOIN finding_rows f INDEXED BY findings_excused\n" \
	"  ON f.incident = i.key AND f.exception_id IS NOT NULL\n" \
	"JOIN names r ON r.code = f.rule\n" \
	"LEFT JOIN exceptions x ON x.incident_id = i.id AND x.id = f.exception_id\n" \
	"WHERE " WHERE " AND i.comms_started_at IS NOT NULL AND i.in_scope = 1\n" \
	"GROUP BY 1, 2, 3, 4, 5\n" \
	"ON CONFLICT (span, day, exception, kind, rule) DO UPDATE SET findings = findings + excluded.findings,\n" \
	"  incidents = incidents + excluded.incidents, retroactive = retroactive + excluded.retroactive"

/* The rows of the incident ?1's day and month whose count fell to 0. */
#define PRUNE_SQL(TABLE, COUNT, TIME) \
	"DELETE FROM " TABLE " WHERE " COUNT " = 0\n" \
	"  AND (span, day) IN (SELECT " SPAN_DAY("i." TIME) " FROM " SPANS "\n" \
	"                      CROSS JOIN incidents i WHERE i.id = ?1)"

#define ONE "i.id = ?1"

static const char *const rollup_sql[ROLLUP_ST_COUNT] = {
	[ROLLUP_INCIDENTS] = INCIDENTS_SQL(ONE, "?2"),
	[ROLLUP_NO_COMMS] = NO_COMMS_SQL(ONE, "?2"),
	[ROLLUP_FIRST_DRAFT] = FIRST_DRAFT_SQL(ONE, "?2"),
	[ROLLUP_TURNAROUND] = TURNAROUND_SQL(ONE, "?2"),
	[ROLLUP_RESPONSES] = RESPONSES_SQL(ONE, "?2"),
	[ROLLUP_FAILURES] = FAILURES_SQL(ONE, "?2", "?2"),
	[ROLLUP_EXCEPTIONS] = EXCEPTIONS_SQL(ONE, "?2", "?2"),
	[ROLLUP_STORED] = "SELECT 1 FROM incidents i WHERE " ONE,
	[ROLLUP_TABLES + ROLLUP_INCIDENTS] =
		PRUNE_SQL("rollup_incidents", "incidents", "comms_started_at"),
	[ROLLUP_TABLES + ROLLUP_NO_COMMS] = PRUNE_SQL("rollup_no_comms", "incidents", "detected_at"),
	[ROLLUP_TABLES + ROLLUP_FIRST_DRAFT] =
		PRUNE_SQL("rollup_first_draft", "incidents", "comms_started_at"),
	[ROLLUP_TABLES + ROLLUP_TURNAROUND] =
		PRUNE_SQL("rollup_turnaround", "artifacts", "comms_started_at"),
	[ROLLUP_TABLES + ROLLUP_RESPONSES] =
		PRUNE_SQL("rollup_responses", "requests", "comms_started_at"),
	[ROLLUP_TABLES + ROLLUP_FAILURES] =
		PRUNE_SQL("rollup_failures", "findings", "comms_started_at"),
	[ROLLUP_TABLES + ROLLUP_EXCEPTIONS] =
		PRUNE_SQL("rollup_exceptions", "findings", "comms_started_at"),
	[ROLLUP_UPSERT + ROLLUP_INCIDENTS] =
		"INSERT INTO rollup_incidents (span, day, severity, in_scope, result, incidents,\n"
		"  turnaround_met, turnaround_missed, turnaround_excepted, turnaround_pending,\n"
		"  backups_engaged, with_backups, quorum_deployments, with_quorum)\n"
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)\n"
		"ON CONFLICT (span, day, severity, in_scope, result) DO UPDATE SET\n"
		"  incidents = incidents + excluded.incidents,\n"
		"  turnaround_met = turnaround_met + excluded.turnaround_met,\n"
		"  turnaround_missed = turnaround_missed + excluded.turnaround_missed,\n"
		"  turnaround_excepted = turnaround_excepted + excluded.turnaround_excepted,\n"
		"  turnaround_pending = turnaround_pending + excluded.turnaround_pending,\n"
		"  backups_engaged = backups_engaged + excluded.backups_engaged,\n"
		"  with_backups = with_backups + excluded.with_backups,\n"
		"  quorum_deployments = quorum_deployments + excluded.quorum_deployments,\n"
		"  with_quorum = with_quorum + excluded.with_quorum",
	[ROLLUP_UPSERT + ROLLUP_NO_COMMS] =
		"INSERT INTO rollup_no_comms (span, day, incidents) VALUES (?, ?, ?)\n"
		"ON CONFLICT (span, day) DO UPDATE SET incidents = incidents + excluded.incidents",
	[ROLLUP_UPSERT + ROLLUP_FIRST_DRAFT] =
		"INSERT INTO rollup_first_draft (span, day, severity, seconds, incidents) VALUES (?, ?, ?, ?, ?)\n"
		"ON CONFLICT (span, day, severity, seconds) DO UPDATE SET\n"
		"  incidents = incidents + excluded.incidents",
	[ROLLUP_UPSERT + ROLLUP_TURNAROUND] =
		"INSERT INTO rollup_turnaround (span, day, severity, deployed, seconds, artifacts)\n"
		"VALUES (?, ?, ?, ?, ?, ?)\n"
		"ON CONFLICT (span, day, severity, deployed, seconds) DO UPDATE SET\n"
		"  artifacts = artifacts + excluded.artifacts",
	[ROLLUP_UPSERT + ROLLUP_RESPONSES] =
		"INSERT INTO rollup_responses (span, day, grp, round, answered, seconds, requests, in_window)\n"
		"VALUES (?, ?, ?, ?, ?, ?, ?, ?)\n"
		"ON CONFLICT (span, day, grp, round, answered, seconds) DO UPDATE SET\n"
		"  requests = requests + excluded.requests, in_window = in_window + excluded.in_window",
	[ROLLUP_UPSERT + ROLLUP_FAILURES] =
		"INSERT INTO rollup_failures (span, day, rule, findings, incidents) VALUES (?, ?, ?, ?, ?)\n"
		"ON CONFLICT (span, day, rule) DO UPDATE SET findings = findings + excluded.findings,\n"
		"  incidents = incidents + excluded.incidents",
	[ROLLUP_UPSERT + ROLLUP_EXCEPTIONS] =
		"INSERT INTO rollup_exceptions (span, day, exception, kind, rule, findings, incidents,\n"
		"  retroactive) VALUES (?, ?, ?, ?, ?, ?, ?, ?)\n"
		"ON CONFLICT (span, day, exception, kind, rule) DO UPDATE SET\n"
		"  findings = findings + excluded.findings, incidents = incidents + excluded.incidents,\n"
		"  retroactive = retroactive + excluded.retroactive",
};

static const char *const fill_sql[ROLLUP_TABLES] = {
	INCIDENTS_SQL("1", "1"), NO_COMMS_SQL("1", "1"), FIRST_DRAFT_SQL("1", "1"),
	TURNAROUND_SQL("1", "1"), RESPONSES_SQL("1", "1"),
	FAILURES_SQL("1", "1", "count(DISTINCT f.incident)"),
	EXCEPTIONS_SQL("1", "1", "count(DISTINCT f.incident)"),
};

/* The handle's statement `which`, prepared on first use and kept (as
 * store.c keeps its own); NULL after a failure. */
static sqlite3_stmt *rollup_stmt(struct ledger_run *run, struct ledger *lg, int which)
{
	if (run->rc != 0)
		return NULL;
	if (!lg->rollup[which] &&
	    sqlite3_prepare_v3(lg->db, rollup_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
			       &lg->rollup[which], NULL) != SQLITE_OK)
		ledger_failed(run);
	return lg->rollup[which];
}

/* ---- Adding one incident, from its audit -------------------------------- */

/* The rollup rows an incident's time t falls in: its day and its month
 * (DAY and MONTH above). */
struct spans { int64_t day[2]; };
static const char *const span_name[2] = { "day", "month" };

static struct spans spans_of(int64_t t)
{
	struct spans s;
	s.day[0] = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t y;
	unsigned m, d;
	ts_civil_from_days(s.day[0], &y, &m, &d);
	s.day[1] = ts_days_from_civil(y, m, 1);
	return s;
}

/* ---- Changes waiting to be written ------------------------------------ */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211u;
	return h;
}

/* A key's text: in the pending set's buffer, at its offset. */
static const char *key_text(const struct rollup_pending *p, const struct rollup_key *k)
{
	return p->text.data + k->off;
}

static uint64_t delta_hash(const struct rollup_pending *p, const struct rollup_delta *x)
{
	uint64_t h = fnv(14695981039346656037u, &x->table, sizeof(x->table));
	for (int k = 0; k < x->nkeys; k++) {
		const char *t = x->key[k].text ? key_text(p, &x->key[k]) : NULL;
		h = t ? fnv(h, t, strlen(t) + 1) : fnv(h, &x->key[k].i, sizeof(x->key[k].i));
	}
	return h;
}

/* Whether a and b change the same row: -1, 0 or 1 as their keys sort
 * (SQLite's order for these columns: integers by value, texts by their
 * bytes), the table first. */
static int delta_cmp(const struct rollup_pending *p, const struct rollup_delta *a,
		     const struct rollup_delta *b)
{
	if (a->table != b->table)
		return a->table < b->table ? -1 : 1;
	for (int k = 0; k < a->nkeys && k < b->nkeys; k++) {
		int c = a->key[k].text ? strcmp(key_text(p, &a->key[k]), key_text(p, &b->key[k]))
				       : (a->key[k].i > b->key[k].i) - (a->key[k].i < b->key[k].i);
		if (c)
			return c;
	}
	return (a->nkeys > b->nkeys) - (a->nkeys < b->nkeys);
}

/* Stages the change of `table`'s rows of the incident's day and month:
 * keys (the table's key columns after span and day) and sums (what is
 * added to its counts), in the order of the table's upsert. */
static void stage(struct ledger *lg, int table, const struct spans *sp,
		  const struct ledger_arg *keys, int nkeys, const int64_t *sums, int nsums)
{
	struct rollup_pending *p = &lg->pending;
	for (int k = 0; k < 2; k++) {
		if (p->n_stage == p->cap_stage) {
			p->cap_stage = p->cap_stage ? 2 * p->cap_stage : 64;
			p->stage = xrealloc(p->stage, p->cap_stage * sizeof(*p->stage));
		}
		struct rollup_delta *x = &p->stage[p->n_stage++];
		memset(x, 0, sizeof(*x));
		x->table = table;
		x->nkeys = 2 + nkeys;
		x->nsums = nsums;
		x->key[0] = (struct rollup_key){ true, 0, p->text.len };
		buf_append(&p->text, span_name[k], strlen(span_name[k]) + 1);
		x->key[1] = (struct rollup_key){ false, sp->day[k], 0 };
		for (int j = 0; j < nkeys; j++) {
			if (keys[j].type != LEDGER_ARG_TEXT) {
				x->key[2 + j] = (struct rollup_key){ false, keys[j].i, 0 };
				continue;
			}
			x->key[2 + j] = (struct rollup_key){ true, 0, p->text.len };
			buf_append(&p->text, keys[j].p, strlen(keys[j].p) + 1);
		}
		memcpy(x->sum, sums, (size_t)nsums * sizeof(*sums));
		x->hash = delta_hash(p, x);
	}
}

/* Indexes the pending changes in a new hash table of nslot slots (a
 * power of two). */
static void pending_index(struct rollup_pending *p, size_t nslot)
{
	free(p->slot);
	p->nslot = nslot;
	p->slot = xcalloc(p->nslot, sizeof(*p->slot));
	for (size_t i = 0; i < p->n; i++) {
		size_t j = p->d[i].hash & (p->nslot - 1);
		while (p->slot[j])
			j = (j + 1) & (p->nslot - 1);
		p->slot[j] = (uint32_t)(i + 1);
	}
}

void rollup_settle(struct ledger *lg, bool kept)
{
	struct rollup_pending *p = &lg->pending;
	/* A dropped incident's key texts stay in the buffer, unused, until
	 * the transaction ends. */
	for (size_t s = 0; kept && s < p->n_stage; s++) {
		struct rollup_delta *x = &p->stage[s];
		if (2 * (p->n + 1) > p->nslot)
			pending_index(p, p->nslot ? 2 * p->nslot : 1024);
		size_t j = x->hash & (p->nslot - 1);
		for (; p->slot[j]; j = (j + 1) & (p->nslot - 1)) {
			const struct rollup_delta *y = &p->d[p->slot[j] - 1];
			if (y->hash == x->hash && delta_cmp(p, x, y) == 0)
				break;
		}
		if (p->slot[j]) {
			struct rollup_delta *y = &p->d[p->slot[j] - 1];
			for (int k = 0; k < y->nsums; k++)
				y->sum[k] += x->sum[k];
			continue;
		}
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 256;
			p->d = xrealloc(p->d, p->cap * sizeof(*p->d));
		}
		p->d[p->n] = *x;
		p->slot[j] = (uint32_t)++p->n;
	}
	p->n_stage = 0;
}

void rollup_forget(struct ledger *lg)
{
	struct rollup_pending *p = &lg->pending;
	p->n = p->n_stage = 0;
	if (p->slot)
		memset(p->slot, 0, p->nslot * sizeof(*p->slot));
	buf_reset(&p->text);
}

/* qsort's comparison, for the pending set being written (one writer a
 * thread). */
static _Thread_local const struct rollup_pending *sorting;

static int delta_order(const void *a, const void *b)
{
	return delta_cmp(sorting, a, b);
}

void rollup_flush(struct ledger_run *run, struct ledger *lg)
{
	struct rollup_pending *p = &lg->pending;
	if (p->n == 0 || run->rc != 0)
		return;
	/* In each table's key order, so that one upsert after another
	 * walks its b-tree forward through pages just read, not at random
	 * (the days of a batch's incidents are anywhere in the year).  The
	 * hash table no longer matches: rollup_forget empties it below, and
	 * after a failure it is made again. */
	sorting = p;
	qsort(p->d, p->n, sizeof(*p->d), delta_order);
	sorting = NULL;
	/* All the rows or none: after a failure the changes stay pending,
	 * and the tables as they were, whatever the caller does next. */
	ledger_exec(run, "SAVEPOINT rollup_flush");
	struct ledger_arg row[16];
	for (size_t i = 0; i < p->n && run->rc == 0; i++) {
		const struct rollup_delta *x = &p->d[i];
		size_t n = 0;
		for (int k = 0; k < x->nkeys; k++)
			row[n++] = x->key[k].text ? arg_text(key_text(p, &x->key[k])) : arg_int(x->key[k].i);
		for (int k = 0; k < x->nsums; k++)
			row[n++] = arg_int(x->sum[k]);
		ledger_step(run, rollup_stmt(run, lg, ROLLUP_UPSERT + x->table), row, n);
	}
	if (run->rc == 0)
		ledger_exec(run, "RELEASE rollup_flush");
	if (run->rc != 0) {
		sqlite3_exec(lg->db, "ROLLBACK TO rollup_flush; RELEASE rollup_flush", NULL, NULL, NULL);
		pending_index(p, p->nslot);
		return;
	}
	rollup_forget(lg);
}

/* Up to n keys of (a, b, c, d) with counts, for grouping an incident's
 * rows as the statements above GROUP BY them (an incident has a few
 * dozen rows: a linear search). */
struct group {
	const char *a, *b, *c;
	int64_t d;
	int64_t count, sum;
};

static size_t group_add(struct group *g, size_t n, const char *a, const char *b, const char *c,
			int64_t d, int64_t sum)
{
	for (size_t j = 0; j < n; j++)
		if (g[j].d == d && strcmp(g[j].a, a) == 0 && strcmp(g[j].b, b) == 0 &&
		    strcmp(g[j].c, c) == 0) {
			g[j].count++;
			g[j].sum += sum;
			return n;
		}
	g[n] = (struct group){ a, b, c, d, 1, sum };
	return n + 1;
}

void rollup_add(struct ledger_run *run, struct ledger *lg, const struct record *rec,
		const struct policy *pol, const struct audit *au)
{
	if (run->rc != 0)
		return;
	const struct audit_metrics *m = &au->metrics;
	const char *severity = pol_severity_name(rec->severity);
	if (!au->has_t0) {
		/* No communications started: counted by the day detected. */
		for (size_t i = 0; i < rec->n_events; i++)
			if (rec->events[i].type == REC_EV_DETECTED) {
				struct spans sp = spans_of(rec->events[i].at);
				const int64_t one = 1;
				stage(lg, ROLLUP_NO_COMMS, &sp, NULL, 0, &one, 1);
				break;
			}
		return;
	}
	struct spans sp = spans_of(au->t0);
	int64_t tat[AUDIT_STATUS_COUNT] = { 0 };
	for (size_t i = 0; i < au->n_findings; i++)
		if (au->findings[i].rule == POL_RULE_TURNAROUND)
			tat[au->findings[i].status]++;
	const struct ledger_arg inc[] = {
		arg_text(severity), arg_int(au->in_scope), arg_text(audit_failed(au) ? "fail" : "pass"),
	};
	const int64_t counts[] = {
		1, tat[AUDIT_PASS], tat[AUDIT_FAIL], tat[AUDIT_EXCEPTED], tat[AUDIT_PENDING],
		(int64_t)m->backups_engaged, m->backups_engaged > 0, (int64_t)m->quorum_deployments,
		m->quorum_deployments > 0,
	};
	stage(lg, ROLLUP_INCIDENTS, &sp, inc, 3, counts, 9);
	if (!au->in_scope)
		return;   /* the other figures count in-scope incidents only */
	if (m->has_first_draft) {
		const struct ledger_arg v[] = { arg_text(severity), arg_int(m->first_draft) };
		const int64_t one = 1;
		stage(lg, ROLLUP_FIRST_DRAFT, &sp, v, 2, &one, 1);
	}
	size_t cap = m->n_turnaround + m->n_responses + au->n_findings + 1;
	struct group *g = xcalloc(cap, sizeof(*g));
	size_t n = 0;
	for (size_t i = 0; i < m->n_turnaround; i++) {
		const struct audit_turnaround *t = &m->turnaround[i];
		n = group_add(g, n, "", "", "", t->deployed ? t->seconds : -1, 0);
	}
	for (size_t j = 0; j < n; j++) {
		const struct ledger_arg v[] = {
			arg_text(severity), arg_int(g[j].d >= 0), arg_int(g[j].d >= 0 ? g[j].d : 0),
		};
		stage(lg, ROLLUP_TURNAROUND, &sp, v, 3, &g[j].count, 1);
	}
	/* Responses: unanswered as -1 (answered 0, seconds 0 in the row);
	 * within the window as store.c writes within_window. */
	const int64_t window = pol->targets[rec->severity].response;
	n = 0;
	for (size_t i = 0; i < m->n_responses; i++) {
		const struct audit_response *r = &m->responses[i];
		n = group_add(g, n, r->group, rec_round_name(r->round), "", r->answered ? r->seconds : -1,
			      r->answered && r->seconds <= window);
	}
	for (size_t j = 0; j < n; j++) {
		const struct ledger_arg v[] = {
			arg_text(g[j].a), arg_text(g[j].b), arg_int(g[j].d >= 0),
			arg_int(g[j].d >= 0 ? g[j].d : 0),
		};
		const int64_t sums[] = { g[j].count, g[j].sum };
		stage(lg, ROLLUP_RESPONSES, &sp, v, 4, sums, 2);
	}
	n = 0;
	for (size_t i = 0; i < au->n_findings; i++)
		if (au->findings[i].status == AUDIT_FAIL)
			n = group_add(g, n, pol_rule_name(au->findings[i].rule), "", "", 0, 0);
	for (size_t j = 0; j < n; j++) {
		const struct ledger_arg v[] = { arg_text(g[j].a) };
		const int64_t sums[] = { g[j].count, 1 };
		stage(lg, ROLLUP_FAILURES, &sp, v, 1, sums, 2);
	}
	/* Excused findings by exception, kind and rule: `incident` when the
	 * incident has its own exception of that id (stored in exceptions
	 * by store.c), `standing` otherwise. */
	n = 0;
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		if (!f->exception)
			continue;
		bool own = false;
		for (size_t x = 0; x < au->n_exceptions && !own; x++)
			own = !au->exceptions[x].standing &&
			      strcmp(au->exceptions[x].exception->id, f->exception->id) == 0;
		n = group_add(g, n, f->exception->id, own ? "incident" : "standing",
			      pol_rule_name(f->rule), 0, f->retroactive);
	}
	for (size_t j = 0; j < n; j++) {
		const struct ledger_arg v[] = { arg_text(g[j].a), arg_text(g[j].b), arg_text(g[j].c) };
		const int64_t sums[] = { g[j].count, 1, g[j].sum };
		stage(lg, ROLLUP_EXCEPTIONS, &sp, v, 3, sums, 3);
	}
	free(g);
}

bool rollup_stored(struct ledger_run *run, struct ledger *lg, const char *id)
{
	/* Most incidents ingested are new: one look-up instead of the
	 * statements of every table. */
	sqlite3_stmt *st = rollup_stmt(run, lg, ROLLUP_STORED);
	if (!st)
		return false;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		ledger_failed(run);
	if (rc != SQLITE_ROW)
		return false;
	/* Its contribution is taken away from the tables' rows: they must
	 * hold every change so far. */
	rollup_flush(run, lg);
	return run->rc == 0;
}

void rollup_sub(struct ledger_run *run, struct ledger *lg, const char *id)
{
	const struct ledger_arg args[] = { arg_text(id), arg_int(-1) };
	for (int t = 0; t < ROLLUP_TABLES && run->rc == 0; t++) {
		ledger_step(run, rollup_stmt(run, lg, t), args, LEDGER_NARGS(args));
		/* Only a table the incident was in can have a row fall to 0
		 * (none, for an incident not stored yet). */
		if (run->rc == 0 && sqlite3_changes(lg->db) > 0)
			ledger_step(run, rollup_stmt(run, lg, ROLLUP_TABLES + t), args, 1);
	}
}

int rollup_fill(sqlite3 *db)
{
	for (int t = 0; t < ROLLUP_TABLES; t++) {
		int rc = sqlite3_exec(db, fill_sql[t], NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return rc;
	}
	return SQLITE_OK;
}
