/* bundle.c - building the audit bundle: a BagIt bag in a reproducible zip. */
#include "bundle/bundle.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "audit/audit_report.h"
#include "bundle/sent.h"
#include "config.h"
#include "draft/draft.h"
#include "publish/publish.h"
#include "ledger/ledger.h"
#include "base/ts.h"
#include "format/zipw.h"
#include "bundle/minisig.h"
#include "model/xmlin.h"
#include "format/md.h"

/* One file of the bag: a path below the bag's directory and its bytes. */
struct bagfile {
	char *path;        /* "data/drafts/customer-email.eml" */
	char *data;
	size_t len;
	char sha256[65];
};

struct bag {
	struct bagfile *files;
	size_t n;
};

static void bag_add(struct bag *b, const char *path, const void *data, size_t len)
{
	b->files = xrealloc(b->files, (b->n + 1) * sizeof(*b->files));
	struct bagfile *f = &b->files[b->n++];
	f->path = xstrdup(path);
	f->data = xmalloc(len + 1);
	if (len)
		memcpy(f->data, data, len);
	f->data[len] = '\0';
	f->len = len;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)f->data, len);
	sodium_bin2hex(f->sha256, sizeof(f->sha256), h, sizeof(h));
}

static void bag_free(struct bag *b)
{
	for (size_t i = 0; i < b->n; i++) {
		free(b->files[i].path);
		free(b->files[i].data);
	}
	free(b->files);
	b->files = NULL;
	b->n = 0;
}

/* A bag-info value on one line, as RFC 8493 wants: no line breaks. */
static void info_line(struct buf *out, const char *label, const char *value)
{
	buf_printf(out, "%s: ", label);
	for (const char *p = value; *p; p++)
		buf_putc(out, *p == '\n' || *p == '\r' ? ' ' : *p);
	buf_putc(out, '\n');
}

/* NULL when a template's name can be a file of the bag as it is; else
 * why not.  A manifest line ends at a line break and RFC 8493 would have
 * CR, LF and '%' percent-encoded; verify refuses a backslash. */
static const char *template_name_problem(const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return "it holds a control character";
		if (*p == '\\' || *p == '%' || *p == '/')
			return "it holds a '\\', '%' or '/'";
	}
	return NULL;
}

char *bundle_trusted_comment(const struct record *rec, const char *zip_name)
{
	return xasprintf("timestamp:%" PRId64 "\tfile:%s\thashed", audit_record_horizon(rec), zip_name);
}

int bundle_build(const struct record *rec, const struct policy *pol,
		 const struct tmpl_set *tpl, struct buf *zip, char **name,
		 struct diag *d)
{
	return bundle_build_sent(rec, pol, tpl, NULL, 0, zip, name, d);
}

/* Adds each sent file under data/sent/ and its diff against its draft
 * under data/sent-diff/; appends their bag-info lines.  Returns 0 or -1
 * after diagnostics. */
static int add_sent(struct bag *bag, const struct draft_set *drafts, const struct sent_file *sent,
		    size_t n_sent, struct buf *info, struct diag *d)
{
	int rc = 0;
	const char **dnames = xcalloc(drafts->n + 1, sizeof(*dnames));
	const char **snames = xcalloc(n_sent + 1, sizeof(*snames));
	for (size_t i = 0; i < drafts->n; i++)
		dnames[i] = drafts->files[i].name;
	for (size_t i = 0; i < n_sent; i++) {
		const struct sent_file *s = &sent[i];
		snames[i] = s->name;
		const char *why = sent_name_problem(s->name);
		int b = why ? -1 : sent_basis(s->name, dnames, drafts->n);
		if (why || b < 0) {
			diag_error(d, s->origin, 0, "%s", why ? why : "no draft of this artifact to compare it with");
			rc = -1;
			continue;
		}
		const struct draft_file *f = &drafts->files[b];
		struct buf diff = BUF_INIT;
		if (sent_diff(f->name, f->data, f->len, s->name, s->data, s->len, &diff) != 0) {
			diag_error(d, s->origin, 0, "its differences from the draft are too large to bag");
			rc = -1;
		}
		char *p = xasprintf("data/sent/%s", s->name);
		bag_add(bag, p, s->data, s->len);
		free(p);
		p = xasprintf("data/sent-diff/%s.diff", s->name);
		bag_add(bag, p, buf_str(&diff), diff.len);
		free(p);
		buf_free(&diff);
	}
	sent_bag_info(snames, n_sent, info);
	free(dnames);
	free(snames);
	return rc;
}

