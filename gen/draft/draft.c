/* draft.c - rendering every communication of a record, and checking it. */
#define _GNU_SOURCE  /* memmem */
#include "draft/draft.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark-gfm.h>

#include "draft/agree.h"
#include "draft/context.h"
#include "draft/facts.h"
#include "format/eml.h"
#include "base/esc.h"
#include "format/link.h"
#include "format/md.h"
#include "format/odf.h"
#include "format/social.h"
#include "sys/stop.h"
#include "model/timeline.h"
#include "format/tmpl.h"
#include "format/tmpl_set.h"

#define EMAIL_WIDTH 72
/* Plain text on lines that do not wrap: a subject, a social post, and
 * the drafts the consistency check reads. */
#define PLAIN_WIDTH 100000

/* ---- Artifacts ------------------------------------------------------ */

int draft_artifact_parse(const char *id)
{
	for (int a = 0; id && a < DRAFT_COUNT; a++)
		if (strcmp(draft_artifact_id((enum draft_artifact)a), id) == 0)
			return a;
	return -1;
}

/* ---- Rendering ------------------------------------------------------ */

/* Room for an artifact's id and an extension ("internal-update.txt"). */
#define FILE_NAME_SIZE 40

/* The artifact's id with ext after it ("customer-email" ".eml"), in
 * buf: names are made for every draft of every record. */
static const char *file_name(char buf[FILE_NAME_SIZE], enum draft_artifact a, const char *ext)
{
	const char *id = draft_artifact_id(a);
	size_t n = strlen(id), e = strlen(ext);
	if (n + e >= FILE_NAME_SIZE)
		n = FILE_NAME_SIZE - 1 - e;  /* no id is near this long */
	memcpy(buf, id, n);
	memcpy(buf + n, ext, e + 1);
	return buf;
}

struct drafter {
	const struct record *rec;
	const struct policy *pol;
	const struct tmpl_set *tpl;
	struct diag *d;
	struct facts facts;   /* what every draft states (facts.h) */
	struct tval *ctx;
	struct arena arena;
	struct draft_set *out;
	/* The tree of each artifact's Markdown, parsed once for the text,
	 * the HTML and the comms document; an email's subject too, shown
	 * above its body in the comms document. */
	cmark_node *tree[DRAFT_COUNT];
	char *subject[DRAFT_COUNT];
	/* Drafts as plain text on long lines, for the consistency check,
	 * when they were made with a draft's text (md_render_text2). */
	char *plain[DRAFT_COUNT];
	bool stopped;   /* a stop signal came: the record is dropped */
	/* Links refused so far, each reported once with every draft it is in. */
	struct link_problem {
		char *url, *why;
		struct buf where;
		bool on_page;   /* found in the blog page, maybe its template */
	} *links;
	size_t n_links;
	/* Addresses judged and found clean, not judged again when seen
	 * again (a record's advisory is in every draft); the first 32. */
	char *clean[32];
	size_t n_clean;
	int rc;
	/* Drafts that failed a content check of their own: not written,
	 * while the others are (1 << enum draft_artifact). */
	unsigned failed;
};

/* Renders template `name` with the context, values through escape and
 * {{{x}}} through raw (see tmpl_options), into out; -1 after adding
 * diagnostics. */
static int render(struct drafter *dr, const char *name, tmpl_escape_fn escape,
		  tmpl_escape_fn raw, struct buf *out)
{
	return tmpl_set_render(dr->tpl, name, dr->ctx, escape, raw, 0, out, dr->d);
}

/* Appends rendered Markdown's lines (len bytes) tidied: no trailing
 * spaces, one blank line for a run of them, none at the start unless
 * `started` (a line came before), one newline at the end. */
static void tidy_lines(const char *s, size_t len, bool started, struct buf *b)
{
	const char *end = s + len;
	int blanks = 0;
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		size_t n = eol ? (size_t)(eol - s) : (size_t)(end - s);
		size_t k = n;
		while (k && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\r'))
			k--;
		/* Keep a Markdown hard break (two trailing spaces) as a backslash. */
		bool hard = n - k >= 2 && s[k] == ' ';
		if (k == 0) {
			blanks++;
		} else {
			if (started && blanks)
				buf_putc(b, '\n');
			buf_append(b, s, k);
			if (hard)
				buf_putc(b, '\\');
			buf_putc(b, '\n');
			blanks = 0;
			started = true;
		}
		s += n + (eol != NULL);
	}
}

/* Appends s[from, to), lines tidy_lines keeps as they are, at once; line
 * by line when the buffer's cap refuses them at once. */
static void tidy_run(const char *s, size_t from, size_t to, struct buf *b)
{
	if (to > from && buf_append(b, s + from, to - from) != 0)
		tidy_lines(s + from, to - from, true, b);
}

