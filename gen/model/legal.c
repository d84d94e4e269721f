/* legal.c - regulators' notification deadlines: the policy's
 * <regulatory> section and the calendar arithmetic of its clocks. */
#include "model/legal.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/ts.h"
#include "model/xmlin.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const trigger_names[] = { "aware", "material", "classified-major", "payment" };

static const char *const content_names[] = {
	"nature", "data-subjects", "personal-data-records", "contact", "consequences", "measures",
	"suspected-malicious", "cross-border", "assessment", "indicators", "root-cause",
	"material-impact", "individual-steps", "payment-justification",
};
static const char *const content_words[] = {
	"the nature of the incident",
	"the categories and approximate number of data subjects concerned",
	"the categories and approximate number of personal data records concerned",
	"the name and contact details of the data protection officer or other contact point",
	"the likely consequences",
	"the measures taken or proposed to address the incident, including to mitigate its "
	"possible adverse effects",
	"whether the incident is suspected of being caused by unlawful or malicious acts",
	"whether the incident could have a cross-border impact",
	"an assessment of the incident, including its severity and impact",
	"indicators of compromise",
	"the type of threat or root cause that likely triggered the incident",
	"the material impact or reasonably likely material impact on the registrant, including "
	"its financial condition and results of operations",
	"the steps individuals should take to protect themselves",
	"the reasons the payment was necessary, the alternatives considered and the sanctions "
	"diligence done",
};

const char *legal_content_name(enum legal_content c) { return content_names[c]; }
int legal_content_parse(const char *s) { return name_index(content_names, COUNT(content_names), s); }
const char *legal_content_words(enum legal_content c) { return content_words[c]; }

const char *legal_trigger_name(enum legal_trigger t) { return trigger_names[t]; }
int legal_trigger_parse(const char *s) { return name_index(trigger_names, COUNT(trigger_names), s); }

/* ---- Reading <regulatory> --------------------------------------------- */

struct lb {
	const char *path;
	struct arena *a;
	struct diag *d;
	struct legal *lg;
	int rc;
};

static void err(struct lb *b, const xmlNode *n, const char *fmt, ...) SC_PRINTF(3, 4);
static void err(struct lb *b, const xmlNode *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(b->d, DIAG_ERROR, b->path, xmlin_line(n), fmt, ap);
	va_end(ap);
	b->rc = -1;
}

static const char *attr(struct lb *b, const xmlNode *n, const char *name)
{
	return xmlin_attr_in(n, name, b->a);
}

static const char *token(struct lb *b, const xmlNode *n, const char *name)
{
	return xmlin_token_in(n, name, b->a);
}

/* "hh:mm" as minutes after midnight, or -1. */
static int time_of_day(const char *s)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0');
	int m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 && m < 60 ? h * 60 + m : -1;
}

/* "YYYY-MM-DD" as days since 1970-01-01, or false. */
static bool date_days(const char *s, int64_t *out)
{
	unsigned y, m, d;
	char tail;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3)
		return false;
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 || d > ts_days_in_month(y, m))
		return false;
	*out = ts_days_from_civil(y, m, d);
	return true;
}

/* A positive count no larger than max, or 0 after an error. */
static int count(struct lb *b, const xmlNode *n, const char *name, int max)
{
	const char *v = token(b, n, name);
	long long k = 0;
	const char *p = v + (*v == '+');
	for (const char *q = p; *q && k <= max; q++) {
		if (*q < '0' || *q > '9') {
			k = -1;
			break;
		}
		k = k * 10 + (*q - '0');
	}
	if (!*p || k < 1 || k > max) {
		diag_error(b->d, b->path, xmlin_line(n), "%s '%s' is not a whole number from 1 to %d",
			   name, v, max);
		b->rc = -1;
		return 0;
	}
	return (int)k;
}

