/* regen.c - drafting a bundle's communications again from the bag alone. */
#include "bundle/regen.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "bundle/bundle.h"
#include "bundle/sent.h"
#include "draft/draft.h"
#include "publish/publish.h"
#include "format/tmpl_set.h"
#include "model/policy.h"
#include "model/record.h"

/* One payload file read from the bag. */
struct member {
	char *rel;         /* below data/: "drafts/customer-email.eml" */
	char *data;        /* NUL-terminated */
	size_t len;
	bool used;         /* matched by a regenerated draft */
};

struct bagread {
	const char *path;
	char *top;
	struct member *m;
	size_t n;
};

static void bagread_free(struct bagread *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->m[i].rel);
		free(b->m[i].data);
	}
	free(b->m);
	free(b->top);
}

/* Reads every data/ entry of the zip, within the bundle limits. */
static int read_bag(struct bagread *b, struct diag *d)
{
	int err = 0;
	zip_t *za = zip_open(b->path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	if (!za) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, err);
		diag_error(d, b->path, 0, "not a readable zip archive: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	int rc = 0;
	size_t total = 0;
	zip_int64_t count = zip_get_num_entries(za, 0);
	if (count < 0 || count > BUNDLE_MAX_ENTRIES) {
		diag_error(d, b->path, 0, "the zip has %lld entries; sircomm reads at most %d",
			   (long long)count, BUNDLE_MAX_ENTRIES);
		count = 0;
		rc = -1;
	}
	b->m = xcalloc((size_t)count + 1, sizeof(*b->m));
	for (zip_uint64_t i = 0; i < (zip_uint64_t)count && rc == 0; i++) {
		const char *name = zip_get_name(za, i, ZIP_FL_ENC_RAW);
		if (!name)
			continue;
		size_t k = strcspn(name, "/");
		if (!b->top)
			b->top = xstrndup(name, k);
		if (strncmp(name, b->top, k) != 0 || name[k] != '/' || strncmp(name + k + 1, "data/", 5) != 0)
			continue;
		const char *rel = name + k + 6;
		if (!*rel || rel[strlen(rel) - 1] == '/')
			continue;
		zip_file_t *zf = zip_fopen_index(za, i, 0);
		if (!zf) {
			diag_error(d, b->path, 0, "entry %s cannot be read: %s", name, zip_strerror(za));
			rc = -1;
			break;
		}
		struct buf data = BUF_INIT;
		data.max = BUNDLE_MAX_ENTRY_BYTES;
		char chunk[65536];
		zip_int64_t n;
		while ((n = zip_fread(zf, chunk, sizeof(chunk))) > 0) {
			total += (size_t)n;
			if (buf_append(&data, chunk, (size_t)n) < 0 || total > BUNDLE_MAX_TOTAL_BYTES) {
				diag_error(d, b->path, 0, "entry %s expands beyond what sircomm reads", name);
				rc = -1;
				break;
			}
		}
		if (n < 0) {
			diag_error(d, b->path, 0, "entry %s is corrupt: %s", name, zip_file_strerror(zf));
			rc = -1;
		}
		zip_fclose(zf);
		size_t len = data.len;
		b->m[b->n++] = (struct member){ xstrdup(rel), buf_detach(&data), len, false };
	}
	zip_discard(za);
	return rc;
}

static struct member *member(struct bagread *b, const char *rel)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->m[i].rel, rel) == 0)
			return &b->m[i];
	return NULL;
}

/* How diagnostics name a file inside the bag: "x.zip(TOP/data/REL)". */
static char *label(const struct bagread *b, const char *rel)
{
	return xasprintf("%s(%s/data/%s)", b->path, b->top, rel);
}

/* The first line (from 1) on which a and b differ. */
static long first_difference(const char *a, size_t alen, const char *b, size_t blen)
{
	long line = 1;
	for (size_t i = 0; i < alen && i < blen && a[i] == b[i]; i++)
		if (a[i] == '\n')
			line++;
	return line;
}

/* An OpenDocument file is a zip: its bytes depend on the deflate that
 * made it (zlib's or libdeflate's, and their versions), its document
 * on the record alone.  Compares the bag's `have` with the regenerated
 * `want` member by member: the same names in the same order, each
 * unzipping to the same bytes.  Returns true when they are the same;
 * otherwise false with *where naming the first member that differs
 * ("content.xml, from line 12", a new string the caller frees).  The
 * bag's sizes are taken only when they equal the regenerated ones, so
 * a hostile member cannot make sircomm unzip more than its own. */
