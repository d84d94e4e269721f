/* Unit tests for the Mustache engine: the spec's own test files (argv[1]
 * is their directory), then parse errors, partial limits, the escape
 * hook, the value API and behaviour on large inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "format/tmpl.h"
#include "format/tmpl_set.h"
#include "base/util.h"

static const char *spec_dir;

/* ---- Helpers -------------------------------------------------------- */

/* Partials for the hand-written tests: pairs of name and source, ending
 * with a NULL name. */
static int table_partial(void *ud, const char *name, const char **src, size_t *len)
{
	const char *const *t = ud;
	for (; t && t[0]; t += 2) {
		if (strcmp(t[0], name) == 0) {
			*src = t[1];
			*len = strlen(t[1]);
			return 0;
		}
	}
	return -1;
}

/* Parses and renders; returns the render status (-2 for a parse error)
 * and leaves the output in out and the diagnostics in d. */
static int render(const char *src, const struct tval *ctx, const struct tmpl_options *opt,
		  struct buf *out, struct diag *d)
{
	struct tmpl *t;
	if (tmpl_parse("t.mustache", src, strlen(src), d, &t) != 0) {
		assert_null(t);
		return -2;
	}
	int rc = tmpl_render(t, ctx, opt, out, d);
	tmpl_free(t);
	return rc;
}

/* Renders with partials from a table and expects the output. */
static void expect_render(const char *src, const struct tval *ctx,
			  const char *const *partials, const char *want)
{
	struct tmpl_options opt = TMPL_OPTIONS_INIT;
	opt.partial = table_partial;
	opt.partial_ud = (void *)partials;
	struct buf out = BUF_INIT;
	struct diag d = DIAG_INIT;
	int rc = render(src, ctx, &opt, &out, &d);
	if (rc != 0) {
		diag_print(&d, stderr);
		fail_msg("'%s' failed", src);
	}
	assert_string_equal(buf_str(&out), want);
	buf_free(&out);
	diag_free(&d);
}

/* Expects exactly one error: in `file` at `line` with the message `want`. */
static void expect_diag(const struct diag *d, const char *file, long line, const char *want)
{
	if (d->errors != 1 || d->n < 1 || d->items[0].level != DIAG_ERROR) {
		diag_print(d, stderr);
		fail_msg("expected one error '%s'", want);
	}
	const struct diag_item *it = &d->items[0];
	if (strcmp(it->file, file) != 0 || it->line != line || strcmp(it->msg, want) != 0)
		fail_msg("expected %s:%ld: '%s'\n     got %s:%ld: '%s'", file, line, want,
			 it->file, it->line, it->msg);
}

static void expect_parse_error(const char *src, long line, const char *want)
{
	struct diag d = DIAG_INIT;
	struct tmpl *t = (struct tmpl *)&d; /* must be reset to NULL */
	assert_int_equal(tmpl_parse("t.mustache", src, strlen(src), &d, &t), -1);
	assert_null(t);
	expect_diag(&d, "t.mustache", line, want);
	diag_free(&d);
}

/* ---- The spec ------------------------------------------------------- */

/* The shortest text that reads back as the same double, the way the
 * spec's YAML source writes its numbers (1.21, not 1.2100000000000000). */
static void number_text(double x, char *buf, size_t n)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			return;
	}
}

static struct tval *from_json(struct arena *a, struct json_object *j)
{
	char num[64];
	switch (json_object_get_type(j)) {
	case json_type_null:
		return tval_null(a);
	case json_type_boolean:
		return tval_bool(a, json_object_get_boolean(j));
	case json_type_int:
		return tval_int(a, json_object_get_int64(j));
	case json_type_double:
		number_text(json_object_get_double(j), num, sizeof(num));
		return tval_str(a, num);
	case json_type_string:
		return tval_strn(a, json_object_get_string(j), (size_t)json_object_get_string_len(j));
	case json_type_array: {
		struct tval *l = tval_list(a);
		size_t n = json_object_array_length(j);
		for (size_t i = 0; i < n; i++)
			tval_push(l, from_json(a, json_object_array_get_idx(j, i)));
		return l;
	}
	case json_type_object: {
		struct tval *m = tval_map(a);
		struct json_object_iterator it = json_object_iter_begin(j);
		struct json_object_iterator end = json_object_iter_end(j);
		for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it))
			tval_set(m, json_object_iter_peek_name(&it),
			       from_json(a, json_object_iter_peek_value(&it)));
		return m;
	}
	}
	return tval_null(a);
}

static int json_partial(void *ud, const char *name, const char **src, size_t *len)
{
	struct json_object *p;
	if (!ud || !json_object_object_get_ex(ud, name, &p))
		return -1;
	*src = json_object_get_string(p);
	*len = (size_t)json_object_get_string_len(p);
	return 0;
}

