/*
 * tmpl.h - Mustache templates (spec v1.x core: interpolation with dotted
 * names and the implicit iterator, escaped and unescaped forms, sections
 * over lists, maps and booleans, inverted sections, comments, partials
 * with standalone-line indentation, set delimiters, and the spec's
 * whitespace rules for standalone tags).
 *
 * Templates render a tree of values (format/tval.h); they are parsed
 * once and rendered many times.
 *
 *     struct arena a = ARENA_INIT;
 *     struct tval *ctx = tval_map(&a);
 *     tval_set(ctx, "title", tval_str(&a, rec->title));
 *     struct tmpl *t;
 *     if (tmpl_parse("customer-email.md", src, len, &d, &t) != 0) ...
 *     struct tmpl_options opt = TMPL_OPTIONS_INIT;
 *     opt.escape = md_escape;              // HTML escaping by default
 *     tmpl_render(t, ctx, &opt, &out, &d);
 *     tmpl_free(t);
 *     arena_free(&a);
 *
 * Errors name TEMPLATE:LINE: an unclosed section, a mismatched close, an
 * unknown partial, a bad delimiter change, partials nested too deep
 * (a recursive partial).
 *
 * Rendering values: a string prints as it is (escaped unless {{{x}}} or
 * {{&x}}), a bool as "true" or "false"; null, a miss, a list and a map
 * print nothing.  Sections: null, false, "" and the empty list are
 * falsey; anything else (an empty map, "0") is truthy.  A list repeats
 * the section once per item; any other truthy value is pushed on the
 * context stack once.  Numbers are strings (tval_int), so "0" is truthy.
 *
 * Limits: sections nest at most 100 deep inside one template (deeper is
 * a parse error); partials nest at most max_depth deep.  Template
 * inheritance ({{<x}}, {{$x}}) is not supported and is a parse error;
 * lambdas do not exist (values are data).
 */
#ifndef SIRCOMM_TMPL_H
#define SIRCOMM_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/util.h"
#include "format/tval.h"

/* ---- Templates ------------------------------------------------------ */

struct tmpl;

/* Writes s (n bytes) escaped for the output format. */
typedef void (*tmpl_escape_fn)(struct buf *out, const char *s, size_t n);

/* Finds a partial's source by name: returns 0 and sets *src and *len
 * (borrowed, valid during the render), or -1 when there is no such
 * partial.  Each partial is asked for and parsed once per render, and
 * its diagnostics name it by the name the tag gives. */
typedef int (*tmpl_partial_fn)(void *ud, const char *name, const char **src, size_t *len);

struct tmpl_options {
	tmpl_escape_fn escape;      /* NULL: tmpl_escape_html (& < > " ') */
	tmpl_partial_fn partial;    /* NULL: every partial is unknown (an error) */
	void *partial_ud;
	int max_depth;              /* partial nesting limit; 0 means 32 */
	bool missing_partial_ok;    /* render unknown partials as "" (the spec's rule) */
	/* {{{x}}} and {{&x}}: NULL puts the value as it is (the spec's rule);
	 * a function may adapt it to where it lands, which it can read in
	 * out (everything rendered so far, this line included). */
	tmpl_escape_fn raw;
};

#define TMPL_OPTIONS_INIT { NULL, NULL, NULL, 0, false, NULL }

/* Parses a template.  Returns 0 and a new template the caller frees with
 * tmpl_free, or -1 after adding "NAME:LINE: error" diagnostics to d. */
int tmpl_parse(const char *name, const char *src, size_t len, struct diag *d, struct tmpl **out);

/* Renders into out (appending); ctx may be NULL (an empty context), opt
 * NULL means TMPL_OPTIONS_INIT.  Returns 0, or -1 after adding
 * diagnostics (a partial that fails to parse or nests too deep, an
 * unknown partial unless missing_partial_ok, or output past the buffer's
 * cap: "output exceeds the size limit"); out may then hold part of the
 * output. */
int tmpl_render(const struct tmpl *t, const struct tval *ctx,
		const struct tmpl_options *opt, struct buf *out, struct diag *d);

/* Frees the template.  NULL is a no-op. */
void tmpl_free(struct tmpl *t);

/* HTML escaping: & < > " as the spec asks, and ' as &#39; too, so a
 * value is safe in an attribute quoted either way (the spec's tests hold
 * no '; esc_html escapes the same five).  Sets out->overflow when the
 * buffer's cap refuses the text. */
void tmpl_escape_html(struct buf *out, const char *s, size_t n);

#endif