static void build_calendar(struct lb *b, const xmlNode *n, struct legal_calendar *cal)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };
	cal->id = attr(b, n, "id");
	cal->title = attr(b, n, "title");
	cal->line = xmlin_line(n);
	const char *we = token(b, n, "weekend");
	cal->weekend = we ? 0 : (1u << 5) | (1u << 6);
	for (const char *p = we; p && *p;) {
		size_t len = strcspn(p, " ");
		char day[4] = "";
		if (len == 3)
			memcpy(day, p, 3);
		int i = name_index(days, COUNT(days), day);
		if (i < 0)
			err(b, n, "weekend day '%s' is not one of mon tue wed thu fri sat sun",
			    arena_strndup(b->a, p, len));
		else
			cal->weekend |= 1u << i;
		p += len + (p[len] == ' ');
	}
	/* Counting business days must end: a week needs a working day. */
	if (cal->weekend == 0x7f)
		err(b, n, "calendar '%s' has no working day in the week", cal->id ? cal->id : "");
	size_t n_h = xmlin_count(n, "holiday");
	cal->holidays = arena_alloc(b->a, n_h * sizeof(*cal->holidays) + 1);
	cal->holiday_names = arena_alloc(b->a, n_h * sizeof(*cal->holiday_names) + 1);
	cal->first = INT64_MAX;
	cal->last = INT64_MIN;
	for (const xmlNode *h = n->children; h; h = h->next) {
		if (!xmlin_is(h, "holiday"))
			continue;
		const char *v = token(b, h, "date");
		int64_t day;
		if (!date_days(v, &day)) {
			err(b, h, "holiday date '%s' is not a date YYYY-MM-DD", v);
			continue;
		}
		if (cal->n_holidays && day <= cal->holidays[cal->n_holidays - 1]) {
			err(b, h, "holiday %s is not after the one before it: list a calendar's "
				  "holidays once each, in date order", v);
			continue;
		}
		cal->holidays[cal->n_holidays] = day;
		cal->holiday_names[cal->n_holidays++] = attr(b, h, "name");
	}
	/* The years the holidays are listed for: business days counted
	 * outside them are counted without holidays, and the audit says so. */
	if (cal->n_holidays) {
		int64_t y0, y1;
		unsigned m, d;
		ts_civil_from_days(cal->holidays[0], &y0, &m, &d);
		ts_civil_from_days(cal->holidays[cal->n_holidays - 1], &y1, &m, &d);
		cal->first = ts_days_from_civil(y0, 1, 1);
		cal->last = ts_days_from_civil(y1, 12, 31);
	}
}

static void build_clock(struct lb *b, const xmlNode *n, const struct legal_regime *r,
			size_t stage, struct legal_clock *c)
{
	c->line = xmlin_line(n);
	c->trigger = c->after = c->calendar = c->day_end = -1;
	const char *from = token(b, n, "from");
	const char *after = token(b, n, "after");
	if (from) {
		c->trigger = legal_trigger_parse(from);
		if (c->trigger < 0)
			err(b, n, "clock from '%s' is not aware, material, classified-major or payment", from);
	} else if (after) {
		int s = legal_stage_index(r, after);
		if (s < 0 || (size_t)s >= stage)
			err(b, n, "clock after '%s' names no earlier stage of the regime", after);
		c->after = s;
	} else {
		err(b, n, "a clock needs from (a trigger) or after (an earlier stage)");
	}
	if (xmlin_attr_in(n, "hours", b->a)) {
		c->unit = LEGAL_HOURS;
		c->n = count(b, n, "hours", 8784);
	} else if (xmlin_attr_in(n, "days", b->a)) {
		c->unit = LEGAL_DAYS;
		c->n = count(b, n, "days", 366);
	} else if (xmlin_attr_in(n, "months", b->a)) {
		c->unit = LEGAL_MONTHS;
		c->n = count(b, n, "months", 12);
	} else if (xmlin_attr_in(n, "business-days", b->a)) {
		c->unit = LEGAL_BUSINESS_DAYS;
		c->n = count(b, n, "business-days", 260);
	} else {
		c->unit = LEGAL_UNDUE_DELAY;
	}
	const char *cal = token(b, n, "calendar");
	if (cal) {
		c->calendar = legal_calendar_index(b->lg, cal);
		if (c->calendar < 0)
			err(b, n, "calendar '%s' is not defined in <regulatory>", cal);
	} else if (c->unit == LEGAL_BUSINESS_DAYS) {
		err(b, n, "business days need a calendar");
	}
	const char *end = token(b, n, "day-ends");
	if (end) {
		c->day_end = time_of_day(end);
		if (c->day_end < 0)
			err(b, n, "day-ends '%s' is not a time of day hh:mm", end);
		if (c->unit == LEGAL_HOURS || c->unit == LEGAL_UNDUE_DELAY)
			err(b, n, "day-ends '%s' applies only to days, months and business days", end);
	}
}

