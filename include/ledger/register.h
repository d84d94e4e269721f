/*
 * register.h - the exception register: every exception in the ledger,
 * and importing standing exceptions into it.
 *
 * The register lists every exception in the ledger, one row each: the
 * incidents' own (stored at ingest) and the standing ones (imported
 * with register_import, not tied to one incident), sorted by expiry
 * ("never" last), then id, then incident.
 *
 *     struct register_view *r;                     // lg from ledger_open
 *     if (register_read(lg, REGISTER_ACTIVE, now, 0, &r, &d) != 0)
 *             return -1;                           // d says why
 *     struct buf out = BUF_INIT;
 *     register_render(r, REGISTER_FORMAT_TEXT, &out);
 *     register_free(r);
 *     buf_free(&out);
 *
 *     size_t replaced;                             // lg opened read-write
 *     if (register_import(lg, rec->exceptions, rec->n_exceptions, &replaced, &d) != 0)
 *             return -1;                           // nothing imported; d says why
 *
 * Two questions, two columns:
 *  - state: for an incident's exception, the state its audit gave it at
 *    ingest (used, retroactive, unused, expired, not yet approved).  It
 *    is about that incident and stays as recorded whatever `at` says.
 *    For a standing exception, its state at `at`: active, expired or
 *    not yet approved.
 *  - in force: whether the exception is approved and unexpired at `at`
 *    (approved_at <= at, and no expiry or expires > at), for both kinds.
 *    The filters REGISTER_ACTIVE, _EXPIRED and _EXPIRING look at this,
 *    not at the state.
 *
 * The findings an exception excused are the ledger's findings whose
 * exception_id is its id: for an incident's exception, in that incident;
 * for a standing one, in any incident that has no exception of its own
 * by that id (the incident's own is applied first when auditing).
 *
 * Standing exceptions apply when records are audited, that is at the
 * next ingest: importing does not re-audit the incidents already in the
 * ledger.
 */
#ifndef SIRCOMM_REGISTER_H
#define SIRCOMM_REGISTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/util.h"
#include "ledger/ledger.h"
#include "model/record.h"

/* ---- Reading the register -------------------------------------------- */

/* Which exceptions a listing keeps (see "in force" above). */
enum register_filter {
	REGISTER_ALL = 0,
	REGISTER_ACTIVE,     /* in force at `at` */
	REGISTER_EXPIRED,    /* with an expiry at or before `at` */
	REGISTER_EXPIRING,   /* in force at `at` and expiring within `days` of it */
};

/* One finding an exception excused. */
struct register_finding {
	const char *incident, *rule, *subject;
};

/* One row of the register; its strings belong to the register. */
struct register_row {
	const char *id, *rule;
	const char *subject;    /* NULL: the whole rule */
	const char *incident;   /* NULL: a standing exception */
	const char *requested_by, *approved_by, *justification;
	const char *compensating;   /* NULL when the exception names none */
	int64_t approved_at;
	bool has_expires;       /* false: it never expires */
	int64_t expires;
	const char *state;      /* see "state" above */
	bool in_force;          /* at the register's `at` */
	struct register_finding *findings;
	size_t n_findings;
};

/* The register as read at one time through one filter; read-only for
 * callers, freed by register_free. */
struct register_view {
	enum register_filter filter;
	int64_t at;             /* epoch seconds the register is judged at */
	int64_t days;           /* REGISTER_EXPIRING's window, else 0 */
	struct register_row *rows;
	size_t n;
};

/*
 * Reads the exceptions of an open ledger that pass the filter at `at`
 * (epoch seconds; `days` for REGISTER_EXPIRING), sorted, each with the
 * findings it excused.  Returns 0 and a new register in
 * *out (the caller frees it with register_free), or -1 after a
 * diagnostic naming the ledger; *out is NULL unless 0.
 */
int register_read(struct ledger *lg, enum register_filter f, int64_t at, int64_t days,
		  struct register_view **out, struct diag *d);

/* Frees the register.  NULL is a no-op. */
void register_free(struct register_view *r);

/* ---- Rendering it ------------------------------------------------------ */

enum register_format { REGISTER_FORMAT_TEXT = 0, REGISTER_FORMAT_MD, REGISTER_FORMAT_CSV,
		       REGISTER_FORMAT_JSON };

/* "text", "md", "csv", "json" to a format, or -1 if unknown. */
int register_format_parse(const char *s);

/*
 * Appends the register in a format: text (an aligned table for a
 * terminal), md, csv (one row per exception, machine-readable: an empty
 * subject covers the whole rule, an empty incident is a standing
 * exception, an empty expiry is never) or json (with the findings each
 * excused).  The output depends on nothing but the register.
 */
void register_render(const struct register_view *r, enum register_format f, struct buf *out);

/* ---- Standing exceptions ----------------------------------------------- */

/*
 * Imports standing exceptions (no incident) into a ledger opened
 * read-write, in one transaction of its own (BEGIN IMMEDIATE): all of
 * them or, on any error, none.  Each replaces the standing exception
 * with the same id, if any; *replaced counts those.  Returns 0, or -1
 * after a diagnostic naming the ledger (which is then as it was).
 */
int register_import(struct ledger *lg, const struct rec_exception *x, size_t n,
		    size_t *replaced, struct diag *d);

/*
 * Loads every standing exception of the ledger into a record shell (its
 * exceptions array; id "standing"), to audit records with.  Returns 0
 * and the shell in *out (the caller frees it with rec_free), or -1
 * after a diagnostic: the database's error, or a stored rule id sircomm
 * does not know (a hand edit: never read as some other rule).
 */
int register_load_standing(struct ledger *lg, struct record **out, struct diag *d);

#endif
