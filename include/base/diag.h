/*
 * diag.h - diagnostics: the one way sircomm reports problems.
 *
 * Every problem with an input is kept as an item with its file and line,
 * and printed once, the way a compiler prints them:
 *
 *     sircomm: samples/x.xml:12: error: time '2026-03-04T09:12:00' has no UTC offset
 *
 * Messages start lowercase and have no full stop.  Modules add items to a
 * struct diag the caller owns; the command layer prints them and turns
 * the error count into an exit status.
 *
 *     struct diag d = DIAG_INIT;
 *     if (rec_load(path, pol, &d, &rec) != 0) ...
 *     diag_print(&d, stderr);
 *     diag_free(&d);
 */
#ifndef SIRCOMM_DIAG_H
#define SIRCOMM_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "base/util.h"

/* Exit statuses of the sircomm program. */
enum sc_exit {
	SC_EXIT_OK = 0,      /* success; nothing failed */
	SC_EXIT_FAIL = 1,    /* the run worked and found failures (audit, verify) */
	SC_EXIT_INPUT = 2,   /* bad input or usage: nothing was written */
	SC_EXIT_IO = 3,      /* the environment failed: cannot write output */
};

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag_item {
	enum diag_level level;
	char *file;     /* NULL when the problem has no file */
	long line;      /* 0 when the problem has no line */
	char *msg;
};

struct diag {
	struct diag_item *items;
	size_t n, cap;
	size_t errors, warnings;
};

#define DIAG_INIT { NULL, 0, 0, 0, 0 }

/* Adds a problem; file may be NULL, line may be 0.  Identical items (same
 * level, file, line and message) in a row are kept once. */
void diag_add(struct diag *d, enum diag_level level, const char *file,
	      long line, const char *fmt, ...) SC_PRINTF(5, 6);
void diag_vadd(struct diag *d, enum diag_level level, const char *file,
	       long line, const char *fmt, va_list ap);

#define diag_error(d, file, line, ...) diag_add(d, DIAG_ERROR, file, line, __VA_ARGS__)
#define diag_warning(d, file, line, ...) diag_add(d, DIAG_WARNING, file, line, __VA_ARGS__)

/* Prints every item, "sircomm: FILE:LINE: LEVEL: MSG", in the order added,
 * one line each, the file and message escaped for a terminal (esc_term:
 * "\x1b" for an escape character) so no hostile name or value can drive
 * it.  Every line sircomm writes to standard error about the run goes
 * through here or the functions below. */
void diag_print(const struct diag *d, FILE *out);
/* Frees the items; d is DIAG_INIT again.  NULL is a no-op. */
void diag_free(struct diag *d);

/* Prints "sircomm: error: MSG" at once, for problems with no input file
 * (usage, I/O on outputs); the message is escaped like diag_print's. */
void errorf(const char *fmt, ...) SC_PRINTF(1, 2);
void warnf(const char *fmt, ...) SC_PRINTF(1, 2);
/* Prints "sircomm: MSG", escaped: how far a run got ("3 of 3 records
 * valid"), the run's result, even when quiet. */
void infof(const char *fmt, ...) SC_PRINTF(1, 2);
/* Prints "sircomm: MSG", escaped, only when verbose (-v): what a run set
 * up and where it came from ("policy: acme (/etc/...)"). */
void verbosef(const char *fmt, ...) SC_PRINTF(1, 2);

/* How much the run says beyond its results and problems: -1 quiet (-q:
 * no progress, no line per output saying where it went), 0 the default,
 * 1 verbose (-v).  Set once by
 * the command line, before any thread starts. */
void diag_set_verbosity(int level);
int diag_verbosity(void);
/* Prints "sircomm: " PREFIX MSG, the message escaped and PREFIX as it is
 * (sircomm's own words), for other modules' one-line reports. */
void diag_vsay(const char *prefix, const char *fmt, va_list ap);

#endif
