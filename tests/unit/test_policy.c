/* Unit tests for the policy module: the built-in plan and policy errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/policy.h"
#include "base/resources.h"
#include "base/util.h"

static struct policy *builtin(void)
{
	struct diag d = DIAG_INIT;
	struct policy *pol = NULL;
	assert_int_equal(pol_load(NULL, &d, &pol), 0);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.warnings, 0);
	diag_free(&d);
	return pol;
}

static void test_builtin_shape(void **state)
{
	(void)state;
	struct policy *pol = builtin();
	assert_string_equal(pol->name, "reference-plan");
	assert_string_equal(pol->path, "built-in");
	assert_int_equal(pol->n_groups, 14);
	assert_int_equal(pol->n_artifacts, 10);
	assert_int_equal(pol->n_engagements, 11);
	assert_int_equal(pol->n_channels, 5);
	assert_string_equal(pol->channels[0], "#developer-relations");
	assert_string_equal(pol->channels[4], "#customer-success");
	assert_int_equal(pol->min_impact, POL_IMPACT_HIGH);
	assert_int_equal(pol->immediately, 900);
	assert_int_equal(strlen(pol->sha256_hex), 64);
	/* The FAQ goes to Support: external, not a public release. */
	int faq = pol_artifact_index(pol, "support-faq");
	int social = pol_artifact_index(pol, "social-post");
	int update = pol_artifact_index(pol, "internal-update");
	assert_true(pol->artifacts[faq].external && !pol->artifacts[faq].public_facing);
	assert_true(pol->artifacts[social].external && pol->artifacts[social].public_facing);
	assert_false(pol->artifacts[update].public_facing);
	/* The checkpoints: Security External Communications reviews and
	 * approves; FYI groups are informed. */
	int ext = pol_group_index(pol, "external-comms");
	assert_int_equal(pol->extcomms_review_group, ext);
	assert_int_equal(pol->extcomms_approval_group, ext);
	assert_true(pol->fyi_informed);
	assert_true(pol_is_fyi(pol, (size_t)pol_group_index(pol, "security"),
			       (size_t)pol_artifact_index(pol, "media-statement"), false));
	assert_false(pol_is_fyi(pol, (size_t)pol_group_index(pol, "security"),
				(size_t)pol_artifact_index(pol, "media-statement"), true));
	/* Exceptions: SIRT management, as titles. */
	assert_true(pol_may_approve_exceptions(pol, "VP of Security"));
	assert_false(pol_may_approve_exceptions(pol, "SecCMOC"));
	assert_string_equal(pol->press_name, "Corporate Communications");
	assert_string_equal(pol->press_address, "press@example.com");
	pol_free(pol);
}

static void test_builtin_targets(void **state)
{
	(void)state;
	struct policy *pol = builtin();
	const struct pol_target *s1 = &pol->targets[POL_S1];
	assert_true(s1->has_turnaround);
	assert_int_equal(s1->turnaround, 6 * 3600);
	assert_int_equal(s1->drafting, 2 * 3600);
	assert_int_equal(s1->deployment, 3600);
	assert_int_equal(s1->response, 1800);
	assert_int_equal(s1->backup_grace, 0);
	assert_int_equal(s1->quorum, 2);
	for (int s = POL_S2; s < POL_SEVERITY_COUNT; s++) {
		assert_false(pol->targets[s].has_turnaround);
		assert_int_equal(pol->targets[s].response, 1800);
	}
	pol_free(pol);
}