/* Appends rendered Markdown (len bytes, up to a NUL if it holds one),
 * tidied as tidy_lines does; the lines that need no change (most) are
 * appended in runs. */
static void tidy(const char *s, size_t len, struct buf *b)
{
	const char *nul = len ? memchr(s, '\0', len) : NULL;
	size_t n_all = nul ? (size_t)(nul - s) : len;
	size_t i = 0, from = 0, to = 0;  /* lines kept as they are, not appended yet */
	int blanks = 0;
	bool started = false, exact = true;  /* the blank lines since the last are one, empty */
	while (i < n_all) {
		const char *eol = memchr(s + i, '\n', n_all - i);
		size_t end = eol ? (size_t)(eol - s) : n_all;
		size_t k = end;
		while (k > i && (s[k - 1] == ' ' || s[k - 1] == '\t' || s[k - 1] == '\r'))
			k--;
		if (k == i) {
			blanks++;
			exact = exact && end == i;
		} else if (k == end && eol && (started ? blanks == 0 || (blanks == 1 && exact) : true)) {
			if (!started)
				from = to = i;  /* blank lines before the first are left out */
			to = end + 1;
			blanks = 0;
			exact = true;
			started = true;
		} else {
			tidy_run(s, from, to, b);
			if (started && blanks)
				buf_putc(b, '\n');
			buf_append(b, s + i, k - i);
			/* Keep a Markdown hard break (two trailing spaces) as a
			 * backslash. */
			if (end - k >= 2 && s[k] == ' ')
				buf_putc(b, '\\');
			buf_putc(b, '\n');
			from = to = end + 1;
			blanks = 0;
			exact = true;
			started = true;
		}
		i = end + 1;
	}
	tidy_run(s, from, to, b);
}

static void add_file(struct drafter *dr, const char *name, char *data, size_t len)
{
	struct draft_set *set = dr->out;
	set->files = xrealloc(set->files, (set->n + 1) * sizeof(*set->files));
	set->files[set->n++] = (struct draft_file){ xstrdup(name), data, len };
}

/* A parsed document as plain text at a width; *len (when not NULL)
 * is its length. */
static char *tree_text(cmark_node *doc, int width, size_t *len)
{
	struct buf out = BUF_INIT;
	md_render_text(doc, width, &out);
	if (len)
		*len = out.len;
	return buf_detach(&out);
}

/* A draft's tree as plain text at a width, and on long lines for the
 * consistency check (check_agreement): the two for the work of little
 * more than one.  *len is the first's length. */
static char *tree_texts(struct drafter *dr, enum draft_artifact a, int width, size_t *len)
{
	struct buf out = BUF_INIT, plain = BUF_INIT;
	md_render_text2(dr->tree[a], width, &out, PLAIN_WIDTH, &plain);
	free(dr->plain[a]);
	dr->plain[a] = buf_detach(&plain);
	*len = out.len;
	return buf_detach(&out);
}

/* Markdown (n bytes) to plain text at a width. */
static char *to_text(const char *md, size_t n, int width)
{
	cmark_node *doc = md_parse(md, n);
	char *text = tree_text(doc, width, NULL);
	cmark_node_free(doc);
	return text;
}

static void check_tree_links(struct drafter *dr, const char *artifact, cmark_node *doc);

/* Parses an artifact's Markdown (len bytes, borrowed) and keeps and
 * returns its tree; every address in it is checked (see
 * check_tree_links). */
static cmark_node *keep_md(struct drafter *dr, enum draft_artifact a, const char *md,
			   size_t len)
{
	dr->tree[a] = md_parse(md, len);
	check_tree_links(dr, draft_artifact_id(a), dr->tree[a]);
	return dr->tree[a];
}

/* The line of the text (len bytes) where `needle` (n bytes) first
 * appears, or 0. */
static long line_of(const char *text, size_t len, const char *needle, size_t n)
{
	const char *hit = n ? memmem(text, len, needle, n) : NULL;
	if (!hit)
		return 0;
	long line = 1;
	for (const char *c = text; (c = memchr(c, '\n', (size_t)(hit - c))) != NULL; c++)
		line++;
	return line;
}

/* The line of the record where `needle` first appears, or 0. */
static long record_line(const struct record *rec, const char *needle, size_t n)
{
	return line_of(rec->source, rec->source_len, needle, n);
}

/* The line of the record a URL came from: the URL as written, or (since
 * XML writes '&' as "&amp;") its part before the first '&'. */
static long url_line(const struct record *rec, const char *url)
{
	long line = record_line(rec, url, strlen(url));
	return line ? line : record_line(rec, url, strcspn(url, "&"));
}

/* ---- Content checks ------------------------------------------------- */

/* Keeps a refused link, once per address, with every draft it is in;
 * report_links() says them all. */
