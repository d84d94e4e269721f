/* cmd_draft.c - `sircomm draft`: every communication of a record. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "draft/draft.h"
#include "sys/jobs.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"
#include "sys/stop.h"

/* Parses "customer-email,social-post" into a mask; 0 after an error. */
static unsigned parse_only(const char *list)
{
	unsigned mask = 0;
	char *copy = xstrdup(list);
	for (char *tok = strtok(copy, ", "); tok; tok = strtok(NULL, ", ")) {
		int a = draft_artifact_parse(tok);
		if (a < 0) {
			struct buf all = BUF_INIT;
			for (int i = 0; i < DRAFT_COUNT; i++)
				buf_printf(&all, "%s%s", i ? ", " : "", draft_artifact_id((enum draft_artifact)i));
			cli_usage_error("draft", "--only: unknown artifact '%s' (artifacts: %s)", tok,
					buf_str(&all));
			buf_free(&all);
			free(copy);
			return 0;
		}
		mask |= 1u << a;
	}
	free(copy);
	if (!mask)
		cli_usage_error("draft", "--only names no artifact");
	return mask;
}

/* Writes one record's drafts to OUT/ID/drafts, all at once or not at
 * all.  OUT is followed if it is a symbolic link (the user chose it);
 * ID and drafts never are: a link there is refused, so a draft never
 * replaces the drafts of wherever the link points. */
static int write_drafts(const char *outdir, const struct record *rec,
			const struct draft_set *set, struct diag *d)
{
	char *rel = xasprintf("%s/drafts", rec->id);
	struct out_dir *od = NULL;
	int rc = out_dir_begin_under(outdir, rel, &od, d);
	for (size_t i = 0; rc == 0 && i < set->n; i++)
		rc = out_dir_add(od, set->files[i].name, set->files[i].data, set->files[i].len, d);
	if (rc == 0) {
		rc = out_dir_commit(od, d);
	} else if (od) {
		out_dir_abort(od);
	}
	if (rc == 0) {
		out_line("%s: %zu files in %s/%s", rec->path, set->n, outdir, rel);
		out_stdout_flush();
	}
	free(rel);
	return rc;
}

/* One record's drafts, made on a worker thread. */
struct draft_job {
	bool ok;
	struct record *rec;
	struct draft_set set;
	struct diag d;
};

struct draft_batch {
	const struct cli_records *recs;
	const struct policy *pol;
	const struct draft_templates *tpl;
	unsigned which;
	const char *outdir;
	int status;
	size_t written;
};

static void draft_prepare(size_t i, void *slot, void *ud)
{
	struct draft_batch *b = ud;
	struct draft_job *j = slot;
	j->ok = cli_records_load(b->recs, (int)i, b->pol, &j->d, &j->rec) == 0 &&
		draft_run(j->rec, b->pol, b->tpl, b->which, &j->set, &j->d) == 0;
}

/* Writes a record's drafts, in input order, by this thread only.  The
 * record's own problems and warnings come before the line that says
 * where its drafts went. */
static bool draft_emit(void *slot, void *ud)
{
	struct draft_batch *b = ud;
	struct draft_job *j = slot;
	diag_print(&j->d, stderr);
	diag_free(&j->d);
	if (!j->ok)
		b->status = SC_EXIT_INPUT;
	else if (write_drafts(b->outdir, j->rec, &j->set, &j->d) != 0)
		b->status = b->status ? b->status : SC_EXIT_IO;
	else
		b->written++;
	return true;
}

static void draft_release(void *slot, void *ud)
{
	(void)ud;
	struct draft_job *j = slot;
	diag_print(&j->d, stderr);
	diag_free(&j->d);
	draft_set_free(&j->set);
	rec_free(j->rec);
}

int cmd_draft(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "only", required_argument, NULL, 'O' },
		{ "templates", required_argument, NULL, 't' },
		{ "policy", required_argument, NULL, 'p' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *outdir = ".", *templates_dir = NULL, *policy_path = NULL;
	unsigned which = DRAFT_ALL;
	int workers = jobs_default_workers();
	int c;
	while ((c = cli_getopt("draft", argc, argv, "o:t:p:j:h", longopts)) != -1) {
		switch (c) {
		case 'o': outdir = optarg; break;
		case 'O':
			which = parse_only(optarg);
			if (!which)
				return SC_EXIT_INPUT;
			break;
		case 't': templates_dir = optarg; break;
		case 'p': policy_path = optarg; break;
		case 'j':
			if (jobs_parse(optarg, &workers) != 0)
				return cli_usage_error("draft", "-j takes a number of threads from 1 to 256");
			break;
		case 'h': cli_print_help(cli_find("draft")); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind >= argc)
		return cli_usage_error("draft", "no record given");

	struct diag d = DIAG_INIT;
	if (out_check_dir(outdir, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_IO;
	}
	struct policy *pol = NULL;
	struct draft_templates tpl = DRAFT_TEMPLATES_INIT;
	struct cli_records recs = { 0, false, NULL };
	/* From here a stop signal is caught: one that comes while the records
	 * are read (a slow pipe) stops the run before its first record. */
	stop_catch();
	if (pol_load(policy_path, &d, &pol) != 0 || draft_templates_load(templates_dir, &tpl, &d) != 0 ||
	    cli_records_open(&recs, argv, optind, argc, true, workers, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		pol_free(pol);
		draft_templates_free(&tpl);
		cli_records_close(&recs);
		return SC_EXIT_INPUT;
	}
	/* The policy's warnings, as every command that loads one says them. */
	diag_print(&d, stderr);
	diag_free(&d);
	struct draft_batch batch = { &recs, pol, &tpl, which, outdir, SC_EXIT_OK, 0 };
	struct jobs_batch jobs = {
		(size_t)optind, (size_t)(argc - optind), workers, sizeof(struct draft_job),
		draft_prepare, draft_emit, draft_release, &batch,
	};
	/* Interrupted, or standard output closed (its reader gone), the batch
	 * stops between two records. */
	jobs_run_ordered(&jobs);
	draft_templates_free(&tpl);
	pol_free(pol);
	cli_records_close(&recs);
	if (stop_signal()) {
		stop_report("drafts of %zu of %d records written, whole; nothing else written",
			    batch.written, argc - optind);
		stop_exit();
	}
	return batch.status;
}