static bool same_document(const char *have, size_t hlen, const char *want, size_t wlen,
			  char **where)
{
	zip_t *z[2] = { NULL, NULL };
	const char *bytes[2] = { have, want };
	size_t lens[2] = { hlen, wlen };
	*where = NULL;
	for (int k = 0; k < 2; k++) {
		zip_source_t *src = zip_source_buffer_create(bytes[k], lens[k], 0, NULL);
		if (src && !(z[k] = zip_open_from_source(src, ZIP_RDONLY, NULL)))
			zip_source_free(src);
	}
	bool same = z[0] && z[1] && zip_get_num_entries(z[0], 0) == zip_get_num_entries(z[1], 0);
	if (!z[0])
		*where = xstrdup("not a readable zip archive");
	zip_int64_t n = z[1] ? zip_get_num_entries(z[1], 0) : 0;
	char *buf[2] = { NULL, NULL };
	for (zip_int64_t i = 0; same && i < n; i++) {
		zip_stat_t st[2];
		for (int k = 0; k < 2; k++)
			if (zip_stat_index(z[k], (zip_uint64_t)i, 0, &st[k]) != 0 ||
			    !(st[k].valid & ZIP_STAT_NAME) || !(st[k].valid & ZIP_STAT_SIZE))
				same = false;
		if (!same)
			break;
		const char *name = st[1].name;
		if (strcmp(st[0].name, name) != 0) {
			*where = xasprintf("member %s", name);
			same = false;
			break;
		}
		/* Never more of the bag's member than the regenerated one holds
		 * (a byte more, to see that it is longer). */
		zip_uint64_t cap[2] = { st[0].size < st[1].size + 1 ? st[0].size : st[1].size + 1, st[1].size };
		zip_int64_t got[2];
		for (int k = 0; k < 2; k++) {
			free(buf[k]);
			buf[k] = xmalloc(cap[k] + 1);
			zip_file_t *f = zip_fopen_index(z[k], (zip_uint64_t)i, 0);
			got[k] = f ? zip_fread(f, buf[k], cap[k]) : -1;
			if (f)
				zip_fclose(f);
		}
		if (got[0] < 0 || got[1] != (zip_int64_t)st[1].size) {
			*where = xasprintf("member %s", name);
			same = false;
		} else if (got[0] != got[1] || memcmp(buf[0], buf[1], (size_t)got[1]) != 0) {
			*where = xasprintf("%s, from line %ld", name,
					   first_difference(buf[0], (size_t)got[0], buf[1], (size_t)got[1]));
			same = false;
		}
	}
	if (!same && !*where)
		*where = xstrdup("its members");
	free(buf[0]);
	free(buf[1]);
	for (int k = 0; k < 2; k++)
		if (z[k])
			zip_discard(z[k]);
	return same;
}

/* Parses the bag's policy and record and loads its templates. */
static int load_inputs(struct bagread *b, struct policy **pol, struct record **rec,
		       struct tmpl_set *tpl, struct diag *d)
{
	struct member *pm = member(b, "policy/policy.xml"), *rm = NULL;
	for (size_t i = 0; i < b->n; i++) {
		if (strncmp(b->m[i].rel, "record/", 7) != 0)
			continue;
		if (rm) {
			diag_error(d, b->path, 0, "the bag holds more than one record under data/record/");
			return -1;
		}
		rm = &b->m[i];
	}
	for (size_t i = 0; i < b->n; i++)
		if (strncmp(b->m[i].rel, "templates/", 10) == 0) {
			char *origin = label(b, b->m[i].rel);
			tmpl_set_put(tpl, b->m[i].rel + 10, origin, b->m[i].data, b->m[i].len);
			free(origin);
		}
	if (!rm || !pm || tpl->n == 0) {
		diag_error(d, b->path, 0, "the bag holds no %s: its drafts cannot be made again from it "
			   "(a bundle of a sircomm before templates were bagged?)",
			   !rm ? "record" : !pm ? "policy" : "templates");
		return -1;
	}
	char *pl = label(b, pm->rel), *rl = label(b, rm->rel);
	int rc = pol_parse(pl, pm->data, pm->len, d, pol);
	if (rc == 0)
		rc = rec_parse(rl, rm->data, rm->len, *pol, d, rec);
	free(pl);
	free(rl);
	return rc;
}

