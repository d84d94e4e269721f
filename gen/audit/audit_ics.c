/* audit_ics.c - an audit's open deadlines as iCalendar events. */
#include "audit/audit_ics.h"

#include <string.h>

#include "base/ts.h"
#include "format/ics.h"

void audit_ics_begin(struct buf *out)
{
	ics_line(out, "BEGIN", "VCALENDAR");
	ics_line(out, "VERSION", "2.0");
	ics_line(out, "PRODID", "-//sircomm//incident communication deadlines//EN");
	ics_line(out, "CALSCALE", "GREGORIAN");
	ics_line(out, "METHOD", "PUBLISH");
}

void audit_ics_end(struct buf *out)
{
	ics_line(out, "END", "VCALENDAR");
}

/* The deadline a finding still has to meet at the horizon, if any. */
static bool open_due(const struct audit_finding *f, int64_t *due)
{
	if (f->rule == POL_RULE_UPDATE_CADENCE) {
		*due = f->detail.next_update;
		return f->detail.has_next_update;
	}
	*due = f->due;
	return f->has_due && !f->has_met &&
	       (f->status == AUDIT_PENDING || (f->status == AUDIT_FAIL && f->reason == AUDIT_R_OVERDUE));
}

static void alarm(struct buf *out, const char *trigger, const char *what)
{
	ics_line(out, "BEGIN", "VALARM");
	ics_line(out, "ACTION", "DISPLAY");
	ics_text(out, "DESCRIPTION", what);
	ics_line(out, "TRIGGER", trigger);
	ics_line(out, "END", "VALARM");
}

size_t audit_ics_events(const struct audit *au, struct buf *out)
{
	const struct record *rec = au->rec;
	const struct legal *lg = &au->pol->legal;
	size_t n = 0;
	struct buf s = BUF_INIT;
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		int64_t due;
		if (!open_due(f, &due))
			continue;
		bool legal = f->rule == POL_RULE_NOTIFY;
		bool overdue = due < au->audited_at;
		const struct legal_stage *st = legal
			? &lg->regimes[f->detail.regime].stages[f->detail.stage] : NULL;
		ics_line(out, "BEGIN", "VEVENT");
		buf_reset(&s);
		buf_printf(&s, "%s/%s/%s@sircomm", rec->id, pol_rule_name(f->rule), f->subject);
		ics_text(out, "UID", buf_str(&s));
		ics_time(out, "DTSTAMP", au->audited_at);
		ics_time(out, "DTSTART", due);
		buf_reset(&s);
		if (overdue)
			buf_puts(&s, "OVERDUE: ");
		if (legal)
			buf_printf(&s, "%s %s (%s), %s", lg->regimes[f->detail.regime].title, st->title,
				   st->citation, rec->id);
		else
			buf_printf(&s, "%s %s, %s", pol_rule_name(f->rule), f->subject, rec->id);
		ics_text(out, "SUMMARY", buf_str(&s));
		buf_reset(&s);
		buf_printf(&s, "%s: %s\n", rec->id, rec->title);
		if (legal)
			buf_printf(&s, "Notify: %s (%s).\nThe cited text: %s.\n", st->audience,
				   st->citation, st->deadline);
		if (f->note)
			buf_printf(&s, "%s %s: %s\n", pol_rule_name(f->rule), f->subject, f->note);
		if (legal)
			buf_puts(&s, "sircomm gives no legal advice: the regimes are the record's "
				     "statement, the deadlines the policy's data.\n");
		buf_printf(&s, "As of the audit at ");
		char t[TS_BUFSZ];
		ts_format_utc(au->audited_at, t);
		buf_puts(&s, t);
		buf_puts(&s, ".");
		ics_text(out, "DESCRIPTION", buf_str(&s));
		ics_line(out, "CATEGORIES", legal ? "sircomm,legal" : "sircomm,plan");
		ics_line(out, "TRANSP", "TRANSPARENT");
		buf_reset(&s);
		buf_printf(&s, "Due: %s %s (%s)", pol_rule_name(f->rule), f->subject, rec->id);
		if (legal)
			alarm(out, "-P1D", buf_str(&s));
		alarm(out, "-PT1H", buf_str(&s));
		ics_line(out, "END", "VEVENT");
		n++;
	}
	buf_free(&s);
	return n;
}
