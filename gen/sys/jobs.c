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

/* The items prepared ahead of the one the calling thread emits: a few
 * per thread keeps every thread busy while memory stays bounded. */
static size_t ring_size(int workers)
{
	return (size_t)(workers < 1 ? 1 : workers) * 8;
}

/* Whether the batch must stop before its next item. */
static bool stopping(void)
{
	return stop_signal() != 0 || output_stdout_error() != 0;
}

/*
 * The ordered batch as a ring of slots shared by the pool threads, which
 * prepare items, and the calling thread, which emits them.  Item i lives
 * in slot i % cap.  A pool thread claims the next item as long as it is
 * less than cap items ahead of the one to emit, so the threads go on
 * preparing while the calling thread writes, and wait only when the
 * ring is full (until half of it is free).  Everything below `mu` is
 * read and written under it.
 */
struct ring {
	const struct jobs_batch *b;
	char *slots;
	bool *ready;            /* per slot: its item is prepared */
	size_t cap;
	pthread_mutex_t mu;
	pthread_cond_t prepared;  /* an item is ready, or a thread ended */
	pthread_cond_t room;      /* an item was emitted, or the batch halts */
	size_t claim;   /* the next item to prepare */
	size_t emit;    /* the next item to emit */
	size_t end;
	size_t live;    /* pool threads still running */
	size_t waiting; /* pool threads waiting for room */
	bool halt;      /* the batch stops: claim nothing more */
};

static void *slot_of(struct ring *r, size_t i)
{
	return r->slots + (i % r->cap) * r->b->slot_size;
}

/* Claims the next item, waiting for room in the ring; false once there
 * is nothing more to prepare.  Called with mu held. */
static bool ring_claim(struct ring *r, size_t *i)
{
	if (r->claim - r->emit >= r->cap) {
		/* Full: wait until half of it is free again, so that a thread
		 * woken has a run of items to prepare, not one per emit (the
		 * half still full keeps the calling thread busy meanwhile). */
		r->waiting++;
		while (!r->halt && r->claim < r->end && !stop_signal() &&
		       r->claim - r->emit > r->cap / 2)
			pthread_cond_wait(&r->room, &r->mu);
		r->waiting--;
	}
	if (r->halt || r->claim >= r->end || stop_signal())
		return false;
	*i = r->claim++;
	return true;
}

/* Prepares item i (claimed) with mu released, and marks it ready. */
static void ring_prepare(struct ring *r, size_t i)
{
	pthread_mutex_unlock(&r->mu);
	r->b->prepare(i, slot_of(r, i), r->b->ud);
	pthread_mutex_lock(&r->mu);
	r->ready[i % r->cap] = true;
	if (i == r->emit)
		pthread_cond_signal(&r->prepared);
}

static void *ring_worker(void *arg)
{
	struct ring *r = arg;
	size_t i;
	pthread_mutex_lock(&r->mu);
	while (ring_claim(r, &i))
		ring_prepare(r, i);
	r->live--;
	/* The calling thread may be waiting for an item nobody will claim. */
	pthread_cond_signal(&r->prepared);
	pthread_mutex_unlock(&r->mu);
	if (thread_exit_hook)
		thread_exit_hook();
	return NULL;
}

/* Waits until the next item to emit is prepared; false when it never
 * will be (the batch stopped before it was claimed).  With no pool
 * thread running (-j 1, or none could start), the calling thread
 * prepares it itself.  Called with mu held. */
static bool ring_next(struct ring *r)
{
	size_t k = r->emit % r->cap;
	while (!r->ready[k]) {
		if (r->emit == r->claim) {
			/* Not claimed yet: once stopping, it never will be. */
			if (r->halt || stopping()) {
				r->halt = true;
				return false;
			}
			if (r->live == 0) {
				size_t i;
				if (!ring_claim(r, &i))
					return false;
				ring_prepare(r, i);
				continue;
			}
		}
		pthread_cond_wait(&r->prepared, &r->mu);
	}
	return true;
}

size_t jobs_run_ordered(const struct jobs_batch *b)
{
	int workers = b->workers < 1 ? 1 : b->workers;
	struct ring r = { .b = b, .claim = b->first, .emit = b->first, .end = b->first + b->n };
	r.cap = ring_size(workers);
	if (r.cap > b->n)
		r.cap = b->n ? b->n : 1;
	r.slots = xcalloc(r.cap, b->slot_size);
	r.ready = xcalloc(r.cap, sizeof(*r.ready));
	pthread_mutex_init(&r.mu, NULL);
	pthread_cond_init(&r.prepared, NULL);
	pthread_cond_init(&r.room, NULL);

	/* -j 1 prepares in the calling thread, between two emits. */
	size_t nt = workers <= 1 || b->n <= 1 ? 0 : (size_t)workers < b->n ? (size_t)workers : b->n;
	pthread_t *t = nt ? xcalloc(nt, sizeof(*t)) : NULL;
	size_t started = 0;
	pthread_mutex_lock(&r.mu);
	for (; started < nt; started++) {
		if (pthread_create(&t[started], NULL, ring_worker, &r) != 0)
			break;
		r.live++;
	}

	struct progress pr;
	progress_begin(&pr, b->progress, b->n, b->progress != NULL);
	size_t emitted = 0;
	bool go = true;
	/* In input order, whatever order the threads finished in.  Once the
	 * batch stops, the items already claimed are still waited for and
	 * released, so that each record's own problems are said. */
	while (r.emit < r.end && ring_next(&r)) {
		void *slot = slot_of(&r, r.emit);
		pthread_mutex_unlock(&r.mu);
		go = go && !stopping();
		progress_clear(&pr);
		if (go) {
			go = b->emit(slot, b->ud);
			emitted++;
		}
		b->release(slot, b->ud);
		if (go)
			progress_step(&pr);
		memset(slot, 0, b->slot_size);
		pthread_mutex_lock(&r.mu);
		r.ready[r.emit % r.cap] = false;
		r.emit++;
		if (!go)
			r.halt = true;
		if (r.waiting && (r.halt || r.claim - r.emit <= r.cap / 2))
			pthread_cond_broadcast(&r.room);
	}
	r.halt = true;
	pthread_cond_broadcast(&r.room);
	pthread_mutex_unlock(&r.mu);
	for (size_t k = 0; k < started; k++)
		pthread_join(t[k], NULL);
	progress_end(&pr);
	free(t);
	pthread_cond_destroy(&r.room);
	pthread_cond_destroy(&r.prepared);
	pthread_mutex_destroy(&r.mu);
	free(r.ready);
	free(r.slots);
	return emitted;
}
