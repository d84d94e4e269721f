/* notice_drafts.c - the drafts of each public notice after the first. */
#include "publish/notice_drafts.h"

#include <stdlib.h>
#include <string.h>

#include "base/ts.h"
#include "format/eml.h"
#include "format/md.h"
#include "format/tval.h"
#include "publish/csaf.h"

static void add(struct draft_set *set, char *name, struct buf *b)
{
	set->files = xrealloc(set->files, (set->n + 1) * sizeof(*set->files));
	size_t len = b->len;
	set->files[set->n++] = (struct draft_file){ name, buf_detach(b), len };
}

/* "2026-03-04 15:00 UTC" */
static const char *when(struct arena *a, int64_t t)
{
	char s[TS_BUFSZ];
	ts_format_utc(t, s);
	s[10] = ' ';
	s[16] = '\0';
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s UTC", s);
	const char *r = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return r;
}

/* A new map set under key in parent. */
static struct tval *child(struct arena *a, struct tval *parent, const char *key)
{
	struct tval *m = tval_map(a);
	tval_set(parent, key, m);
	return m;
}

/* The values notice-update.md sees. */
static struct tval *context(struct arena *a, const struct record *rec, const struct policy *pol,
			    const struct publish_notice *notices, size_t k)
{
	const struct publish_notice *nt = &notices[k];
	struct tval *ctx = tval_map(a);
	struct tval *inc = child(a, ctx, "incident");
	tval_set_str(inc, "id", rec->id);
	tval_set_str(inc, "title", rec->title);
	tval_set_str(child(a, ctx, "org"), "name", pol->organization);
	char day[TS_BUFSZ];
	ts_format_utc(notices[0].at, day);
	day[10] = '\0';
	tval_set_str(child(a, ctx, "first"), "date", day);
	struct tval *m = child(a, ctx, "notice");
	tval_set_int(m, "number", (long long)nt->number);
	tval_set_str(m, "status", publish_status_name(nt->status));
	tval_set_bool(m, "resolved", nt->status == PUBLISH_RESOLVED);
	tval_set_str(m, "date", when(a, nt->at));
	tval_set_str(m, "changes", nt->changes);
	tval_set_str(m, "summary", nt->summary);
	tval_set_bool(m, "has_next_update", nt->has_next_update);
	tval_set_str(m, "next_update", nt->has_next_update ? when(a, nt->next_update) : NULL);
	struct tval *l = child(a, ctx, "links");
	tval_set_str(l, "blog", rec->comm.blog);
	tval_set_str(l, "contact", rec->comm.contact);
	return ctx;
}

/* The update of notice k (k >= 1): update.md, .txt and .eml. */
static int draft_update(const struct record *rec, const struct policy *pol,
			const struct tmpl_set *tpl, const struct publish_notice *notices, size_t k,
			struct draft_set *set, struct diag *d)
{
	struct arena a = ARENA_INIT;
	struct tval *ctx = context(&a, rec, pol, notices, k);
	struct buf page = BUF_INIT;
	int rc = tmpl_set_render(tpl, "notice-update.md", ctx, md_escape, md_field, 0, &page, d);
	arena_free(&a);
	if (rc != 0) {
		buf_free(&page);
		return -1;
	}
	const char *md = buf_str(&page);
	const char *eol = strchr(md, '\n');
	if (strncmp(md, "Subject:", 8) != 0 || !eol) {
		const struct tmpl_set_file *t = tmpl_set_find(tpl, "notice-update.md");
		diag_error(d, t && strcmp(t->origin, "built-in") != 0 ? t->origin : "notice-update.md", 1,
			   "an email template must start with a 'Subject:' line");
		buf_free(&page);
		return -1;
	}
	/* The subject was written as Markdown: read back as one line of text. */
	cmark_node *sdoc = md_parse(md + 8, (size_t)(eol - md) - 8);
	struct buf subject = BUF_INIT;
	md_render_text(sdoc, 100000, &subject);
	cmark_node_free(sdoc);
	while (subject.len && (subject.data[subject.len - 1] == '\n' || subject.data[subject.len - 1] == ' '))
		subject.data[--subject.len] = '\0';
	for (size_t i = 0; i < subject.len; i++)
		if (subject.data[i] == '\n')
			subject.data[i] = ' ';
	const char *body_md = eol + 1 + strspn(eol + 1, "\n");
	cmark_node *doc = md_parse(body_md, strlen(body_md));
	struct buf text = BUF_INIT;
	md_render_text(doc, 72, &text);
	cmark_node_free(doc);

	size_t number = notices[k].number;
	struct buf md_out = BUF_INIT, txt = BUF_INIT, eml = BUF_INIT;
	buf_puts(&md_out, body_md);
	buf_printf(&txt, "Subject: %s\n\n%s", buf_str(&subject), buf_str(&text));
	struct eml_message m = {
		.from_name = pol->sender_name,
		.from_address = pol->sender_address,
		.to = NULL,
		.subject = buf_str(&subject),
		.date = notices[k].at,
		.date_offset = pol->zone_offset,
		.body = buf_str(&text),
	};
	const char *why;
	if (eml_write(&m, &eml, &why) != 0) {
		diag_error(d, rec->path, 0, "notice %zu: cannot write the email: %s",
			   number, why);
		rc = -1;
	} else {
		add(set, xasprintf("notice-%zu/update.md", number), &md_out);
		add(set, xasprintf("notice-%zu/update.txt", number), &txt);
		add(set, xasprintf("notice-%zu/update.eml", number), &eml);
	}
	buf_free(&md_out);
	buf_free(&txt);
	buf_free(&eml);
	buf_free(&text);
	buf_free(&subject);
	buf_free(&page);
	return rc;
}

int notice_drafts_run(const struct record *rec, const struct policy *pol,
		      const struct tmpl_set *tpl, const struct publish_notice *notices, size_t n,
		      struct draft_set *set, struct diag *d)
{
	if (!rec->n_notices)
		return 0;
	int rc = 0;
	for (size_t k = 0; k < n; k++) {
		if (k > 0 && draft_update(rec, pol, tpl, notices, k, set, d) != 0)
			rc = -1;
		struct buf csaf = BUF_INIT;
		csaf_write(rec, pol, notices, k + 1, &csaf);
		add(set, xasprintf("notice-%zu/csaf.json", notices[k].number), &csaf);
	}
	return rc;
}
