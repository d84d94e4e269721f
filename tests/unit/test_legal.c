/* Unit tests for the legal module: the built-in regimes and the deadline
 * arithmetic, each deadline worked out by hand from the cited text
 * (docs/regulatory.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/policy.h"
#include "model/legal.h"
#include "base/resources.h"
#include "base/ts.h"
#include "base/util.h"

static struct policy *pol;

static int setup(void **state)
{
	(void)state;
	struct diag d = DIAG_INIT;
	if (pol_load(NULL, &d, &pol) != 0 || d.errors || d.warnings) {
		diag_print(&d, stderr);
		return -1;
	}
	diag_free(&d);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	pol_free(pol);
	return 0;
}

static const struct legal_stage *stage(const char *regime, const char *id)
{
	int r = legal_regime_index(&pol->legal, regime);
	assert_true(r >= 0);
	int s = legal_stage_index(&pol->legal.regimes[r], id);
	assert_true(s >= 0);
	return &pol->legal.regimes[r].stages[s];
}

static struct legal_start at(const char *s)
{
	struct legal_start st = { true, 0, 0 };
	const char *why;
	assert_int_equal(ts_parse(s, &st.at, &st.offset, &why), 0);
	return st;
}

static int64_t t(const char *s)
{
	return at(s).at;
}

/* The stage's deadline for one start per clock (NULL: not started). */
static int64_t due_of(const struct legal_stage *st, const char *a, const char *b, int *decided)
{
	struct legal_start starts[2] = { { false, 0, 0 }, { false, 0, 0 } };
	assert_true(st->n_clocks <= 2);
	if (a)
		starts[0] = at(a);
	if (b)
		starts[1] = at(b);
	int64_t due = 0;
	*decided = legal_stage_due(&pol->legal, st, starts, &due);
	return due;
}

static void test_builtin_regimes(void **state)
{
	(void)state;
	assert_int_equal(pol->legal.n_regimes, 6);
	const char *ids[] = { "gdpr", "nis2", "sec", "dora", "hipaa", "nydfs" };
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(pol->legal.regimes[i].id, ids[i]);
	int cal = legal_calendar_index(&pol->legal, "us-federal");
	assert_true(cal >= 0);
	assert_int_equal(pol->legal.calendars[cal].n_holidays, 33);
	assert_false(legal_stage_has_deadline(stage("gdpr", "data-subjects")));
	assert_true(legal_stage_has_deadline(stage("gdpr", "authority")));
	/* GDPR Art. 33(3)(a) to (d). */
	assert_int_equal(stage("gdpr", "authority")->requires,
			 1u << LEGAL_C_NATURE | 1u << LEGAL_C_DATA_SUBJECTS | 1u << LEGAL_C_RECORDS |
			 1u << LEGAL_C_CONTACT | 1u << LEGAL_C_CONSEQUENCES | 1u << LEGAL_C_MEASURES);
}

/* GDPR Art. 33(1): 72 hours after becoming aware.  Aware on Saturday 28
 * March 2026 at 10:00 CET; Europe's clocks go forward on Sunday 29 March
 * at 02:00, so 72 elapsed hours end at 11:00 CEST on Tuesday 31 March
 * (09:00 UTC), not at 10:00. */
static void test_hours_across_dst(void **state)
{
	(void)state;
	int k;
	int64_t due = due_of(stage("gdpr", "authority"), "2026-03-28T10:00:00+01:00", NULL, &k);
	assert_int_equal(k, 0);
	assert_int_equal(due, t("2026-03-31T11:00:00+02:00"));
	assert_int_equal(due, t("2026-03-31T09:00:00Z"));
}

/* SEC Form 8-K Item 1.05, General Instruction B.1: four business days
 * after the materiality determination.  Determined on Wednesday 1 July
 * 2026: Thursday 2 July is day 1; Friday 3 July is the observed
 * Independence Day (4 July is a Saturday) and the weekend follows;
 * Monday 6, Tuesday 7 and Wednesday 8 July are days 2, 3 and 4.  An
 * EDGAR filing after 17:30 Eastern is dated the next business day. */
