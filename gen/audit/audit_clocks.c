/* audit_clocks.c - the regulators' clocks still running in an audit. */
#include "audit/audit_clocks.h"

#include <inttypes.h>
#include <stdlib.h>

#include "base/esc.h"
#include "base/ts.h"

#define RED "\033[1;31m"
#define YELLOW "\033[33m"
#define RESET "\033[0m"

/* Due within this many seconds: soon (yellow on a terminal).  A
 * regulator's deadline needs counsel and a filing, not a chat message. */
#define SOON (4 * 3600)

static const char *const kind_names[] = { "due", "overdue", "without-undue-delay", "not-started" };

static bool open_clock(const struct audit *au, const struct audit_finding *f, struct audit_clock *c)
{
	const struct legal *lg = &au->pol->legal;
	if (f->rule != POL_RULE_NOTIFY || f->detail.act || f->status == AUDIT_NA)
		return false;
	*c = (struct audit_clock){ f, &lg->regimes[f->detail.regime],
		&lg->regimes[f->detail.regime].stages[f->detail.stage], AUDIT_CLOCK_DUE,
		f->has_due, f->due, 0, false, 0 };
	const struct rec_event *from = f->detail.clock_start;
	if (from) {
		c->offset = from->offset;
		c->has_since = true;
		c->since = from->at;
	}
	switch (f->reason) {
	case AUDIT_R_DUE: c->kind = AUDIT_CLOCK_DUE; return true;
	case AUDIT_R_OVERDUE: c->kind = f->due < au->audited_at ? AUDIT_CLOCK_OVERDUE : AUDIT_CLOCK_DUE;
		return true;
	case AUDIT_R_UNDUE_DELAY: c->kind = AUDIT_CLOCK_UNDUE_DELAY; return true;
	case AUDIT_R_CLOCK_NOT_STARTED: c->kind = AUDIT_CLOCK_NOT_STARTED; return true;
	default: return false;
	}
}

static int by_kind_due(const void *x, const void *y)
{
	const struct audit_clock *a = x, *b = y;
	int ka = a->kind <= AUDIT_CLOCK_OVERDUE ? 0 : (int)a->kind;
	int kb = b->kind <= AUDIT_CLOCK_OVERDUE ? 0 : (int)b->kind;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (ka == 0 && a->due != b->due)
		return a->due < b->due ? -1 : 1;
	return a->finding < b->finding ? -1 : a->finding > b->finding;
}

size_t audit_clocks(const struct audit *au, struct audit_clock **out)
{
	*out = NULL;
	size_t n = 0;
	for (size_t i = 0; i < au->n_findings; i++) {
		struct audit_clock c;
		if (!open_clock(au, &au->findings[i], &c))
			continue;
		*out = xrealloc(*out, (n + 1) * sizeof(**out));
		(*out)[n++] = c;
	}
	if (n > 1)
		qsort(*out, n, sizeof(**out), by_kind_due);
	return n;
}

/* "2026-07-08T17:30:00-04:00 (2026-07-08T21:30:00Z)". */
static void local_and_utc(int64_t t, int offset, struct buf *out)
{
	char local[TS_BUFSZ], utc[TS_BUFSZ];
	ts_format_offset(t, offset, local);
	ts_format_utc(t, utc);
	if (offset)
		buf_printf(out, "%s (%s)", local, utc);
	else
		buf_puts(out, utc);
}

static void human(int64_t secs, struct buf *out)
{
	char h[TS_BUFSZ];
	ts_format_human(secs, h);
	buf_puts(out, h);
}

void audit_clocks_text(const struct audit *au, bool colour, struct buf *out)
{
	if (!au->rec->n_regimes)
		return;
	struct audit_clock *c;
	size_t n = audit_clocks(au, &c);
	buf_puts(out, "\nLegal clocks (the record's regulatory statement; not legal advice)\n");
	if (!n)
		buf_puts(out, "  Nothing open: every stated stage is notified or not owed.\n");
	for (size_t i = 0; i < n; i++) {
		const struct audit_clock *k = &c[i];
		const char *col = k->kind == AUDIT_CLOCK_OVERDUE ? RED
				  : k->kind == AUDIT_CLOCK_DUE && k->due - au->audited_at <= SOON ? YELLOW
				  : NULL;
		buf_puts(out, "  ");
		if (colour && col)
			buf_puts(out, col);
		buf_printf(out, "%s %s (%s, %s): ", k->regime->title, k->stage->title,
			   k->stage->citation, k->finding->subject);
		switch (k->kind) {
		case AUDIT_CLOCK_DUE:
		case AUDIT_CLOCK_OVERDUE:
			buf_puts(out, k->kind == AUDIT_CLOCK_OVERDUE ? "OVERDUE since " : "due ");
			local_and_utc(k->due, k->offset, out);
			buf_puts(out, ", ");
			human(k->due >= au->audited_at ? k->due - au->audited_at : au->audited_at - k->due,
			      out);
			buf_puts(out, k->due >= au->audited_at ? " left" : " ago");
			break;
		case AUDIT_CLOCK_UNDUE_DELAY:
			buf_puts(out, "without undue delay (no fixed deadline): ");
			human(au->audited_at - k->since, out);
			buf_puts(out, " since the clock started at ");
			local_and_utc(k->since, k->offset, out);
			break;
		case AUDIT_CLOCK_NOT_STARTED:
			buf_printf(out, "not started: counts from %s",
				   k->finding->detail.anchor == REC_EV_NOTIFIED
				   ? "an earlier stage's notification"
				   : rec_event_type_name(k->finding->detail.anchor));
			break;
		}
		if (colour && col)
			buf_puts(out, RESET);
		buf_putc(out, '\n');
	}
	free(c);
}

void audit_clocks_json(const struct audit *au, struct buf *out)
{
	struct audit_clock *c;
	size_t n = audit_clocks(au, &c);
	buf_puts(out, "[");
	for (size_t i = 0; i < n; i++) {
		const struct audit_clock *k = &c[i];
		buf_puts(out, i ? ",\n    {" : "\n    {");
		buf_puts(out, "\"subject\": ");
		esc_json(out, k->finding->subject);
		buf_puts(out, ", \"regime\": ");
		esc_json(out, k->regime->title);
		buf_puts(out, ", \"stage\": ");
		esc_json(out, k->stage->title);
		buf_puts(out, ", \"citation\": ");
		esc_json(out, k->stage->citation);
		buf_printf(out, ", \"state\": \"%s\", \"due\": ", kind_names[k->kind]);
		bool has_due = k->kind <= AUDIT_CLOCK_OVERDUE;
		esc_json_time(out, has_due, k->due);
		buf_puts(out, ", \"due_local\": ");
		if (has_due) {
			char local[TS_BUFSZ];
			ts_format_offset(k->due, k->offset, local);
			esc_json(out, local);
		} else {
			buf_puts(out, "null");
		}
		if (has_due)
			buf_printf(out, ", \"seconds_left\": %" PRId64, k->due - au->audited_at);
		else
			buf_puts(out, ", \"seconds_left\": null");
		buf_puts(out, ", \"since\": ");
		esc_json_time(out, k->has_since, k->since);
		buf_puts(out, "}");
	}
	buf_puts(out, n ? "\n  ]" : "]");
	free(c);
}