static void build_stage(struct lb *b, const xmlNode *n, struct legal_regime *r, size_t i)
{
	struct legal_stage *st = &r->stages[i];
	st->id = attr(b, n, "id");
	st->title = attr(b, n, "title");
	st->audience = attr(b, n, "audience");
	st->citation = attr(b, n, "citation");
	st->deadline = attr(b, n, "deadline");
	st->line = xmlin_line(n);
	st->clocks = arena_alloc(b->a, xmlin_count(n, "clock") * sizeof(*st->clocks) + 1);
	for (const xmlNode *c = n->children; c; c = c->next)
		if (xmlin_is(c, "clock"))
			build_clock(b, c, r, i, &st->clocks[st->n_clocks++]);
	const char *req = token(b, n, "requires");
	for (const char *p = req; p && *p;) {
		size_t len = strcspn(p, " ");
		char *key = arena_strndup(b->a, p, len);
		int c = legal_content_parse(key);
		if (c < 0)
			err(b, n, "requires '%s': no such notice content (see docs/regulatory.md)", key);
		else
			st->requires |= 1u << c;
		p += len + (p[len] == ' ');
	}
	const xmlNode *roll = xmlin_child(n, "roll");
	if (roll) {
		st->has_roll = true;
		st->roll.line = xmlin_line(roll);
		const char *cal = token(b, roll, "calendar");
		st->roll.calendar = legal_calendar_index(b->lg, cal);
		if (st->roll.calendar < 0)
			err(b, roll, "calendar '%s' is not defined in <regulatory>", cal);
		const char *at = token(b, roll, "to-next-working-day-at");
		st->roll.at = time_of_day(at);
		if (st->roll.at < 0)
			err(b, roll, "to-next-working-day-at '%s' is not a time of day hh:mm", at);
	}
}

int legal_build(const xmlNode *regulatory, const char *path, struct arena *a,
		struct diag *d, struct legal *out)
{
	memset(out, 0, sizeof(*out));
	if (!regulatory)
		return 0;
	struct lb b = { path, a, d, out, 0 };
	out->line = xmlin_line(regulatory);
	out->calendars = arena_alloc(a, xmlin_count(regulatory, "calendar") * sizeof(*out->calendars) + 1);
	out->regimes = arena_alloc(a, xmlin_count(regulatory, "regime") * sizeof(*out->regimes) + 1);
	for (const xmlNode *n = regulatory->children; n; n = n->next) {
		if (!xmlin_is(n, "calendar"))
			continue;
		if (legal_calendar_index(out, xmlin_attr_in(n, "id", a)) >= 0)
			err(&b, n, "calendar '%s' is defined twice", xmlin_attr_in(n, "id", a));
		build_calendar(&b, n, &out->calendars[out->n_calendars++]);
	}
	for (const xmlNode *n = regulatory->children; n; n = n->next) {
		if (!xmlin_is(n, "regime"))
			continue;
		const char *id = attr(&b, n, "id");
		if (legal_regime_index(out, id) >= 0)
			err(&b, n, "regime '%s' is defined twice", id);
		struct legal_regime *r = &out->regimes[out->n_regimes++];
		r->id = id;
		r->title = attr(&b, n, "title");
		r->citation = attr(&b, n, "citation");
		r->line = xmlin_line(n);
		r->stages = arena_alloc(a, xmlin_count(n, "stage") * sizeof(*r->stages) + 1);
		for (const xmlNode *s = n->children; s; s = s->next) {
			if (!xmlin_is(s, "stage"))
				continue;
			const char *sid = xmlin_attr_in(s, "id", a);
			if (legal_stage_index(r, sid) >= 0)
				err(&b, s, "stage '%s' is defined twice in the regime", sid);
			build_stage(&b, s, r, r->n_stages);
			r->n_stages++;
		}
	}
	return b.rc;
}

/* ---- Queries ---------------------------------------------------------- */

int legal_regime_index(const struct legal *lg, const char *id)
{
	for (size_t i = 0; id && i < lg->n_regimes; i++)
		if (strcmp(lg->regimes[i].id, id) == 0)
			return (int)i;
	return -1;
}

int legal_stage_index(const struct legal_regime *r, const char *id)
{
	for (size_t i = 0; id && i < r->n_stages; i++)
		if (r->stages[i].id && strcmp(r->stages[i].id, id) == 0)
			return (int)i;
	return -1;
}

int legal_calendar_index(const struct legal *lg, const char *id)
{
	for (size_t i = 0; id && i < lg->n_calendars; i++)
		if (lg->calendars[i].id && strcmp(lg->calendars[i].id, id) == 0)
			return (int)i;
	return -1;
}