static void test_builtin_chains(void **state)
{
	(void)state;
	struct policy *pol = builtin();
	static const char *const required[] = { "security", "legal", "customer-success", "investor-relations" };
	for (size_t i = 0; i < 4; i++) {
		int g = pol_group_index(pol, required[i]);
		assert_true(g >= 0);
		assert_true(pol->groups[g].required);
		/* "For the required approvers, we need at least 2 designated back-ups." */
		assert_true(pol->groups[g].n_chain >= 3);
	}
	const struct pol_group *legal = &pol->groups[pol_group_index(pol, "legal")];
	assert_int_equal(pol_chain_position(legal, "Senior Director of Legal, Privacy and Product"), 0);
	assert_int_equal(pol_chain_position(legal, "Legal Counsel"), 1);
	assert_int_equal(pol_chain_position(legal, "CLO"), 2);
	assert_int_equal(pol_chain_position(legal, "VP of Security"), -1);
	const struct pol_group *ir = &pol->groups[pol_group_index(pol, "investor-relations")];
	assert_string_equal(ir->chain[1], "CFO");
	assert_false(pol->groups[pol_group_index(pol, "support")].required);
	assert_int_equal(pol->groups[pol_group_index(pol, "e-group")].n_chain, 0);
	assert_int_equal(pol_group_index(pol, "finance"), -1);
	pol_free(pol);
}

static void test_builtin_matrix(void **state)
{
	(void)state;
	struct policy *pol = builtin();
	size_t sec = (size_t)pol_group_index(pol, "security");
	size_t legal = (size_t)pol_group_index(pol, "legal");
	size_t cc = (size_t)pol_group_index(pol, "corp-comms");
	size_t cs = (size_t)pol_group_index(pol, "customer-success");
	size_t media = (size_t)pol_artifact_index(pol, "media-statement");
	size_t social = (size_t)pol_artifact_index(pol, "social-post");
	size_t faq = (size_t)pol_artifact_index(pol, "support-faq");
	assert_int_equal(pol_role_of(pol, sec, media), POL_ROLE_APPROVER_IF_QUOTED);
	assert_false(pol_is_approver(pol, sec, media, false));
	assert_true(pol_is_approver(pol, sec, media, true));
	assert_int_equal(pol_role_of(pol, sec, social), POL_ROLE_FYI);
	assert_int_equal(pol_role_of(pol, legal, social), POL_ROLE_APPROVER);
	assert_int_equal(pol_role_of(pol, cc, media), POL_ROLE_DRI);
	assert_int_equal(pol_role_of(pol, cs, faq), POL_ROLE_FYI);
	pol_free(pol);
}

static void test_conditions(void **state)
{
	(void)state;
	struct policy *pol = builtin();
	bool facts[POL_FACT_COUNT] = { false };
	const struct pol_engage *egroup = NULL, *corp_fact = NULL, *corp_impact = NULL;
	for (size_t i = 0; i < pol->n_engagements; i++) {
		const struct pol_engage *e = &pol->engagements[i];
		const char *g = pol->groups[e->group].id;
		if (strcmp(g, "e-group") == 0)
			egroup = e;
		else if (strcmp(g, "corp-marketing") == 0 && e->from == POL_FROM_FACT)
			corp_fact = e;
		else if (strcmp(g, "corp-marketing") == 0)
			corp_impact = e;
	}
	assert_non_null(egroup);
	assert_non_null(corp_fact);
	assert_non_null(corp_impact);
	assert_int_equal(egroup->cadence, 1800);
	assert_false(pol_cond_eval(egroup->when, POL_S1, facts));
	facts[POL_FACT_RCE_EXPLOITED] = true;
	assert_true(pol_cond_eval(egroup->when, POL_S2, facts));
	assert_false(pol_cond_eval(corp_fact->when, POL_S1, facts));
	assert_true(pol_cond_eval(corp_impact->when, POL_S1, facts));
	facts[POL_FACT_REGULATORY] = true;
	assert_true(pol_cond_eval(corp_fact->when, POL_S1, facts));
	assert_false(pol_cond_eval(corp_impact->when, POL_S1, facts));
	struct buf b = BUF_INIT;
	pol_cond_describe(corp_impact->when, &b);
	assert_string_equal(buf_str(&b), "not (publicly reported or regulatory requirement)");
	buf_free(&b);
	assert_true(pol_in_scope(pol, POL_IMPACT_HIGH));
	assert_true(pol_in_scope(pol, POL_IMPACT_CRITICAL));
	assert_false(pol_in_scope(pol, POL_IMPACT_MEDIUM));
	pol_free(pol);
}

