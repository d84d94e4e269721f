/* Unit tests for the template context (draft/context.h): built from the
 * samples, each value that context_build writes once and shares (a
 * moment, a duration, a group's back-ups) is the one each field would
 * have had written on its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/ts.h"
#include "base/util.h"
#include "builtin_policy.h"
#include "draft/context.h"
#include "draft/facts.h"
#include "model/policy.h"
#include "model/record.h"
#include "model/timeline.h"

static const char *const samples[] = {
	"samples/s1-breach.xml", "samples/s1-silent-approver.xml",
	"samples/s1-missed-turnaround.xml", "samples/s2-no-turnaround.xml",
	"samples/s1-rce-public.xml", "samples/s1-in-progress.xml",
	"samples/s1-exceptions.xml", "samples/s2-ja-webhook-signing.xml",
	"samples/s3-medium-out-of-scope.xml",
};

static const struct tval *at(const struct tval *v, const char *path)
{
	char *copy = xstrdup(path);
	for (char *part = strtok(copy, "."); part && v; part = strtok(NULL, "."))
		v = tval_get(v, part);
	free(copy);
	return v;
}

static const char *str(const struct tval *v, const char *path)
{
	return tval_string(at(v, path));
}

/* A moment map as facts_moment writes the moment. */
static void expect_moment(const struct tval *m, bool has, int64_t t)
{
	assert_non_null(m);
	assert_int_equal(tval_truthy(tval_get(m, "has")), has);
	if (!has) {
		assert_null(tval_get(m, "utc"));
		return;
	}
	struct facts_moment fm;
	facts_moment(pol, true, t, &fm);
	assert_string_equal(str(m, "utc"), fm.utc);
	assert_string_equal(str(m, "local"), fm.local);
	assert_string_equal(str(m, "day"), fm.day);
	assert_string_equal(str(m, "short"), fm.shrt);
	assert_string_equal(str(m, "when"), fm.when);
}

static void expect_event_moment(const struct tval *m, const struct rec_event *ev)
{
	expect_moment(m, ev != NULL, ev ? ev->at : 0);
}

/* A duration map as ts.h writes the duration. */
static void expect_span(const struct tval *m, bool has, int64_t secs)
{
	assert_non_null(m);
	assert_int_equal(tval_truthy(tval_get(m, "has")), has);
	if (!has)
		return;
	char want[TS_BUFSZ];
	snprintf(want, sizeof(want), "%lld", (long long)secs);
	assert_string_equal(str(m, "seconds"), want);
	ts_format_human(secs, want);
	assert_string_equal(str(m, "human"), want);
	ts_format_duration(secs, want);
	assert_string_equal(str(m, "iso"), want);
}

