/*
 * jobs.h - running the batch subcommands' records in parallel.
 *
 * `draft`, `audit`, `bundle` and `ingest` take many records.  Each
 * record's work (load, audit, render) is independent, so it runs on a
 * pool of threads; what the work produced is then emitted (written,
 * printed, committed) by the calling thread alone, in input order.  The
 * two overlap: the pool goes on preparing the next records while the
 * calling thread emits one.  Output is identical whatever the number of
 * threads, and memory is bounded by a few records per thread, not by
 * the number of records.
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
 * data (the policy, the templates): they run while emit and release run
 * for earlier items, so what emit changes (counts, the output, the
 * ledger) is not theirs to read.
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
 *  - prepare(i, slot, ud) runs on a pool thread, up to 8 items per
 *    worker ahead of the item being emitted, in any order (with
 *    workers 1, on the calling thread, just before the item's emit);
 *  - emit(slot, ud) runs on the calling thread, in input order, and
 *    returns false to stop the batch (a ledger that cannot be written);
 *  - release(slot, ud), on the calling thread, in input order, frees
 *    the slot: it is called once for every item prepared, after its
 *    emit or, once the batch stops, instead of it (so a record's own
 *    problems are still said).  An item whose prepare never started
 *    gets neither emit nor release.
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
 * reach anyone) or when an emit returns false: once it has seen that,
 * no prepare starts, and the items already prepared or being prepared
 * are waited for and released.  Returns the number of items emitted (an emit that returned
 * false counts); the caller says how far it got (stop_report) and dies
 * of the signal (stop_exit) once its own outputs are cleaned up.
 */
size_t jobs_run_ordered(const struct jobs_batch *b);

#endif
