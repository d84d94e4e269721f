/* bundle.c - building the audit bundle: a BagIt bag in a reproducible zip. */
#include "bundle/bundle.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "audit/audit_report.h"
#include "config.h"
#include "draft/draft.h"
#include "ledger/ledger.h"
#include "base/ts.h"
#include "format/zipw.h"

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

char *bundle_trusted_comment(const struct record *rec, const char *zip_name)
{
	return xasprintf("timestamp:%" PRId64 "\tfile:%s\thashed", audit_record_horizon(rec), zip_name);
}

int bundle_build(const struct record *rec, const struct policy *pol,
		 const struct tmpl_set *tpl, struct buf *zip, char **name,
		 struct diag *d)
{
	*name = NULL;
	struct draft_set drafts = DRAFT_SET_INIT;
	/* A bundle is evidence of the whole set: a draft that failed its
	 * checks (draft_run returns 1) fails the bundle. */
	if (draft_run(rec, pol, tpl, DRAFT_ALL, &drafts, d) != 0) {
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
	for (size_t i = 0; i < drafts.n; i++) {
		p = xasprintf("data/drafts/%s", drafts.files[i].name);
		bag_add(&bag, p, drafts.files[i].data, drafts.files[i].len);
		free(p);
	}
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
	info_line(&info, "Bag-Software-Agent", "sircomm " SIRCOMM_VERSION);
	info_line(&info, "Policy-Name", pol->name);
	info_line(&info, "Policy-SHA256", pol->sha256_hex);
	info_line(&info, "Compliance-Summary", buf_str(&summary));
	info_line(&info, "Compliance-Result", audit_failed(au) ? "fail" : "pass");
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
			entries[i] = (struct zipw_entry){ names[i], f->data, f->len, store, 0 };
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
