/* cmd_ingest.c - `sircomm ingest`: audited incidents into the ledger. */
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
#include "model/policy.h"
#include "model/record.h"
#include "sys/stop.h"

/* A progress bar on a terminal, redrawn at most ten times a second. */
struct progress {
	bool on;
	size_t total;
	struct timespec last;
};

static void progress_draw(struct progress *p, size_t done, bool final)
{
	if (!p->on)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (now.tv_sec - p->last.tv_sec) * 1000 + (now.tv_nsec - p->last.tv_nsec) / 1000000;
	if (!final && ms < 100)
		return;
	p->last = now;
	int width = 30, filled = p->total ? (int)(done * (size_t)width / p->total) : width;
	fprintf(stderr, "\r[%.*s%*s] %zu/%zu", filled, "##############################",
		width - filled, "", done, p->total);
	if (final)
		fputc('\n', stderr);
	fflush(stderr);
}

/* One record loaded and audited on a worker thread. */
struct ingest_job {
	struct record *rec;     /* NULL: the record was bad */
	struct audit *au;
	struct diag d;
};

struct ingest_batch {
	const struct cli_records *recs;
	const struct policy *pol;
	const struct record *standing;
	sqlite3 *db;
	const char *db_path;
	struct progress prog;
	size_t ok, bad, replaced, done;
	bool fatal;   /* the ledger could not be written: stop */
};

static void ingest_prepare(size_t i, void *slot, void *ud)
{
	struct ingest_batch *b = ud;
	struct ingest_job *j = slot;
	if (cli_records_load(b->recs, (int)i, b->pol, &j->d, &j->rec) != 0)
		return;
	audit_run_with(j->rec, b->pol, AUDIT_AT_RECORD, b->standing->exceptions,
		       b->standing->n_exceptions, &j->au);
}

/* Writes a record to the ledger, in input order.  One transaction per
 * incident: a fault keeps every incident committed before it.  A full
 * disk or an I/O error stops the run; a conflict in one record only
 * skips it. */
static bool ingest_emit(void *slot, void *ud)
{
	struct ingest_batch *b = ud;
	struct ingest_job *j = slot;
	if (!j->rec) {
		b->bad++;
		b->done++;
		return true;
	}
	bool had;
	switch (ledger_ingest(b->db, b->db_path, j->rec, b->pol, j->au, &had, &j->d)) {
	case LEDGER_PUT_OK:
		b->ok++;
		b->replaced += had;
		b->done++;
		break;
	case LEDGER_PUT_REFUSED:
		b->bad++;
		b->done++;
		break;
	case LEDGER_PUT_FAILED:
		b->fatal = true;   /* this record is not in: not attempted */
		break;
	}
	return !b->fatal;
}

static void ingest_release(void *slot, void *ud)
{
	struct ingest_batch *b = ud;
	struct ingest_job *j = slot;
	if (j->d.n) {
		if (b->prog.on)
			fputs("\r\033[K", stderr);
		diag_print(&j->d, stderr);
	}
	diag_free(&j->d);
	audit_free(j->au);
	rec_free(j->rec);
	progress_draw(&b->prog, b->done, false);
}

int cmd_ingest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "policy", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_path = NULL, *policy_path = NULL;
	bool quiet = false;
	int workers = jobs_default_workers();
	int c;
	while ((c = cli_getopt("ingest", argc, argv, "d:p:qj:h", longopts)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'p': policy_path = optarg; break;
		case 'q': quiet = true; break;
		case 'j':
			if (jobs_parse(optarg, &workers) != 0)
				return cli_usage_error("ingest", "-j takes a number of threads from 1 to 256");
			break;
		case 'h': cli_print_help(cli_find("ingest")); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (!db_path)
		return cli_usage_error("ingest", "say which ledger with --db FILE");
	if (optind >= argc)
		return cli_usage_error("ingest", "no record given");

	struct diag d = DIAG_INIT;
	struct policy *pol = NULL;
	sqlite3 *db = NULL;
	struct record *standing = NULL;
	int open_rc = 0;
	struct cli_records recs = { 0, false, NULL };
	/* From here a stop signal is caught: one that comes while the records
	 * are read (a slow pipe) stops the run before its first record. */
	stop_catch();
	/* Duplicate incidents are refused before the ledger is touched. */
	if (pol_load(policy_path, &d, &pol) != 0 ||
	    cli_records_open(&recs, argv, optind, argc, true, workers, &d) != 0 ||
	    (open_rc = ledger_open(db_path, LEDGER_READ_WRITE, &db, &d)) != 0 ||
	    ledger_load_standing(db, &standing, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		sqlite3_close(db);
		pol_free(pol);
		cli_records_close(&recs);
		/* A ledger that could not be written is not bad input. */
		return open_rc == -2 ? SC_EXIT_IO : SC_EXIT_INPUT;
	}
	diag_print(&d, stderr);
	diag_free(&d);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct ingest_batch b = {
		&recs, pol, standing, db, db_path,
		{ !quiet && isatty(STDERR_FILENO) && argc - optind > 1, (size_t)(argc - optind), t0 },
		0, 0, 0, 0, false,
	};
	/* Parse and audit in parallel; write in input order, here. */
	struct jobs_batch jobs = {
		(size_t)optind, (size_t)(argc - optind), workers, sizeof(struct ingest_job),
		ingest_prepare, ingest_emit, ingest_release, &b,
	};
	jobs_run_ordered(&jobs);
	progress_draw(&b.prog, b.done, true);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	size_t skipped = (size_t)(argc - optind) - b.done;
	char rest[96] = "";
	if (skipped)
		snprintf(rest, sizeof(rest), ", %zu %s", skipped,
			 b.fatal ? "not ingested (the ledger could not be written)" : "not attempted (interrupted)");
	infof("%s: %zu incident%s ingested (%zu new, %zu replaced), %zu bad%s, in %.2f s",
	      db_path, b.ok, b.ok == 1 ? "" : "s", b.ok - b.replaced, b.replaced, b.bad, rest, secs);
	rec_free(standing);
	if (ledger_close(db) != 0)
		b.fatal = true;
	pol_free(pol);
	cli_records_close(&recs);
	if (stop_signal() && !b.fatal) {
		stop_report("%zu of %d incidents committed, each whole; nothing else written", b.ok,
			    argc - optind);
		stop_exit();
	}
	return b.fatal ? SC_EXIT_IO : b.bad ? SC_EXIT_INPUT : SC_EXIT_OK;
}
