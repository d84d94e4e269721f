/* Unit tests for the record module: the model and its checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "builtin_policy.h"

#include "model/policy.h"
#include "model/record.h"
#include "base/util.h"

/* A record around a timeline and extra elements. */
static char *record(const char *id, const char *title, const char *timeline, const char *tail)
{
	return xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<incident id=\"%s\" version=\"1\">\n"
			 "  <title>%s</title>\n"
			 "  <severity>S1</severity>\n"
			 "  <impact>critical</impact>\n"
			 "  <status>resolved</status>\n"
			 "  <scope users=\"some\" count=\"12\"><service kind=\"production\">CI</service></scope>\n"
			 "  <facts><data-breach at=\"2026-03-04T09:40:00Z\"/><pii/></facts>\n"
			 "  <timeline>\n%s  </timeline>\n%s"
			 "</incident>\n", id, title, timeline, tail);
}

static struct record *load(const char *src, struct diag *d)
{
	struct record *rec = NULL;
	int rc = rec_parse("t.xml", src, strlen(src), pol, d, &rec);
	if (rc != 0)
		assert_null(rec);
	return rec;
}

/* Expects the record to fail with one error at `line` containing `want`. */
static void expect_error(const char *src, long line, const char *want)
{
	struct diag d = DIAG_INIT;
	struct record *rec = load(src, &d);
	assert_null(rec);
	assert_true(d.errors >= 1);
	for (size_t i = 0; i < d.n; i++) {
		if (d.items[i].level == DIAG_ERROR) {
			if (!strstr(d.items[i].msg, want) || d.items[i].line != line)
				fail_msg("expected line %ld '%s', got line %ld '%s'", line, want,
					 d.items[i].line, d.items[i].msg);
			break;
		}
	}
	diag_free(&d);
}

static void test_model(void **state)
{
	(void)state;
	char *src = record("SIRT-2026-0142", "Token exposure",
			   "    <event at=\"2026-03-04T09:12:00Z\" type=\"detected\"/>\n"
			   "    <event at=\"2026-03-04T10:20:00+01:00\" type=\"severity-determined\">S1</event>\n"
			   "    <event at=\"2026-03-04T09:30:00Z\" type=\"engaged\" group=\"director-secops\" by=\"simoc\"/>\n"
			   "    <event at=\"2026-03-04T10:00:00Z\" type=\"draft-ready\" artifacts=\"customer-email  support-faq\"/>\n"
			   "    <event at=\"2026-03-04T10:05:00Z\" type=\"approved\" group=\"legal\" by=\"Legal Counsel\" artifacts=\"customer-email\" round=\"final\"/>\n"
			   "    <event at=\"2026-03-04T10:06:00Z\" type=\"cutoff-announced\" cutoff=\"2026-03-04T15:30:00Z\"/>\n"
			   "    <event at=\"2026-03-04T10:07:00Z\" type=\"note\">\n      Line one\n        indented\n    </event>\n",
			   "  <communication>\n    <summary>\n      First.\n\n          code\n    </summary>\n"
			   "    <links blog=\"https://example.com/blog\" contact=\"security@example.com\"/>\n  </communication>\n");
	struct diag d = DIAG_INIT;
	struct record *rec = load(src, &d);
	assert_non_null(rec);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.warnings, 0);
	assert_string_equal(rec->id, "SIRT-2026-0142");
	assert_int_equal(rec->severity, POL_S1);
	assert_int_equal(rec->impact, POL_IMPACT_CRITICAL);
	assert_int_equal(rec->status, REC_STATUS_RESOLVED);
	assert_int_equal(rec->users, REC_USERS_SOME);
	assert_true(rec->has_count);
	assert_int_equal(rec->count, 12);
	assert_int_equal(rec->n_services, 1);
	assert_true(rec->facts[POL_FACT_DATA_BREACH].has_at);
	assert_int_equal(rec->facts[POL_FACT_DATA_BREACH].at, 1772617200);
	assert_true(rec->fact_present[POL_FACT_PII]);
	assert_false(rec->facts[POL_FACT_PII].has_at);
	assert_false(rec->fact_present[POL_FACT_FINANCIAL]);
	assert_int_equal(rec->n_events, 7);
	assert_int_equal(rec->events[0].type, REC_EV_DETECTED);
	assert_int_equal(rec->events[0].line, 10);
	assert_int_equal(rec->events[1].type, REC_EV_SEVERITY_DETERMINED);
	assert_int_equal(rec->events[1].at, 1772616000);
	assert_int_equal(rec->events[1].offset, 60);
	assert_string_equal(rec->events[1].text, "S1");
	assert_int_equal(rec->events[2].type, REC_EV_ENGAGED);
	assert_int_equal(rec->events[2].group, pol_group_index(pol, "director-secops"));
	const struct rec_event *draft = &rec->events[3];
	assert_int_equal(draft->n_artifacts, 2);
	assert_true(rec_event_has_artifact(draft, pol_artifact_index(pol, "support-faq")));
	assert_int_equal(rec->events[4].round, REC_ROUND_FINAL);
	assert_string_equal(rec->events[4].by, "Legal Counsel");
	assert_true(rec->events[5].has_cutoff);
	assert_string_equal(rec->events[6].text, "Line one\n  indented");
	assert_string_equal(rec->comm.summary, "First.\n\n    code");
	assert_string_equal(rec->comm.blog, "https://example.com/blog");
	assert_null(rec->comm.advisory);
	assert_int_equal(rec->source_len, strlen(src));
	rec_free(rec);
	diag_free(&d);
	free(src);
}

