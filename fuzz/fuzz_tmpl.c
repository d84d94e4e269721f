/*
 * fuzz_tmpl.c - Mustache templates: the whole input is a template (what
 * `sircomm draft --templates DIR` reads), parsed and rendered twice:
 *
 *  - against a small fixed context with every kind of value (strings
 *    with markup, booleans, empty and nested lists, maps, dotted names),
 *    escaping as drafts do (md_escape) and as the spec does (HTML);
 *  - against the real context of a generated record (context_build), so the
 *    variable names of the seed templates resolve.
 *
 * The partial resolver returns the input itself as the partial "self"
 * (and "customer-email.md" and friends), so recursion and the nesting
 * limit are exercised; other partials are unknown.  Output is capped at
 * 16 MiB as draft.c caps it.
 */
#include <string.h>

#include "draft/context.h"
#include "draft/facts.h"
#include "fuzz.h"
#include "format/md.h"
#include "model/record.h"
#include "model/sample.h"
#include "format/tmpl.h"

struct input {
	const char *src;
	size_t len;
};

static int partial(void *ud, const char *name, const char **src, size_t *len)
{
	const struct input *in = ud;
	if (strcmp(name, "self") == 0 || strcmp(name, "self.md") == 0) {
		*src = in->src;
		*len = in->len;
		return 0;
	}
	const struct tmpl_set_file *t = tmpl_set_find(fuzz_templates(), name);
	if (!t)
		return -1;
	*src = t->src;
	*len = t->len;
	return 0;
}

static const struct tval *small_context(void)
{
	static struct arena a = ARENA_INIT;
	static struct tval *ctx;
	if (ctx)
		return ctx;
	ctx = tval_map(&a);
	tval_set_str(ctx, "title", "Unauthorized <access> & \"tokens\" `x` *y* [z](javascript:1)");
	tval_set_str(ctx, "id", "SIRT-2026-0142");
	tval_set_str(ctx, "empty", "");
	tval_set_str(ctx, "zero", "0");
	tval_set_int(ctx, "n", 42);
	tval_set_bool(ctx, "yes", true);
	tval_set_bool(ctx, "no", false);
	tval_set(ctx, "nothing", NULL);
	tval_set_str(ctx, "multiline", "line one\nline two\r\n  # heading?\n- item");
	struct tval *list = tval_list(&a);
	for (int i = 0; i < 3; i++) {
		struct tval *item = tval_map(&a);
		tval_set_int(item, "i", i);
		tval_set_str(item, "name", i == 1 ? "" : "item");
		struct tval *inner = tval_list(&a);
		tval_push(inner, tval_str(&a, "a"));
		tval_push(inner, tval_str(&a, "b"));
		tval_set(item, "inner", inner);
		tval_push(list, item);
	}
	tval_set(ctx, "list", list);
	tval_set(ctx, "none", tval_list(&a));
	struct tval *strs = tval_list(&a);
	tval_push(strs, tval_str(&a, "x"));
	tval_push(strs, NULL);
	tval_push(strs, tval_bool(&a, true));
	tval_set(ctx, "strs", strs);
	struct tval *a_map = tval_map(&a);
	struct tval *b_map = tval_map(&a);
	tval_set_str(b_map, "c", "deep");
	tval_set(a_map, "b", b_map);
	tval_set(ctx, "a", a_map);
	tval_set(ctx, "map", tval_map(&a));
	return ctx;
}

static const struct tval *record_context(void)
{
	static struct arena a = ARENA_INIT;
	static struct tval *ctx;
	static struct record *rec;
	if (ctx)
		return ctx;
	const struct policy *pol = fuzz_policy();
	struct buf xml = BUF_INIT;
	sample_record(pol, 42, 7, &xml);
	struct diag d = DIAG_INIT;
	if (rec_parse("sample.xml", xml.data, xml.len, pol, &d, &rec) != 0) {
		diag_print(&d, stderr);
		abort();
	}
	diag_free(&d);
	buf_free(&xml);
	static struct facts f;
	facts_build(rec, pol, &a, &f);
	ctx = context_build(rec, pol, &f, &a);
	return ctx;
}

static void render(const struct tmpl *t, const struct tval *ctx, tmpl_escape_fn escape,
		   struct input *in)
{
	struct tmpl_options opt = TMPL_OPTIONS_INIT;
	opt.escape = escape;
	opt.partial = partial;
	opt.partial_ud = in;
	struct buf out = BUF_INIT;
	out.max = (size_t)16 << 20;
	struct diag d = DIAG_INIT;
	tmpl_render(t, ctx, &opt, &out, &d);
	diag_free(&d);
	buf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct tval *small = small_context();
	const struct tval *real = record_context();
	struct input in = { (const char *)data, size };
	struct diag d = DIAG_INIT;
	struct tmpl *t = NULL;
	if (tmpl_parse("fuzz.md", in.src, in.len, &d, &t) == 0) {
		render(t, small, md_escape, &in);
		render(t, small, NULL, &in);
		render(t, real, md_escape, &in);
	}
	tmpl_free(t);
	diag_free(&d);
	return 0;
}