/* Prints a string with its line breaks and tabs visible. */
static void show(const char *label, const char *s)
{
	fprintf(stderr, "    %-9s \"", label);
	for (; *s; s++) {
		switch (*s) {
		case '\n': fputs("\\n", stderr); break;
		case '\r': fputs("\\r", stderr); break;
		case '\t': fputs("\\t", stderr); break;
		case '"': fputs("\\\"", stderr); break;
		case '\\': fputs("\\\\", stderr); break;
		default: fputc(*s, stderr);
		}
	}
	fputs("\"\n", stderr);
}

/* Runs one spec test; returns true when it passes. */
static bool spec_case(const char *file, struct json_object *tc)
{
	struct json_object *jname, *jtmpl, *jwant, *jdata, *jpartials = NULL;
	if (!json_object_object_get_ex(tc, "name", &jname) ||
	    !json_object_object_get_ex(tc, "template", &jtmpl) ||
	    !json_object_object_get_ex(tc, "expected", &jwant) ||
	    !json_object_object_get_ex(tc, "data", &jdata)) {
		fprintf(stderr, "%s: a test lacks name, template, expected or data\n", file);
		return false;
	}
	json_object_object_get_ex(tc, "partials", &jpartials);
	const char *name = json_object_get_string(jname);
	const char *want = json_object_get_string(jwant);

	struct arena a = ARENA_INIT;
	struct tval *ctx = from_json(&a, jdata);
	struct tmpl_options opt = TMPL_OPTIONS_INIT;
	opt.partial = json_partial;
	opt.partial_ud = jpartials;
	opt.missing_partial_ok = true;
	struct buf out = BUF_INIT;
	struct diag d = DIAG_INIT;
	struct tmpl *t;
	int rc = tmpl_parse(name, json_object_get_string(jtmpl),
			    (size_t)json_object_get_string_len(jtmpl), &d, &t);
	if (rc == 0)
		rc = tmpl_render(t, ctx, &opt, &out, &d);
	bool ok = rc == 0 && out.len == strlen(want) && memcmp(buf_str(&out), want, out.len) == 0;
	if (!ok) {
		fprintf(stderr, "%s.json: FAIL: %s\n", file, name);
		show("template", json_object_get_string(jtmpl));
		show("expected", want);
		show("actual", buf_str(&out));
		diag_print(&d, stderr);
	}
	tmpl_free(t);
	buf_free(&out);
	diag_free(&d);
	arena_free(&a);
	return ok;
}

static void run_spec(const char *file)
{
	struct stat st;
	if (!spec_dir || stat(spec_dir, &st) != 0 || !S_ISDIR(st.st_mode))
		fail_msg("the spec's test files are not in %s", spec_dir ? spec_dir : "(no argument)");
	char *path = xasprintf("%s/%s.json", spec_dir, file);
	struct json_object *root = json_object_from_file(path);
	if (!root)
		fail_msg("cannot read %s", path);
	struct json_object *tests;
	if (!json_object_object_get_ex(root, "tests", &tests) ||
	    !json_object_is_type(tests, json_type_array))
		fail_msg("%s has no tests array", path);
	size_t n = json_object_array_length(tests), passed = 0;
	for (size_t i = 0; i < n; i++)
		passed += spec_case(file, json_object_array_get_idx(tests, i));
	print_message("%s.json: %zu of %zu spec tests pass\n", file, passed, n);
	json_object_put(root);
	free(path);
	assert_true(n > 0);
	assert_int_equal(passed, n);
}

static void test_spec_comments(void **state) { (void)state; run_spec("comments"); }
static void test_spec_delimiters(void **state) { (void)state; run_spec("delimiters"); }
static void test_spec_interpolation(void **state) { (void)state; run_spec("interpolation"); }
static void test_spec_inverted(void **state) { (void)state; run_spec("inverted"); }
static void test_spec_partials(void **state) { (void)state; run_spec("partials"); }
static void test_spec_sections(void **state) { (void)state; run_spec("sections"); }

/* ---- Parse errors --------------------------------------------------- */