static void test_stable_sort_and_order_warning(void **state)
{
	(void)state;
	char *src = record("X1", "T",
			   "    <event at=\"2026-03-04T10:00:00Z\" type=\"update\" group=\"vp-security\"/>\n"
			   "    <event at=\"2026-03-04T10:00:00Z\" type=\"update\" group=\"e-group\"/>\n"
			   "    <event at=\"2026-03-04T09:00:00Z\" type=\"detected\"/>\n"
			   "    <event at=\"2026-03-04T10:00:00+00:00\" type=\"update\" group=\"legal\"/>\n", "");
	struct diag d = DIAG_INIT;
	struct record *rec = load(src, &d);
	assert_non_null(rec);
	assert_int_equal(d.warnings, 1);
	assert_int_equal(d.items[0].line, 12);
	assert_non_null(strstr(d.items[0].msg, "events out of order"));
	assert_non_null(strstr(d.items[0].msg, "line 11"));
	assert_int_equal(rec->events[0].type, REC_EV_DETECTED);
	assert_int_equal(rec->events[1].group, pol_group_index(pol, "vp-security"));
	assert_int_equal(rec->events[2].group, pol_group_index(pol, "e-group"));
	assert_int_equal(rec->events[3].group, pol_group_index(pol, "legal"));
	rec_free(rec);
	diag_free(&d);
	free(src);
}

/* rec_events_of lists each type's events in timeline order (file order
 * within a second), and none of another type. */
static void test_events_of_type(void **state)
{
	(void)state;
	char *src = record("X2", "T",
			   "    <event at=\"2026-03-04T10:00:00Z\" type=\"update\" group=\"vp-security\"/>\n"
			   "    <event at=\"2026-03-04T09:00:00Z\" type=\"detected\"/>\n"
			   "    <event at=\"2026-03-04T09:30:00Z\" type=\"note\">one</event>\n"
			   "    <event at=\"2026-03-04T10:00:00Z\" type=\"update\" group=\"e-group\"/>\n"
			   "    <event at=\"2026-03-04T09:45:00Z\" type=\"update\" group=\"legal\"/>\n",
			   "");
	struct diag d = DIAG_INIT;
	struct record *rec = load(src, &d);
	assert_non_null(rec);
	size_t n, total = 0;
	const struct rec_event *const *up = rec_events_of(rec, REC_EV_UPDATE, &n);
	assert_int_equal(n, 3);
	assert_int_equal(up[0]->group, pol_group_index(pol, "legal"));
	assert_int_equal(up[1]->group, pol_group_index(pol, "vp-security"));
	assert_int_equal(up[2]->group, pol_group_index(pol, "e-group"));
	assert_true(up[0] < up[1] && up[1] < up[2]);
	for (int t = 0; t < REC_EV_COUNT; t++) {
		const struct rec_event *const *evs = rec_events_of(rec, (enum rec_event_type)t, &n);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(evs[i]->type, t);
		total += n;
	}
	assert_int_equal(total, rec->n_events);
	assert_int_equal(total, 5);
	rec_events_of(rec, REC_EV_APPROVED, &n);
	assert_int_equal(n, 0);
	rec_free(rec);
	diag_free(&d);
	free(src);
}

