/* publish.c - the files made of an incident's public notices. */
#include "publish/publish.h"

#include <stdlib.h>
#include <string.h>

#include "publish/atom.h"
#include "publish/csaf.h"
#include "publish/notice_drafts.h"
#include "publish/statuspage.h"

/* Appends a file to the set. */
static void add(struct draft_set *set, const char *name, struct buf *b)
{
	set->files = xrealloc(set->files, (set->n + 1) * sizeof(*set->files));
	size_t len = b->len;
	set->files[set->n++] = (struct draft_file){ xstrdup(name), buf_detach(b), len };
}

int publish_run(const struct record *rec, const struct policy *pol, const struct tmpl_set *tpl,
		struct draft_set *set, struct diag *d)
{
	size_t n;
	struct publish_notice *notices = publish_notices(rec, &n);
	struct buf out[3] = { BUF_INIT, BUF_INIT, BUF_INIT };
	static const char *const names[3] = { "csaf.json", "status.json", "feed.atom" };
	csaf_write(rec, pol, notices, n, &out[0]);
	statuspage_write(rec, notices, n, &out[1]);
	atom_write(rec, pol, notices, n, &out[2]);
	int rc = 0;
	for (int i = 0; i < 3; i++)
		if (out[i].overflow)
			rc = -1;
	if (rc != 0)
		diag_error(d, rec->path, 0, "the publishing formats are too large");
	struct draft_set notes = DRAFT_SET_INIT;
	if (rc == 0 && notice_drafts_run(rec, pol, tpl, notices, n, &notes, d) != 0)
		rc = -1;
	for (int i = 0; i < 3; i++) {
		if (rc == 0)
			add(set, names[i], &out[i]);
		buf_free(&out[i]);
	}
	if (rc == 0) {
		set->files = xrealloc(set->files, (set->n + notes.n + 1) * sizeof(*set->files));
		if (notes.n)
			memcpy(set->files + set->n, notes.files, notes.n * sizeof(*notes.files));
		set->n += notes.n;
		free(notes.files);
	} else {
		draft_set_free(&notes);
	}
	free(notices);
	return rc;
}