static void note_link(struct drafter *dr, const char *artifact, const char *url, size_t n,
		      bool on_page)
{
	for (size_t i = 0; i < dr->n_clean; i++)
		if (strlen(dr->clean[i]) == n && memcmp(dr->clean[i], url, n) == 0)
			return;
	char *why = link_problem(url, n);
	if (!why) {
		if (dr->n_clean < sizeof(dr->clean) / sizeof(dr->clean[0]))
			dr->clean[dr->n_clean++] = xstrndup(url, n);
		return;
	}
	struct link_problem *lp = NULL;
	for (size_t i = 0; i < dr->n_links && !lp; i++)
		if (link_same(dr->links[i].url, strlen(dr->links[i].url), url, n))
			lp = &dr->links[i];
	if (!lp) {
		dr->links = xrealloc(dr->links, (dr->n_links + 1) * sizeof(*dr->links));
		lp = &dr->links[dr->n_links++];
		*lp = (struct link_problem){ xstrndup(url, n), why, BUF_INIT, on_page };
	} else {
		free(why);
	}
	/* Whole names only: "blog-post" is not in "blog-post-x". */
	bool listed = false;
	for (const char *w = buf_str(&lp->where); (w = strstr(w, artifact)) != NULL; w++) {
		size_t k = strlen(artifact);
		if ((w == buf_str(&lp->where) || w[-1] == ' ') && (w[k] == ',' || w[k] == '\0'))
			listed = true;
	}
	if (!listed)
		buf_printf(&lp->where, "%s%s", lp->where.len ? ", " : "", artifact);
	dr->rc = -1;
}

struct link_scan {
	struct drafter *dr;
	const char *artifact;
	bool on_page;
};

static void found_link(const char *url, size_t n, void *ud)
{
	struct link_scan *ls = ud;
	note_link(ls->dr, ls->artifact, url, n, ls->on_page);
}

/* Checks every address a draft links to or shows: its Markdown tree
 * (links, autolinks, addresses in text and code), and the text of an
 * output written from it (plain text, a subject, a page) as a mail
 * client or a browser reads that. */
static void check_tree_links(struct drafter *dr, const char *artifact, cmark_node *doc)
{
	struct link_scan ls = { dr, artifact, false };
	link_each_in_tree(doc, found_link, &ls);
}

static void check_text_links(struct drafter *dr, const char *artifact, const char *text)
{
	struct link_scan ls = { dr, artifact, false };
	link_each_in_text(text, strlen(text), found_link, &ls);
}

static void check_html_links(struct drafter *dr, const char *artifact, const char *html)
{
	struct link_scan ls = { dr, artifact, true };
	link_each_in_html(html, strlen(html), found_link, &ls);
}

/* Where a refused link came from: the record's line that holds it, else
 * the line of a template that does (the templates given with
 * --templates), else the blog page's template when only the page has it
 * (written with entities, say), else the record without a line. */
static void link_origin(const struct drafter *dr, const struct link_problem *lp,
			const char **path, long *line)
{
	const char *url = lp->url;
	*path = dr->rec->path;
	*line = url_line(dr->rec, url);
	if (*line)
		return;
	/* A www. autolink gained its scheme in the tree. */
	if (strncmp(url, "http://www.", 11) == 0 && (*line = url_line(dr->rec, url + 7)) != 0)
		return;
	for (size_t i = 0; i < dr->tpl->n; i++) {
		const struct tmpl_set_file *t = &dr->tpl->items[i];
		const char *hit = memmem(t->src, t->len, url, strlen(url));
		if (!hit)
			continue;
		long l = 1;
		for (const char *c = t->src; c < hit; c++)
			l += *c == '\n';
		*path = strcmp(t->origin, "built-in") == 0 ? t->name : t->origin;
		*line = l;
		return;
	}
	const struct tmpl_set_file *page = tmpl_set_find(dr->tpl, "blog-page.html");
	if (lp->on_page && page && strcmp(page->origin, "built-in") != 0)
		*path = page->origin;
}

static void report_links(struct drafter *dr)
{
	for (size_t i = 0; i < dr->n_links; i++) {
		struct link_problem *lp = &dr->links[i];
		const char *path;
		long line;
		link_origin(dr, lp, &path, &line);
		diag_error(dr->d, path, line,
			   "link '%s' %s (in %s); drafts carry no tracking or redirect links",
			   lp->url, lp->why, buf_str(&lp->where));
		free(lp->url);
		free(lp->why);
		buf_free(&lp->where);
	}
	free(dr->links);
	dr->links = NULL;
	dr->n_links = 0;
}

static void check_rendered(struct drafter *dr, const char *artifact, const char *text)
{
	const char *open = strstr(text, "{{");
	if (open && !strstr(dr->rec->source, "{{")) {
		diag_error(dr->d, artifact, 0, "the draft still holds '%.20s': a template tag was "
			   "left unrendered", open);
		dr->rc = -1;
	}
}