static void test_parse_errors(void **state)
{
	(void)state;
	expect_parse_error("a\n{{#x}}\nb\n", 2, "section 'x' opened on line 2 is never closed");
	expect_parse_error("{{#x}}\n{{#y}}\n{{/y}}\n", 1, "section 'x' opened on line 1 is never closed");
	expect_parse_error("{{#x}}\n{{/y}}", 2,
			   "closing tag 'y' does not match section 'x' opened on line 1");
	expect_parse_error("{{#a}}\n{{^b}}\n\n{{/a}}", 4,
			   "closing tag 'a' does not match section 'b' opened on line 2");
	expect_parse_error("a\n\n{{/y}}", 3, "closing tag 'y' has no open section");
	expect_parse_error("{{#x}}{{/x}}\n{{/x}}", 2, "closing tag 'x' has no open section");
	expect_parse_error("a\n{{=<% %>}}", 2,
			   "bad set-delimiter tag (expected two delimiters without spaces or '=', "
			   "as in '{{=<% %>=}}')");
	expect_parse_error("{{=<% %>=}}\n<%=a=%>", 2,
			   "bad set-delimiter tag (expected two delimiters without spaces or '=', "
			   "as in '<%=<% %>=%>')");
	expect_parse_error("{{=<% % %>=}}", 1,
			   "bad set-delimiter tag (expected two delimiters without spaces or '=', "
			   "as in '{{=<% %>=}}')");
	expect_parse_error("{{=<= =>=}}", 1,
			   "bad set-delimiter tag (expected two delimiters without spaces or '=', "
			   "as in '{{=<% %>=}}')");
	expect_parse_error("x\ny {{name\n", 2, "unclosed tag: '{{' has no closing '}}'");
	expect_parse_error("\n{{{name}}", 2, "unclosed tag: '{{{' has no closing '}}}'");
	expect_parse_error("{{=[ ]=}}\n\n[# a", 3, "unclosed tag: '[' has no closing ']'");
	expect_parse_error("{{!\n\n}}\n{{/x}}", 4, "closing tag 'x' has no open section");
	expect_parse_error("{{}}", 1, "tag has an empty name");
	expect_parse_error("{{#  }}{{/}}", 1, "tag has an empty name");
	expect_parse_error("{{a b}}", 1, "tag name 'a b' contains a space");
	expect_parse_error("{{> a b}}", 1, "tag name 'a b' contains a space");
	expect_parse_error("{{a..b}}", 1, "name 'a..b' has an empty part between dots");
	expect_parse_error("{{#.a}}{{/.a}}", 1, "name '.a' has an empty part between dots");
	expect_parse_error("{{<parent}}{{/parent}}", 1,
			   "tag '<' (template inheritance) is not supported");

	/* Sections nest at most 100 deep, so rendering cannot run out of stack. */
	struct buf src = BUF_INIT;
	for (int i = 0; i < 100; i++)
		buf_puts(&src, "{{#a}}");
	for (int i = 0; i < 100; i++)
		buf_puts(&src, "{{/a}}");
	struct diag d = DIAG_INIT;
	struct tmpl *t;
	assert_int_equal(tmpl_parse("t", src.data, src.len, &d, &t), 0);
	tmpl_free(t);
	buf_reset(&src);
	for (int i = 0; i < 101; i++)
		buf_puts(&src, "{{#a}}\n");
	expect_parse_error(src.data, 101, "sections nest deeper than 100 levels");
	buf_free(&src);
	diag_free(&d);
}

/* ---- Partials ------------------------------------------------------- */

static void test_partial_errors(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct tval *ctx = tval_map(&a);
	tval_set(ctx, "items", tval_push(tval_list(&a), tval_str(&a, "x")));
	struct tmpl_options opt = TMPL_OPTIONS_INIT;
	struct buf out = BUF_INIT;
	struct diag d = DIAG_INIT;

	/* Unknown partials are errors unless the options allow them. */
	assert_int_equal(render("a\n{{>nope}}", ctx, &opt, &out, &d), -1);
	expect_diag(&d, "t.mustache", 2, "unknown partial 'nope'");
	diag_free(&d);
	opt.missing_partial_ok = true;
	buf_reset(&out);
	assert_int_equal(render("a\n{{>nope}}\nb", ctx, &opt, &out, &d), 0);
	assert_string_equal(buf_str(&out), "a\nb");
	assert_int_equal(d.n, 0);
	opt.missing_partial_ok = false;

	/* A recursive partial stops at the depth limit with an error. */
	static const char *const rec[] = { "p", "x{{#items}}{{>p}}{{/items}}", NULL };
	opt.partial = table_partial;
	opt.partial_ud = (void *)rec;
	buf_reset(&out);
	assert_int_equal(render("{{>p}}", ctx, &opt, &out, &d), -1);
	expect_diag(&d, "p", 1, "partial 'p' nests deeper than 32 levels (a recursive partial?)");
	diag_free(&d);

	/* A custom limit: three levels render, a fourth is an error. */
	static const char *const chain[] = {
		"one", "1{{>two}}", "two", "2{{>three}}", "three", "3\n\n{{>four}}",
		"four", "4", NULL,
	};
	opt.partial_ud = (void *)chain;
	opt.max_depth = 4;
	buf_reset(&out);
	assert_int_equal(render("{{>one}}", ctx, &opt, &out, &d), 0);
	assert_string_equal(buf_str(&out), "123\n\n4");
	opt.max_depth = 3;
	buf_reset(&out);
	assert_int_equal(render("{{>one}}", ctx, &opt, &out, &d), -1);
	expect_diag(&d, "three", 3, "partial 'four' nests deeper than 3 levels (a recursive partial?)");
	diag_free(&d);
	opt.max_depth = 0;

	/* A partial that does not parse: its own name and line, then where
	 * it was included. */
	static const char *const bad[] = { "bad", "ok\n{{#x}}", NULL };
	opt.partial_ud = (void *)bad;
	buf_reset(&out);
	assert_int_equal(render("\n{{>bad}}", ctx, &opt, &out, &d), -1);
	expect_diag(&d, "bad", 2, "section 'x' opened on line 2 is never closed");
	assert_int_equal(d.n, 2);
	assert_int_equal(d.items[1].level, DIAG_NOTE);
	assert_string_equal(d.items[1].file, "t.mustache");
	assert_int_equal(d.items[1].line, 2);
	assert_string_equal(d.items[1].msg, "partial 'bad' is included here");
	diag_free(&d);

	buf_free(&out);
	arena_free(&a);
}