/* The built-in policy's text with the first `from` replaced by `to`. */
static struct buf substituted(const char *from, const char *to)
{
	const struct res_file *res = res_find("policy/policy.xml");
	const char *at = strstr(res->data, from);
	assert_non_null(at);
	struct buf src = BUF_INIT;
	buf_append(&src, res->data, (size_t)(at - res->data));
	buf_puts(&src, to);
	buf_puts(&src, at + strlen(from));
	return src;
}

/* Loads the built-in policy with one substitution, expecting a failure
 * whose first error contains `want`. */
static void expect_bad(const char *from, const char *to, const char *want)
{
	struct buf src = substituted(from, to);
	struct diag d = DIAG_INIT;
	struct policy *pol = (struct policy *)1;
	assert_int_equal(pol_parse("bad.xml", src.data, src.len, &d, &pol), -1);
	assert_null(pol);
	assert_true(d.errors > 0);
	if (!strstr(d.items[0].msg, want))
		fail_msg("expected '%s' in '%s'", want, d.items[0].msg);
	assert_string_equal(d.items[0].file, "bad.xml");
	assert_true(d.items[0].line > 0);
	diag_free(&d);
	buf_free(&src);
}

/* The built-in policy with one piece of text replaced; it must load. */
static struct policy *edited(const char *from, const char *to)
{
	struct buf src = substituted(from, to);
	struct diag d = DIAG_INIT;
	struct policy *pol = NULL;
	assert_int_equal(pol_parse("edited.xml", src.data, src.len, &d, &pol), 0);
	diag_free(&d);
	buf_free(&src);
	return pol;
}

/* A policy that does not say whether an external artifact is public
 * counts it as public: the rules that wait for the first public release
 * then start no later than at its deployment. */
static void test_public_default(void **state)
{
	(void)state;
	struct policy *pol = edited("external=\"true\" public=\"false\"", "external=\"true\"");
	assert_true(pol->artifacts[pol_artifact_index(pol, "support-faq")].public_facing);
	pol_free(pol);
}

static void test_quorum_forms(void **state)
{
	(void)state;
	const struct res_file *res = res_find("policy/policy.xml");
	const char *from = "quorum=\"2\"/>\n    <!--";
	const char *at = strstr(res->data, from);
	assert_non_null(at);
	struct buf src = BUF_INIT;
	buf_append(&src, res->data, (size_t)(at - res->data));
	buf_puts(&src, "quorum=\" +0003 \"/>\n    <!--");
	buf_puts(&src, at + strlen(from));
	struct diag d = DIAG_INIT;
	struct policy *pol = NULL;
	assert_int_equal(pol_parse("q.xml", src.data, src.len, &d, &pol), 0);
	assert_int_equal(pol->targets[POL_S1].quorum, 3);
	assert_int_equal(pol->targets[POL_S2].quorum, 2);
	pol_free(pol);
	diag_free(&d);
	buf_free(&src);
}