/* An email that does not link the published blog post fails a content
 * check of its own: it is not written, the other drafts are. */
static void check_blog_link(struct drafter *dr, enum draft_artifact a, const char *text)
{
	const char *blog = dr->rec->comm.blog;
	if (blog && !strstr(text, blog)) {
		diag_error(dr->d, dr->rec->path, url_line(dr->rec, blog),
			   "%s: the blog post %s is published but the email does not link it "
			   "(the plan: \"If an accompanying blog post is published, blog should be linked\")",
			   draft_artifact_id(a), blog);
		dr->failed |= 1u << a;
	}
}

/* ---- One artifact each ---------------------------------------------- */

/* The subject of a rendered email template (tidied, len bytes), from
 * its "Subject: ..." line, or NULL when it has none; *body is set to
 * the Markdown after it, without the blank lines before it. */
static char *take_subject(const char *md, size_t md_len, const char **body)
{
	if (strncmp(md, "Subject:", 8) != 0)
		return NULL;
	const char *eol = memchr(md, '\n', md_len);
	size_t n = eol ? (size_t)(eol - md) : md_len;
	*body = eol ? eol + 1 : md + md_len;
	while (**body == '\n')
		(*body)++;
	/* The subject was written as Markdown (values escaped): read it back
	 * as text, on one line. */
	char *text = to_text(md + 8, n - 8, PLAIN_WIDTH);
	size_t len = strlen(text);
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		text[--len] = '\0';
	for (char *c = text; *c; c++)
		if (*c == '\n')
			*c = ' ';
	return text;
}

static int artifact_index(const struct policy *pol, enum draft_artifact a)
{
	return pol_artifact_index(pol, draft_artifact_id(a));
}

/* Renders an artifact's Markdown template, tidied, into md (empty);
 * -1 after diagnostics. */
static int render_md(struct drafter *dr, enum draft_artifact a, struct buf *md)
{
	int ai = artifact_index(dr->pol, a);
	if (ai >= 0)
		context_set_artifact(dr->ctx, dr->rec, dr->pol, ai, &dr->arena);
	char template[FILE_NAME_SIZE];
	file_name(template, a, ".md");
	struct buf raw = BUF_INIT;
	if (render(dr, template, md_escape, md_field, &raw) != 0) {
		buf_free(&raw);
		dr->rc = -1;
		return -1;
	}
	tidy(buf_str(&raw), raw.len, md);
	buf_free(&raw);
	check_rendered(dr, template, buf_str(md));
	return 0;
}

static void draft_email(struct drafter *dr, enum draft_artifact a)
{
	const char *id = draft_artifact_id(a);
	char name[FILE_NAME_SIZE];
	struct buf md = BUF_INIT;
	if (render_md(dr, a, &md) != 0)
		return;
	const char *body;
	char *subject = take_subject(buf_str(&md), md.len, &body);
	if (!subject) {
		diag_error(dr->d, id, 1, "an email template must start with a 'Subject:' line");
		dr->rc = -1;
		buf_free(&md);
		return;
	}
	keep_md(dr, a, body, md.len - (size_t)(body - buf_str(&md)));
	buf_free(&md);
	size_t text_len;
	char *text = tree_texts(dr, a, EMAIL_WIDTH, &text_len);
	check_text_links(dr, id, subject);
	check_text_links(dr, id, text);
	check_blog_link(dr, a, text);
	/* Dated when it went out; a draft not sent yet is dated as of the
	 * record's last event, never the clock, so drafts stay the same. */
	int ai = artifact_index(dr->pol, a);
	const struct rec_event *sent = ai >= 0 ? tl_deployed(dr->rec, ai) : NULL;
	int64_t date = sent ? sent->at : tl_as_of(dr->rec);
	struct eml_message m = {
		.from_name = dr->pol->sender_name,
		.from_address = dr->pol->sender_address,
		.to = NULL,
		.subject = subject,
		.date = date,
		.date_offset = pol_zone_offset_at(dr->pol, date),
		.body = text,
	};
	struct buf eml = BUF_INIT;
	const char *why;
	if (eml_write(&m, &eml, &why) != 0) {
		diag_error(dr->d, dr->rec->path, 0, "%s: cannot write the email: %s", id, why);
		dr->rc = -1;
		buf_free(&eml);
	} else {
		size_t len = eml.len;
		add_file(dr, file_name(name, a, ".eml"), buf_detach(&eml), len);
	}
	struct buf txt = BUF_INIT;
	buf_puts(&txt, "Subject: ");
	buf_puts(&txt, subject);
	buf_puts(&txt, "\n\n");
	buf_append(&txt, text, text_len);
	size_t txt_len = txt.len;
	add_file(dr, file_name(name, a, ".txt"), buf_detach(&txt), txt_len);
	dr->subject[a] = subject;
	free(text);
}

