/* progress.c - a batch's progress on one rewritten line of the terminal. */
#include "sys/progress.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/ts.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Whether standard error is a terminal a person watches: not a pipe or
 * a file, not a CI job's log that happens to be a terminal (CI set, as
 * GitHub, GitLab and most others set it), not one that cannot erase a
 * line (TERM=dumb). */
static bool watched(void)
{
	const char *ci = getenv("CI"), *term = getenv("TERM");
	return isatty(STDERR_FILENO) && !(ci && *ci) && !(term && strcmp(term, "dumb") == 0);
}

void progress_begin(struct progress *p, const char *what, size_t n, bool wanted)
{
	*p = (struct progress){
		.on = wanted && n > 1 && watched(),
		.what = what,
		.n = n,
		.start = now(),
	};
}

void progress_clear(struct progress *p)
{
	if (!p->shown)
		return;
	/* Back to the start of the line, and erase to its end. */
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->shown = false;
}

void progress_step(struct progress *p)
{
	p->done++;
	if (!p->on)
		return;
	double elapsed = now() - p->start;
	char took[TS_BUFSZ], left[TS_BUFSZ];
	ts_format_human((int64_t)elapsed, took);
	/* The pace so far, once there is one to go by. */
	double eta = p->done ? elapsed / (double)p->done * (double)(p->n - p->done) : 0;
	ts_format_human((int64_t)(eta + 0.5), left);
	/* Over the line shown, or on the line progress_clear left empty. */
	fprintf(stderr, "%s%s: %zu/%zu records, %s elapsed, ETA %s", p->shown ? "\r\033[K" : "",
		p->what, p->done, p->n, took, left);
	fflush(stderr);
	p->shown = true;
}

void progress_end(struct progress *p)
{
	progress_clear(p);
	p->on = false;
}
