/* cmd_ingest.c - `sircomm ingest`: audited incidents into the ledger. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "base/diag.h"
#include "sys/jobs.h"
#include "ledger/ledger.h"
#include "ledger/register.h"
#include "model/policy.h"
#include "model/record.h"
#include "sys/stop.h"

const struct cli_doc cmd_ingest_doc = {
	"sircomm ingest --db LEDGER RECORD...",
	"Validate and audit incident records and store them in a ledger, in\n"
	"transactions of up to 500 incidents or 250 ms: re-ingesting an\n"
	"incident replaces it, a bad record is reported and skipped while the\n"
	"others go in, an interrupted run commits the incidents stored so far,\n"
	"and a killed one keeps every batch committed before it.  Standing\n"
	"exceptions in the ledger apply when auditing.  The ledger is created\n"
	"when missing; two ingests may run at once.  Two records with one\n"
	"incident id are refused, the whole run, before the ledger is touched.\n"
	"\n"
	"  -d, --db FILE       the ledger (SQLite)\n"
	"  -p, --policy FILE   the policy instead of the one found\n"
	"  -q, --quiet         no progress on the terminal\n"
	"  -j, --jobs N        parse and audit N records at a time (default: the\n"
	"                      processors); the ledger is written in input order,\n"
	"                      meanwhile (with -j 1, in turn)\n"
	"  -b, --batch N       at most N incidents per transaction (default 500;\n"
	"                      1: one transaction per incident)\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 all ingested, 2 a record was bad (the others went in) or\n"
	"the file is not a sircomm ledger, 3 the ledger could not be written (a\n"
	"full disk: the run stops there, incidents committed before it stay).\n",
};

static const struct option ingest_options[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "policy", required_argument, NULL, 'p' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "batch", required_argument, NULL, 'b' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* One record loaded and audited on a worker thread. */
struct ingest_job {
	struct record *rec;     /* NULL: the record was bad */
	struct audit *au;
	struct ledger_record_bytes bytes;   /* compressed and hashed here, not by the writer */
	struct diag d;
};

/* A transaction is committed after this many incidents (--batch) or
 * this long after it began, whichever comes first: few commits make
 * ingest fast, short ones keep another writer's wait and what a crash
 * can lose small. */
#define INGEST_BATCH_DEFAULT 500
#define INGEST_BATCH_MS 250

struct ingest_batch {
	const struct cli_env *env;
	const struct record *standing;
	struct ledger *db;
	const char *db_path;
	size_t ok, bad, replaced, done;   /* ok, replaced: committed */
	size_t pending, pending_replaced; /* stored in the open transaction */
	size_t batch_max;
	struct timespec batch_start;
	bool fatal;   /* the ledger could not be written: stop */
};

static long ms_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - t->tv_sec) * 1000 + (now.tv_nsec - t->tv_nsec) / 1000000;
}

/* Commits the open transaction; its incidents then count as ingested.
 * When the ledger cannot be written they are not in it: they count as
 * not ingested and the run stops. */
static bool ingest_commit(struct ingest_batch *b, struct diag *d)
{
	if (ledger_commit(b->db, d) != 0) {
		b->done -= b->pending;
		b->pending = b->pending_replaced = 0;
		b->fatal = true;
		return false;
	}
	b->ok += b->pending;
	b->replaced += b->pending_replaced;
	b->pending = b->pending_replaced = 0;
	return true;
}

static void ingest_prepare(size_t i, void *slot, void *ud)
{
	struct ingest_batch *b = ud;
	struct ingest_job *j = slot;
	if (cli_records_load(&b->env->recs, (int)i, b->env->pol, &j->d, &j->rec) != 0)
		return;
	audit_run_with(j->rec, b->env->pol, AUDIT_AT_RECORD, b->standing->exceptions,
		       b->standing->n_exceptions, &j->au);
	ledger_record_bytes(j->rec, &j->bytes);
}

/* Writes a record to the ledger, in input order, in the open
 * transaction, and commits it when it is full or old enough: a fault
 * keeps every transaction committed before it.  A full disk or an I/O
 * error stops the run; a conflict in one record only skips it. */