static void draft_markdown(struct drafter *dr, enum draft_artifact a, bool with_text)
{
	char name[FILE_NAME_SIZE];
	struct buf md = BUF_INIT;
	if (render_md(dr, a, &md) != 0)
		return;
	/* The file takes the Markdown; the tree is parsed from it before
	 * anything can free it. */
	size_t len = md.len;
	char *text_md = buf_detach(&md);
	add_file(dr, file_name(name, a, ".md"), text_md, len);
	keep_md(dr, a, text_md, len);
	if (with_text) {
		char *text = tree_texts(dr, a, EMAIL_WIDTH, &len);
		check_text_links(dr, draft_artifact_id(a), text);
		add_file(dr, file_name(name, a, ".txt"), text, len);
	}
}

static void draft_blog(struct drafter *dr)
{
	draft_markdown(dr, DRAFT_BLOG_POST, false);
	cmark_node *doc = dr->tree[DRAFT_BLOG_POST];
	if (!doc)
		return;
	struct buf body = BUF_INIT;
	md_render_html(doc, &body);
	tval_set_str(dr->ctx, "body", buf_str(&body));
	buf_free(&body);
	struct buf page = BUF_INIT;
	int rc = render(dr, "blog-page.html", NULL, NULL, &page);
	tval_set(dr->ctx, "body", tval_null(&dr->arena));
	if (rc != 0) {
		buf_free(&page);
		dr->rc = -1;
		return;
	}
	check_html_links(dr, "blog-post", buf_str(&page));
	size_t len = strlen(buf_str(&page));  /* a template may hold a NUL */
	add_file(dr, "blog-post.html", buf_detach(&page), len);
}

static void draft_social(struct drafter *dr)
{
	struct buf md = BUF_INIT;
	if (render_md(dr, DRAFT_SOCIAL_POST, &md) != 0)
		return;
	cmark_node *doc = keep_md(dr, DRAFT_SOCIAL_POST, buf_str(&md), md.len);
	buf_free(&md);
	size_t len;
	char *text = tree_text(doc, PLAIN_WIDTH, &len);
	free(dr->plain[DRAFT_SOCIAL_POST]);
	dr->plain[DRAFT_SOCIAL_POST] = xstrndup(text, len);
	check_text_links(dr, "social-post", text);
	long weight = social_weighted_length(text, strlen(text) - (text[0] ? 1 : 0));
	if (weight > SOCIAL_X_LIMIT) {
		diag_error(dr->d, dr->rec->path, record_line(dr->rec, "<title", 6),
			   "social-post: %ld weighted characters, over X's limit of %d "
			   "(every URL counts %d; shorten the title or the template)",
			   weight, SOCIAL_X_LIMIT, SOCIAL_X_URL_WEIGHT);
		dr->failed |= 1u << DRAFT_SOCIAL_POST;
	}
	add_file(dr, "social-post.txt", text, strlen(text));
}


static const char *sub_str(const struct tval *m, const struct tval_key *k1,
			   const struct tval_key *k2)
{
	const struct tval *v = tval_get_key(m, k1);
	if (v && k2)
		v = tval_get_key(v, k2);
	return v ? tval_string(v) : NULL;
}

static void draft_matrix_csv(struct drafter *dr)
{
	static const char *const header[] = {
		"artifact", "group", "role", "approver", "backups", "review_due",
		"review_state", "final_due", "final_state",
	};
	/* Each cell's keys in the matrix's rows, hashed once here, not at
	 * each of the rows' lookups. */
	enum { ARTIFACT, GROUP, ROLE, PRIMARY, BACKUPS, REVIEW, FINAL, DUE, STATE, NKEYS };
	static const char *const names[NKEYS] = {
		"artifact_id", "group_id", "role", "primary", "backups", "review", "final",
		"due", "state",
	};
	struct tval_key k[NKEYS];
	for (size_t i = 0; i < NKEYS; i++)
		tval_key_init(&k[i], names[i]);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < 9; i++) {
		buf_puts(&b, i ? "," : "");
		buf_puts(&b, header[i]);
	}
	buf_puts(&b, "\r\n");
	const struct tval *rows = tval_get(dr->ctx, "matrix");
	for (size_t i = 0; i < tval_len(rows); i++) {
		const struct tval *r = tval_at(rows, i);
		const char *cells[] = {
			sub_str(r, &k[ARTIFACT], NULL), sub_str(r, &k[GROUP], NULL),
			sub_str(r, &k[ROLE], NULL), sub_str(r, &k[PRIMARY], NULL),
			sub_str(r, &k[BACKUPS], NULL), sub_str(r, &k[REVIEW], &k[DUE]),
			sub_str(r, &k[REVIEW], &k[STATE]), sub_str(r, &k[FINAL], &k[DUE]),
			sub_str(r, &k[FINAL], &k[STATE]),
		};
		for (size_t c = 0; c < 9; c++) {
			if (c)
				buf_putc(&b, ',');
			esc_csv(&b, cells[c]);
		}
		buf_puts(&b, "\r\n");
	}
	check_text_links(dr, "approval-matrix", buf_str(&b));
	size_t len = b.len;
	add_file(dr, "approval-matrix.csv", buf_detach(&b), len);
}

