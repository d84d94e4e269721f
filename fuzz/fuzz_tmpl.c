/*
 * fuzz_tmpl.c - Mustache templates: the whole input is a template (what
 * `sircomm draft --templates DIR` reads), parsed and rendered twice:
 *
 *  - against a small fixed context with every kind of value (strings
 *    with markup, booleans, empty and nested lists, maps, dotted names),
 *    escaping as drafts do (md_escape) and as the spec does (HTML);
 *  - against the real context of a generated record (ctx_build), so the
 *    variable names of the seed templates resolve.
 *
 * The partial resolver returns the input itself as the partial "self"
 * (and "customer-email.md" and friends), so recursion and the nesting
 * limit are exercised; other partials are unknown.  Output is capped at
 * 16 MiB as draft.c caps it.
 */
#include <string.h>

#include "draft/context.h"
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
	const struct draft_template *t = draft_template_find(fuzz_templates(), name);
	if (!t)
		return -1;
	*src = t->src;
	*len = t->len;
	return 0;
}

static const struct tmpl_value *small_context(void)
{
	static struct arena a = ARENA_INIT;
	static struct tmpl_value *ctx;
	if (ctx)
		return ctx;
	ctx = tv_map(&a);
	tv_set_str(ctx, "title", "Unauthorized <access> & \"tokens\" `x` *y* [z](javascript:1)");
	tv_set_str(ctx, "id", "SIRT-2026-0142");
	tv_set_str(ctx, "empty", "");
	tv_set_str(ctx, "zero", "0");
	tv_set_int(ctx, "n", 42);
	tv_set_bool(ctx, "yes", true);
	tv_set_bool(ctx, "no", false);
	tv_set(ctx, "nothing", NULL);
	tv_set_str(ctx, "multiline", "line one\nline two\r\n  # heading?\n- item");
	struct tmpl_value *list = tv_list(&a);
	for (int i = 0; i < 3; i++) {
		struct tmpl_value *item = tv_map(&a);
		tv_set_int(item, "i", i);
		tv_set_str(item, "name", i == 1 ? "" : "item");
		struct tmpl_value *inner = tv_list(&a);
		tv_push(inner, tv_str(&a, "a"));
		tv_push(inner, tv_str(&a, "b"));
		tv_set(item, "inner", inner);
		tv_push(list, item);
	}
	tv_set(ctx, "list", list);
	tv_set(ctx, "none", tv_list(&a));
	struct tmpl_value *strs = tv_list(&a);
	tv_push(strs, tv_str(&a, "x"));
	tv_push(strs, NULL);
	tv_push(strs, tv_bool(&a, true));
	tv_set(ctx, "strs", strs);
	struct tmpl_value *a_map = tv_map(&a);
	struct tmpl_value *b_map = tv_map(&a);
	tv_set_str(b_map, "c", "deep");
	tv_set(a_map, "b", b_map);
	tv_set(ctx, "a", a_map);
	tv_set(ctx, "map", tv_map(&a));
	return ctx;
}

static const struct tmpl_value *record_context(void)
{
	static struct arena a = ARENA_INIT;
	static struct tmpl_value *ctx;
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
	ctx = ctx_build(rec, pol, &a);
	return ctx;
}

static void render(const struct tmpl *t, const struct tmpl_value *ctx, tmpl_escape_fn escape,
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
	const struct tmpl_value *small = small_context();
	const struct tmpl_value *real = record_context();
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
