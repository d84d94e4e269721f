/* Unit tests for jobs.c: the ordered batch runner's contract (input
 * order, every prepared item released once, stopping, bounded memory)
 * and its overlap of preparing with emitting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "sys/jobs.h"
#include "sys/stop.h"

/* ---- A batch that records what the runner did ----------------------- */

struct slot {
	size_t item;      /* which item was prepared here (+1; 0: none) */
	bool bad;         /* a record that could not be read */
	bool emitted;
};

struct trace {
	size_t first, n;
	atomic_size_t prepared;      /* prepares finished */
	atomic_size_t in_flight;     /* prepares started, not yet released */
	atomic_size_t max_in_flight;
	atomic_int *prepare_count;   /* per item */
	atomic_bool dirty_slot;      /* a prepare was given a slot not zeroed */
	/* The calling thread's view, in the order it saw them. */
	size_t *emits, n_emits;
	size_t *releases, n_releases;
	size_t good;                 /* emits of good items */
	size_t stop_after;           /* emit returns false at this item (+1; 0: never) */
	size_t raise_at;             /* raises SIGTERM in this item's emit (+1; 0: never) */
	size_t wait_at;              /* this item's emit waits for the pool (+1; 0: never) */
	size_t wait_for;             /* until this many prepares have finished */
	bool waited;                 /* and they did, within the time allowed */
	bool emit_after_release;     /* an emit came for a slot already released */
};

static void nap_us(long us)
{
	struct timespec t = { 0, us * 1000 };
	nanosleep(&t, NULL);
}

static void prepare(size_t i, void *slot_, void *ud)
{
	struct trace *t = ud;
	struct slot *s = slot_;
	/* A slot comes zeroed, whichever item had it before.  (No cmocka
	 * assertion here: this runs on a pool thread.) */
	if (s->item != 0 || s->emitted)
		atomic_store(&t->dirty_slot, true);
	size_t now = atomic_fetch_add(&t->in_flight, 1) + 1;
	size_t max = atomic_load(&t->max_in_flight);
	while (now > max && !atomic_compare_exchange_weak(&t->max_in_flight, &max, now))
		;
	atomic_fetch_add(&t->prepare_count[i - t->first], 1);
	/* Items finish out of order: some take longer than the next ones. */
	nap_us((long)((i * 7) % 5) * 150);
	s->item = i + 1;
	s->bad = i % 13 == 5;
	atomic_fetch_add(&t->prepared, 1);
}

static bool emit(void *slot_, void *ud)
{
	struct trace *t = ud;
	struct slot *s = slot_;
	assert_int_not_equal(s->item, 0);
	size_t i = s->item - 1;
	if (s->emitted)
		t->emit_after_release = true;
	s->emitted = true;
	t->emits[t->n_emits++] = i;
	if (!s->bad)
		t->good++;
	if (t->wait_at == i + 1) {
		/* The pool must go on preparing while this emit takes its time. */
		for (int k = 0; k < 500 && atomic_load(&t->prepared) < t->wait_for; k++)
			nap_us(10000);
		t->waited = atomic_load(&t->prepared) >= t->wait_for;
	}
	if (t->raise_at == i + 1)
		raise(SIGTERM);
	return t->stop_after != i + 1;
}

static void release(void *slot_, void *ud)
{
	struct trace *t = ud;
	struct slot *s = slot_;
	assert_int_not_equal(s->item, 0);
	t->releases[t->n_releases++] = s->item - 1;
	atomic_fetch_sub(&t->in_flight, 1);
}

static struct trace *trace_new(size_t first, size_t n)
{
	struct trace *t = calloc(1, sizeof(*t));
	t->first = first;
	t->n = n;
	t->prepare_count = calloc(n, sizeof(*t->prepare_count));
	t->emits = calloc(n, sizeof(size_t));
	t->releases = calloc(n, sizeof(size_t));
	return t;
}

static void trace_free(struct trace *t)
{
	free(t->prepare_count);
	free(t->emits);
	free(t->releases);
	free(t);
}

static size_t run(struct trace *t, int workers)
{
	struct jobs_batch b = { t->first, t->n, workers, sizeof(struct slot),
				prepare, emit, release, t, NULL };
	return jobs_run_ordered(&b);
}

/* Every item prepared was released once, in input order, and the items
 * released are first .. first + count - 1 with none missing. */
static void assert_released_in_order(const struct trace *t, size_t count)
{
	assert_int_equal(t->n_releases, count);
	for (size_t k = 0; k < count; k++) {
		assert_int_equal(t->releases[k], t->first + k);
		assert_int_equal(t->prepare_count[k], 1);
	}
	for (size_t k = count; k < t->n; k++)
		assert_int_equal(t->prepare_count[k], 0);
	assert_int_equal(atomic_load(&t->prepared), count);
	assert_int_equal(atomic_load(&t->in_flight), 0);
	assert_false(t->emit_after_release);
	assert_false(atomic_load(&t->dirty_slot));
}

/* ---- Order and skipped records ------------------------------------- */

