/*
 * jobs.h - running the batch subcommands' records in parallel.
 *
 * `draft`, `audit`, `bundle` and `ingest` take many records.  Each
 * record's work (load, audit, render) is independent, so it runs on a
 * pool of threads, in windows of a few records per thread; the command
 * then emits each window's results in input order before starting the
 * next.  Output is identical whatever the number of threads, and memory
 * is bounded by the window, not by the number of records.
 *
 *     jobs_at_thread_exit(xmlin_cleanup);          // once, before any pool
 *     jobs_run(first, n, workers, work_one, ctx);  // work_one(i, ctx) for each i
 *
 * The work function must touch only its own record's state and shared
 * read-only data (the policy, the templates).
 */
#ifndef SIRCOMM_JOBS_H
#define SIRCOMM_JOBS_H

#include <stddef.h>

/* The default number of workers: the processors online (at least 1). */
int jobs_default_workers(void);

/* Parses a -j value ("4"); returns 0 or -1 when it is not 1..256. */
int jobs_parse(const char *s, int *workers);

/* Registers fn to run on each pool thread as it ends, to release what
 * the thread kept for itself (libxml2's schemas are compiled once per
 * thread).  Call it once, before the first jobs_run; NULL for nothing.
 * The calling thread is not a pool thread: it releases its own. */
void jobs_at_thread_exit(void (*fn)(void));

/* Calls fn(i, ud) for every i in [first, first + n), on up to `workers`
 * threads (1: in the calling thread), and returns when all are done.
 * Once a stop signal is caught (stop.h), no further call starts: the
 * jobs not run are left as the caller initialised them. */
void jobs_run(size_t first, size_t n, int workers, void (*fn)(size_t i, void *ud), void *ud);

/* The window a command processes before emitting results in order. */
size_t jobs_window(int workers);

#endif
