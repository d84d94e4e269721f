/* Unit tests for the drafts' consistency check (draft/agree.h): each
 * statement a draft makes is held to the facts, words the record itself
 * holds are the record's, and the finding names the words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "comm_record.h"

#include "base/util.h"
#include "draft/agree.h"
#include "draft/facts.h"
#include "format/md.h"
#include "model/policy.h"
#include "model/record.h"

/* Checks two drafts given as Markdown (the customer email and the social
 * post) and returns the findings described, one per line. */
static char *check(struct record *rec, const char *email, const char *social)
{
	struct arena a = ARENA_INIT;
	struct facts f;
	facts_build(rec, pol, &a, &f);
	char *text[DRAFT_COUNT] = { 0 };
	cmark_node *tree[DRAFT_COUNT] = { 0 };
	const char *md[DRAFT_COUNT] = { 0 };
	md[DRAFT_CUSTOMER_EMAIL] = email;
	md[DRAFT_SOCIAL_POST] = social;
	unsigned which = 0;
	for (int i = 0; i < DRAFT_COUNT; i++) {
		if (!md[i])
			continue;
		which |= 1u << i;
		tree[i] = md_parse(md[i], strlen(md[i]));
		struct buf b = BUF_INIT;
		md_render_text(tree[i], 100000, &b);
		text[i] = buf_detach(&b);
	}
	struct agree_result r = AGREE_RESULT_INIT;
	agree_check(rec, &f, text, tree, which, &r);
	struct buf out = BUF_INIT;
	for (size_t i = 0; i < r.n; i++) {
		agree_describe(&r.items[i], &out);
		buf_putc(&out, '\n');
	}
	agree_result_free(&r);
	for (int i = 0; i < DRAFT_COUNT; i++) {
		free(text[i]);
		if (tree[i])
			cmark_node_free(tree[i]);
	}
	arena_free(&a);
	return buf_detach(&out);
}

static const char *const link = "<links blog=\"https://example.com/b\"/>";

static void test_action(void **state)
{
	(void)state;
	char *comm = xasprintf("<customer-action required=\"no\">Be alert to phishing.</customer-action>%s",
			       link);
	struct record *rec = load("resolved", "<scope users=\"some\"/>", comm);
	char *got = check(rec, "No action is required.\n",
			  "Resolved. Action may be needed on your side. https://example.com/b\n");
	assert_string_equal(got, "social-post hedges, \"Action may be needed on your side.\", where "
			    "the facts say \"No action is required.\" (as customer-email says)\n");
	free(got);
	/* "No action is required" is not "action is required". */
	got = check(rec, "No action is required.\n", "No action is required. https://example.com/b\n");
	assert_string_equal(got, "");
	free(got);
	rec_free(rec);
	free(comm);

	/* Urgent: a draft that says no action is needed, or hedges, fails. */
	comm = xasprintf("<customer-action required=\"urgent\">Upgrade.</customer-action>%s", link);
	rec = load("resolved", "<scope users=\"some\"/>", comm);
	got = check(rec, "Customers do not need to take any action.\n",
		    "Action may be needed. https://example.com/b\n");
	assert_non_null(strstr(got, "customer-email says \"Customers do not need to take any action.\""));
	assert_non_null(strstr(got, "social-post hedges"));
	free(got);
	rec_free(rec);
	free(comm);
}

/* What the record's own text says is the record's word; a heading over
 * it that says the opposite is the draft's. */