static void whole_batch(int workers)
{
	struct trace *t = trace_new(3, 500);
	size_t emitted = run(t, workers);
	assert_int_equal(emitted, 500);
	assert_int_equal(t->n_emits, 500);
	for (size_t k = 0; k < 500; k++)
		assert_int_equal(t->emits[k], 3 + k);
	assert_released_in_order(t, 500);
	/* The bad items are emitted in their place; their neighbours too. */
	size_t bad = 0;
	for (size_t i = 3; i < 503; i++)
		bad += i % 13 == 5;
	assert_int_equal(t->good, 500 - bad);
	/* Memory: never more items held than the ring's 8 a worker (and
	 * with one worker, one at a time). */
	assert_true(atomic_load(&t->max_in_flight) <= (workers <= 1 ? 1u : 8u * (size_t)workers));
	trace_free(t);
}

static void test_order_one_worker(void **state)
{
	(void)state;
	whole_batch(1);
}

static void test_order_two_workers(void **state)
{
	(void)state;
	whole_batch(2);
}

static void test_order_more_workers_than_items(void **state)
{
	(void)state;
	whole_batch(7);
	struct trace *t = trace_new(0, 3);
	assert_int_equal(run(t, 16), 3);
	assert_int_equal(t->emits[0], 0);
	assert_int_equal(t->emits[2], 2);
	assert_released_in_order(t, 3);
	trace_free(t);
}

static void test_empty_batch(void **state)
{
	(void)state;
	struct trace *t = trace_new(0, 0);
	assert_int_equal(run(t, 2), 0);
	assert_int_equal(t->n_emits, 0);
	assert_int_equal(t->n_releases, 0);
	trace_free(t);
}

/* ---- Overlap -------------------------------------------------------- */

/* While item 15 is being emitted (the last of what 2 workers may hold
 * at first: 16 slots), the 15 slots already emitted are free again, and
 * the pool fills them: preparing does not wait for the emits. */
static void test_workers_prepare_while_emitting(void **state)
{
	(void)state;
	struct trace *t = trace_new(0, 200);
	t->wait_at = 15 + 1;
	t->wait_for = 16 + 12;
	assert_int_equal(run(t, 2), 200);
	assert_true(t->waited);
	assert_released_in_order(t, 200);
	assert_true(atomic_load(&t->max_in_flight) <= 16);
	trace_free(t);
}

/* ---- Stopping ------------------------------------------------------- */

/* An emit that returns false (a ledger that cannot be written) stops
 * the batch there: nothing emitted after it, every item prepared
 * released, no more than the ring's worth prepared beyond it. */
static void stop_on_false(int workers)
{
	struct trace *t = trace_new(10, 400);
	t->stop_after = 10 + 100 + 1;
	size_t emitted = run(t, workers);
	assert_int_equal(emitted, 101);
	assert_int_equal(t->n_emits, 101);
	assert_int_equal(t->emits[100], 110);
	size_t prepared = atomic_load(&t->prepared);
	assert_true(prepared >= 101);
	assert_true(prepared <= 101 + (workers <= 1 ? 0u : 8u * (size_t)workers));
	assert_released_in_order(t, prepared);
	trace_free(t);
}

static void test_emit_false_stops_one_worker(void **state)
{
	(void)state;
	stop_on_false(1);
}

static void test_emit_false_stops_two_workers(void **state)
{
	(void)state;
	stop_on_false(2);
}

/* Each pool thread runs the exit hook once, at the end of the batch,
 * not once per handful of items. */
static atomic_int hook_runs;
static void count_hook(void)
{
	atomic_fetch_add(&hook_runs, 1);
}

static void test_thread_exit_hook_once_per_thread(void **state)
{
	(void)state;
	atomic_store(&hook_runs, 0);
	jobs_at_thread_exit(count_hook);
	struct trace *t = trace_new(0, 300);
	assert_int_equal(run(t, 3), 300);
	jobs_at_thread_exit(NULL);
	assert_int_equal(atomic_load(&hook_runs), 3);
	trace_free(t);
}

/* A stop signal (Ctrl-C) caught during an emit: that item was emitted
 * whole, nothing after it is, and every item prepared is released.  A
 * caught signal stays caught, so this test comes last. */
static void test_stop_signal(void **state)
{
	(void)state;
	stop_catch();
	struct trace *t = trace_new(0, 400);
	t->raise_at = 57 + 1;
	size_t emitted = run(t, 2);
	assert_int_equal(stop_signal(), SIGTERM);
	assert_int_equal(emitted, 58);
	assert_int_equal(t->n_emits, 58);
	assert_int_equal(t->emits[57], 57);
	size_t prepared = atomic_load(&t->prepared);
	assert_true(prepared >= 58 && prepared <= 58 + 16);
	assert_released_in_order(t, prepared);
	trace_free(t);
	/* And a batch started after the signal prepares nothing. */
	t = trace_new(0, 50);
	assert_int_equal(run(t, 2), 0);
	assert_int_equal(t->n_releases, 0);
	assert_int_equal(atomic_load(&t->prepared), 0);
	trace_free(t);
	t = trace_new(0, 50);
	assert_int_equal(run(t, 1), 0);
	assert_int_equal(atomic_load(&t->prepared), 0);
	trace_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_one_worker),
		cmocka_unit_test(test_order_two_workers),
		cmocka_unit_test(test_order_more_workers_than_items),
		cmocka_unit_test(test_empty_batch),
		cmocka_unit_test(test_workers_prepare_while_emitting),
		cmocka_unit_test(test_emit_false_stops_one_worker),
		cmocka_unit_test(test_emit_false_stops_two_workers),
		cmocka_unit_test(test_thread_exit_hook_once_per_thread),
		cmocka_unit_test(test_stop_signal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