/* Counts its calls in *ud; "item" has a body, any other name is empty. */
static int counting_partial(void *ud, const char *name, const char **src, size_t *len)
{
	int *calls = ud;
	(*calls)++;
	*src = strcmp(name, "item") == 0 ? "<{{.}}>" : "";
	*len = strlen(*src);
	return 0;
}

static void test_partial_indentation(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct tval *ctx = tval_map(&a);
	struct tval *list = tval_list(&a);
	tval_push(list, tval_str(&a, "a"));
	tval_push(list, tval_str(&a, "b\nc"));
	tval_set(ctx, "list", list);
	tval_set_bool(ctx, "yes", true);

	/* Indentation adds up through nested standalone partials and goes
	 * before each line of the partial's source, not of the values. */
	static const char *const nested[] = {
		"outer", "a\n  {{>inner}}\nb\n",
		"inner", "{{#list}}\n- {{.}}\n{{/list}}\n",
		"inline", "x\n{{#yes}}y{{/yes}}\n{{! c }}z\n",
		"empty", "",
		NULL,
	};
	expect_render("  {{>outer}}\n", ctx, nested, "  a\n    - a\n    - b\nc\n  b\n");
	/* Inline partials get no indentation; nor does the line after. */
	expect_render("> {{>outer}}|\n", ctx, nested, "> a\n  - a\n  - b\nc\nb\n|\n");
	/* Lines starting with a tag, section or comment are indented too. */
	expect_render("\t{{>inline}}", ctx, nested, "\tx\n\ty\n\tz\n");
	expect_render(" {{>empty}}\nok", ctx, nested, "ok");

	/* One partial used many times is fetched and parsed once a render. */
	int calls = 0;
	struct tmpl_options opt = TMPL_OPTIONS_INIT;
	opt.partial = counting_partial;
	opt.partial_ud = &calls;
	struct buf out = BUF_INIT;
	struct diag d = DIAG_INIT;
	assert_int_equal(render("{{#list}}{{>item}}{{/list}}{{>item}}{{>other}}", ctx, &opt, &out, &d), 0);
	/* At the top the context is a map, and maps print nothing. */
	assert_string_equal(buf_str(&out), "<a><b\nc><>");
	assert_int_equal(calls, 2);
	buf_free(&out);
	diag_free(&d);
	arena_free(&a);
}

/* ---- Escaping and values in output ---------------------------------- */

static void bracket_escape(struct buf *out, const char *s, size_t n)
{
	buf_putc(out, '[');
	buf_append(out, s, n);
	buf_putc(out, ']');
}

static void test_escape(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct tval *ctx = tval_map(&a);
	tval_set_str(ctx, "x", "a<b>&\"c\"'d'");

	struct tmpl_options opt = TMPL_OPTIONS_INIT;
	struct buf out = BUF_INIT;
	struct diag d = DIAG_INIT;
	assert_int_equal(render("{{x}}|{{{x}}}|{{&x}}", ctx, &opt, &out, &d), 0);
	assert_string_equal(buf_str(&out),
			    "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;|a<b>&\"c\"'d'|a<b>&\"c\"'d'");

	opt.escape = bracket_escape;
	buf_reset(&out);
	assert_int_equal(render("{{x}}|{{{x}}}|{{&x}}|{{missing}}", ctx, &opt, &out, &d), 0);
	assert_string_equal(buf_str(&out), "[a<b>&\"c\"'d']|a<b>&\"c\"'d'|a<b>&\"c\"'d'|");

	buf_reset(&out);
	tmpl_escape_html(&out, "plain", 5);
	tmpl_escape_html(&out, "<&>", 3);
	assert_string_equal(buf_str(&out), "plain&lt;&amp;&gt;");
	buf_free(&out);
	diag_free(&d);
	arena_free(&a);
}