/* A new node of the type, holding the text. */
static cmark_node *text_node(cmark_node_type type, const char *text)
{
	cmark_node *t = md_node_new(CMARK_NODE_TEXT);
	cmark_node_set_literal(t, text);
	if (type == CMARK_NODE_TEXT)
		return t;
	cmark_node *n = md_node_new(type);
	cmark_node_append_child(n, t);
	return n;
}

/* The text of a heading, its inlines' literals joined. */
static void heading_text(cmark_node *h, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(h);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev == CMARK_EVENT_ENTER && (cmark_node_get_type(n) == CMARK_NODE_TEXT ||
						cmark_node_get_type(n) == CMARK_NODE_CODE))
			buf_puts(out, cmark_node_get_literal(n));
	}
	cmark_iter_free(it);
}

/* True when a draft opens with a heading that names the section again:
 * "Approval matrix: <title>" under the section "Approval matrix" (the
 * working document's title already holds the incident's). */
static bool repeats_title(cmark_node *first, const char *title)
{
	if (!first || cmark_node_get_type(first) != CMARK_NODE_HEADING ||
	    cmark_node_get_heading_level(first) != 1)
		return false;
	struct buf b = BUF_INIT;
	heading_text(first, &b);
	size_t n = strlen(title);
	bool same = b.len >= n && strncasecmp(buf_str(&b), title, n) == 0 &&
		    (b.data[n] == '\0' || b.data[n] == ':');
	buf_free(&b);
	return same;
}

/* Moves the blocks of `from` under a level-1 heading `title` at the end
 * of `to`, their headings one level down; an email's subject (or NULL)
 * goes first, as "**Subject:** ..." would.  A first heading that only
 * says the title again is dropped. */
static void append_section(cmark_node *to, const char *title, const char *subject,
			   cmark_node *from)
{
	cmark_node *first = cmark_node_first_child(from);
	if (repeats_title(first, title)) {
		cmark_node_unlink(first);
		cmark_node_free(first);
	}
	cmark_node *h = text_node(CMARK_NODE_HEADING, title);
	cmark_node_set_heading_level(h, 1);
	cmark_node_append_child(to, h);
	if (subject) {
		cmark_node *p = md_node_new(CMARK_NODE_PARAGRAPH);
		cmark_node_append_child(p, text_node(CMARK_NODE_STRONG, "Subject:"));
		char *rest = xasprintf(" %s", subject);
		cmark_node_append_child(p, text_node(CMARK_NODE_TEXT, rest));
		free(rest);
		cmark_node_append_child(to, p);
	}
	cmark_node *c;
	while ((c = cmark_node_first_child(from)) != NULL) {
		cmark_node_unlink(c);
		if (cmark_node_get_type(c) == CMARK_NODE_HEADING) {
			int level = cmark_node_get_heading_level(c);
			cmark_node_set_heading_level(c, level < 6 ? level + 1 : 6);
		}
		cmark_node_append_child(to, c);
	}
}

static void draft_comms_doc(struct drafter *dr)
{
	static const enum draft_artifact order[] = {
		DRAFT_APPROVAL_MATRIX, DRAFT_CUSTOMER_EMAIL, DRAFT_BLOG_POST,
		DRAFT_SUPPORT_FAQ, DRAFT_SOCIAL_POST, DRAFT_MEDIA_STATEMENT,
		DRAFT_SECURITY_ALERT, DRAFT_INTERNAL_UPDATE, DRAFT_ENGAGEMENT_PLAN,
	};
	cmark_node *doc = md_node_new(CMARK_NODE_DOCUMENT);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		cmark_node *part = dr->tree[order[i]];
		if (!part)
			continue;
		int ai = artifact_index(dr->pol, order[i]);
		const char *title = ai >= 0 ? dr->pol->artifacts[ai].title : draft_artifact_id(order[i]);
		append_section(doc, title, dr->subject[order[i]], part);
	}
	char *title = xasprintf("%s communications: %s", dr->rec->id, dr->rec->title);
	struct odf_meta meta = { title, tl_as_of(dr->rec) };
	struct buf odt = BUF_INIT;
	if (odf_write(doc, &meta, &odt, dr->d) != 0) {
		dr->rc = -1;
		buf_free(&odt);
	} else {
		add_file(dr, "comms-doc.odt", odt.data, odt.len);
	}
	free(title);
	cmark_node_free(doc);
}