static void test_record_words(void **state)
{
	(void)state;
	char *comm = xasprintf("<customer-action>Admins must rotate keys. All other customers need "
			       "take no action.</customer-action>%s", link);
	struct record *rec = load("resolved", "<scope users=\"some\"/>", comm);
	char *got = check(rec, "## What you need to do\n\nAdmins must rotate keys. All other customers "
			  "need take no action.\n", "x https://example.com/b\n");
	assert_string_equal(got, "");
	free(got);
	got = check(rec, "## Action required\n\nNo action is required.\n", "x https://example.com/b\n");
	assert_non_null(strstr(got, "customer-email has the heading \"Action required\" over \"No action "
				    "is required.\", which says the opposite"));
	free(got);
	/* The other way round; and headings that take no stance, over any
	 * text, or over none. */
	got = check(rec, "# Title\n\n## No action needed\n\nYou must take action now. Really.\n",
		    "x https://example.com/b\n");
	assert_string_equal(got, "customer-email says \"No action needed\" where the facts say "
			    "\"Affected customers need to take action.\"\n"
			    "customer-email has the heading \"No action needed\" over \"You must "
			    "take action now.\", which says the opposite\n");
	free(got);
	got = check(rec, "## Details\n\nWhat you need to do: rotate keys.\n\n## Action required\n\n"
		    "## Next\n\nNothing.\n", "x https://example.com/b\n");
	assert_string_equal(got, "");
	free(got);
	rec_free(rec);
	free(comm);
}

static void test_reader_and_population(void **state)
{
	(void)state;
	struct record *rec = load("resolved", "<scope users=\"some\" count=\"3812\"/>", link);
	char *got = check(rec, "It affects some of our customers, including your account.\n\n"
			  "If your organization is affected, rotate keys.\n", "x https://example.com/b\n");
	assert_non_null(strstr(got, "customer-email tells its reader \"It affects some of our customers, "
				    "including your account.\""));
	free(got);
	got = check(rec, "It affected all of our customers.\n", "x https://example.com/b\n");
	assert_non_null(strstr(got, "where the scope says some of our customers"));
	free(got);
	got = check(rec, "Some users (3812 known).\n", "3,812 accounts. https://example.com/b\n");
	assert_string_equal(got, "customer-email says \"Some users (3812 known).\" where the facts write "
			    "the affected count 3,812 (as social-post says)\n");
	free(got);
	rec_free(rec);
}

static void test_update_status_link(void **state)
{
	(void)state;
	char *comm = xasprintf("<next-update at=\"2026-03-05T18:00:00Z\"/>%s", link);
	struct record *rec = load("investigating", "<scope users=\"some\"/>", comm);
	char *got = check(rec, "Our next update will be by 5 March 2026 at 18:00 UTC.\n",
			  "Next update by 5 March 2026 at 10:00 UTC. https://example.com/b\n");
	assert_non_null(strstr(got, "social-post says \"Next update by 5 March 2026 at 10:00 UTC.\""));
	/* The email, which gives the record's time, has no finding. */
	assert_true(strncmp(got, "customer-email", 14) != 0);
	assert_null(strstr(got, "\ncustomer-email"));
	free(got);
	/* A month named as a whole word, in any case, names a day; a word
	 * that only starts like one does not. */
	got = check(rec, "Our next update comes in MAY.\n", "Mayday https://example.com/b\n");
	assert_string_equal(got, "customer-email says \"Our next update comes in MAY.\" where the facts "
			    "say \"Our next update will be by 5 March 2026 at 18:00 UTC.\"\n");
	free(got);
	got = check(rec, "Our next update follows the Marching band, Decembers and maybe more.\n",
		    "x https://example.com/b\n");
	assert_string_equal(got, "");
	free(got);
	got = check(rec, "The issue has been resolved.\n", "Investigating.\n");
	assert_non_null(strstr(got, "customer-email says \"The issue has been resolved.\" while the "
				    "incident is not resolved"));
	assert_non_null(strstr(got, "social-post does not link https://example.com/b"));
	free(got);
	rec_free(rec);
	free(comm);
}

/* A draft that links another post on the blog's site than the
 * incident's own sends readers elsewhere; the record's own links pass. */
