/* stop.c - stopping a batch command cleanly on Ctrl-C. */
#define _GNU_SOURCE  /* sigabbrev_np */
#include "sys/stop.h"

#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"

/* Read by every worker thread: a lock-free atomic, which a signal
 * handler may also write. */
static atomic_int caught;

static void on_signal(int sig)
{
	atomic_store(&caught, sig);
}

/* A signal ignored when sircomm started stays ignored: a shell starts
 * background jobs with SIGINT ignored, and Ctrl-C is not for them. */
static void catch_signal(int sig, const struct sigaction *sa)
{
	struct sigaction old;
	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
		return;
	sigaction(sig, sa, NULL);
}

void stop_catch(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* Writes in progress go on (SA_RESTART); the handler is reset when
	 * it runs, so a second Ctrl-C kills at once. */
	sa.sa_flags = SA_RESTART | SA_RESETHAND;
	catch_signal(SIGINT, &sa);
	catch_signal(SIGTERM, &sa);
	catch_signal(SIGHUP, &sa);
}

int stop_signal(void)
{
	return atomic_load(&caught);
}

void stop_report(const char *fmt, ...)
{
	const char *name = sigabbrev_np(stop_signal());
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "interrupted (SIG%s): ", name ? name : "?");
	va_list ap;
	va_start(ap, fmt);
	diag_vsay(prefix, fmt, ap);
	va_end(ap);
}

void stop_exit(void)
{
	int sig = stop_signal();
	if (!sig)
		return;
	fflush(NULL);
	signal(sig, SIG_DFL);
	raise(sig);
}