/* The element of the record a finding is about, for its line. */
static const char *finding_element(enum agree_kind kind)
{
	switch (kind) {
	case AGREE_ACTION: case AGREE_HEDGE: case AGREE_HEADING: return "<customer-action";
	case AGREE_POPULATION: case AGREE_COUNT: return "<scope";
	case AGREE_UPDATE: return "<next-update";
	case AGREE_STATUS: return "<status";
	case AGREE_LINK: case AGREE_NO_LINK: case AGREE_OTHER_LINK: return "<links";
	case AGREE_READER: case AGREE_EMPTY: case AGREE_NO_FAQ: break;
	}
	return "<communication";
}

/* Where a finding about draft a points: the draft's template when an
 * organisation's (--templates) made it, at the line holding the first
 * words the finding quotes when they are the template's own; else the
 * record, at the element the fact comes from. */
static void finding_origin(const struct drafter *dr, const struct agree_finding *fi,
			   const char **path, long *line)
{
	char *name = xasprintf("%s.md", draft_artifact_id(fi->draft));
	const struct tmpl_set_file *t = tmpl_set_find(dr->tpl, name);
	free(name);
	if (t && strcmp(t->origin, "built-in") != 0) {
		*path = t->origin;
		*line = 1;
		size_t n = fi->said ? strcspn(fi->said, ".,;:!?{") : 0;
		const char *hit = n >= 8 ? memmem(t->src, t->len, fi->said, n) : NULL;
		for (const char *c = t->src; hit && c < hit; c++)
			*line += *c == '\n';
		return;
	}
	const char *el = finding_element(fi->kind);
	*path = dr->rec->path;
	*line = record_line(dr->rec, el, strlen(el));
	if (!*line)
		*line = record_line(dr->rec, "<communication", 14);
}

/* Holds the drafts made to the facts and to each other (agree.h): a
 * draft that contradicts them fails and is not written; a warning
 * leaves it. */
static void check_agreement(struct drafter *dr, unsigned made)
{
	char *text[DRAFT_COUNT] = { 0 };
	for (int a = 0; a < DRAFT_COUNT; a++) {
		if (!(made & (1u << a)) || !dr->tree[a]) {
			made &= ~(1u << a);
		} else if (dr->plain[a]) {
			text[a] = dr->plain[a];
			dr->plain[a] = NULL;
		} else {
			text[a] = tree_text(dr->tree[a], PLAIN_WIDTH, NULL);
		}
	}
	struct agree_result r = AGREE_RESULT_INIT;
	agree_check(dr->rec, &dr->facts, text, dr->tree, made, &r);
	for (size_t i = 0; i < r.n; i++) {
		const struct agree_finding *fi = &r.items[i];
		struct buf msg = BUF_INIT;
		agree_describe(fi, &msg);
		const char *path;
		long line;
		finding_origin(dr, fi, &path, &line);
		diag_add(dr->d, fi->warning ? DIAG_WARNING : DIAG_ERROR, path, line, "%s",
			 buf_str(&msg));
		buf_free(&msg);
		if (!fi->warning)
			dr->failed |= 1u << fi->draft;
	}
	agree_result_free(&r);
	for (int a = 0; a < DRAFT_COUNT; a++)
		free(text[a]);
	if (dr->facts.ongoing && !dr->facts.next_update.has && made)
		diag_warning(dr->d, dr->rec->path, record_line(dr->rec, "<status", 7),
			     "the incident is not resolved and the record sets no <next-update at>: "
			     "the drafts can only promise an update \"as soon as we know more\"");
}

/* Drops the files of the drafts that failed from the set, and their
 * trees from the working document. */
static void withhold_failed(struct drafter *dr)
{
	struct draft_set *set = dr->out;
	size_t k = 0;
	for (size_t i = 0; i < set->n; i++) {
		bool drop = false;
		for (int a = 0; a < DRAFT_COUNT && !drop; a++) {
			size_t n = strlen(draft_artifact_id(a));
			drop = (dr->failed & (1u << a)) &&
			       strncmp(set->files[i].name, draft_artifact_id(a), n) == 0 &&
			       set->files[i].name[n] == '.';
		}
		if (drop) {
			free(set->files[i].name);
			free(set->files[i].data);
		} else {
			set->files[k++] = set->files[i];
		}
	}
	set->n = k;
	for (int a = 0; a < DRAFT_COUNT; a++)
		if ((dr->failed & (1u << a)) && dr->tree[a]) {
			cmark_node_free(dr->tree[a]);
			dr->tree[a] = NULL;
		}
}

/* True once a stop signal has come (stop.h): the command will write
 * nothing more, so the record's drafting ends at the next artifact
 * instead of running to the end of what may be a long record. */
static bool stopped(struct drafter *dr)
{
	if (!dr->stopped && stop_signal()) {
		dr->stopped = true;
		dr->rc = -1;
	}
	return dr->stopped;
}