static void test_other_link(void **state)
{
	(void)state;
	struct record *rec = load("resolved", "<scope users=\"some\"/>",
				  "<faq><item><q>Before?</q><a>See https://example.com/blog/2025/old/.</a></item></faq>"
				  "<links blog=\"https://example.com/blog/2026/new/\"/>");
	char *got = check(rec, "Read https://example.com/blog/2026/new/ and "
			  "https://example.com/blog/2025/old/.\n",
			  "Details: https://example.com/blog/2024/stale/\n");
	assert_string_equal(got, "social-post links https://example.com/blog/2024/stale/ where the "
			    "incident's page is https://example.com/blog/2026/new/ (as customer-email says)\n"
			    "social-post does not link https://example.com/blog/2026/new/, which it is "
			    "there to distribute (as customer-email says)\n");
	free(got);
	rec_free(rec);
}

/* A phrase is found as whole words, in any case, wherever it stands; a
 * text that holds its words, and even its pairs of words, apart from
 * each other does not hold it. */
static void test_whole_words(void **state)
{
	(void)state;
	char *comm = xasprintf("<customer-action required=\"no\">Be alert to phishing.</customer-action>%s",
			       link);
	struct record *rec = load("resolved", "<scope users=\"some\"/>", comm);
	const char *social = "x https://example.com/b\n";
	/* Every word of "action is required", and both its pairs ("action
	 * is", "is required"), but never the phrase. */
	char *got = check(rec, "Action is taken. This is required reading, and required action is "
			  "ours.\n", social);
	assert_string_equal(got, "");
	free(got);
	/* The whole text, so the phrase starts it and ends it. */
	got = check(rec, "Action is required\n", social);
	assert_string_equal(got, "customer-email says \"Action is required\" where the facts say \"No "
			    "action is required.\"\n");
	free(got);
	got = check(rec, "Please note: customer action required\n", social);
	assert_string_equal(got, "customer-email says \"Please note: customer action required\" where "
			    "the facts say \"No action is required.\"\n");
	free(got);
	/* Case and punctuation around the words do not matter. */
	got = check(rec, "Read this. ACTION Is REQUIRED!\n", social);
	assert_string_equal(got, "customer-email says \"ACTION Is REQUIRED!\" where the facts say \"No "
			    "action is required.\"\n");
	free(got);
	got = check(rec, "Note (action is required): rotate keys.\n", social);
	assert_string_equal(got, "customer-email says \"Note (action is required): rotate keys.\" where "
			    "the facts say \"No action is required.\"\n");
	free(got);
	/* A non-ASCII letter is part of the word it touches: "réaction" is
	 * not "action", "requiredé" not "required"; next to a word, one
	 * starts a new sentence as any letter does. */
	got = check(rec, "Réaction is required. Action is requiredé.\n", social);
	assert_string_equal(got, "");
	free(got);
	got = check(rec, "Ça: action is required.\n", social);
	assert_string_equal(got, "customer-email says \"Ça: action is required.\" where the facts say "
			    "\"No action is required.\"\n");
	free(got);
	/* The second place a phrase stands counts when the first is
	 * denied, and in a heading as in the text. */
	got = check(rec, "No action required here; elsewhere action required.\n", social);
	assert_string_equal(got, "customer-email says \"No action required here; elsewhere action "
			    "required.\" where the facts say \"No action is required.\"\n");
	free(got);
	got = check(rec, "## ACTION REQUIRED\n\nNo action is required.\n", social);
	assert_string_equal(got, "customer-email says \"ACTION REQUIRED\" where the facts say \"No action "
			    "is required.\"\n"
			    "customer-email has the heading \"ACTION REQUIRED\" over \"No action is "
			    "required.\", which says the opposite\n");
	free(got);
	rec_free(rec);
	free(comm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_action),
		cmocka_unit_test(test_record_words),
		cmocka_unit_test(test_reader_and_population),
		cmocka_unit_test(test_update_status_link),
		cmocka_unit_test(test_other_link),
		cmocka_unit_test(test_whole_words),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