bool legal_stage_has_deadline(const struct legal_stage *st)
{
	for (size_t i = 0; i < st->n_clocks; i++)
		if (st->clocks[i].unit != LEGAL_UNDUE_DELAY)
			return true;
	return false;
}

/* ---- Arithmetic ------------------------------------------------------- */

/* The weekday of a day since 1970-01-01 (a Thursday): 0 = Monday. */
static unsigned weekday(int64_t day)
{
	int64_t w = (day + 3) % 7;
	return (unsigned)(w < 0 ? w + 7 : w);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

bool legal_working_day(const struct legal_calendar *cal, int64_t day)
{
	if (cal->weekend & (1u << weekday(day)))
		return false;
	size_t lo = 0, hi = cal->n_holidays;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return !(lo < cal->n_holidays && cal->holidays[lo] == day);
}

int64_t legal_clock_due(const struct legal *lg, const struct legal_clock *c,
			int64_t start, int offset)
{
	const int64_t local = start + (int64_t)offset * 60;
	int64_t day = floor_div(local, 86400);
	int64_t secs = local - day * 86400;     /* the time of day */
	switch (c->unit) {
	case LEGAL_UNDUE_DELAY:
		return start;
	case LEGAL_HOURS:
		return start + (int64_t)c->n * 3600;
	case LEGAL_DAYS:
		day += c->n;
		break;
	case LEGAL_MONTHS: {
		int64_t y;
		unsigned m, d;
		ts_civil_from_days(day, &y, &m, &d);
		int64_t months = y * 12 + (m - 1) + c->n;
		y = months / 12;
		m = (unsigned)(months % 12) + 1;
		unsigned last = ts_days_in_month(y, m);
		day = ts_days_from_civil(y, m, d > last ? last : d);
		break;
	}
	case LEGAL_BUSINESS_DAYS: {
		const struct legal_calendar *cal = &lg->calendars[c->calendar];
		for (int k = 0; k < c->n;)
			if (legal_working_day(cal, ++day))
				k++;
		secs = 86399;
		break;
	}
	}
	if (c->day_end >= 0)
		secs = (int64_t)c->day_end * 60;
	return day * 86400 + secs - (int64_t)offset * 60;
}

int64_t legal_roll(const struct legal *lg, const struct legal_roll *r, int64_t due, int offset)
{
	const struct legal_calendar *cal = &lg->calendars[r->calendar];
	int64_t day = floor_div(due + (int64_t)offset * 60, 86400);
	if (legal_working_day(cal, day))
		return due;
	while (!legal_working_day(cal, ++day))
		;
	return day * 86400 + (int64_t)r->at * 60 - (int64_t)offset * 60;
}

int legal_stage_due(const struct legal *lg, const struct legal_stage *st,
		    const struct legal_start *starts, int64_t *due)
{
	int best = -1;
	int64_t t = 0;
	for (size_t i = 0; i < st->n_clocks; i++) {
		if (st->clocks[i].unit == LEGAL_UNDUE_DELAY || !starts[i].known)
			continue;
		int64_t ti = legal_clock_due(lg, &st->clocks[i], starts[i].at, starts[i].offset);
		if (best < 0 || ti < t) {
			best = (int)i;
			t = ti;
		}
	}
	if (best >= 0 && st->has_roll)
		t = legal_roll(lg, &st->roll, t, starts[best].offset);
	*due = t;
	return best;
}

/* ---- Words ------------------------------------------------------------ */

void legal_clock_describe(const struct legal_regime *r, const struct legal_clock *c,
			  struct buf *out)
{
	switch (c->unit) {
	case LEGAL_UNDUE_DELAY:
		buf_puts(out, "without undue delay");
		break;
	case LEGAL_HOURS:
		buf_printf(out, "%d h", c->n);
		break;
	case LEGAL_DAYS:
		buf_printf(out, "%d calendar day%s", c->n, c->n == 1 ? "" : "s");
		break;
	case LEGAL_MONTHS:
		buf_printf(out, "%d month%s", c->n, c->n == 1 ? "" : "s");
		break;
	case LEGAL_BUSINESS_DAYS:
		buf_printf(out, "%d business day%s", c->n, c->n == 1 ? "" : "s");
		break;
	}
	if (c->trigger >= 0)
		buf_printf(out, " from %s", trigger_names[c->trigger]);
	else if (c->after >= 0)
		buf_printf(out, " after the latest %s/%s", r->id, r->stages[c->after].id);
	if (c->day_end >= 0)
		buf_printf(out, ", the day ending %02d:%02d", c->day_end / 60, c->day_end % 60);
}
