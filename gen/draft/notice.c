/* notice.c - regulators' notices and their completeness check. */
#include "draft/notice.h"

#include <string.h>

#include "base/ts.h"

const char *notice_content(const struct record *rec, enum legal_content c, const char **from)
{
	const struct rec_comm *cm = &rec->comm;
	*from = "notice-content";
	if (rec->notice[c])
		return rec->notice[c];
	switch (c) {
	case LEGAL_C_NATURE: *from = "summary"; return cm->summary;
	case LEGAL_C_CONTACT: *from = "links/@contact"; return cm->contact;
	case LEGAL_C_CONSEQUENCES: *from = "customer-impact"; return cm->customer_impact;
	case LEGAL_C_MEASURES:
		if (cm->n_mitigation) {
			*from = "mitigation";
			return cm->mitigation[0];
		}
		*from = "response";
		return cm->response;
	case LEGAL_C_INDIVIDUAL_STEPS: *from = "customer-action"; return cm->customer_action;
	default: return NULL;
	}
}

unsigned notice_missing(const struct record *rec, const struct policy *pol, int r, int s)
{
	const struct legal_stage *st = &pol->legal.regimes[r].stages[s];
	unsigned missing = 0;
	for (int c = 0; c < LEGAL_CONTENT_COUNT; c++) {
		const char *from;
		const char *v = notice_content(rec, (enum legal_content)c, &from);
		bool blank = true;
		for (const char *p = v; p && *p; p++)
			if (!strchr(" \t\r\n", *p))
				blank = false;
		if ((st->requires & (1u << c)) && blank)
			missing |= 1u << c;
	}
	return missing;
}

void notice_describe_missing(unsigned missing, struct buf *out)
{
	const char *sep = "";
	for (int c = 0; c < LEGAL_CONTENT_COUNT; c++) {
		if (!(missing & (1u << c)))
			continue;
		buf_printf(out, "%s%s (<%s>)", sep, legal_content_words((enum legal_content)c),
			   legal_content_name((enum legal_content)c));
		sep = "; ";
	}
}

/* The mitigation steps as a list, when the measures come from them. */
static void measures(const struct record *rec, struct buf *out)
{
	for (size_t i = 0; i < rec->comm.n_mitigation; i++)
		buf_printf(out, "- %s\n", rec->comm.mitigation[i]);
}

void notice_render(const struct record *rec, const struct policy *pol, int r, int s,
		   const struct notice_when *w, struct buf *out)
{
	const struct legal_regime *lr = &pol->legal.regimes[r];
	const struct legal_stage *st = &lr->stages[s];
	char t[TS_BUFSZ];
	buf_printf(out, "# %s: %s\n\n", lr->title, st->title);
	buf_printf(out, "- **Incident:** %s, %s\n", rec->id, rec->title);
	buf_printf(out, "- **To:** %s\n", st->audience);
	buf_printf(out, "- **Under:** %s (%s)\n", st->citation, lr->citation);
	buf_printf(out, "- **Deadline:** %s\n", st->deadline);
	if (w && w->has_due) {
		ts_format_utc(w->due, t);
		buf_printf(out, "- **Due:** %s", t);
		if (w->offset) {
			ts_format_offset(w->due, w->offset, t);
			buf_printf(out, " (%s)", t);
		}
		buf_puts(out, "\n");
	}
	if (w && w->notified) {
		const struct rec_event *n = w->notified;
		ts_format_utc(n->at, t);
		buf_printf(out, "- **Notified:** %s, to %s%s%s\n", t, n->authority,
			   n->reference ? ", reference " : "", n->reference ? n->reference : "");
	}
	for (int c = 0; c < LEGAL_CONTENT_COUNT; c++) {
		if (!(st->requires & (1u << c)))
			continue;
		const char *from;
		const char *v = notice_content(rec, (enum legal_content)c, &from);
		if (!v)
			continue;
		const char *words = legal_content_words((enum legal_content)c);
		buf_printf(out, "\n## %c%s\n\n", words[0] - 'a' + 'A', words + 1);
		if (c == LEGAL_C_MEASURES && strcmp(from, "mitigation") == 0)
			measures(rec, out);
		else
			buf_printf(out, "%s\n", v);
	}
	buf_puts(out, "\n---\n\nDrafted by sircomm from the incident record, for counsel to review "
		      "before it is sent. sircomm gives no legal advice: which regimes apply is the "
		      "record's statement, the deadline and the required content the policy's "
		      "data.\n");
}