static void test_value_output(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct tval *ctx = tval_map(&a);
	tval_set_bool(ctx, "t", true);
	tval_set_bool(ctx, "f", false);
	tval_set(ctx, "n", tval_null(&a));
	tval_set(ctx, "nul", NULL);
	tval_set_str(ctx, "empty", "");
	tval_set_int(ctx, "zero", 0);
	tval_set(ctx, "map", tval_map(&a));
	tval_set(ctx, "list", tval_push(tval_list(&a), tval_str(&a, "i")));
	tval_set(ctx, "nolist", tval_list(&a));

	/* Bools print as words; null, lists and maps print nothing. */
	expect_render("{{t}} {{f}} [{{n}}{{nul}}{{map}}{{list}}{{missing}}] {{zero}}", ctx, NULL,
		      "true false [] 0");
	/* Falsey: false, null, "", the empty list; an empty map and "0" are truthy. */
	expect_render("{{#t}}t{{/t}}{{#f}}f{{/f}}{{#n}}n{{/n}}{{#nul}}N{{/nul}}"
		      "{{#empty}}e{{/empty}}{{#zero}}z{{/zero}}{{#map}}m{{/map}}"
		      "{{#list}}l{{/list}}{{#nolist}}L{{/nolist}}", ctx, NULL, "tzml");
	expect_render("{{^t}}t{{/t}}{{^f}}f{{/f}}{{^n}}n{{/n}}{{^nul}}N{{/nul}}"
		      "{{^empty}}e{{/empty}}{{^zero}}z{{/zero}}{{^map}}m{{/map}}"
		      "{{^list}}l{{/list}}{{^nolist}}L{{/nolist}}", ctx, NULL, "fnNeL");
	/* A string section pushes the string; names still reach the parents. */
	tval_set_str(ctx, "s", "str");
	expect_render("{{#s}}{{.}}/{{t}}{{/s}}", ctx, NULL, "str/true");
	/* A NULL context renders like an empty one. */
	expect_render("[{{x}}{{#x}}no{{/x}}{{^x}}yes{{/x}}{{.}}]", NULL, NULL, "[yes]");
	arena_free(&a);
}

static void test_output_cap(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct tval *ctx = tval_map(&a);
	tval_set_str(ctx, "x", "<<<<<<<<<<");
	const char *srcs[] = { "{{x}}", "{{{x}}}", "0123456789abcdef", "\n{{#x}}{{x}}{{/x}}" };
	const long lines[] = { 1, 1, 1, 2 };
	for (size_t i = 0; i < sizeof(srcs) / sizeof(srcs[0]); i++) {
		struct buf out = BUF_INIT;
		out.max = 8;
		struct diag d = DIAG_INIT;
		assert_int_equal(render(srcs[i], ctx, NULL, &out, &d), -1);
		expect_diag(&d, "t.mustache", lines[i], "output exceeds the size limit");
		assert_true(out.overflow);
		assert_true(out.len <= 8);
		diag_free(&d);
		buf_free(&out);
	}
	arena_free(&a);
}

/* ---- Values --------------------------------------------------------- */

