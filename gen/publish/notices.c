/* notices.c - an incident's public notices, as every publishing format
 * reads them (notices.h). */
#include "publish/notices.h"

#include <stdlib.h>
#include <string.h>

#include "base/ts.h"
#include "model/timeline.h"

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
