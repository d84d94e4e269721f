/* Unit tests for the facts the drafts state (draft/facts.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <cmocka.h>

#include "base/ts.h"
#include "base/util.h"
#include "comm_record.h"
#include "draft/facts.h"
#include "model/policy.h"
#include "model/record.h"

static void test_count(void **state)
{
	(void)state;
	static const struct { uint64_t n; const char *s; } cases[] = {
		{ 0, "0" }, { 37, "37" }, { 999, "999" }, { 1000, "1,000" }, { 3812, "3,812" },
		{ 1234567, "1,234,567" }, { 9223372036854775807ull, "9,223,372,036,854,775,807" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[32];
		facts_format_count(cases[i].n, out);
		assert_string_equal(out, cases[i].s);
	}
}

/* The affected count is written once, with its separators, wherever it
 * is shown; the reader is told they are affected only when the email
 * goes to affected customers alone. */
static void test_affected(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct facts f;
	struct record *rec = load("resolved", "<scope users=\"some\" count=\"3812\"/>", "<summary>S</summary>");
	facts_build(rec, pol, &a, &f);
	assert_string_equal(f.count, "3,812");
	assert_string_equal(f.users_label, "Some users (3,812 known)");
	assert_string_equal(f.population, "some of our customers");
	assert_false(f.reader_affected);
	rec_free(rec);
	rec = load("resolved", "<scope users=\"none\"/>", "");
	facts_build(rec, pol, &a, &f);
	assert_false(f.has_count);
	assert_string_equal(f.users_label, "No users");
	assert_null(f.population);
	rec_free(rec);
	arena_free(&a);
}

/* Whether customers must act, one line and one heading per level. */
static void test_action(void **state)
{
	(void)state;
	static const struct {
		const char *comm, *line, *heading;
		enum rec_action action;
	} cases[] = {
		{ "<summary>S</summary>", NULL, NULL, REC_ACTION_UNSTATED },
		{ "<customer-action required=\"no\">Stay alert.</customer-action>",
		  "No action is required.", "Do you need to do anything?", REC_ACTION_NONE },
		{ "<customer-action>Rotate.</customer-action>",
		  "Affected customers need to take action.", "What you need to do", REC_ACTION_REQUIRED },
		{ "<customer-action required=\"urgent\" brief=\"Upgrade to 18.2.1 now.\">Upgrade.</customer-action>",
		  "Upgrade to 18.2.1 now.", "What you need to do now", REC_ACTION_URGENT },
	};
	struct arena a = ARENA_INIT;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct record *rec = load("resolved", "<scope users=\"some\"/>", cases[i].comm);
		struct facts f;
		facts_build(rec, pol, &a, &f);
		assert_int_equal(f.action, cases[i].action);
		if (cases[i].line) {
			assert_string_equal(f.action_line, cases[i].line);
			assert_string_equal(f.action_heading, cases[i].heading);
		} else {
			assert_null(f.action_line);
			assert_null(f.action_heading);
		}
		rec_free(rec);
	}
	arena_free(&a);
}

/* An ongoing incident says when the next update is due, in the display
 * zone; without a time it promises one; a resolved one says nothing. */
static void test_next_update(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct facts f;
	struct record *rec = load("investigating", "<scope users=\"some\"/>",
				  "<next-update at=\"2026-11-27T19:00:00+01:00\"/>");
	facts_build(rec, pol, &a, &f);
	assert_true(f.ongoing);
	assert_true(f.next_update.has);
	assert_string_equal(f.next_update.when, "27 November 2026 at 18:00 UTC");
	assert_string_equal(f.update_line, "Our next update will be by 27 November 2026 at 18:00 UTC.");
	rec_free(rec);
	rec = load("mitigated", "<scope users=\"some\"/>", "");
	facts_build(rec, pol, &a, &f);
	assert_true(f.ongoing);
	assert_string_equal(f.update_line, "We will share an update as soon as we know more.");
	rec_free(rec);
	rec = load("resolved", "<scope users=\"some\"/>", "");
	facts_build(rec, pol, &a, &f);
	assert_false(f.ongoing);
	assert_null(f.update_line);
	rec_free(rec);
	arena_free(&a);
}

/* facts_moment writes its strings without stdio: the same as the
 * snprintf formats it replaced (and the UTC form as ts_format_utc
 * writes it), over the whole range of times, with offsets either side
 * of UTC and a zone label long enough to be cut. */