static void test_values(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	assert_int_equal(tval_kind(tval_null(&a)), TVAL_NULL);
	assert_int_equal(tval_kind(tval_str(&a, NULL)), TVAL_NULL);
	assert_int_equal(tval_kind(tval_strn(&a, NULL, 3)), TVAL_NULL);
	assert_int_equal(tval_kind(tval_bool(&a, false)), TVAL_BOOL);
	assert_int_equal(tval_kind(tval_list(&a)), TVAL_LIST);
	assert_int_equal(tval_kind(tval_map(&a)), TVAL_MAP);
	assert_int_equal(tval_kind(NULL), TVAL_NULL);
	assert_string_equal(tval_string(tval_int(&a, -9223372036854775807LL - 1)), "-9223372036854775808");
	assert_string_equal(tval_string(tval_int(&a, 42)), "42");
	assert_string_equal(tval_string(tval_int(&a, 0)), "0");
	assert_string_equal(tval_string(tval_int(&a, -7)), "-7");
	assert_string_equal(tval_string(tval_int(&a, 9223372036854775807LL)), "9223372036854775807");
	assert_string_equal(tval_string(tval_strn(&a, "abcdef", 3)), "abc");
	assert_null(tval_string(tval_bool(&a, true)));
	assert_null(tval_string(NULL));

	/* Strings are copied. */
	char src[] = "mutable";
	struct tval *s = tval_str(&a, src);
	src[0] = 'M';
	assert_string_equal(tval_string(s), "mutable");

	assert_false(tval_truthy(NULL));
	assert_false(tval_truthy(tval_null(&a)));
	assert_false(tval_truthy(tval_bool(&a, false)));
	assert_true(tval_truthy(tval_bool(&a, true)));
	assert_false(tval_truthy(tval_str(&a, "")));
	assert_true(tval_truthy(tval_str(&a, "0")));
	assert_false(tval_truthy(tval_list(&a)));
	assert_true(tval_truthy(tval_map(&a)));

	/* Lists. */
	struct tval *l = tval_list(&a);
	assert_ptr_equal(tval_push(l, tval_str(&a, "a")), l);
	tval_push(l, NULL);
	assert_int_equal(tval_len(l), 2);
	assert_string_equal(tval_string(tval_at(l, 0)), "a");
	assert_int_equal(tval_kind(tval_at(l, 1)), TVAL_NULL);
	assert_non_null(tval_at(l, 1));
	assert_null(tval_at(l, 2));
	assert_true(tval_truthy(l));
	struct tval *notlist = tval_str(&a, "x");
	assert_ptr_equal(tval_push(notlist, l), notlist);
	assert_int_equal(tval_len(notlist), 0);

	/* Maps: insertion order, replacement in place, misses. */
	struct tval *m = tval_map(&a);
	char key[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%d", (i * 7919) % 1000);
		assert_ptr_equal(tval_set_int(m, key, i), m);
	}
	assert_int_equal(tval_len(m), 1000);
	for (int i = 0; i < 1000; i++) {
		snprintf(key, sizeof(key), "k%d", (i * 7919) % 1000);
		assert_string_equal(tval_key(m, (size_t)i), key);
		char want[16];
		snprintf(want, sizeof(want), "%d", i);
		assert_string_equal(tval_string(tval_get(m, key)), want);
	}
	snprintf(key, sizeof(key), "k%d", (5 * 7919) % 1000);
	tval_set_str(m, key, "replaced");
	tval_set_bool(m, "k0", false);
	assert_int_equal(tval_len(m), 1000);
	assert_string_equal(tval_key(m, 5), key);
	assert_string_equal(tval_string(tval_get(m, key)), "replaced");
	assert_int_equal(tval_kind(tval_get(m, "k0")), TVAL_BOOL);
	assert_null(tval_get(m, "nope"));
	assert_null(tval_key(m, 1000));
	assert_null(tval_get(l, "k0"));

	struct tval *small = tval_map(&a);
	tval_set_str(small, "b", "1");
	tval_set_str(small, "a", "2");
	tval_set(small, "n", NULL);
	tval_set_str(small, "b", "3");
	assert_int_equal(tval_len(small), 3);
	assert_string_equal(tval_key(small, 0), "b");
	assert_string_equal(tval_key(small, 1), "a");
	assert_string_equal(tval_key(small, 2), "n");
	assert_string_equal(tval_string(tval_get(small, "b")), "3");
	assert_non_null(tval_get(small, "n"));
	assert_int_equal(tval_kind(tval_get(small, "n")), TVAL_NULL);
	/* Keys are copied. */
	char k[] = "key";
	tval_set_str(small, k, "v");
	k[0] = 'K';
	assert_string_equal(tval_string(tval_get(small, "key")), "v");
	/* Setting on something that is not a map changes nothing. */
	assert_ptr_equal(tval_set_str(l, "x", "y"), l);
	assert_int_equal(tval_len(l), 2);
	arena_free(&a);
}

/* Borrowed strings and keys, keys hashed once, shared booleans, and the
 * bit a map keeps for each slice of key hashes: whether a key is new is
 * told right however many keys share a slice. */