static void test_business_days_weekend_and_holiday(void **state)
{
	(void)state;
	int k;
	const struct legal_stage *st = stage("sec", "filing");
	assert_int_equal(due_of(st, "2026-07-01T15:00:00-04:00", NULL, &k),
			 t("2026-07-08T17:30:00-04:00"));
	/* Determined on Saturday 4 July: the period begins to run on, and
	 * includes, the first business day thereafter (Monday 6 July = day
	 * 1), so day 4 is Thursday 9 July. */
	assert_int_equal(due_of(st, "2026-07-04T10:00:00-04:00", NULL, &k),
			 t("2026-07-09T17:30:00-04:00"));
	/* Thanksgiving: determined Wednesday 25 November 2026; Thursday 26 is
	 * the holiday; Friday 27, Monday 30 November, Tuesday 1 and Wednesday
	 * 2 December are days 1 to 4. */
	assert_int_equal(due_of(st, "2026-11-25T09:00:00-05:00", NULL, &k),
			 t("2026-12-02T17:30:00-05:00"));
	/* New Year's Day 2028 is a Saturday, observed on Friday 31 December
	 * 2027. */
	const struct legal_calendar *cal =
		&pol->legal.calendars[legal_calendar_index(&pol->legal, "us-federal")];
	assert_false(legal_working_day(cal, ts_days_from_civil(2027, 12, 31)));
	assert_true(legal_working_day(cal, ts_days_from_civil(2027, 12, 30)));
}

/* NIS2 Art. 23(4)(d): one month after the incident notification.
 * Submitted 31 January 2026 at 16:00 CET: February has no 31st, so the
 * month ends on its last day, 28 February, at 16:00; in 2028, a leap
 * year, on 29 February. */
static void test_months_clamp(void **state)
{
	(void)state;
	int k;
	const struct legal_stage *st = stage("nis2", "final-report");
	assert_int_equal(due_of(st, "2026-01-31T16:00:00+01:00", NULL, &k),
			 t("2026-02-28T16:00:00+01:00"));
	assert_int_equal(due_of(st, "2028-01-31T16:00:00+01:00", NULL, &k),
			 t("2028-02-29T16:00:00+01:00"));
	assert_int_equal(due_of(st, "2026-12-15T08:00:00Z", NULL, &k),
			 t("2027-01-15T08:00:00Z"));
}

/* 45 CFR 164.404(b): 60 calendar days after discovery.  Discovered 2
 * March 2026 09:00 EST: March has 29 days left, April 30, so day 60 is
 * 1 May. */
static void test_calendar_days(void **state)
{
	(void)state;
	int k;
	assert_int_equal(due_of(stage("hipaa", "individuals"), "2026-03-02T09:00:00-05:00", NULL, &k),
			 t("2026-05-01T09:00:00-05:00"));
	/* 23 NYCRR 500.17(c)(2): 30 days from the payment. */
	assert_int_equal(due_of(stage("nydfs", "payment-justification"), "2026-04-10T14:00:00-04:00",
				NULL, &k), t("2026-05-10T14:00:00-04:00"));
}

/* DORA, Delegated Regulation (EU) 2025/301: 4 hours from classification
 * as major, and no later than 24 hours from awareness. */
static void test_whichever_first(void **state)
{
	(void)state;
	int k;
	const struct legal_stage *st = stage("dora", "initial");
	/* Classified 22 h after awareness: 4 h would end 26 h after it, the
	 * 24 h backstop decides (clock 1). */
	assert_int_equal(due_of(st, "2026-05-13T08:00:00+02:00", "2026-05-12T10:00:00+02:00", &k),
			 t("2026-05-13T10:00:00+02:00"));
	assert_int_equal(k, 1);
	/* Classified 2 h after awareness: the 4 h clock decides. */
	assert_int_equal(due_of(st, "2026-05-12T12:00:00+02:00", "2026-05-12T10:00:00+02:00", &k),
			 t("2026-05-12T16:00:00+02:00"));
	assert_int_equal(k, 0);
	/* Not classified yet: the backstop is the deadline. */
	assert_int_equal(due_of(st, NULL, "2026-05-12T10:00:00+02:00", &k),
			 t("2026-05-13T10:00:00+02:00"));
	assert_int_equal(k, 1);
	/* Neither: no deadline. */
	due_of(st, NULL, NULL, &k);
	assert_int_equal(k, -1);
}

/* The DORA roll: a deadline on a weekend day or public holiday moves to
 * 12:00 noon of the next working day.  Aware Friday 5 June 2026 20:00,
 * classified Saturday 08:00: due Saturday 12:00, rolled to Monday 8 June
 * 12:00.  A deadline on a working day stays. */
static void test_roll(void **state)
{
	(void)state;
	int k;
	const struct legal_stage *st = stage("dora", "initial");
	assert_int_equal(due_of(st, "2026-06-06T08:00:00+02:00", "2026-06-05T20:00:00+02:00", &k),
			 t("2026-06-08T12:00:00+02:00"));
	/* Intermediate: 72 h from the initial notification, Wednesday 10
	 * June 15:00, is Saturday 13 June 15:00: Monday 15 June 12:00. */
	assert_int_equal(due_of(stage("dora", "intermediate"), "2026-06-10T15:00:00+02:00", NULL, &k),
			 t("2026-06-15T12:00:00+02:00"));
	/* Final: one month from the intermediate report of Tuesday 16 June
	 * 09:00 is Thursday 16 July 09:00, a working day: no roll. */
	assert_int_equal(due_of(stage("dora", "final"), "2026-06-16T09:00:00+02:00", NULL, &k),
			 t("2026-07-16T09:00:00+02:00"));
	/* GDPR has no roll: 72 h from Wednesday 10 June 15:00 ends on
	 * Saturday 13 June 15:00. */
	assert_int_equal(due_of(stage("gdpr", "authority"), "2026-06-10T15:00:00+02:00", NULL, &k),
			 t("2026-06-13T15:00:00+02:00"));
}

