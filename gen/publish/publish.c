/* publish.c - an incident's public notices, and the files made of them. */
#include "publish/publish.h"

#include <stdlib.h>
#include <string.h>

#include "base/ts.h"
#include "model/timeline.h"
#include "publish/atom.h"
#include "publish/csaf.h"
#include "publish/notice_drafts.h"
#include "publish/statuspage.h"

static const char *const status_names[] = { "investigating", "identified", "monitoring", "resolved" };

const char *publish_status_name(enum publish_status s)
{
	return status_names[s];
}

struct publish_notice *publish_notices(const struct record *rec, size_t *n)
{
	struct publish_notice *v = xcalloc(rec->n_notices + 1, sizeof(*v));
	const struct rec_event *dep = NULL;
	for (size_t i = 0; i < rec->n_events && !dep; i++)
		if (rec->events[i].type == REC_EV_DEPLOYED)
			dep = &rec->events[i];
	int64_t horizon = tl_horizon(rec);
	const char *summary = rec->comm.summary;
	if (!summary || !summary[strspn(summary, " \t\r\n")])
		summary = rec->title;
	enum publish_status first = rec->comm_status >= 0 ? (enum publish_status)rec->comm_status
				    : rec->status == REC_STATUS_RESOLVED ? PUBLISH_RESOLVED
				    : rec->status == REC_STATUS_MITIGATED ? PUBLISH_MONITORING
				    : PUBLISH_INVESTIGATING;
	v[0] = (struct publish_notice){
		1, dep ? dep->at : horizon, dep != NULL, first, summary, NULL,
		rec->comm_has_next_update, rec->comm_next_update,
	};
	for (size_t i = 0; i < rec->n_notices; i++) {
		const struct rec_notice *x = &rec->notices[i];
		if (x->summary)
			summary = x->summary;
		v[i + 1] = (struct publish_notice){
			i + 2, x->has_at ? x->at : horizon, x->has_at, (enum publish_status)x->status,
			summary, x->changes, x->has_next_update, x->next_update,
		};
	}
	*n = rec->n_notices + 1;
	return v;
}

void publish_notice_body(const struct publish_notice *nt, struct buf *out)
{
	buf_puts(out, nt->changes ? nt->changes : nt->summary);
	if (nt->has_next_update) {
		char t[TS_BUFSZ];
		ts_format_utc(nt->next_update, t);
		t[10] = ' ';
		t[16] = '\0';
		buf_printf(out, "\n\nThe next update will follow by %s UTC.", t);
	}
}

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
