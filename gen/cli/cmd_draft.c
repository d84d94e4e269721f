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
#include "publish/publish.h"
#include "sys/jobs.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"
#include "sys/stop.h"

const struct cli_doc cmd_draft_doc = {
	"sircomm draft [-o DIR] [--only LIST] [--templates DIR] RECORD...",
	"Draft every communication the plan calls for, from built-in Markdown\n"
	"templates: into OUT/ID/drafts/, replaced whole on each run (a failed\n"
	"run leaves the previous drafts as they were).  OUT may be a symbolic\n"
	"link; ID and drafts may not: a link there is refused, never followed.\n"
	"\n"
	"  -o, --output DIR     where to write (default: the current directory);\n"
	"                       made, with its parents, when missing\n"
	"      --only LIST      only these artifacts, comma-separated: customer-email,\n"
	"                       security-alert, blog-post, support-faq, media-statement,\n"
	"                       social-post, internal-update, approval-matrix,\n"
	"                       engagement-plan, comms-doc\n"
	"  -t, --templates DIR  templates that override the built-in ones by name\n"
	"                       (see 'sircomm templates export')\n"
	"  -p, --policy FILE    the policy instead of the one found\n"
	"  -j, --jobs N         draft N records at a time (default: the processors)\n"
	"  -h, --help           show this help\n"
	"\n"
	"Files: customer-email.eml/.txt, security-alert.eml/.txt, blog-post.md/.html,\n"
	"support-faq.md/.txt, media-statement.md/.txt, internal-update.md/.txt,\n"
	"social-post.txt, approval-matrix.md/.csv, engagement-plan.md, comms-doc.odt;\n"
	"without --only, csaf.json (CSAF 2.0, security incident response),\n"
	"status.json (a status page incident) and feed.atom (an Atom feed).\n"
	"Emails are plain text with no tracking links; the social post must fit\n"
	"X's 280 weighted characters.  Interrupted (Ctrl-C), it stops between two\n"
	"records, each drafts directory written whole.  Two records with one\n"
	"incident id are refused, the whole run, before anything is written.\n"
	"Every draft set is checked for contradictions: each fact stated in more\n"
	"than one draft (whether customers must act, who is affected, the count,\n"
	"the next update, the links) agrees with the record's facts.  A draft that\n"
	"fails a check of its own (a contradiction, a social post over the limit)\n"
	"is not written; the others are.\n"
	"Exit status: 0 drafted, 1 drafted but for the drafts named (the others\n"
	"written), 2 bad input (nothing written for that record),\n"
	"3 could not write.\n",
};

static const struct option draft_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "only", required_argument, NULL, 'O' },
	{ "templates", required_argument, NULL, 't' },
	{ "policy", required_argument, NULL, 'p' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

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
	struct output_dir *od = NULL;
	int rc = output_dir_begin_under(outdir, rel, &od, d);
	for (size_t i = 0; rc == 0 && i < set->n; i++)
		rc = output_dir_add(od, set->files[i].name, set->files[i].data, set->files[i].len, d);
	if (rc == 0) {
		rc = output_dir_commit(od, d);
	} else if (od) {
		output_dir_abort(od);
	}
	if (rc == 0 && !cli_quiet()) {
		output_line("%s: %zu files in %s/%s", rec->path, set->n, outdir, rel);
		output_stdout_flush();
	}
	free(rel);
	return rc;
}

/* One record's drafts, made on a worker thread. */
struct draft_job {
	bool ok;
	bool partial;   /* some drafts failed their checks; the others are written */
	struct record *rec;
	struct draft_set set;
	struct diag d;
};

struct draft_batch {
	const struct cli_env *env;
	unsigned which;
	int status;
	size_t written;
};

static void draft_prepare(size_t i, void *slot, void *ud)
{
	struct draft_batch *b = ud;
	struct draft_job *j = slot;
	const struct cli_env *env = b->env;
	int rc = -1;
	if (cli_records_load(&env->recs, (int)i, env->pol, &j->d, &j->rec) == 0)
		rc = draft_run(j->rec, env->pol, &env->tpl, b->which, &j->set, &j->d);
	/* The publishing formats (CSAF, status page, Atom) go with a whole set. */
	if (rc >= 0 && b->which == DRAFT_ALL &&
	    publish_run(j->rec, env->pol, &env->tpl, &j->set, &j->d) != 0)
		rc = -1;
	j->ok = rc >= 0;
	j->partial = rc > 0;
	if (j->partial) {
		struct buf names = BUF_INIT;
		for (int a = 0; a < DRAFT_COUNT; a++)
			if (j->set.withheld & (1u << a))
				buf_printf(&names, "%s%s", names.len ? ", " : "",
					   draft_artifact_id((enum draft_artifact)a));
		diag_add(&j->d, DIAG_NOTE, j->rec->path, 0, "not written, for the problems above: %s%s",
			 names.len ? buf_str(&names) : "drafts the working document holds",
			 j->set.n == 0 ? "; nothing else was asked for, so the drafts already there stay"
			 : b->which & (1u << DRAFT_COMMS_DOC)
				 ? "; the other drafts are written, comms-doc without it"
				 : "; the other drafts are written");
		buf_free(&names);
	}
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
	/* The worst outcome of the batch decides: a write that failed (3)
	 * over bad input (2) over a draft left out (1). */
	int status = SC_EXIT_OK;
	if (!j->ok)
		status = SC_EXIT_INPUT;
	else if (j->set.n > 0 && write_drafts(b->env->outdir, j->rec, &j->set, &j->d) != 0)
		status = SC_EXIT_IO;
	else if (j->partial)
		status = SC_EXIT_FAIL;
	if (j->ok && j->set.n > 0 && status != SC_EXIT_IO)
		b->written++;
	if (status > b->status)
		b->status = status;
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

/* Drafts the records in parallel and writes them in input order, once
 * the policy, the templates and the records are set up. */
static int draft_work(struct cli_env *env, void *ud)
{
	struct draft_batch *b = ud;
	struct jobs_batch jobs = {
		(size_t)env->first, (size_t)(env->argc - env->first), env->workers,
		sizeof(struct draft_job), draft_prepare, draft_emit, draft_release, b, cli_quiet() ? NULL : "draft",
	};
	/* Interrupted, or standard output closed (its reader gone), the batch
	 * stops between two records. */
	jobs_run_ordered(&jobs);
	if (stop_signal()) {
		stop_report("drafts of %zu of %d records written, whole; nothing else written",
			    b->written, env->argc - env->first);
		stop_exit();
	}
	return b->status;
}

int cmd_draft(struct cli_env *env, int argc, char **argv)
{
	struct draft_batch batch = { env, DRAFT_ALL, SC_EXIT_OK, 0 };
	int c;
	while ((c = cli_getopt("draft", argc, argv, "o:t:p:j:h", draft_options)) != -1) {
		switch (c) {
		case 'o': env->outdir = optarg; break;
		case 'O':
			batch.which = parse_only(optarg);
			if (!batch.which)
				return SC_EXIT_INPUT;
			break;
		case 't': env->templates_dir = optarg; break;
		case 'p': env->policy_path = optarg; break;
		case 'j':
			if (cli_parse_jobs("draft", optarg, &env->workers) != 0)
				return SC_EXIT_INPUT;
			break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	return cli_run(env, optind, NULL, draft_work, &batch);
}