/* Attribute values and texts that libxml2 holds in more than one node
 * (around a comment, a CDATA section) read the same as plain ones. */
static void test_split_values(void **state)
{
	(void)state;
	char *src = record("X3", "T",
			   "    <event at=\"2026-03-04T09:00:00Z\" type=\" detected\" by=\"A &amp; B &#x41;\"/>\n"
			   "    <event at=\"2026-03-04T09:10:00Z\" type=\"note\">x<!-- c -->y<![CDATA[<z>]]></event>\n"
			   "    <event at=\"2026-03-04T09:20:00Z\" type=\"note\"> <!-- only a comment --> </event>\n",
			   "");
	struct diag d = DIAG_INIT;
	struct record *rec = load(src, &d);
	assert_non_null(rec);
	assert_int_equal(rec->events[0].type, REC_EV_DETECTED);
	assert_string_equal(rec->events[0].by, "A & B A");
	assert_string_equal(rec->events[1].text, "xy<z>");
	assert_null(rec->events[2].text);
	assert_int_equal(d.warnings, 1);
	assert_non_null(strstr(d.items[0].msg, "a note with no text"));
	assert_int_equal(d.items[0].line, 12);
	rec_free(rec);
	diag_free(&d);
	free(src);
}

static void test_unknown_title_is_warning(void **state)
{
	(void)state;
	char *src = record("X2", "T",
			   "    <event at=\"2026-03-04T10:00:00Z\" type=\"approved\" group=\"legal\" by=\"Intern\" artifacts=\"blog-post\"/>\n"
			   "    <event at=\"2026-03-04T10:01:00Z\" type=\"approved\" group=\"customer-success\" by=\"VP Customer Success\" artifacts=\"support-faq\"/>\n", "");
	struct diag d = DIAG_INIT;
	struct record *rec = load(src, &d);
	assert_non_null(rec);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.warnings, 2);
	assert_non_null(strstr(d.items[0].msg, "'Intern' is not in the approver chain of group 'legal'"));
	assert_non_null(strstr(d.items[1].msg, "not an approver of 'support-faq'"));
	rec_free(rec);
	diag_free(&d);
	free(src);
}

/* security-quoted follows the quote: a quote by a Security title makes it
 * hold, so Security approves the media statement; a <security-quoted/>
 * the quote does not bear out holds too, with a warning. */
