/* jobs.c - a small thread pool, and the ordered batch runner over it. */
#include "sys/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "sys/output.h"
#include "sys/progress.h"
#include "sys/stop.h"

int jobs_default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

int jobs_parse(const char *s, int *workers)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < 1 || v > 256)
		return -1;
	*workers = (int)v;
	return 0;
}

/* Set once before any pool thread starts; read by them only. */
static void (*thread_exit_hook)(void);

void jobs_at_thread_exit(void (*fn)(void))
{
	thread_exit_hook = fn;
}

struct pool {
	atomic_size_t next;
	size_t end;
	void (*fn)(size_t i, void *ud);
	void *ud;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	size_t i;
	while ((i = atomic_fetch_add(&p->next, 1)) < p->end && !stop_signal())
		p->fn(i, p->ud);
	if (thread_exit_hook)
		thread_exit_hook();
	return NULL;
}

void jobs_run(size_t first, size_t n, int workers, void (*fn)(size_t i, void *ud), void *ud)
{
	if (workers <= 1 || n <= 1) {
		for (size_t i = first; i < first + n && !stop_signal(); i++)
			fn(i, ud);
		return;
	}
	struct pool p = { first, first + n, fn, ud };
	size_t nt = (size_t)workers < n ? (size_t)workers : n;
	pthread_t *t = xcalloc(nt, sizeof(*t));
	size_t started = 0;
	for (; started < nt; started++)
		if (pthread_create(&t[started], NULL, worker, &p) != 0)
			break;
	/* If a thread could not start, this one helps (and still finishes). */
	size_t i;
	while ((i = atomic_fetch_add(&p.next, 1)) < p.end && !stop_signal())
		fn(i, ud);
	for (size_t k = 0; k < started; k++)
		pthread_join(t[k], NULL);
	free(t);
}

/* The items prepared before the calling thread emits them: a few per
 * thread keeps every thread busy while memory stays bounded. */
static size_t window_size(int workers)
{
	return (size_t)(workers < 1 ? 1 : workers) * 8;
}

/* Whether the batch must stop before its next item. */
static bool stopping(void)
{
	return stop_signal() != 0 || output_stdout_error() != 0;
}

struct ordered {
	const struct jobs_batch *b;
	char *slots;
	size_t first;   /* the window's first item */
};

static void prepare_one(size_t i, void *ud)
{
	struct ordered *o = ud;
	o->b->prepare(i, o->slots + (i - o->first) * o->b->slot_size, o->b->ud);
}

size_t jobs_run_ordered(const struct jobs_batch *b)
{
	size_t end = b->first + b->n, emitted = 0, window = window_size(b->workers);
	if (window > b->n)
		window = b->n ? b->n : 1;
	struct ordered o = { b, xcalloc(window, b->slot_size), b->first };
	struct progress pr;
	progress_begin(&pr, b->progress, b->n, b->progress != NULL);
	bool go = true;
	for (; go && o.first < end && !stopping(); o.first += window) {
		size_t count = end - o.first < window ? end - o.first : window;
		memset(o.slots, 0, count * b->slot_size);
		jobs_run(o.first, count, b->workers, prepare_one, &o);
		/* In input order, whatever order the threads finished in. */
		for (size_t k = 0; k < count; k++) {
			void *slot = o.slots + k * b->slot_size;
			go = go && !stopping();
			progress_clear(&pr);
			if (go) {
				go = b->emit(slot, b->ud);
				emitted++;
			}
			b->release(slot, b->ud);
			if (go)
				progress_step(&pr);
		}
	}
	progress_end(&pr);
	free(o.slots);
	return emitted;
}
