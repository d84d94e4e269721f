/*
 * tmpl_set.h - the templates sircomm renders: the built-in ones compiled
 * into the binary, and an organisation's overrides read from a directory
 * (--templates DIR).  The drafts (draft.h), the audit page
 * (audit_report.h) and the compliance report page (report.h) all find,
 * limit and render their templates here, so an override behaves the
 * same whichever command reads it, and its errors name it the same way.
 *
 *     struct diag d = DIAG_INIT;
 *     struct tmpl_set set = TMPL_SET_INIT;
 *     if (tmpl_set_load("my-templates", &set, &d) != 0)   // NULL: built-in only
 *             diag_print(&d, stderr);
 *     struct arena a = ARENA_INIT;
 *     struct tval *ctx = tval_map(&a);
 *     tval_set_str(ctx, "body", "<p>Hello</p>");
 *     struct buf out = BUF_INIT;
 *     if (tmpl_set_render(&set, "blog-page.html", ctx, NULL, NULL, 0, &out, &d) != 0)
 *             diag_print(&d, stderr);          // "my-templates/blog-page.html:3: error: ..."
 *     buf_free(&out);
 *     arena_free(&a);
 *     tmpl_set_free(&set);
 *     diag_free(&d);
 */
#ifndef SIRCOMM_TMPL_SET_H
#define SIRCOMM_TMPL_SET_H

#include <stddef.h>

#include "base/diag.h"
#include "base/util.h"
#include "format/tmpl.h"
#include "format/tval.h"

/* A template file is refused above this size, built-in or not. */
#define TMPL_SET_MAX_BYTES ((size_t)1 << 20)

/* What one render may write, unless its caller says otherwise. */
#define TMPL_SET_MAX_OUTPUT ((size_t)16 << 20)

/* One template of a set. */
struct tmpl_set_file {
	char *name;        /* "customer-email.md" */
	char *origin;      /* "built-in", or the file it was read from */
	char *src;         /* the source, NUL-terminated */
	size_t len;        /* bytes, without the NUL */
	/* The source parsed when it was put, so a set rendered for many
	 * records parses each template once; NULL if it does not parse
	 * (tmpl_set_render parses it again for the messages). */
	struct tmpl *parsed;
};

struct tmpl_set {
	struct tmpl_set_file *items;   /* the built-in ones first, in the
					  order `sircomm templates list`
					  shows them; then the directory's
					  other files, by name */
	size_t n;
};

#define TMPL_SET_INIT { NULL, 0 }

/* A line about what the template `name` is for ("customer email: ..."),
 * static; "partial" for a name that is not built in. */
const char *tmpl_set_about(const char *name);

/*
 * Loads the built-in templates into set, then, when dir is not NULL,
 * every file of dir whose name does not start with '.': a file named
 * like a built-in template replaces it, any other is added (a partial).
 * Files are read in name order, so which one wins and the order of the
 * messages never depend on the directory.  Returns 0, or -1 after adding
 * diagnostics (an unreadable directory or file, a file over
 * TMPL_SET_MAX_BYTES); set then holds what did load, for tmpl_set_free.
 */
int tmpl_set_load(const char *dir, struct tmpl_set *set, struct diag *d);

/*
 * Sets the template `name` to the len bytes at src (copied), replacing
 * one of that name, else adding it at the end; origin names it in
 * diagnostics ("built-in", or where it was read from: a file, a bundle's
 * entry).  For a set read from elsewhere than a directory (a bundle's
 * data/templates/, verify --regenerate).
 */
void tmpl_set_put(struct tmpl_set *set, const char *name, const char *origin, const char *src,
		  size_t len);

/* The template named `name`, or NULL.  Borrowed from set. */
const struct tmpl_set_file *tmpl_set_find(const struct tmpl_set *set, const char *name);

/*
 * Renders the template `name` of set (NULL: the built-in ones) with the
 * context, appending to out: {{x}} through escape (NULL: HTML, see
 * tmpl_escape_html) and {{{x}}} through raw (NULL: as it is); a partial
 * {{> p}} is the set's template "p", else "p.md".  Diagnostics name an
 * override by its file, a built-in template by its name, with the
 * template's line.  The output may take `max` bytes (0: TMPL_SET_MAX_OUTPUT),
 * so a template that repeats itself cannot fill the memory.  Returns 0,
 * or -1 after adding diagnostics (no such template, a parse or render
 * error, output over max), leaving out as it was.
 */
int tmpl_set_render(const struct tmpl_set *set, const char *name, const struct tval *ctx,
		    tmpl_escape_fn escape, tmpl_escape_fn raw, size_t max, struct buf *out,
		    struct diag *d);

/* Frees the templates; set is TMPL_SET_INIT again.  NULL is a no-op. */
void tmpl_set_free(struct tmpl_set *set);

#endif