int draft_run(const struct record *rec, const struct policy *pol,
	      const struct tmpl_set *tpl, unsigned which,
	      struct draft_set *out, struct diag *d)
{
	struct drafter dr = { .rec = rec, .pol = pol, .tpl = tpl, .d = d, .arena = ARENA_INIT, .out = out };
	/* Every Markdown tree of the record lives in one pool, freed below
	 * after the trees. */
	md_pool_begin();
	facts_build(rec, pol, &dr.arena, &dr.facts);
	dr.ctx = context_build(rec, pol, &dr.facts, &dr.arena);
	/* The comms document holds every draft, so it needs them all. */
	unsigned need = which & (1u << DRAFT_COMMS_DOC) ? DRAFT_ALL : which;
	if (stopped(&dr))
		need = 0;
	if (need & (1u << DRAFT_APPROVAL_MATRIX)) {
		if (which & (1u << DRAFT_APPROVAL_MATRIX)) {
			draft_markdown(&dr, DRAFT_APPROVAL_MATRIX, false);
			draft_matrix_csv(&dr);
		} else {
			struct buf md = BUF_INIT;
			if (render_md(&dr, DRAFT_APPROVAL_MATRIX, &md) == 0)
				keep_md(&dr, DRAFT_APPROVAL_MATRIX, buf_str(&md), md.len);
			buf_free(&md);
		}
	}
	struct draft_set scratch = DRAFT_SET_INIT;
	for (int a = 0; a < DRAFT_COUNT; a++) {
		if (!(need & (1u << a)) || a == DRAFT_APPROVAL_MATRIX || a == DRAFT_COMMS_DOC)
			continue;
		if (stopped(&dr))
			break;
		/* Drafts needed only for the comms document are not written. */
		dr.out = which & (1u << a) ? out : &scratch;
		switch ((enum draft_artifact)a) {
		case DRAFT_CUSTOMER_EMAIL:
		case DRAFT_SECURITY_ALERT:
			draft_email(&dr, (enum draft_artifact)a);
			break;
		case DRAFT_BLOG_POST:
			draft_blog(&dr);
			break;
		case DRAFT_SOCIAL_POST:
			draft_social(&dr);
			break;
		case DRAFT_SUPPORT_FAQ:
		case DRAFT_MEDIA_STATEMENT:
		case DRAFT_INTERNAL_UPDATE:
			draft_markdown(&dr, (enum draft_artifact)a, true);
			break;
		case DRAFT_ENGAGEMENT_PLAN:
			draft_markdown(&dr, (enum draft_artifact)a, false);
			break;
		case DRAFT_APPROVAL_MATRIX:
		case DRAFT_COMMS_DOC:
		case DRAFT_COUNT:
			break;
		}
	}
	dr.out = out;
	draft_set_free(&scratch);
	if (!stopped(&dr))
		report_links(&dr);
	if (dr.rc == 0)
		check_agreement(&dr, need);
	if (dr.rc == 0 && dr.failed) {
		withhold_failed(&dr);
		out->withheld = dr.failed & which;
	}
	if (dr.rc == 0 && (which & (1u << DRAFT_COMMS_DOC)))
		draft_comms_doc(&dr);

	/* "Each incident response ... should have accompanying: social media
	 * statement, FAQs for our Support and customer-facing teams." */
	bool external = false;
	for (int a = 0; a < DRAFT_COUNT; a++) {
		int ai = artifact_index(pol, (enum draft_artifact)a);
		if ((which & (1u << a)) && ai >= 0 && pol->artifacts[ai].external &&
		    a != DRAFT_SOCIAL_POST && a != DRAFT_SUPPORT_FAQ)
			external = true;
	}
	if (dr.stopped)
		external = false;
	if (external && !(which & (1u << DRAFT_SOCIAL_POST)))
		diag_warning(d, rec->path, 0, "external communications need a social post as a "
			     "companion; it was not drafted this time");
	if (external && !(which & (1u << DRAFT_SUPPORT_FAQ)))
		diag_warning(d, rec->path, 0, "external communications need a support FAQ as a "
			     "companion; it was not drafted this time");

	for (int a = 0; a < DRAFT_COUNT; a++) {
		free(dr.subject[a]);
		free(dr.plain[a]);
		if (dr.tree[a])
			cmark_node_free(dr.tree[a]);
	}
	for (size_t i = 0; i < dr.n_clean; i++)
		free(dr.clean[i]);
	md_pool_end();
	arena_free(&dr.arena);
	if (dr.rc != 0) {
		draft_set_free(out);
		return -1;
	}
	return dr.failed ? 1 : 0;
}

void draft_set_free(struct draft_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++) {
		free(set->files[i].name);
		free(set->files[i].data);
	}
	free(set->files);
	*set = (struct draft_set)DRAFT_SET_INIT;
}