static void test_moment_formats(void **state)
{
	(void)state;
	static const char *const months[] = {
		"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December",
	};
	const char *name = pol->zone_name;
	int offset = pol->zone_offset;
	const struct pol_zone_span *spans = pol->zone_spans;
	size_t n_spans = pol->n_zone_spans;
	static const struct {
		const char *label;
		int offset;
	} zones[] = {
		{ "UTC", 0 }, { "CET", 60 }, { "IST", 330 }, { "PST", -480 }, { "NPT", 345 },
		{ "A-zone-label-long-enough-to-be-cut-by-every-one-of-the-fixed-arrays", -59 },
	};
	pol->zone_spans = NULL;
	pol->n_zone_spans = 0;
	uint64_t x = 88172645463325252u;
	for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		pol->zone_name = zones[z].label;
		pol->zone_offset = zones[z].offset;
		for (int i = 0; i < 20000; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			int64_t t = i < 2 ? (i ? TS_MAX : TS_MIN)
				    : TS_MIN + (int64_t)(x % (uint64_t)(TS_MAX - TS_MIN));
			struct facts_moment m;
			facts_moment(pol, true, t, &m);
			char iso[TS_BUFSZ], want[96];
			ts_format_offset(t, pol_zone_offset_at(pol, t), iso);
			const char *zone = pol_zone_label_at(pol, t);
			unsigned y, mo, d;
			/* Past year 9999 in a zone east of UTC the date is not
			 * read, and the words fall back to 1 January 1970. */
			if (sscanf(iso, "%4u-%2u-%2u", &y, &mo, &d) != 3 || mo < 1 || mo > 12)
				mo = 1, d = 1, y = 1970;
			ts_format_utc(t, want);
			assert_string_equal(m.utc, want);
			assert_int_equal(m.at, t);
			snprintf(want, sizeof(m.local), "%.10s %.5s %s", iso, iso + 11, zone);
			assert_string_equal(m.local, want);
			snprintf(want, sizeof(m.day), "%u %s %u", d, months[mo - 1], y);
			assert_string_equal(m.day, want);
			snprintf(want, sizeof(m.shrt), "%u %.3s %.5s", d, months[mo - 1], iso + 11);
			assert_string_equal(m.shrt, want);
			snprintf(want, sizeof(m.when), "%u %s %u at %.5s %s", d, months[mo - 1], y,
				 iso + 11, zone);
			assert_string_equal(m.when, want);
		}
	}
	pol->zone_name = name;
	pol->zone_offset = offset;
	pol->zone_spans = spans;
	pol->n_zone_spans = n_spans;
}

/* The quote as a press statement punctuates it: '...investigation,"
 * said NAME, TITLE at ORG.' */
static void test_quote(void **state)
{
	(void)state;
	static const struct { const char *quote, *lead; } cases[] = {
		{ "We fixed it.", "We fixed it," },
		{ "We fixed it **now.**", "We fixed it **now,**" },
		{ "Did we fix it?", "Did we fix it?" },
		{ "We fixed it", "We fixed it," },
		{ "First.\n\nSecond.", NULL },
		{ "\xE4\xBF\xAE\xE6\xAD\xA3\xE3\x81\x97\xE3\x81\xBE\xE3\x81\x97\xE3\x81\x9F\xE3\x80\x82",
		  "\xE4\xBF\xAE\xE6\xAD\xA3\xE3\x81\x97\xE3\x81\xBE\xE3\x81\x97\xE3\x81\x9F\xE3\x80\x82" },
	};
	struct arena a = ARENA_INIT;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *comm = xasprintf("<quote by=\"VP of Security\" name=\"Dana Whitfield\">%s</quote>",
				       cases[i].quote);
		struct record *rec = load("resolved", "<scope users=\"some\"/>", comm);
		struct facts f;
		facts_build(rec, pol, &a, &f);
		if (cases[i].lead)
			assert_string_equal(f.quote_lead, cases[i].lead);
		else
			assert_null(f.quote_lead);
		assert_string_equal(f.quote_attribution, "Dana Whitfield, VP of Security at Example Organization");
		assert_string_equal(f.quote_who, "Dana Whitfield, VP of Security");
		assert_true(f.quote_security);
		rec_free(rec);
		free(comm);
	}
	struct record *rec = load("resolved", "<scope users=\"some\"/>", "<quote by=\"CEO\">Sorry.</quote>");
	struct facts f;
	facts_build(rec, pol, &a, &f);
	assert_string_equal(f.quote_attribution, "the CEO at Example Organization");
	assert_false(f.quote_security);
	assert_string_equal(f.press_address, "press@example.com");
	rec_free(rec);
	arena_free(&a);
}

/* Next steps read as commitments where they start with a verb. */
static void test_commitments(void **state)
{
	(void)state;
	static const struct { const char *step, *want; } cases[] = {
		{ "Publish the full details on 16 June.", "We will publish the full details on 16 June." },
		{ "Back-port the fix to 17.11.", "We will back-port the fix to 17.11." },
		{ "**Notify** the regulator.", "We will **notify** the regulator." },
		{ "We will share the report.", "We will share the report." },
		{ "Our team will share the report.", "Our team will share the report." },
		{ "Example Cloud gets a new check.", "Example Cloud gets a new check." },
		{ "Rotate API keys.", "Rotate API keys." },
		{ "IdP certificates are pinned.", "IdP certificates are pinned." },
		{ "\xe5\x85\xac\xe9\x96\x8b\xe3\x81\x99\xe3\x82\x8b", "\xe5\x85\xac\xe9\x96\x8b\xe3\x81\x99\xe3\x82\x8b" },
	};
	struct arena a = ARENA_INIT;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *comm = xasprintf("<next-steps><step>%s</step></next-steps>", cases[i].step);
		struct record *rec = load("resolved", "<scope users=\"some\"/>", comm);
		struct facts f;
		facts_build(rec, pol, &a, &f);
		assert_int_equal(f.n_commitments, 1);
		assert_string_equal(f.commitments[0], cases[i].want);
		rec_free(rec);
		free(comm);
	}
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_affected),
		cmocka_unit_test(test_action),
		cmocka_unit_test(test_next_update),
		cmocka_unit_test(test_moment_formats),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_commitments),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