static void test_shared_values(void **state)
{
	(void)state;
	for (size_t s = 0; s < sizeof(samples) / sizeof(samples[0]); s++) {
		struct diag d = DIAG_INIT;
		struct record *rec = NULL;
		assert_int_equal(rec_load(samples[s], pol, &d, &rec), 0);
		diag_free(&d);
		struct arena a = ARENA_INIT;
		struct facts f;
		facts_build(rec, pol, &a, &f);
		struct tval *ctx = context_build(rec, pol, &f, &a);

		/* Strings of the record are borrowed, not copied. */
		assert_ptr_equal(str(ctx, "incident.title"), rec->title);
		assert_string_equal(str(ctx, "users.label"), f.users_label);

		/* Every event's times, and the dates, as written one by one. */
		const struct tval *tl = tval_get(ctx, "timeline");
		assert_int_equal(tval_len(tl), rec->n_events);
		for (size_t i = 0; i < rec->n_events; i++) {
			struct facts_moment fm;
			facts_moment(pol, true, rec->events[i].at, &fm);
			assert_string_equal(str(tval_at(tl, i), "at_utc"), fm.utc);
			assert_string_equal(str(tval_at(tl, i), "at_local"), fm.local);
		}
		expect_moment(at(ctx, "dates.as_of"), true, tl_as_of(rec));
		expect_event_moment(at(ctx, "dates.detected"), tl_first(rec, REC_EV_DETECTED));
		expect_event_moment(at(ctx, "dates.comms_started"), tl_first(rec, REC_EV_COMMS_STARTED));
		expect_event_moment(at(ctx, "dates.resolved"), tl_first(rec, REC_EV_RESOLVED));
		expect_moment(at(ctx, "status.next_update"), f.next_update.has, f.next_update.at);
		/* The cutoff's map says whether it was announced; the shared
		 * moments it may equal do not. */
		assert_non_null(at(ctx, "deadlines.cutoff.announced"));
		assert_null(at(ctx, "deadlines.turnaround.announced"));
		assert_null(at(ctx, "dates.comms_started.announced"));
		for (size_t i = 0; i < rec->n_exceptions; i++) {
			const struct tval *x = tval_at(tval_get(ctx, "exceptions"), i);
			expect_moment(tval_get(x, "approved"), true, rec->exceptions[i].approved_at);
			expect_moment(tval_get(x, "expires"), rec->exceptions[i].has_expires,
				      rec->exceptions[i].expires);
		}

		/* Durations, each written once. */
		const struct pol_target *tg = &pol->targets[rec->severity];
		expect_span(at(ctx, "targets.turnaround"), tg->has_turnaround, tg->turnaround);
		expect_span(at(ctx, "targets.drafting"), tg->has_drafting, tg->drafting);
		expect_span(at(ctx, "targets.deployment"), tg->has_deployment, tg->deployment);
		expect_span(at(ctx, "targets.response"), true, tg->response);
		expect_span(at(ctx, "targets.backup_grace"), true, tg->backup_grace);
		const struct tval *eng = tval_get(ctx, "engagements");
		for (size_t i = 0, k = 0; i < pol->n_engagements; i++) {
			const struct pol_engage *e = &pol->engagements[i];
			if (!pol_cond_eval(e->when, rec->severity, rec->fact_present))
				continue;
			const struct tval *m = tval_at(eng, k++);
			assert_string_equal(str(m, "group"), pol->groups[e->group].id);
			expect_span(tval_get(m, "delay"), true, e->delay);
			expect_span(tval_get(m, "cadence"), e->cadence > 0, e->cadence);
		}

		/* The matrix rows say what the groups' entries say, each
		 * artifact is at its policy index, and the counts agree. */
		const struct tval *rows = tval_get(ctx, "matrix");
		assert_true(tval_len(rows) > 0);
		for (size_t i = 0; i < tval_len(rows); i++) {
			const struct tval *r = tval_at(rows, i);
			int g = -1;
			for (size_t k = 0; k < pol->n_groups; k++)
				if (strcmp(pol->groups[k].id, str(r, "group_id")) == 0)
					g = (int)k;
			assert_true(g >= 0);
			const struct pol_group *pg = &pol->groups[g];
			if (pg->n_chain)
				assert_string_equal(str(r, "primary"), pg->chain[0]);
			if (pg->n_chain > 2) {
				char want[512];
				snprintf(want, sizeof(want), "%s, then %s", pg->chain[1], pg->chain[2]);
				assert_memory_equal(str(r, "backups"), want, strlen(want));
			} else if (pg->n_chain == 2) {
				assert_string_equal(str(r, "backups"), pg->chain[1]);
			} else {
				assert_null(str(r, "backups"));
			}
		}
		const struct tval *arts = tval_get(ctx, "artifacts");
		size_t drafted = 0;
		for (size_t i = 0; i < pol->n_artifacts; i++) {
			drafted += tval_truthy(tval_get(tval_at(arts, i), "drafted"));
			context_set_artifact(ctx, rec, pol, (int)i, &a);
			assert_ptr_equal(tval_get(ctx, "artifact"), tval_at(arts, i));
			assert_string_equal(str(ctx, "artifact.id"), pol->artifacts[i].id);
		}
		char want[24];
		snprintf(want, sizeof(want), "%zu", drafted);
		assert_string_equal(str(ctx, "counts.artifacts_drafted"), want);

		arena_free(&a);
		rec_free(rec);
	}
}

/* A record whose exceptions add moments one after another, past each
 * size the table of moments grows at: a moment's map made while the
 * table grows lands in the table as it is after (under AddressSanitizer,
 * the suite's sanitizer build, a write to the old one is an error), and
 * every exception shows its own times. */
static void test_many_moments(void **state)
{
	(void)state;
	struct buf xml = BUF_INIT;
	buf_puts(&xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<incident id=\"X-2\" version=\"1\">\n"
		 "  <title>T</title><severity>S1</severity><impact>high</impact>\n"
		 "  <status>resolved</status>\n  <scope users=\"some\"/>\n"
		 "  <timeline><event at=\"2026-03-04T09:12:00Z\" type=\"detected\"/></timeline>\n"
		 "  <communication><summary>S</summary></communication>\n  <exceptions>\n");
	enum { N = 150 };
	for (int i = 0; i < N; i++)
		buf_printf(&xml, "    <exception id=\"EX-%d\" rule=\"TURNAROUND\" requested-by=\"R\" "
			   "approved-by=\"VP of Security\" approved-at=\"2026-03-%02dT%02d:%02d:00Z\" "
			   "expires=\"2026-06-%02dT%02d:00:00Z\"><justification>J</justification>"
			   "</exception>\n", i, 5 + i % 20, i / 20, i % 60, 1 + i % 28, i % 24);
	buf_puts(&xml, "  </exceptions>\n</incident>\n");
	struct diag d = DIAG_INIT;
	struct record *rec = NULL;
	int rc = rec_parse("t.xml", xml.data, xml.len, pol, &d, &rec);
	if (rc != 0)
		diag_print(&d, stderr);
	assert_int_equal(rc, 0);
	diag_free(&d);
	buf_free(&xml);

	struct arena a = ARENA_INIT;
	struct facts f;
	facts_build(rec, pol, &a, &f);
	struct tval *ctx = context_build(rec, pol, &f, &a);
	const struct tval *exc = tval_get(ctx, "exceptions");
	assert_int_equal(tval_len(exc), N);
	for (size_t i = 0; i < N; i++) {
		const struct tval *x = tval_at(exc, i);
		expect_moment(tval_get(x, "approved"), true, rec->exceptions[i].approved_at);
		expect_moment(tval_get(x, "expires"), true, rec->exceptions[i].expires);
	}
	arena_free(&a);
	rec_free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_values),
		cmocka_unit_test(test_many_moments),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