/* Each data/sent-diff/NAME.diff against the diff of the regenerated
 * draft and data/sent/NAME, made again.  Returns the problems. */
static int check_sent_diffs(struct bagread *b, const struct draft_set *drafts, struct diag *d)
{
	int problems = 0;
	const char **names = xcalloc(drafts->n + 1, sizeof(*names));
	for (size_t i = 0; i < drafts->n; i++)
		names[i] = drafts->files[i].name;
	for (size_t i = 0; i < b->n; i++) {
		const struct member *s = &b->m[i];
		if (strncmp(s->rel, "sent/", 5) != 0 || sent_name_problem(s->rel + 5))
			continue;   /* verify reported it */
		int k = sent_basis(s->rel + 5, names, drafts->n);
		char *rel = xasprintf("sent-diff/%s.diff", s->rel + 5);
		const struct member *m = member(b, rel);
		struct buf diff = BUF_INIT;
		if (k < 0) {
			diag_error(d, b->path, 0, "data/%s has no draft to compare it with", s->rel);
			problems++;
		} else if (m) {
			const struct draft_file *f = &drafts->files[k];
			sent_diff(f->name, f->data, f->len, s->rel + 5, s->data, s->len, &diff);
			if (diff.len != m->len || memcmp(buf_str(&diff), m->data, m->len) != 0) {
				diag_error(d, b->path, 0, "data/%s is not the diff of data/drafts/%s and data/%s",
					   rel, f->name, s->rel);
				problems++;
			}
		}
		buf_free(&diff);
		free(rel);
	}
	free(names);
	return problems;
}

int regen_bundle(const char *path, size_t *same, struct diag *d)
{
	*same = 0;
	struct bagread b = { path, NULL, NULL, 0 };
	struct policy *pol = NULL;
	struct record *rec = NULL;
	struct tmpl_set tpl = TMPL_SET_INIT;
	struct draft_set drafts = DRAFT_SET_INIT;
	int problems = -1;
	if (read_bag(&b, d) != 0 || !b.top || load_inputs(&b, &pol, &rec, &tpl, d) != 0)
		goto done;
	/* Warnings (a companion not drafted) were the bundle's to give. */
	struct diag dd = DIAG_INIT;
	int rc = draft_run(rec, pol, &tpl, DRAFT_ALL, &drafts, &dd);
	if (rc == 0)
		rc = publish_run(rec, pol, &tpl, &drafts, &dd);
	for (size_t i = 0; i < dd.n; i++)
		if (dd.items[i].level == DIAG_ERROR)
			diag_error(d, dd.items[i].file, dd.items[i].line, "%s", dd.items[i].msg);
	diag_free(&dd);
	if (rc != 0)
		goto done;
	problems = 0;
	for (size_t i = 0; i < drafts.n; i++) {
		const struct draft_file *f = &drafts.files[i];
		char *rel = xasprintf("drafts/%s", f->name);
		struct member *m = member(&b, rel);
		if (!m) {
			diag_error(d, path, 0, "data/%s is missing from the bag: the bag's record, policy and "
				   "templates give it", rel);
			problems++;
		} else {
			m->used = true;
			size_t nl = strlen(f->name);
			char *where = NULL;
			if (m->len == f->len && memcmp(m->data, f->data, f->len) == 0) {
				(*same)++;
			} else if (nl > 4 && strcmp(f->name + nl - 4, ".odt") == 0) {
				if (same_document(m->data, m->len, f->data, f->len, &where)) {
					(*same)++;
				} else {
					diag_error(d, path, 0, "data/%s differs from the draft regenerated "
						   "from the bag (%s)", rel, where);
					problems++;
				}
				free(where);
			} else {
				diag_error(d, path, 0, "data/%s differs from the draft regenerated from the bag "
					   "(from line %ld)", rel,
					   first_difference(m->data, m->len, f->data, f->len));
				problems++;
			}
		}
		free(rel);
	}
	for (size_t i = 0; i < b.n; i++)
		if (strncmp(b.m[i].rel, "drafts/", 7) == 0 && !b.m[i].used) {
			diag_error(d, path, 0, "data/%s is in the bag but was not regenerated from it",
				   b.m[i].rel);
			problems++;
		}
	problems += check_sent_diffs(&b, &drafts, d);
done:
	draft_set_free(&drafts);
	tmpl_set_free(&tpl);
	rec_free(rec);
	pol_free(pol);
	bagread_free(&b);
	return problems;
}
