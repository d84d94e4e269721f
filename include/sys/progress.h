/*
 * progress.h - how far a long batch has got, on the terminal.
 *
 * One line on standard error, rewritten in place as records are done:
 *
 *     draft: 120/3000 records, 14 s elapsed, ETA 5 min 36 s
 *
 * shown only when standard error is a terminal (never in a pipe or a
 * log file), not in CI (the CI variable set) nor on a terminal that
 * cannot erase a line (TERM=dumb), and only for a batch of more than
 * one record.  Anything
 * else printed meanwhile (a record's errors, the line saying where its
 * drafts went) first clears the line, so that nothing is printed over
 * it; the line is cleared for good at the end.
 *
 *     struct progress p;
 *     progress_begin(&p, "draft", n, true);
 *     for (each record) {
 *             progress_clear(&p);     // before printing anything
 *             ...
 *             progress_step(&p);
 *     }
 *     progress_end(&p);
 */
#ifndef SIRCOMM_PROGRESS_H
#define SIRCOMM_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

struct progress {
	bool on;             /* drawing at all */
	bool shown;          /* the line is on the screen now */
	const char *what;    /* the command's name, borrowed */
	size_t n, done;
	double start;        /* monotonic seconds */
};

/* Starts a batch of n records for the command `what` (borrowed, and
 * printed as is); `wanted` false (-q) keeps it off whatever stderr is. */
void progress_begin(struct progress *p, const char *what, size_t n, bool wanted);

/* Erases the line if it is shown, so that other output starts clean. */
void progress_clear(struct progress *p);

/* One more record done: draws the line with the count, the time elapsed
 * and the time left at the pace so far. */
void progress_step(struct progress *p);

/* Erases the line for good. */
void progress_end(struct progress *p);

#endif