int bundle_build_sent(const struct record *rec, const struct policy *pol,
		      const struct tmpl_set *tpl, const struct sent_file *sent, size_t n_sent,
		      struct buf *zip, char **name, struct diag *d)
{
	*name = NULL;
	struct draft_set drafts = DRAFT_SET_INIT;
	/* A bundle is evidence of the whole set: a draft that failed its
	 * checks (draft_run returns 1) fails the bundle. */
	if (draft_run(rec, pol, tpl, DRAFT_ALL, &drafts, d) != 0 ||
	    publish_run(rec, pol, tpl, &drafts, d) != 0) {
		draft_set_free(&drafts);
		return -1;
	}
	struct audit *au;
	audit_run(rec, pol, AUDIT_AT_RECORD, &au);

	struct bag bag = { NULL, 0 };
	int rc = 0;
	char *p = xasprintf("data/record/%s.xml", rec->id);
	bag_add(&bag, p, rec->source, rec->source_len);
	free(p);
	bag_add(&bag, "data/policy/policy.xml", pol->source, pol->source_len);
	/* Every template of the set, built-in or the organisation's, so that
	 * the drafts can be made again from the bag alone (verify
	 * --regenerate). */
	for (size_t i = 0; i < tpl->n; i++) {
		const struct tmpl_set_file *t = &tpl->items[i];
		const char *why = template_name_problem(t->name);
		if (why) {
			diag_error(d, t->origin, 0, "this template cannot go into a bundle: %s", why);
			rc = -1;
			continue;
		}
		p = xasprintf("data/templates/%s", t->name);
		bag_add(&bag, p, t->src, t->len);
		free(p);
	}
	for (size_t i = 0; i < drafts.n; i++) {
		p = xasprintf("data/drafts/%s", drafts.files[i].name);
		bag_add(&bag, p, drafts.files[i].data, drafts.files[i].len);
		free(p);
	}
	struct buf sent_info = BUF_INIT;
	if (sent && add_sent(&bag, &drafts, sent, n_sent, &sent_info, d) != 0)
		rc = -1;
	static const struct { enum audit_format f; const char *file; } formats[] = {
		{ AUDIT_FORMAT_HTML, "data/audit/audit.html" },
		{ AUDIT_FORMAT_JSON, "data/audit/audit.json" },
		{ AUDIT_FORMAT_CSV, "data/audit/audit.csv" },
		{ AUDIT_FORMAT_MD, "data/audit/audit.md" },
		{ AUDIT_FORMAT_TEXT, "data/audit/audit.txt" },
	};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct buf out = BUF_INIT;
		if (formats[i].f != AUDIT_FORMAT_HTML)
			audit_render(au, formats[i].f, false, &out);
		else if (audit_render_html(au, tpl, &out, d) != 0)
			rc = -1;   /* an override of audit-page.html that does not render */
		bag_add(&bag, formats[i].file, buf_str(&out), out.len);
		buf_free(&out);
	}
	struct buf sql = BUF_INIT;
	if (ledger_write_incident(rec, pol, au, &sql, d) != 0)
		rc = -1;
	if (rc == 0)
		bag_add(&bag, "data/incident.sqlite", sql.data, sql.len);
	buf_free(&sql);

	/* The tag files. */
	char *top = xasprintf("%s-audit", rec->id);
	struct buf manifest = BUF_INIT, info = BUF_INIT, tagm = BUF_INIT;
	uint64_t octets = 0;
	for (size_t i = 0; i < bag.n; i++) {
		buf_printf(&manifest, "%s  %s\n", bag.files[i].sha256, bag.files[i].path);
		octets += bag.files[i].len;
	}
	char day[TS_BUFSZ];
	int64_t horizon = audit_record_horizon(rec);
	ts_format_utc(horizon, day);
	day[10] = '\0';
	struct buf summary = BUF_INIT;
	audit_summary_line(au, &summary);
	info_line(&info, "Source-Organization", pol->organization);
	info_line(&info, "External-Identifier", rec->id);
	info_line(&info, "External-Description", rec->title);
	info_line(&info, "Bagging-Date", day);
	buf_printf(&info, "Payload-Oxum: %" PRIu64 ".%zu\n", octets, bag.n);
	/* With the libraries whose versions shape the bag's bytes. */
	struct buf agent = BUF_INIT;
	buf_puts(&agent, "sircomm " SIRCOMM_VERSION " (");
	bundle_library_versions(&agent);
	buf_putc(&agent, ')');
	info_line(&info, "Bag-Software-Agent", buf_str(&agent));
	buf_free(&agent);
	info_line(&info, "Policy-Name", pol->name);
	info_line(&info, "Policy-SHA256", pol->sha256_hex);
	info_line(&info, "Compliance-Summary", buf_str(&summary));
	info_line(&info, "Compliance-Result", audit_failed(au) ? "fail" : "pass");
	buf_puts(&info, buf_str(&sent_info));
	buf_free(&sent_info);
	buf_free(&summary);
	static const char bagit_txt[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	struct bag tags = { NULL, 0 };
	bag_add(&tags, "bagit.txt", bagit_txt, sizeof(bagit_txt) - 1);
	bag_add(&tags, "bag-info.txt", info.data, info.len);
	bag_add(&tags, "manifest-sha256.txt", manifest.data, manifest.len);
	for (size_t i = 0; i < tags.n; i++)
		buf_printf(&tagm, "%s  %s\n", tags.files[i].sha256, tags.files[i].path);
	bag_add(&tags, "tagmanifest-sha256.txt", tagm.data, tagm.len);

	if (rc == 0) {
		size_t n = tags.n + bag.n;
		struct zipw_entry *entries = xcalloc(n, sizeof(*entries));
		char **names = xcalloc(n, sizeof(*names));
		for (size_t i = 0; i < n; i++) {
			const struct bagfile *f = i < tags.n ? &tags.files[i] : &bag.files[i - tags.n];
			names[i] = xasprintf("%s/%s", top, f->path);
			/* The SQLite copy and the .odt are already dense or zipped. */
			bool store = strstr(f->path, ".odt") || strstr(f->path, ".sqlite");
			entries[i] = (struct zipw_entry){ names[i], f->data, f->len, store, 0, NULL };
		}
		rc = zipw_build(entries, n, horizon, zip, "the bundle", d);
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
		free(entries);
	}
	if (rc == 0)
		*name = xasprintf("%s.zip", top);
	free(top);
	buf_free(&manifest);
	buf_free(&info);
	buf_free(&tagm);
	bag_free(&tags);
	bag_free(&bag);
	audit_free(au);
	draft_set_free(&drafts);
	return rc;
}

void bundle_library_versions(struct buf *out)
{
	char xml[16];
	xmlin_libxml2_version(xml);
	buf_printf(out, "libxml2 %s, cmark-gfm %s, utf8proc %s, libzip %s, zlib %s, libdeflate %s, "
		   "SQLite %s, libsodium %s",
		   xml, md_cmark_version(), md_utf8proc_version(), zipw_libzip_version(),
		   zipw_zlib_version(), zipw_libdeflate_version(), ledger_sqlite_version(),
		   minisig_sodium_version());
}
