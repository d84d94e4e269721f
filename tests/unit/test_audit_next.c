/* Unit tests for what the audit result says is still ahead, which
 * `sircomm status` renders: each group's next update (also after a
 * lapse), the companions not drafted yet, and whether the process is
 * over.  The record is tests/fixtures/status-walk.xml. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "audit/audit.h"
#include "base/diag.h"
#include "base/ts.h"
#include "model/policy.h"
#include "model/record.h"

static struct policy *pol;
static struct record *rec;

static int setup(void **state)
{
	(void)state;
	struct diag d = DIAG_INIT;
	int rc = pol_load(NULL, &d, &pol);
	if (rc == 0)
		rc = rec_load("tests/fixtures/status-walk.xml", pol, &d, &rec);
	diag_print(&d, stderr);
	diag_free(&d);
	return rc;
}

static int teardown(void **state)
{
	(void)state;
	rec_free(rec);
	pol_free(pol);
	return 0;
}

static int64_t at(const char *s)
{
	int64_t t;
	int off;
	const char *why;
	assert_int_equal(ts_parse(s, &t, &off, &why), 0);
	return t;
}

static struct audit *audit_at(const char *s)
{
	struct audit *au;
	assert_int_equal(audit_run(rec, pol, at(s), &au), 0);
	return au;
}

/* The finding of a rule about a subject. */
static const struct audit_finding *finding(const struct audit *au, enum pol_rule rule,
					   const char *subject)
{
	for (size_t i = 0; i < au->n_findings; i++)
		if (au->findings[i].rule == rule && strcmp(au->findings[i].subject, subject) == 0)
			return &au->findings[i];
	fail_msg("no %s finding for %s", pol_rule_name(rule), subject);
	return NULL;
}

static void test_next_update(void **state)
{
	(void)state;
	/* VP of Security's update due at 10:15 came at 10:25: the finding
	 * fails for good, yet the group still owes one 30 minutes after its
	 * last (11:20), like the group that never lapsed. */
	struct audit *au = audit_at("2026-05-12T11:45:00Z");
	const struct audit_finding *vp = finding(au, POL_RULE_UPDATE_CADENCE, "vp-security");
	assert_int_equal(vp->status, AUDIT_FAIL);
	assert_true(vp->detail.has_next_update);
	assert_int_equal(vp->detail.next_update, at("2026-05-12T11:50:00Z"));
	const struct audit_finding *dir = finding(au, POL_RULE_UPDATE_CADENCE, "director-secops");
	assert_int_equal(dir->status, AUDIT_PENDING);
	assert_true(dir->detail.has_next_update);
	assert_int_equal(dir->detail.next_update, at("2026-05-12T12:15:00Z"));
	assert_int_equal(dir->detail.next_update, dir->due);
	audit_free(au);

	/* Overdue: in the past (the 10:15 update came at 10:25). */
	au = audit_at("2026-05-12T10:20:00Z");
	vp = finding(au, POL_RULE_UPDATE_CADENCE, "vp-security");
	assert_int_equal(vp->status, AUDIT_FAIL);
	assert_int_equal(vp->detail.next_update, at("2026-05-12T10:15:00Z"));
	audit_free(au);

	/* Resolved: no more updates. */
	au = audit_at("2026-05-12T14:15:00Z");
	assert_false(finding(au, POL_RULE_UPDATE_CADENCE, "vp-security")->detail.has_next_update);
	assert_false(finding(au, POL_RULE_UPDATE_CADENCE, "e-group")->detail.has_next_update);
	audit_free(au);
}

static void test_companions_not_drafted(void **state)
{
	(void)state;
	struct audit *au = audit_at("2026-05-12T09:00:00Z");
	const struct audit_finding *f = finding(au, POL_RULE_COMPANIONS, "-");
	assert_int_equal(f->status, AUDIT_PENDING);
	assert_int_equal(f->detail.n_missing, 2);
	assert_string_equal(f->detail.missing[0], "social-post");
	assert_string_equal(f->detail.missing[1], "support-faq");
	audit_free(au);

	/* The FAQ drafted at 10:40; the social post only at 12:50. */
	au = audit_at("2026-05-12T12:45:00Z");
	f = finding(au, POL_RULE_COMPANIONS, "-");
	assert_int_equal(f->status, AUDIT_PENDING);
	assert_int_equal(f->detail.n_missing, 1);
	assert_string_equal(f->detail.missing[0], "social-post");
	audit_free(au);

	au = audit_at("2026-05-12T13:05:00Z");
	f = finding(au, POL_RULE_COMPANIONS, "-");
	assert_int_equal(f->status, AUDIT_PASS);
	assert_int_equal(f->detail.n_missing, 0);
	audit_free(au);
}

static void test_over(void **state)
{
	(void)state;
	/* Resolved at 14:10, but the record goes on until 14:20. */
	struct audit *au = audit_at("2026-05-12T14:15:00Z");
	assert_false(au->over);
	audit_free(au);
	au = audit_at("2026-05-12T14:20:00Z");
	assert_true(au->over);
	audit_free(au);
	au = audit_at("2026-05-12T12:00:00Z");
	assert_false(au->over);
	audit_free(au);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_update),
		cmocka_unit_test(test_companions_not_drafted),
		cmocka_unit_test(test_over),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