static void test_security_quoted_from_quote(void **state)
{
	(void)state;
	static const struct {
		const char *fact, *quote;
		bool quoted;
		const char *warning;     /* NULL: no warning */
	} cases[] = {
		{ "", "<quote by=\"VP of Security\">We fixed it.</quote>", true, NULL },
		{ "", "<quote by=\"vp of security\">We fixed it.</quote>", true, NULL },
		{ "", "<quote by=\"Chief Information Security Officer\">We fixed it.</quote>", true, NULL },
		{ "", "<quote by=\"Security Director\">We fixed it.</quote>", true, NULL },
		{ "", "<quote by=\"CEO\">We fixed it.</quote>", false, NULL },
		{ "", "<quote by=\"Head of Securityless Things\">x</quote>", false, NULL },
		{ "", "", false, NULL },
		{ "<security-quoted/>", "<quote by=\"VP of Security\">We fixed it.</quote>", true, NULL },
		{ "<security-quoted/>", "<quote by=\"CEO\">We fixed it.</quote>", true,
		  "its <quote> is by 'CEO'" },
		{ "<security-quoted/>", "", true, "the record has no <quote>" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *tail = xasprintf("  <communication>%s</communication>\n", cases[i].quote);
		char *base = record("X", "T", "", tail);
		const char *pii = "<pii/>";
		char *at = strstr(base, pii);
		char *src = xasprintf("%.*s%s%s%s", (int)(at - base), base, pii, cases[i].fact,
				      at + strlen(pii));
		struct diag d = DIAG_INIT;
		struct record *rec = load(src, &d);
		assert_non_null(rec);
		if (rec->fact_present[POL_FACT_SECURITY_QUOTED] != cases[i].quoted)
			fail_msg("case %zu: security-quoted %d", i, !cases[i].quoted);
		int media = pol_artifact_index(pol, "media-statement");
		int security = pol_group_index(pol, "security");
		assert_true(pol_is_approver(pol, (size_t)security, (size_t)media,
					    rec->fact_present[POL_FACT_SECURITY_QUOTED]) == cases[i].quoted);
		if (cases[i].warning) {
			assert_int_equal(d.warnings, 1);
			assert_int_equal(d.items[0].line, 8);
			if (!strstr(d.items[0].msg, cases[i].warning))
				fail_msg("case %zu: %s", i, d.items[0].msg);
		} else {
			assert_int_equal(d.warnings, 0);
		}
		rec_free(rec);
		diag_free(&d);
		free(src);
		free(base);
		free(tail);
	}
}

/* What the drafts state as facts: whether customers must act and how
 * urgently, in one line; who the email goes to; the next update; the
 * name of the person quoted. */
static void test_communication_facts(void **state)
{
	(void)state;
	char *src = record("X", "T", "",
			   "  <communication email-to=\"affected\">\n"
			   "    <customer-action required=\" urgent \" brief=\" Upgrade to 18.2.1 now. \">Upgrade.</customer-action>\n"
			   "    <quote by=\"VP of Security\" name=\"Dana Whitfield\">We fixed it.</quote>\n"
			   "    <next-update at=\"2026-03-05T10:00:00+01:00\"/>\n"
			   "  </communication>\n");
	struct diag d = DIAG_INIT;
	struct record *rec = load(src, &d);
	assert_non_null(rec);
	assert_int_equal(d.n, 0);
	assert_int_equal(rec->comm.action, REC_ACTION_URGENT);
	assert_string_equal(rec->comm.action_brief, "Upgrade to 18.2.1 now.");
	assert_true(rec->comm.email_to_affected);
	assert_true(rec->comm.has_next_update);
	assert_true(rec->comm.next_update == 1772701200);   /* 2026-03-05T09:00:00Z */
	assert_string_equal(rec->comm.quote_name, "Dana Whitfield");
	rec_free(rec);
	diag_free(&d);
	free(src);

	/* Left out: an action is required; the email may reach anyone. */
	src = record("X", "T", "", "  <communication><customer-action>Upgrade.</customer-action></communication>\n");
	rec = load(src, &d);
	assert_non_null(rec);
	assert_int_equal(rec->comm.action, REC_ACTION_REQUIRED);
	assert_null(rec->comm.action_brief);
	assert_false(rec->comm.email_to_affected);
	assert_false(rec->comm.has_next_update);
	rec_free(rec);
	diag_free(&d);
	free(src);
	src = record("X", "T", "", "  <communication><summary>S</summary></communication>\n");
	rec = load(src, &d);
	assert_int_equal(rec->comm.action, REC_ACTION_UNSTATED);
	rec_free(rec);
	diag_free(&d);
	free(src);

	/* The brief becomes a line of the social post and of headings. */
	src = record("X", "T", "", "  <communication><customer-action required=\"no\" "
		     "brief=\"No action&#10;Bcc: x@example.com\">x</customer-action></communication>\n");
	expect_error(src, 11, "brief must be one line");
	free(src);
	src = record("X", "T", "", "  <communication><customer-action required=\"maybe\">x</customer-action></communication>\n");
	expect_error(src, 11, "required=\"maybe\" is not allowed: expected no, yes or urgent");
	free(src);
	src = record("X", "T", "", "  <communication><next-update at=\"2026-03-05T10:00:00\"/></communication>\n");
	expect_error(src, 11, "has no");
	free(src);
}

/* Markdown blocks: the common indentation of their lines taken away,
 * blank lines around them dropped, a first line on the tag's own line
 * left out of the indentation; text in several nodes (CDATA) read whole. */
static void test_block_text(void **state)
{
	(void)state;
	static const struct { const char *xml, *want; } cases[] = {
		{ "<summary>One line.</summary>", "One line." },
		{ "<summary>\n\n    Two\n      lines\n\n  </summary>", "Two\n  lines" },
		{ "<summary>First on the tag\n      then indented\n      twice</summary>",
		  "First on the tag\nthen indented\ntwice" },
		{ "<summary>\n\tTabbed\n\t\tmore\n</summary>", "Tabbed\n\tmore" },
		{ "<summary>\n   \n  \t\n</summary>", "" },
		{ "<summary>  a <![CDATA[<b> & </b>]]>\n    c &amp; d\n</summary>", "a <b> & </b>\nc & d" },
		{ "<summary>\n    x\n\n\n    y   \n</summary>", "x\n\n\ny" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *tail = xasprintf("  <communication>%s</communication>\n", cases[i].xml);
		char *src = record("X", "T", "", tail);
		struct diag d = DIAG_INIT;
		struct record *rec = load(src, &d);
		assert_non_null(rec);
		assert_string_equal(rec->comm.summary, cases[i].want);
		rec_free(rec);
		diag_free(&d);
		free(src);
		free(tail);
	}
}

/* An event's optional attributes, read whatever their order, and the
 * schema's word when one is unknown, empty or not a round. */
static void test_event_attributes(void **state)
{
	(void)state;
	char *src = record("X", "T",
			   "    <event by=\"Legal Counsel\" round=\"final\" artifacts=\"customer-email\" "
			   "channel=\"email\" group=\"legal\" at=\"2026-03-04T10:05:00Z\" type=\"approved\"/>\n"
			   "    <event at=\"2026-03-04T10:06:00Z\" cutoff=\"2026-03-04T15:30:00Z\" type=\"cutoff-announced\" "
			   "by=\"SecCMOC\"/>\n", "");
	struct diag d = DIAG_INIT;
	struct record *rec = load(src, &d);
	assert_non_null(rec);
	assert_int_equal(d.errors, 0);
	assert_int_equal(rec->n_events, 2);
	assert_int_equal(rec->events[0].group, pol_group_index(pol, "legal"));
	assert_string_equal(rec->events[0].by, "Legal Counsel");
	assert_string_equal(rec->events[0].channel, "email");
	assert_int_equal(rec->events[0].round, REC_ROUND_FINAL);
	assert_true(rec_event_has_artifact(&rec->events[0], pol_artifact_index(pol, "customer-email")));
	assert_true(rec->events[1].has_cutoff);
	assert_string_equal(rec->events[1].by, "SecCMOC");
	rec_free(rec);
	diag_free(&d);
	free(src);

	src = record("X", "T", "    <event at=\"2026-03-04T10:05:00Z\" type=\"note\" colour=\"red\">x</event>\n", "");
	expect_error(src, 10, "<event> has no attribute 'colour'");
	free(src);
	src = record("X", "T", "    <event at=\"2026-03-04T10:05:00Z\" type=\"update\" group=\"\" by=\"x\"/>\n", "");
	expect_error(src, 10, "invalid attribute group for element event");
	free(src);
	src = record("X", "T", "    <event at=\"2026-03-04T10:05:00Z\" type=\"update\" group=\"legal\" by=\"\"/>\n", "");
	expect_error(src, 10, "invalid attribute by for element event");
	free(src);
	src = record("X", "T", "    <event at=\"2026-03-04T10:05:00Z\" type=\"approved\" group=\"legal\" "
		     "by=\"Legal Counsel\" round=\"last\"/>\n", "");
	expect_error(src, 10, "<event> round=\"last\" is not allowed: expected review or final");
	free(src);
}

/* scope/@count: an XML Schema nonNegativeInteger (a token, maybe signed
 * "+", or "-0"), up to what the ledger stores (a signed 64-bit integer). */
static void test_count(void **state)
{
	(void)state;
	static const struct { const char *written; uint64_t value; } good[] = {
		{ " 12 ", 12 }, { "+7", 7 }, { "-0", 0 }, { "0001204", 1204 },
		{ "9223372036854775807", 9223372036854775807ull },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char *base = record("X", "T", "", "");
		char *attr = xasprintf("count=\"%s\"", good[i].written);
		char *at = strstr(base, "count=\"12\"");
		char *src = xasprintf("%.*s%s%s", (int)(at - base), base, attr, at + strlen("count=\"12\""));
		struct diag d = DIAG_INIT;
		struct record *rec = load(src, &d);
		assert_non_null(rec);
		assert_true(rec->has_count);
		assert_true(rec->count == good[i].value);
		rec_free(rec);
		diag_free(&d);
		free(src);
		free(attr);
		free(base);
	}
	static const char *const bad[] = { "9223372036854775808", "18446744073709551615",
					   "99999999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *base = record("X", "T", "", "");
		char *at = strstr(base, "count=\"12\"");
		char *src = xasprintf("%.*scount=\"%s\"%s", (int)(at - base), base, bad[i],
				      at + strlen("count=\"12\""));
		expect_error(src, 7, "is too large");
		free(src);
		free(base);
	}
}

static void test_errors(void **state)
{
	(void)state;
	struct { const char *id, *title, *timeline, *tail; long line; const char *want; } cases[] = {
		{ "../../etc", "T", "", "", 2, "incident id '../../etc' must start with a letter" },
		{ "a..b", "T", "", "", 2, "must not contain '..'" },
		{ "CON", "T", "", "", 2, "reserved device name" },
		{ "nul.txt", "T", "", "", 2, "reserved device name" },
		{ "a/b", "T", "", "", 2, "may hold only letters" },
		{ "X", "Hi&#13;&#10;Bcc: evil@example.com", "", "", 3, "title must be one line" },
		/* Unicode's own line breaks and C1 controls: an email subject
		 * cannot hold them either, so draft would refuse the title. */
		{ "X", "Hi&#x2028;Bcc: evil@example.com", "", "", 3, "title must be one line" },
		{ "X", "Hi\xe2\x80\xa9there", "", "", 3, "title must be one line" },
		{ "X", "Hi&#x85;there", "", "", 3, "title must be one line" },
		{ "X", "Hi\xc2\x9bthere", "", "", 3, "title must be one line" },
		{ "X", "Hi&#9;there", "", "", 3, "title must be one line" },
		{ "X", "T", "    <event at=\"2026-03-04T09:12:00\" type=\"detected\"/>\n", "", 10,
		  "at time '2026-03-04T09:12:00' has no UTC offset" },
		{ "X", "T", "    <event at=\"2026-02-30T09:12:00Z\" type=\"detected\"/>\n", "", 10,
		  "is not a real date and time" },
		{ "X", "T", "    <event at=\"2026-03-04T09:12:00Z\" type=\"engaged\"/>\n", "", 10,
		  "event type 'engaged' needs a group attribute" },
		{ "X", "T", "    <event at=\"2026-03-04T09:12:00Z\" type=\"engaged\" group=\"finance\"/>\n", "", 10,
		  "unknown group 'finance'" },
		{ "X", "T", "    <event at=\"2026-03-04T09:12:00Z\" type=\"deployed\" artifacts=\"press-release\"/>\n", "", 10,
		  "unknown artifact 'press-release'" },
		{ "X", "T", "    <event at=\"2026-03-04T09:12:00Z\" type=\"deployed\" artifacts=\"blog-post blog-post\"/>\n", "", 10,
		  "artifact 'blog-post' is listed twice" },
		{ "X", "T", "    <event at=\"2026-03-04T09:12:00Z\" type=\"approved\" group=\"e-group\" by=\"x\" artifacts=\"blog-post\"/>\n", "", 10,
		  "group 'e-group' has no approver chain" },
		{ "X", "T", "    <event at=\"2026-03-04T09:12:00Z\" type=\"cutoff-announced\" cutoff=\"soon\"/>\n", "", 10,
		  "cutoff time 'soon'" },
		{ "X", "T", "", "  <exceptions>\n    <exception id=\"EX-1\" rule=\"SPEED\" requested-by=\"a\" approved-by=\"b\" approved-at=\"2026-03-04T09:12:00Z\"><justification>j</justification></exception>\n  </exceptions>\n",
		  12, "unknown rule 'SPEED'" },
		{ "X", "T", "", "  <exceptions>\n    <exception id=\"EX-1\" rule=\"QUORUM\" requested-by=\"a\" approved-by=\"b\" approved-at=\"2026-03-04T09:12:00Z\" expires=\"2026-03-01T00:00:00Z\"><justification>j</justification></exception>\n  </exceptions>\n",
		  12, "expires before it was approved" },
		{ "X", "T", "", "  <exceptions>\n    <exception id=\"EX-1\" rule=\"QUORUM\" requested-by=\"a\" approved-by=\"b\" approved-at=\"2026-03-04T09:12:00Z\"><justification>j</justification></exception>\n"
		  "    <exception id=\"EX-1\" rule=\"QUORUM\" requested-by=\"a\" approved-by=\"b\" approved-at=\"2026-03-04T09:12:00Z\"><justification>j</justification></exception>\n  </exceptions>\n",
		  13, "exception id 'EX-1' is used twice (first on line 12)" },
		/* A subject no finding of the rule can have: the forms are listed. */
		{ "X", "T", "", "  <exceptions>\n    <exception id=\"EX-1\" rule=\"QUORUM\" subject=\"legal\" requested-by=\"a\" approved-by=\"SIRT Management\" approved-at=\"2026-03-04T09:12:00Z\"><justification>j</justification></exception>\n  </exceptions>\n",
		  12, "subject 'legal' can never match a finding of QUORUM (QUORUM findings are about an external artifact with an approver group: blog-post, customer-email," },
		{ "X", "T", "", "  <exceptions>\n    <exception id=\"EX-1\" rule=\"CUTOFF\" subject=\"customer-email\" requested-by=\"a\" approved-by=\"SIRT Management\" approved-at=\"2026-03-04T09:12:00Z\"><justification>j</justification></exception>\n  </exceptions>\n",
		  12, "(CUTOFF findings are about the process as a whole: -)" },
		{ "X", "T", "", "  <exceptions>\n    <exception id=\"EX-1\" rule=\"AWARENESS\" subject=\"sales\" requested-by=\"a\" approved-by=\"SIRT Management\" approved-at=\"2026-03-04T09:12:00Z\"><justification>j</justification></exception>\n  </exceptions>\n",
		  12, "AWARENESS findings are about an awareness channel: #developer-relations, #social_media_action, #sales," },
		{ "X", "T", "", "  <communication><links blog=\"javascript:alert(1)\"/></communication>\n", 11,
		  "blog link 'javascript:alert(1)' is not a plain http(s) address" },
		{ "X", "T", "    <event at=\"2026-03-04T09:12:00Z\" type=\"escalated\"/>\n", "", 10, "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *src = record(cases[i].id, cases[i].title, cases[i].timeline, cases[i].tail);
		expect_error(src, cases[i].line, cases[i].want);
		free(src);
	}
}

/* Every repeat of an exception id is an error naming the first use, in
 * file order, however the repeats interleave. */
static void test_repeated_exception_ids(void **state)
{
	(void)state;
	static const char *const ids[] = { "EX-B", "EX-A", "EX-B", "EX-C", "EX-A", "EX-B" };
	struct buf tail = BUF_INIT;
	buf_puts(&tail, "  <exceptions>\n");
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		buf_printf(&tail, "    <exception id=\"%s\" rule=\"QUORUM\" requested-by=\"a\" "
			   "approved-by=\"SIRT Management\" approved-at=\"2026-03-04T09:12:00Z\">"
			   "<justification>j</justification></exception>\n", ids[i]);
	buf_puts(&tail, "  </exceptions>\n");
	char *src = record("X", "T", "", buf_str(&tail));
	struct diag d = DIAG_INIT;
	assert_null(load(src, &d));
	assert_int_equal(d.errors, 3);
	static const struct { long line; const char *msg; } want[] = {
		{ 14, "exception id 'EX-B' is used twice (first on line 12)" },
		{ 16, "exception id 'EX-A' is used twice (first on line 13)" },
		{ 17, "exception id 'EX-B' is used twice (first on line 12)" },
	};
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(d.items[i].line, want[i].line);
		assert_string_equal(d.items[i].msg, want[i].msg);
	}
	diag_free(&d);
	free(src);
	buf_free(&tail);
}

static void test_hostile_input(void **state)
{
	(void)state;
	static const char bomb[] =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
		" <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n"
		"<incident id=\"X\" version=\"1\"><title>&lol2;</title></incident>\n";
	expect_error(bomb, 2, "DOCTYPE declarations are not allowed");
	static const char xxe[] =
		"<?xml version=\"1.0\"?>\n<!-- a comment -->\n<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
		"<incident id=\"X\" version=\"1\"><title>&xxe;</title></incident>\n";
	expect_error(xxe, 3, "DOCTYPE declarations are not allowed");
	expect_error("", 1, "file is empty");
	static const char utf16[] = "\xff\xfe<\0i\0";
	struct diag d = DIAG_INIT;
	struct record *rec;
	assert_int_equal(rec_parse("t.xml", utf16, sizeof(utf16) - 1, pol, &d, &rec), -1);
	assert_non_null(strstr(d.items[0].msg, "UTF-16"));
	diag_free(&d);
	static const char nul[] = "<incident>\n\n\0</incident>";
	assert_int_equal(rec_parse("t.xml", nul, sizeof(nul) - 1, pol, &d, &rec), -1);
	assert_non_null(strstr(d.items[0].msg, "NUL byte at offset 12"));
	assert_int_equal(d.items[0].line, 3);
	diag_free(&d);
	expect_error("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<incident/>", 1,
		     "encoding 'ISO-8859-1' is not supported");
	expect_error("<incident id=\"X\" version=\"1\">\n<title>unclosed\n</incident>\n", 3,
		     "malformed XML");
	expect_error("<report/>", 1, "root element is <report>, expected <incident>");
	expect_error("<incident id=\"X\" version=\"2\"/>", 1, "version '2' is not supported");
}

static void test_ids(void **state)
{
	(void)state;
	const char *why;
	assert_true(rec_id_is_safe("SIRT-2026-0142", &why));
	assert_true(rec_id_is_safe("a.b_c-1", &why));
	assert_true(rec_id_is_safe("console", &why));
	assert_false(rec_id_is_safe("", &why));
	assert_false(rec_id_is_safe(".hidden", &why));
	assert_false(rec_id_is_safe("-rf", &why));
	assert_false(rec_id_is_safe("a b", &why));
	assert_false(rec_id_is_safe("a\\b", &why));
	assert_false(rec_id_is_safe("caf\xc3\xa9", &why));
	assert_false(rec_id_is_safe("LPT1", &why));
	assert_false(rec_id_is_safe("aux.tar.gz", &why));
	char long_id[70];
	memset(long_id, 'a', 65);
	long_id[65] = '\0';
	assert_false(rec_id_is_safe(long_id, &why));
	long_id[64] = '\0';
	assert_true(rec_id_is_safe(long_id, &why));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_stable_sort_and_order_warning),
		cmocka_unit_test(test_events_of_type),
		cmocka_unit_test(test_split_values),
		cmocka_unit_test(test_unknown_title_is_warning),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_security_quoted_from_quote),
		cmocka_unit_test(test_communication_facts),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_repeated_exception_ids),
		cmocka_unit_test(test_hostile_input),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_block_text),
		cmocka_unit_test(test_event_attributes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
