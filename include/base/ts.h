/*
 * ts.h - timestamps and durations.
 *
 * sircomm works in UTC epoch seconds (int64_t) and keeps the offset a
 * time was written with, for showing it back the way the record said it.
 *
 *     int64_t t; int off;
 *     const char *why;
 *     if (ts_parse("2026-03-04T10:12:00+01:00", &t, &off, &why) != 0)
 *             report(why);
 *     char s[TS_BUFSZ];
 *     ts_format_utc(t, s);          // "2026-03-04T09:12:00Z"
 */
#ifndef SIRCOMM_TS_H
#define SIRCOMM_TS_H

#include <stdint.h>

#define TS_BUFSZ 40

/* Earliest and latest times sircomm accepts: years 1970 to 9999. */
#define TS_MIN ((int64_t)0)
#define TS_MAX ((int64_t)253402300799) /* 9999-12-31T23:59:59Z */

/*
 * Parses an RFC 3339 date-time with a mandatory offset ("Z", "+hh:mm" or
 * "-hh:mm", offsets up to 23:59).  Fractional seconds are accepted and
 * dropped; a leap second (:60) counts as the next minute's first second.
 * Returns 0, or -1 with *why set to a static explanation.
 */
int ts_parse(const char *s, int64_t *epoch, int *offset_min, const char **why);

/* Parses an offset "+hh:mm", "-hh:mm" or "Z" into minutes east of UTC. */
int ts_parse_offset(const char *s, int *offset_min);

/* The longest duration sircomm accepts: 365 days (P365D).  A policy's
 * deadlines are added to a record's times, and the sum must stay a time
 * sircomm can compute and write. */
#define TS_DURATION_MAX ((int64_t)365 * 86400)

/*
 * Parses an ISO 8601 duration of the subset P[nD][T[nH][nM][nS]] (no
 * years, months or weeks; at least one component; "PT0S" is zero), of
 * at most TS_DURATION_MAX.  Returns 0, or -1 with *why set.
 */
int ts_parse_duration(const char *s, int64_t *secs, const char **why);

/* Writes "YYYY-MM-DDThh:mm:ssZ". */
void ts_format_utc(int64_t t, char out[TS_BUFSZ]);
/* Writes the time as seen at an offset: "YYYY-MM-DDThh:mm:ss+hh:mm"
 * ("Z" for offset 0). */
void ts_format_offset(int64_t t, int offset_min, char out[TS_BUFSZ]);
/* Writes an ISO 8601 duration: "PT6H", "PT1H30M", "P1DT2H", "PT0S". */
void ts_format_duration(int64_t secs, char out[TS_BUFSZ]);
/* Writes a duration for people: "6 h", "4 h 12 min", "30 min", "45 s",
 * "2 d 3 h"; negative durations get a leading "-". */
void ts_format_human(int64_t secs, char out[TS_BUFSZ]);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The date of a day since 1970-01-01, and the days in a month (1-12). */
void ts_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);
unsigned ts_days_in_month(int64_t y, unsigned m);

#endif
