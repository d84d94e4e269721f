/* publish.c - an incident's public notices, and the files made of them. */
#include "publish/publish.h"

#include <stdlib.h>
#include <string.h>

#include "publish/atom.h"
#include "publish/csaf.h"
#include "publish/statuspage.h"

static const char *const status_names[] = { "investigating", "identified", "monitoring", "resolved" };

const char *publish_status_name(enum publish_status s)
{
	return status_names[s];
}

int64_t publish_horizon(const struct record *rec)
{
	int64_t h = rec->n_events ? rec->events[rec->n_events - 1].at : 0;
	for (size_t i = 0; i < rec->n_exceptions; i++)
		if (rec->exceptions[i].approved_at > h)
			h = rec->exceptions[i].approved_at;
	for (int f = 0; f < POL_FACT_COUNT; f++)
		if (rec->facts[f].present && rec->facts[f].has_at && rec->facts[f].at > h)
			h = rec->facts[f].at;
	return h;
}

struct publish_notice *publish_notices(const struct record *rec, size_t *n)
{
	struct publish_notice *v = xcalloc(1, sizeof(*v));
	const struct rec_event *dep = NULL;
	for (size_t i = 0; i < rec->n_events && !dep; i++)
		if (rec->events[i].type == REC_EV_DEPLOYED)
			dep = &rec->events[i];
	const char *summary = rec->comm.summary;
	v[0] = (struct publish_notice){
		1, dep ? dep->at : publish_horizon(rec), dep != NULL,
		rec->status == REC_STATUS_RESOLVED ? PUBLISH_RESOLVED
		: rec->status == REC_STATUS_MITIGATED ? PUBLISH_MONITORING : PUBLISH_INVESTIGATING,
		summary && summary[strspn(summary, " \t\r\n")] ? summary : rec->title,
	};
	*n = 1;
	return v;
}

/* Appends a file to the set. */
static void add(struct draft_set *set, const char *name, struct buf *b)
{
	set->files = xrealloc(set->files, (set->n + 1) * sizeof(*set->files));
	size_t len = b->len;
	set->files[set->n++] = (struct draft_file){ xstrdup(name), buf_detach(b), len };
}

int publish_run(const struct record *rec, const struct policy *pol, struct draft_set *set,
		struct diag *d)
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
	for (int i = 0; i < 3; i++) {
		if (rc == 0)
			add(set, names[i], &out[i]);
		buf_free(&out[i]);
	}
	free(notices);
	return rc;
}
