/* Unit tests for drafting a record (draft/draft.h): the files a set
 * holds, as they are read back, and where a warning about the record
 * points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "comm_record.h"

#include "base/util.h"
#include "draft/draft.h"
#include "format/md.h"
#include "format/tmpl_set.h"

static const char *comm =
	"<summary>We found a problem in   the export.  It is fixed.</summary>"
	"<faq><item><q>Was my data read?</q><a>No.  See\n\n\n`sircomm --help`.</a></item></faq>"
	"<links blog=\"https://example.com/blog/export\" contact=\"security@example.com\"/>";

/* Drafts the record with the built-in templates; the set and the
 * diagnostics are the caller's. */
static int draft(struct record *rec, struct draft_set *set, struct diag *d)
{
	struct tmpl_set tpl = TMPL_SET_INIT;
	assert_int_equal(tmpl_set_load(NULL, &tpl, d), 0);
	int rc = draft_run(rec, pol, &tpl, DRAFT_ALL, set, d);
	tmpl_set_free(&tpl);
	return rc;
}

static const struct draft_file *file(const struct draft_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->files[i].name, name) == 0)
			return &set->files[i];
	fail_msg("no %s in the set", name);
	return NULL;
}

/* A Markdown draft is tidied (no trailing spaces, no runs of blank
 * lines, one newline at its end), its text is the plain-text rendering
 * of that Markdown at 72 columns, and an email's text is its subject,
 * a blank line, and its body without blank lines before it. */
static void test_files(void **state)
{
	(void)state;
	struct record *rec = load("resolved", "<scope users=\"some\" count=\"12\"/>", comm);
	struct draft_set set = DRAFT_SET_INIT;
	struct diag d = DIAG_INIT;
	assert_int_equal(draft(rec, &set, &d), 0);
	static const char *const md_names[] = {
		"support-faq.md", "media-statement.md", "internal-update.md", "blog-post.md",
		"approval-matrix.md", "engagement-plan.md",
	};
	for (size_t i = 0; i < sizeof(md_names) / sizeof(md_names[0]); i++) {
		const struct draft_file *f = file(&set, md_names[i]);
		assert_int_equal(f->len, strlen(f->data));
		assert_true(f->len > 0 && f->data[0] != '\n' && f->data[f->len - 1] == '\n');
		assert_null(strstr(f->data, " \n"));
		assert_null(strstr(f->data, "\n\n\n"));
	}
	static const char *const with_text[] = { "support-faq", "media-statement", "internal-update" };
	for (size_t i = 0; i < 3; i++) {
		char *md_name = xasprintf("%s.md", with_text[i]), *txt_name = xasprintf("%s.txt", with_text[i]);
		const struct draft_file *md = file(&set, md_name), *txt = file(&set, txt_name);
		cmark_node *doc = md_parse(md->data, md->len);
		struct buf want = BUF_INIT;
		md_render_text(doc, 72, &want);
		assert_int_equal(txt->len, want.len);
		assert_string_equal(txt->data, buf_str(&want));
		buf_free(&want);
		cmark_node_free(doc);
		free(md_name);
		free(txt_name);
	}
	/* The FAQ's answer: its blank lines one, as Markdown has them. */
	assert_non_null(strstr(file(&set, "support-faq.md")->data, "No.  See\n\n`sircomm --help`."));
	const struct draft_file *email = file(&set, "customer-email.txt");
	assert_int_equal(email->len, strlen(email->data));
	assert_true(strncmp(email->data, "Subject: ", 9) == 0);
	const char *body = strstr(email->data, "\n\n");
	assert_non_null(body);
	assert_true(body[2] != '\n' && body[2] != '\0');
	assert_null(strchr(email->data, '\r'));
	assert_non_null(strstr(email->data, "https://example.com/blog/export"));
	/* The matrix's CSV: the header, then a row a group and artifact. */
	const struct draft_file *csv = file(&set, "approval-matrix.csv");
	const char *want = "artifact,group,role,approver,backups,review_due,review_state,final_due,"
			   "final_state\r\n\"blog-post\",\"security\",\"approver\",\"VP of Security\","
			   "\"Security Director, then VP of Engineering\",";
	assert_true(strncmp(csv->data, want, strlen(want)) == 0);
	draft_set_free(&set);
	diag_free(&d);
	rec_free(rec);
}

/* A warning about the record points at the line of the element it is
 * about: <status> is on the record's fourth line. */
static void test_warning_line(void **state)
{
	(void)state;
	struct record *rec = load("investigating", "<scope users=\"some\"/>", comm);
	struct draft_set set = DRAFT_SET_INIT;
	struct diag d = DIAG_INIT;
	draft(rec, &set, &d);
	bool found = false;
	for (size_t i = 0; i < d.n; i++) {
		if (strstr(d.items[i].msg, "sets no <next-update at>")) {
			assert_string_equal(d.items[i].file, "t.xml");
			assert_int_equal(d.items[i].line, 4);
			found = true;
		}
	}
	assert_true(found);
	draft_set_free(&set);
	diag_free(&d);
	rec_free(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_warning_line),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