/* The built-in policy with its <regulatory> section replaced. */
static int parse(const char *regulatory, struct diag *d)
{
	const struct res_file *res = res_find("policy/policy.xml");
	const char *a = strstr(res->data, "\n  <regulatory>") + 1;
	const char *b = strstr(res->data, "</regulatory>") + strlen("</regulatory>");
	struct buf x = BUF_INIT;
	buf_append(&x, res->data, (size_t)(a - res->data));
	buf_puts(&x, regulatory);
	buf_puts(&x, b);
	struct policy *p = NULL;
	int rc = pol_parse("p.xml", buf_str(&x), x.len, d, &p);
	pol_free(p);
	buf_free(&x);
	return rc;
}

static void expect_error(const char *regulatory, const char *msg)
{
	struct diag d = DIAG_INIT;
	assert_int_equal(parse(regulatory, &d), -1);
	bool found = false;
	for (size_t i = 0; i < d.n; i++)
		if (strstr(d.items[i].msg, msg))
			found = true;
	if (!found)
		diag_print(&d, stderr);
	assert_true(found);
	diag_free(&d);
}

#define STAGE(clock) "<regime id='x' title='X' citation='c'><stage id='s' title='S' " \
	"audience='a' citation='c' deadline='d'>" clock "</stage></regime>"

static void test_policy_errors(void **state)
{
	(void)state;
	expect_error("<regulatory>" STAGE("<clock from='aware' business-days='4'/>") "</regulatory>",
		     "business days need a calendar");
	expect_error("<regulatory>" STAGE("<clock from='aware' business-days='4' calendar='nope'/>")
		     "</regulatory>", "calendar 'nope' is not defined");
	expect_error("<regulatory>" STAGE("<clock after='s' hours='4'/>") "</regulatory>",
		     "clock after 's' names no earlier stage");
	expect_error("<regulatory>" STAGE("<clock from='aware' hours='9000'/>") "</regulatory>",
		     "hours '9000' is not a whole number from 1 to 8784");
	expect_error("<regulatory>" STAGE("<clock from='aware' hours='4' day-ends='17:30'/>")
		     "</regulatory>", "day-ends '17:30' applies only to days");
	expect_error("<regulatory>" STAGE("<clock from='aware' days='4' day-ends='25:00'/>")
		     "</regulatory>", "day-ends '25:00' is not a time of day");
	expect_error("<regulatory><calendar id='c' title='C'><holiday date='2026-02-30' name='n'/>"
		     "</calendar></regulatory>", "holiday date '2026-02-30' is not a date");
	expect_error("<regulatory><calendar id='c' title='C'><holiday date='2026-03-02' name='n'/>"
		     "<holiday date='2026-03-01' name='n'/></calendar></regulatory>",
		     "holiday 2026-03-01 is not after the one before it");
	expect_error("<regulatory><calendar id='c' title='C' weekend='sat sunday'/></regulatory>",
		     "weekend day 'sunday'");
	expect_error("<regulatory>" STAGE("<clock from='aware' hours='4'/>")
		     STAGE("<clock from='aware' hours='4'/>") "</regulatory>",
		     "regime 'x' is defined twice");
	expect_error("<regulatory><regime id='x' title='X' citation='c'><stage id='s' title='S' "
		     "audience='a' citation='c' deadline='d' requires='nature motive'>"
		     "<clock from='aware' hours='4'/></stage></regime></regulatory>",
		     "requires 'motive': no such notice content");
	expect_error("<regulatory><calendar id='c' title='C' weekend='mon tue wed thu fri sat sun'/>"
		     "</regulatory>", "calendar 'c' has no working day in the week");
	/* A policy without the section has no regimes. */
	struct diag d = DIAG_INIT;
	assert_int_equal(parse("", &d), 0);
	diag_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_regimes),
		cmocka_unit_test(test_hours_across_dst),
		cmocka_unit_test(test_business_days_weekend_and_holiday),
		cmocka_unit_test(test_months_clamp),
		cmocka_unit_test(test_calendar_days),
		cmocka_unit_test(test_whichever_first),
		cmocka_unit_test(test_roll),
		cmocka_unit_test(test_policy_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
