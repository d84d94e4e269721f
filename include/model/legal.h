/*
 * legal.h - regulators' notification deadlines as policy data.
 *
 * The policy's <regulatory> section (docs/regulatory.md) lists regimes
 * (GDPR, NIS2, SEC 8-K, DORA, HIPAA, NYDFS in the built-in policy), each
 * with its stages: who is notified, the citation, and the clocks that
 * set the deadline.  It also holds the holiday calendars that business
 * days and the weekend-and-holiday roll count with.  Which regimes apply
 * to an incident is the record's statement, never this module's guess;
 * sircomm gives no legal advice, and every number here is data an
 * organisation's counsel can correct in its own policy.
 *
 * A clock runs from a trigger event of the record (`aware`, `material`,
 * `classified-major`, `payment`) or from the latest submission of an
 * earlier stage of the same regime, and adds hours, calendar days,
 * calendar months or business days.  A stage with several clocks is due
 * when the first of them runs out ("whichever comes first").  Calendar
 * arithmetic is done in the UTC offset the starting event was written
 * with: sircomm knows no time zone rules, so a clock of days or months
 * that crosses a daylight-saving change keeps the starting offset
 * (docs/regulatory.md, "Limits").
 *
 *     const struct legal_stage *st = &pol->legal.regimes[r].stages[s];
 *     int64_t due = legal_clock_due(&pol->legal, &st->clocks[0], start, offset);
 *     if (st->has_roll)
 *             due = legal_roll(&pol->legal, &st->roll, due, offset);
 *
 * Everything is owned by the policy's arena and valid until pol_free.
 */
#ifndef SIRCOMM_LEGAL_H
#define SIRCOMM_LEGAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "base/diag.h"
#include "base/util.h"

/* The record's events a clock can start from. */
enum legal_trigger {
	LEGAL_AWARE = 0,          /* became aware of the incident (or breach) */
	LEGAL_MATERIAL,           /* determined the incident to be material */
	LEGAL_CLASSIFIED_MAJOR,   /* classified the incident as major */
	LEGAL_PAYMENT,            /* made an extortion payment */
	LEGAL_TRIGGER_COUNT
};

/* "aware", "material", "classified-major", "payment"; parse gives -1
 * for anything else. */
const char *legal_trigger_name(enum legal_trigger t);
int legal_trigger_parse(const char *s);

enum legal_unit {
	LEGAL_HOURS = 0,          /* elapsed hours: 3600 s each, whatever the clock on the wall */
	LEGAL_DAYS,               /* calendar days: the same local time n dates later */
	LEGAL_MONTHS,             /* calendar months: the same date n months later, at the
				     same local time, or the month's last day when it has
				     no such date (31 January + 1 month = 28 or 29 February) */
	LEGAL_BUSINESS_DAYS,      /* the n-th business day after the start's date (a start on
				     a day off counts from the next business day as day 1,
				     which comes to the same), at the end of that day */
	LEGAL_UNDUE_DELAY         /* "without undue delay": no fixed deadline at all */
};

/* What a stage's notice must say (policy stage/@requires), each read from
 * the record's <notice-content> or, failing that, the communication it
 * can come from (docs/regulatory.md, "Notices"). */
enum legal_content {
	LEGAL_C_NATURE = 0, LEGAL_C_DATA_SUBJECTS, LEGAL_C_RECORDS, LEGAL_C_CONTACT,
	LEGAL_C_CONSEQUENCES, LEGAL_C_MEASURES, LEGAL_C_SUSPECTED_MALICIOUS,
	LEGAL_C_CROSS_BORDER, LEGAL_C_ASSESSMENT, LEGAL_C_INDICATORS, LEGAL_C_ROOT_CAUSE,
	LEGAL_C_MATERIAL_IMPACT, LEGAL_C_INDIVIDUAL_STEPS, LEGAL_C_PAYMENT_JUSTIFICATION,
	LEGAL_CONTENT_COUNT
};

/* The element name ("personal-data-records"), -1 from parse when
 * unknown, and what it is in words ("the categories and approximate
 * number of personal data records concerned"). */
const char *legal_content_name(enum legal_content c);
int legal_content_parse(const char *s);
const char *legal_content_words(enum legal_content c);

