/* tmpl_set.c - the built-in templates, an organisation's overrides, and
 * rendering one of them by name. */
#include "format/tmpl_set.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/resources.h"

/* ---- The built-in templates ----------------------------------------- */

/* Each built-in template (templates/NAME, compiled in) and what it is
 * for, in the order `sircomm templates list` shows them. */
static const struct {
	const char *name, *about;
} builtin[] = {
	{ "customer-email.md",
	  "customer email: a Subject: line, then the body in Markdown (sent as plain text)" },
	{ "security-alert.md", "security release alert email: a Subject: line, then the body" },
	{ "blog-post.md", "mitigation and response blog post" },
	{ "support-faq.md", "FAQ for the support and customer-facing teams" },
	{ "media-statement.md", "media statement" },
	{ "social-post.md", "social/forum post (one paragraph; counted against the platform limit)" },
	{ "internal-update.md",
	  "internal status update: risk, users, services, timeline, mitigation, status, next steps" },
	{ "approval-matrix.md", "approval matrix for the top of the working comms document" },
	{ "engagement-plan.md", "engagement plan: who to engage, by when, by whom, how often, where" },
	{ "notice-update.md",
	  "a follow-up notice to customers (notice-N/update): a Subject: line, what changed, the next update" },
	{ "blog-page.html", "the standalone HTML page around the blog post ({{{body}}})" },
	{ "audit-page.html", "the HTML page around the audit report (audit --format html, bundles)" },
	{ "report-page.html", "the HTML page around the compliance report (report --format html)" },
};

#define N_BUILTIN (sizeof(builtin) / sizeof(builtin[0]))

const char *tmpl_set_about(const char *name)
{
	for (size_t i = 0; i < N_BUILTIN; i++)
		if (strcmp(builtin[i].name, name) == 0)
			return builtin[i].about;
	return "partial";
}

/* ---- Loading -------------------------------------------------------- */

/* The name a template's messages give: its file, or its own name for a
 * built-in one. */
static const char *parse_name(const struct tmpl_set_file *t)
{
	return strcmp(t->origin, "built-in") != 0 ? t->origin : t->name;
}

void tmpl_set_put(struct tmpl_set *set, const char *name, const char *origin, const char *src,
		  size_t len)
{
	struct tmpl_set_file *slot = NULL;
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->items[i].name, name) == 0)
			slot = &set->items[i];
	if (slot) {
		free(slot->origin);
		free(slot->src);
		tmpl_free(slot->parsed);
	} else {
		set->items = xrealloc(set->items, (set->n + 1) * sizeof(*set->items));
		slot = &set->items[set->n++];
		slot->name = xstrdup(name);
	}
	slot->origin = xstrdup(origin);
	slot->src = xstrndup(src, len);
	slot->len = len;
	struct diag quiet = DIAG_INIT;
	if (tmpl_parse(parse_name(slot), slot->src, len, &quiet, &slot->parsed) != 0)
		slot->parsed = NULL;
	diag_free(&quiet);
}

/* Adds the regular file dir/name to set, or an error to d. */
static int load_file(struct tmpl_set *set, const char *dir, const char *name, struct diag *d)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat st;
	int rc = 0;
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		char *data;
		size_t len;
		int r = read_file(path, TMPL_SET_MAX_BYTES, &data, &len);
		if (r == -2) {
			diag_error(d, path, 0, "template is larger than 1 MiB");
			rc = -1;
		} else if (r != 0) {
			diag_error(d, path, 0, "cannot read: %s", strerror(errno));
			rc = -1;
		} else {
			tmpl_set_put(set, name, path, data, len);
			free(data);
		}
	}
	free(path);
	return rc;
}

int tmpl_set_load(const char *dir, struct tmpl_set *set, struct diag *d)
{
	for (size_t i = 0; i < N_BUILTIN; i++) {
		char key[96];
		snprintf(key, sizeof(key), "templates/%s", builtin[i].name);
		const struct res_file *res = res_find(key);
		if (res)
			tmpl_set_put(set, builtin[i].name, "built-in", res->data, res->size);
	}
	if (!dir)
		return 0;
	char **names;
	size_t n;
	if (dir_names(dir, &names, &n) != 0) {
		diag_error(d, dir, 0, "cannot read the templates directory: %s", strerror(errno));
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		if (load_file(set, dir, names[i], d) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

const struct tmpl_set_file *tmpl_set_find(const struct tmpl_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->items[i].name, name) == 0)
			return &set->items[i];
	return NULL;
}

void tmpl_set_free(struct tmpl_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++) {
		free(set->items[i].name);
		free(set->items[i].origin);
		free(set->items[i].src);
		tmpl_free(set->items[i].parsed);
	}
	free(set->items);
	set->items = NULL;
	set->n = 0;
}

/* ---- Rendering ------------------------------------------------------ */

/* A partial by the name its tag gives, or that name with ".md". */
static int find_partial(void *ud, const char *name, const char **src, size_t *len)
{
	const struct tmpl_set *set = ud;
	const struct tmpl_set_file *p = tmpl_set_find(set, name);
	if (!p) {
		char *with_ext = xasprintf("%s.md", name);
		p = tmpl_set_find(set, with_ext);
		free(with_ext);
	}
	if (!p)
		return -1;
	*src = p->src;
	*len = p->len;
	return 0;
}

/* The built-in templates alone, loaded (and parsed) once a process for
 * the renders that name no set. */
static struct tmpl_set builtin_set = TMPL_SET_INIT;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static void builtin_init(void)
{
	struct diag quiet = DIAG_INIT;  /* the built-in ones cannot fail */
	tmpl_set_load(NULL, &builtin_set, &quiet);
	diag_free(&quiet);
}

int tmpl_set_render(const struct tmpl_set *set, const char *name, const struct tval *ctx,
		    tmpl_escape_fn escape, tmpl_escape_fn raw, size_t max, struct buf *out,
		    struct diag *d)
{
	if (!set) {
		pthread_once(&builtin_once, builtin_init);
		set = &builtin_set;
	}
	int rc = -1;
	struct tmpl *parsed = NULL;  /* parsed here, when it was not before */
	const struct tmpl *use = NULL;
	const struct tmpl_set_file *t = tmpl_set_find(set, name);
	if (!t)
		diag_error(d, name, 0, "no such template");
	else if (t->parsed)
		use = t->parsed;
	else if (tmpl_parse(parse_name(t), t->src, t->len, d, &parsed) == 0)
		use = parsed;
	if (use) {
		struct tmpl_options opt = TMPL_OPTIONS_INIT;
		opt.escape = escape;
		opt.raw = raw;
		opt.partial = find_partial;
		opt.partial_ud = (void *)set;
		struct buf page = BUF_INIT;
		page.max = max ? max : TMPL_SET_MAX_OUTPUT;
		rc = tmpl_render(use, ctx, &opt, &page, d);
		if (rc == 0)
			buf_append(out, page.data ? page.data : "", page.len);
		buf_free(&page);
	}
	tmpl_free(parsed);
	return rc;
}