static void test_bad_policies(void **state)
{
	(void)state;
	expect_bad("quorum=\"2\"/>\n    <!--", "quorum=\"5\"/>\n    <!--", "quorum 5 for S1 is more than the 4 required groups");
	expect_bad("turnaround=\"PT6H\"", "turnaround=\"6 hours\"", "turnaround '6 hours' is not an ISO 8601 duration");
	/* Numbers past what sircomm can use are refused, not wrapped: atoi
	 * once read 4294967298 as 2, and 999999999999 as a negative quorum. */
	expect_bad("quorum=\"2\"/>\n    <!--", "quorum=\"4294967298\"/>\n    <!--",
		   "quorum 4294967298 for S1 is more than the 4 required groups");
	expect_bad("quorum=\"2\"/>\n    <!--", "quorum=\"999999999999\"/>\n    <!--",
		   "quorum 999999999999 for S1 is more than the 4 required groups");
	expect_bad("turnaround=\"PT6H\"", "turnaround=\"P9999999999999D\"",
		   "turnaround 'P9999999999999D' is longer than the 365 days (P365D) sircomm accepts");
	expect_bad("response=\"PT30M\"", "response=\"P366D\"", "response 'P366D' is longer than");
	expect_bad("immediately=\"PT15M\"", "immediately=\"PT8761H\"", "immediately 'PT8761H' is longer than");
	expect_bad("<role group=\"security\" artifact=\"blog-post\"", "<role group=\"secops\" artifact=\"blog-post\"", "unknown group 'secops'");
	expect_bad("<role group=\"legal\" artifact=\"blog-post\"", "<role group=\"legal\" artifact=\"press\"", "unknown artifact 'press'");
	expect_bad("<group id=\"vp-security\"", "<group id=\"e-group\"", "group 'e-group' is defined twice");
	expect_bad("<target severity=\"S4\"", "<target severity=\"S3\"", "a second target for severity S3");
	expect_bad("offset=\"+00:00\"", "offset=\"UTC\"", "display-zone offset 'UTC'");
	expect_bad("address=\"incident-response@example.com\"", "address=\"x@y.com&#10;Bcc: z@w\"", "not a plain email address");
	/* Addresses the customer email's From cannot carry: what eml_write
	 * refuses, policy check refuses. */
	expect_bad("address=\"incident-response@example.com\"", "address=\"x@[127.0.0.1]\"", "not a plain email address");
	expect_bad("address=\"incident-response@example.com\"", "address=\"a..b@example.com\"", "not a plain email address");
	expect_bad("address=\"incident-response@example.com\"", "address=\"ir@-example.com\"", "not a plain email address");
	expect_bad("address=\"incident-response@example.com\"", "address=\"j\xc3\xb6rg@example.com\"", "not a plain email address");
	expect_bad("name=\"Security Incident Response\"", "name=\"Security&#x2028;Bcc: x@y.z\"", "sender name must be one line");
	expect_bad("name=\"Security Incident Response\"", "name=\"Security&#x85;Response\"", "sender name must be one line");
	expect_bad("name=\"Security Incident Response\"", "name=\"Security&#9;Response\"", "sender name must be one line");
	/* The press contact closes the media statement. */
	expect_bad("address=\"press@example.com\"", "address=\"press office\"", "press address 'press office' is not a plain email address");
	expect_bad("<press name=\"Corporate Communications\"", "<press name=\"Corporate&#10;Communications\"", "press contact name must be one line");
	/* Policy text lands in the drafts, which carry no tracking or
	 * redirect links: refused where it is written, with its line. */
	expect_bad("<organization>Example Organization</organization>",
		   "<organization>Example https://t.co/x</organization>",
		   "link 'https://t.co/x' goes through the link shortener t.co");
	expect_bad("title=\"Security\" required", "title=\"Security (https://example.com/?utm_source=x)\" required",
		   "link 'https://example.com/?utm_source=x' carries the tracking parameter 'utm_source'");
	expect_bad("<channel>#sales</channel>", "<channel>http://example.com/go?to=https://evil.example/</channel>",
		   "is a redirect to another address");
	expect_bad("<role group=\"support\" artifact=\"blog-post\" is=\"fyi\"/>",
		   "<role group=\"e-group\" artifact=\"blog-post\" is=\"approver\"/>", "has no approver chain");
	expect_bad("<policy name=\"reference-plan\" version=\"1\">", "<policy name=\"reference-plan\" version=\"2\">",
		   "version '2' is not supported");
	expect_bad("<title>Security Incident", "<titel>Security Incident", "");
	expect_bad("title=\"Internal status update\" external=\"false\"",
		   "title=\"Internal status update\" external=\"false\" public=\"true\"",
		   "artifact 'internal-update' is public but not external");
	expect_bad("<extcomms-review group=\"external-comms\"/>", "<extcomms-review group=\"press\"/>",
		   "unknown group 'press'");
	expect_bad("<when><any><fact name=\"data-breach\"/><fact name=\"rce-exploited\"/></any></when>",
		   "<when><severity in=\"S1\"/></when>", "from=\"fact\" needs a condition");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_shape),
		cmocka_unit_test(test_builtin_targets),
		cmocka_unit_test(test_builtin_chains),
		cmocka_unit_test(test_builtin_matrix),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_quorum_forms),
		cmocka_unit_test(test_public_default),
		cmocka_unit_test(test_bad_policies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