static bool ingest_emit(void *slot, void *ud)
{
	struct ingest_batch *b = ud;
	struct ingest_job *j = slot;
	bool had;
	if (ledger_pending(b->db) == 0)
		clock_gettime(CLOCK_MONOTONIC, &b->batch_start);
	switch (!j->rec ? LEDGER_PUT_REFUSED   /* the record was bad: nothing to store */
			: ledger_ingest_bytes(b->db, j->rec, &j->bytes, b->env->pol, j->au, &had, &j->d)) {
	case LEDGER_PUT_OK:
		b->pending++;
		b->pending_replaced += had;
		b->done++;
		break;
	case LEDGER_PUT_REFUSED:
		b->bad++;
		b->done++;
		break;
	case LEDGER_PUT_FAILED:
		/* This record and the open transaction are not in. */
		b->done -= b->pending;
		b->pending = b->pending_replaced = 0;
		b->fatal = true;
		break;
	}
	if (!b->fatal && b->pending &&
	    (b->pending >= b->batch_max || ms_since(&b->batch_start) >= INGEST_BATCH_MS))
		ingest_commit(b, &j->d);
	return !b->fatal;
}

static void ingest_release(void *slot, void *ud)
{
	(void)ud;
	struct ingest_job *j = slot;
	diag_print(&j->d, stderr);
	diag_free(&j->d);
	audit_free(j->au);
	rec_free(j->rec);
	ledger_record_bytes_free(&j->bytes);
}

struct ingest_opts {
	const char *db_path;
	bool quiet;
	size_t batch;
};

/* Ingests the records, once the policy is loaded and the records have
 * passed the duplicate check: duplicate incidents are refused before
 * the ledger is touched. */
static int ingest_work(struct cli_env *env, void *ud)
{
	const struct ingest_opts *o = ud;
	const char *db_path = o->db_path;
	int n = env->argc - env->first;
	struct diag d = DIAG_INIT;
	struct ledger *db = NULL;
	struct record *standing = NULL;
	int open_rc = 0;
	if ((open_rc = ledger_open(db_path, LEDGER_READ_WRITE, &db, &d)) != 0 ||
	    register_load_standing(db, &standing, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		ledger_close(db);
		/* A ledger that could not be written is not bad input. */
		return open_rc == -2 ? SC_EXIT_IO : SC_EXIT_INPUT;
	}
	diag_print(&d, stderr);
	diag_free(&d);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct ingest_batch b = {
		env, standing, db, db_path,
		0, 0, 0, 0, 0, 0, o->batch, t0, false,
	};
	/* Parse and audit in parallel, and meanwhile write in input order,
	 * here. */
	struct jobs_batch jobs = {
		(size_t)env->first, (size_t)n, env->workers, sizeof(struct ingest_job),
		ingest_prepare, ingest_emit, ingest_release, &b, cli_quiet() ? NULL : "ingest",
	};
	jobs_run_ordered(&jobs);
	/* Also when interrupted: what is stored so far goes in whole. */
	if (!b.fatal && !ingest_commit(&b, &d)) {
		diag_print(&d, stderr);
		diag_free(&d);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	size_t skipped = (size_t)n - b.done;
	char rest[96] = "";
	if (skipped)
		snprintf(rest, sizeof(rest), ", %zu %s", skipped,
			 b.fatal ? "not ingested (the ledger could not be written)" : "not attempted (interrupted)");
	infof("%s: %zu incident%s ingested (%zu new, %zu replaced), %zu bad%s, in %.2f s",
	      db_path, b.ok, b.ok == 1 ? "" : "s", b.ok - b.replaced, b.replaced, b.bad, rest, secs);
	rec_free(standing);
	if (ledger_close(db) != 0)
		b.fatal = true;
	if (stop_signal() && !b.fatal) {
		stop_report("%zu of %d incidents committed, each whole; nothing else written", b.ok,
			    n);
		stop_exit();
	}
	return b.fatal ? SC_EXIT_IO : b.bad ? SC_EXIT_INPUT : SC_EXIT_OK;
}

int cmd_ingest(struct cli_env *env, int argc, char **argv)
{
	struct ingest_opts o = { NULL, false, INGEST_BATCH_DEFAULT };
	int c;
	while ((c = cli_getopt("ingest", argc, argv, "d:p:qj:b:h", ingest_options)) != -1) {
		switch (c) {
		case 'd': o.db_path = optarg; break;
		case 'p': env->policy_path = optarg; break;
		case 'q': o.quiet = true; break;
		case 'j':
			if (cli_parse_jobs("ingest", optarg, &env->workers) != 0)
				return SC_EXIT_INPUT;
			break;
		case 'b': {
			char *end;
			errno = 0;
			unsigned long v = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || optarg[0] < '0' || optarg[0] > '9' || v < 1 ||
			    v > 1000000)
				return cli_usage_error("ingest", "--batch wants a number from 1 to 1000000, "
						       "not '%s'", optarg);
			o.batch = v;
			break;
		}
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (!o.db_path)
		return cli_usage_error("ingest", "say which ledger with --db FILE");
	return cli_run(env, optind, NULL, ingest_work, &o);
}