static void test_borrowed_values(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;

	/* tval_ref and tval_put_str borrow the string; tval_put the key. */
	char src[] = "before";
	struct tval *s = tval_ref(&a, src);
	src[0] = 'B';
	assert_string_equal(tval_string(s), "Before");
	assert_ptr_equal(tval_string(s), src);
	assert_int_equal(tval_kind(tval_ref(&a, NULL)), TVAL_NULL);
	struct tval *m = tval_map(&a);
	char key[] = "key";
	tval_put_str(m, key, src);
	assert_ptr_equal(tval_key(m, 0), key);
	assert_ptr_equal(tval_string(tval_get(m, "key")), src);
	tval_put_bool(m, "yes", true);
	tval_put_int(m, "n", -12);
	tval_put(m, "nul", NULL);
	assert_true(tval_truthy(tval_get(m, "yes")));
	assert_string_equal(tval_string(tval_get(m, "n")), "-12");
	assert_int_equal(tval_kind(tval_get(m, "nul")), TVAL_NULL);
	/* Not a map: nothing changes. */
	assert_ptr_equal(tval_put_str(s, "x", "y"), s);
	assert_ptr_equal(tval_put_bool(NULL, "x", true), NULL);

	/* Booleans and nulls are shared constants, and stay what they are. */
	assert_ptr_equal(tval_bool(&a, true), tval_bool(&a, true));
	assert_ptr_equal(tval_null(&a), tval_null(&a));
	assert_ptr_equal(tval_set(tval_bool(&a, true), "x", tval_bool(&a, false)), tval_bool(&a, true));
	assert_ptr_equal(tval_push(tval_null(&a), tval_bool(&a, false)), tval_null(&a));
	assert_true(tval_truthy(tval_bool(&a, true)));
	assert_int_equal(tval_len(tval_null(&a)), 0);

	/* Keys hashed once: set, replaced in place, looked up, missed; in
	 * small maps (searched one key after another) and large ones
	 * (indexed), with far more keys than a map has bits. */
	enum { N = 600 };
	static char names[N][16];
	static struct tval_key keys[N];
	for (int i = 0; i < N; i++) {
		snprintf(names[i], sizeof(names[i]), "k%d", (i * 7919) % N);
		tval_key_init(&keys[i], names[i]);
		assert_int_equal(keys[i].len, strlen(names[i]));
	}
	static const size_t sizes[] = { 1, 3, 7, 8, 9, 64, N };
	for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		size_t n = sizes[z];
		struct tval *map = tval_map(&a);
		for (size_t i = 0; i < n; i++)
			assert_ptr_equal(tval_put_key(map, &keys[i], tval_int(&a, (long long)i)), map);
		for (size_t i = 0; i < n; i += 2)
			tval_put_key(map, &keys[i], tval_str(&a, "again"));
		tval_put(map, names[0], tval_str(&a, "first"));
		assert_int_equal(tval_len(map), n);
		for (size_t i = 0; i < n; i++) {
			char want[24];
			snprintf(want, sizeof(want), "%zu", i);
			assert_ptr_equal(tval_key(map, i), names[i]);
			assert_string_equal(tval_string(tval_get(map, names[i])),
					    i == 0 ? "first" : i % 2 ? want : "again");
			/* Read with the key hashed once, the same value. */
			assert_ptr_equal(tval_get_key(map, &keys[i]), tval_get(map, names[i]));
		}
		for (size_t i = n; i < N; i++) {
			assert_null(tval_get(map, names[i]));
			assert_null(tval_get_key(map, &keys[i]));
		}
		/* A copied key set under a key hashed once is the same key. */
		tval_set_str(map, names[n - 1], "copied");
		assert_int_equal(tval_len(map), n);
		assert_string_equal(tval_string(tval_get(map, names[n - 1])), "copied");
	}
	assert_ptr_equal(tval_put_key(NULL, &keys[0], NULL), NULL);
	assert_null(tval_get_key(NULL, &keys[0]));
	assert_null(tval_get_key(tval_str(&a, "not a map"), &keys[0]));
	arena_free(&a);
}

/* ---- Reuse and scale ------------------------------------------------ */

static void test_render_twice(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct tval *ctx = tval_map(&a);
	struct tval *people = tval_list(&a);
	for (int i = 0; i < 3; i++) {
		struct tval *p = tval_map(&a);
		tval_set_int(p, "n", i);
		tval_set_str(p, "name", i == 1 ? "<Bo>" : "Al");
		tval_push(people, p);
	}
	tval_set(ctx, "people", people);
	static const char *const partials[] = { "row", "{{n}}: {{name}}\n", NULL };
	const char *src = "{{=<% %>=}}\n<%#people%>\n  <%>row%>\n<%/people%>\n<%={{ }}=%>{{^people}}none{{/people}}\n";
	struct tmpl *t;
	struct diag d = DIAG_INIT;
	assert_int_equal(tmpl_parse("t", src, strlen(src), &d, &t), 0);
	struct tmpl_options opt = TMPL_OPTIONS_INIT;
	opt.partial = table_partial;
	opt.partial_ud = (void *)partials;
	struct buf one = BUF_INIT, two = BUF_INIT;
	assert_int_equal(tmpl_render(t, ctx, &opt, &one, &d), 0);
	assert_int_equal(tmpl_render(t, ctx, &opt, &two, &d), 0);
	assert_string_equal(buf_str(&one), "  0: Al\n  1: &lt;Bo&gt;\n  2: Al\n\n");
	assert_int_equal(one.len, two.len);
	assert_memory_equal(one.data, two.data, one.len);
	/* Rendering appends. */
	assert_int_equal(tmpl_render(t, ctx, &opt, &two, &d), 0);
	assert_int_equal(two.len, 2 * one.len);
	assert_int_equal(d.n, 0);
	tmpl_free(t);
	tmpl_free(NULL);
	buf_free(&one);
	buf_free(&two);
	arena_free(&a);
}

static double seconds_since(clock_t start)
{
	return (double)(clock() - start) / CLOCKS_PER_SEC;
}

