/*
 * stop.h - stopping a batch command cleanly on Ctrl-C.
 *
 * `draft`, `audit`, `bundle` and `ingest` may run over thousands of
 * records.  Interrupted (SIGINT, SIGTERM or SIGHUP), they finish the file
 * or transaction in hand (drafting drops the record in hand at its next
 * draft: draft.h), write nothing more, remove their temporary
 * files, say how far they got, and then die of the same signal, so the
 * shell or script that started them sees an interrupted process.  A
 * second signal stops them at once, as if nothing were caught.
 *
 *     stop_catch();
 *     for (...) { if (stop_signal()) break; ... }
 *     if (stop_signal()) { clean up; stop_exit(); }
 */
#ifndef SIRCOMM_STOP_H
#define SIRCOMM_STOP_H

/* Catches SIGINT, SIGTERM and SIGHUP, once each; one ignored when
 * sircomm started (a background job's SIGINT) stays ignored. */
void stop_catch(void);

/* The signal caught so far, or 0. */
int stop_signal(void);

/* Prints "sircomm: interrupted (SIGINT): WHAT" to standard error. */
void stop_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Dies of the signal caught (or returns at once if none was). */
void stop_exit(void);

#endif
