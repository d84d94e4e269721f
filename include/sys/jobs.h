/*
 * jobs.h - running the batch subcommands' records in parallel.
 *
 * `draft`, `audit`, `bundle` and `ingest` take many records.  Each
 * record's work (load, audit, render) is independent, so it runs on a
 * pool of threads; what the work produced is then emitted (written,
 * printed, committed) by the calling thread alone, in input order.
 * Output is identical whatever the number of threads, and memory is
 * bounded by a window of a few records per thread, not by the number of
 * records.
 *
 *     struct job { struct buf text; struct diag d; };
 *
 *     static void prepare(size_t i, void *slot, void *ud)   // any thread
 *     {
 *             struct job *j = slot;
 *             buf_printf(&j->text, "record %zu of %s\n", i, (const char *)ud);
 *     }
 *
 *     static bool emit(void *slot, void *ud)                // in order
 *     {
 *             struct job *j = slot;
 *             return output_stdout(j->text.data, j->text.len) == 0;
 *     }
 *
 *     static void release(void *slot, void *ud)             // every slot
 *     {
 *             struct job *j = slot;
 *             diag_print(&j->d, stderr);
 *             diag_free(&j->d);
 *             buf_free(&j->text);
 *     }
 *
 *     jobs_at_thread_exit(xmlin_cleanup);                   // once, at start
 *     stop_catch();
 *     struct jobs_batch b = { 0, n, workers, sizeof(struct job),
 *                             prepare, emit, release, "the batch", "draft" };
 *     size_t done = jobs_run_ordered(&b);
 *     if (stop_signal()) {
 *             stop_report("%zu of %zu done", done, n);
 *             stop_exit();
 *     }
 *
 * Prepare functions must touch only their own slot and shared read-only
 * data (the policy, the templates).
 */
#ifndef SIRCOMM_JOBS_H
#define SIRCOMM_JOBS_H

#include <stdbool.h>
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

/*
 * An ordered batch: items first .. first + n - 1, each with a slot of
 * slot_size bytes, zeroed before its prepare.
 *
 *  - prepare(i, slot, ud) runs on a pool thread (jobs_run), a window of
 *    items at a time;
 *  - emit(slot, ud) runs on the calling thread, in input order, and
 *    returns false to stop the batch (a ledger that cannot be written);
 *  - release(slot, ud), on the calling thread, frees the slot: it is
 *    called for every slot of a window, after its emit or, once the
 *    batch stops, instead of it (so a record's own problems are still
 *    said); the slot of an item whose prepare never ran is all zero.
 */
struct jobs_batch {
	size_t first, n;
	int workers;
	size_t slot_size;
	void (*prepare)(size_t i, void *slot, void *ud);
	bool (*emit)(void *slot, void *ud);
	void (*release)(void *slot, void *ud);
	void *ud;
	/* The command's name, to show the batch's progress on a terminal
	 * (progress.h: cleared before each emit and release, drawn after);
	 * NULL for none. */
	const char *progress;
};

/*
 * Runs the batch.  It stops between two items, emitting nothing more,
 * when a stop signal is caught (stop.h), when standard output has
 * failed (output_stdout_error: its reader is gone, nothing more would
 * reach anyone) or when an emit returns false.  Returns the number of
 * items emitted; the caller says how far it got (stop_report) and dies
 * of the signal (stop_exit) once its own outputs are cleaned up.
 */
size_t jobs_run_ordered(const struct jobs_batch *b);

#endif