/* A set parses each template when it is put, and renders from that;
 * one that does not parse still fails at each render with its file and
 * line, and replacing it with a good one renders the new one. */
static void test_set_parsed_once(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct tval *ctx = tval_map(&a);
	tval_set_str(ctx, "who", "<team>");
	struct tmpl_set set = TMPL_SET_INIT;
	struct diag d = DIAG_INIT;
	assert_int_equal(tmpl_set_load(NULL, &set, &d), 0);
	const struct tmpl_set_file *blog = tmpl_set_find(&set, "blog-page.html");
	assert_non_null(blog);
	assert_non_null(blog->parsed);

	tmpl_set_put(&set, "x.md", "tpl/x.md", "a\n{{#who}}\n", strlen("a\n{{#who}}\n"));
	assert_null(tmpl_set_find(&set, "x.md")->parsed);
	struct buf out = BUF_INIT;
	for (int i = 0; i < 2; i++) {
		diag_free(&d);
		assert_int_equal(tmpl_set_render(&set, "x.md", ctx, NULL, NULL, 0, &out, &d), -1);
		assert_int_equal(d.n, 1);
		assert_string_equal(d.items[0].file, "tpl/x.md");
		assert_int_equal(d.items[0].line, 2);
	}
	diag_free(&d);
	assert_int_equal(out.len, 0);

	tmpl_set_put(&set, "x.md", "tpl/x.md", "hi {{who}}", strlen("hi {{who}}"));
	assert_non_null(tmpl_set_find(&set, "x.md")->parsed);
	for (int i = 0; i < 2; i++)
		assert_int_equal(tmpl_set_render(&set, "x.md", ctx, NULL, NULL, 0, &out, &d), 0);
	assert_string_equal(buf_str(&out), "hi &lt;team&gt;hi &lt;team&gt;");

	/* No set: the built-in ones, loaded once for the process. */
	buf_reset(&out);
	assert_int_equal(tmpl_set_render(NULL, "x.md", ctx, NULL, NULL, 0, &out, &d), -1);
	assert_string_equal(d.items[d.n - 1].msg, "no such template");
	buf_free(&out);
	diag_free(&d);
	tmpl_set_free(&set);
	arena_free(&a);
}

static void test_large(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	struct tval *ctx = tval_map(&a);
	struct tval *items = tval_list(&a);
	for (int i = 0; i < 100000; i++) {
		struct tval *it = tval_map(&a);
		tval_set_int(it, "n", i);
		tval_push(items, it);
	}
	tval_set(ctx, "items", items);
	tval_set_str(ctx, "sep", "&");

	/* 100k items through a section and a partial. */
	static const char *const partials[] = { "item", "{{n}}{{sep}}", NULL };
	struct tmpl_options opt = TMPL_OPTIONS_INIT;
	opt.partial = table_partial;
	opt.partial_ud = (void *)partials;
	struct buf out = BUF_INIT;
	struct diag d = DIAG_INIT;
	clock_t start = clock();
	assert_int_equal(render("{{#items}}\n  {{>item}}\n{{/items}}", ctx, &opt, &out, &d), 0);
	double took = seconds_since(start);
	assert_true(took < 5.0);
	size_t want = 0;
	for (int i = 0; i < 100000; i++)
		want += 2 + (size_t)snprintf(NULL, 0, "%d", i) + 5;
	assert_int_equal(out.len, want);
	assert_memory_equal(out.data, "  0&amp;  1&amp;", 16);

	/* A template of 200k tags and lines. */
	struct buf src = BUF_INIT;
	for (int i = 0; i < 100000; i++)
		buf_puts(&src, "{{#sep}}\n{{sep}}{{! c }}\n{{/sep}}\n");
	buf_reset(&out);
	start = clock();
	struct tmpl *t;
	assert_int_equal(tmpl_parse("big", src.data, src.len, &d, &t), 0);
	assert_int_equal(tmpl_render(t, ctx, &opt, &out, &d), 0);
	took = seconds_since(start);
	assert_true(took < 5.0);
	assert_int_equal(out.len, 100000 * 6);
	tmpl_free(t);

	buf_free(&src);
	buf_free(&out);
	diag_free(&d);
	arena_free(&a);
}

int main(int argc, char **argv)
{
	spec_dir = argc > 1 ? argv[1] : NULL;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_comments),
		cmocka_unit_test(test_spec_delimiters),
		cmocka_unit_test(test_spec_interpolation),
		cmocka_unit_test(test_spec_inverted),
		cmocka_unit_test(test_spec_partials),
		cmocka_unit_test(test_spec_sections),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_partial_errors),
		cmocka_unit_test(test_partial_indentation),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_value_output),
		cmocka_unit_test(test_output_cap),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_borrowed_values),
		cmocka_unit_test(test_render_twice),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_set_parsed_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