/* A holiday calendar: the days that are not working days. */
struct legal_calendar {
	const char *id, *title;
	unsigned weekend;         /* bit d set: weekday d is off (0 = Monday ... 6 = Sunday) */
	int64_t *holidays;        /* days since 1970-01-01, ascending, no duplicates */
	const char **holiday_names;
	size_t n_holidays;
	int64_t first, last;      /* the first and last day the holidays cover */
	long line;
};

struct legal_clock {
	int trigger;              /* enum legal_trigger, or -1 when `after` a stage */
	int after;                /* index of a stage of the same regime, or -1 */
	enum legal_unit unit;
	int n;                    /* how many units (0 for LEGAL_UNDUE_DELAY) */
	int calendar;             /* index into calendars (business days), or -1 */
	int day_end;              /* minutes after local midnight the day ends at,
				     or -1: the same time of day (hours, days,
				     months) or 23:59:59 (business days) */
	long line;
};

/* Where a deadline falling on a day off moves: to `at` (minutes after
 * local midnight) on the calendar's next working day. */
struct legal_roll {
	int calendar;
	int at;
	long line;
};

struct legal_stage {
	const char *id, *title;
	const char *audience;     /* who is notified: "supervisory authority", ... */
	const char *citation;     /* "GDPR Art. 33(1)" */
	const char *deadline;     /* the cited text's words for the deadline */
	struct legal_clock *clocks;
	size_t n_clocks;          /* >= 1; more than one: whichever comes first */
	bool has_roll;
	struct legal_roll roll;
	unsigned requires;        /* bit (1 << enum legal_content): what the notice must say */
	long line;
};

struct legal_regime {
	const char *id, *title, *citation;
	struct legal_stage *stages;
	size_t n_stages;
	long line;
};

struct legal {
	struct legal_calendar *calendars;
	size_t n_calendars;
	struct legal_regime *regimes;
	size_t n_regimes;
	long line;                /* of <regulatory>, 0 when the policy has none */
};

/*
 * Reads a policy's <regulatory> element (NULL: none, and no regimes)
 * into `out`, allocating in `a`.  Checks what the schema cannot: unique
 * ids, known calendars and stages, a clock's `after` naming an earlier
 * stage, holiday dates, times of day.  Returns 0, or -1 after adding
 * errors with `path` and the line to d.
 */
int legal_build(const xmlNode *regulatory, const char *path, struct arena *a,
		struct diag *d, struct legal *out);

/* Index of the regime, of a stage of regime r, or of a calendar; -1 when
 * there is none. */
int legal_regime_index(const struct legal *lg, const char *id);
int legal_stage_index(const struct legal_regime *r, const char *id);
int legal_calendar_index(const struct legal *lg, const char *id);

/* True when the day (days since 1970-01-01) is a working day of the
 * calendar: not a weekend day, not a holiday. */
bool legal_working_day(const struct legal_calendar *cal, int64_t day);

/*
 * The deadline of one clock that started at `start` (UTC epoch seconds),
 * written at `offset` minutes east of UTC: the start plus the clock's
 * units, with dates counted on the wall clock of that offset.  Not for
 * LEGAL_UNDUE_DELAY (returns `start`).
 */
int64_t legal_clock_due(const struct legal *lg, const struct legal_clock *c,
			int64_t start, int offset);

/* `due` moved by the roll when its local date (at `offset`) is not a
 * working day of the roll's calendar; `due` itself otherwise. */
int64_t legal_roll(const struct legal *lg, const struct legal_roll *r, int64_t due, int offset);

/* Where each clock of a stage starts: known false when its trigger or
 * earlier stage is not in the record (yet). */
struct legal_start {
	bool known;
	int64_t at;
	int offset;               /* minutes east of UTC, as written */
};

/*
 * The stage's deadline from its clocks' starts (starts[i] for
 * st->clocks[i]): the earliest deadline among the clocks whose start is
 * known ("whichever comes first"; a clock not started yet can only make
 * it earlier), moved by the stage's roll.  Returns the index of the
 * clock that decided, or -1 (no deadline: no fixed clock has started).
 */
int legal_stage_due(const struct legal *lg, const struct legal_stage *st,
		    const struct legal_start *starts, int64_t *due);

/* True when the stage has a fixed deadline (some clock that is not
 * "without undue delay"). */
bool legal_stage_has_deadline(const struct legal_stage *st);

/* Appends a clock in words: "72 h from aware", "1 month after
 * notification", "4 business days (us-federal) from material, the day
 * ending 17:30". */
void legal_clock_describe(const struct legal_regime *r, const struct legal_clock *c,
			  struct buf *out);

#endif
