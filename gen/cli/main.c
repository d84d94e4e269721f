/*
 * main.c - the sircomm program: the command table and the runner.
 *
 * The table says, for each subcommand, its handler, what it needs set
 * up (cli.h: the policy, the templates, the records, an output
 * directory) and the line `sircomm help` shows; each command's usage and
 * help stand beside its options in its own cmd_NAME.c.  The runner owns
 * the process: it sets up libxml2, cmark-gfm and libsodium, finds the
 * subcommand by its exact name, runs it, then flushes and closes
 * standard output so a write failure (a full disk, a closed pipe) is an
 * error rather than a silent truncation.
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <libxml/parser.h>
#include <sodium.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "format/zipw.h"
#include "ledger/ledger.h"
#include "sys/jobs.h"
#include "sys/output.h"
#include "model/xmlin.h"

const struct cli_command cli_commands[] = {
	{ "check", cmd_check, CLI_POLICY | CLI_TEMPLATES,
	  "validate incident records against the schema and the policy", &cmd_check_doc },
	{ "policy", cmd_policy, CLI_POLICY,
	  "show, check or export the communications policy", &cmd_policy_doc },
	{ "new", cmd_new, CLI_POLICY,
	  "print a commented skeleton record to fill in", &cmd_new_doc },
	{ "log", cmd_log, CLI_POLICY | CLI_TEMPLATES,
	  "add events to a record's timeline as they happen, or from CSV", &cmd_log_doc },
	{ "draft", cmd_draft, CLI_RECORDS | CLI_OUTPUT_DIR | CLI_POLICY | CLI_TEMPLATES | CLI_CUSTOMER_TEXT,
	  "draft every communication of an incident", &cmd_draft_doc },
	{ "templates", cmd_templates, CLI_POLICY | CLI_TEMPLATES,
	  "list, show, export the templates; show their variables", &cmd_templates_doc },
	{ "audit", cmd_audit, CLI_RECORDS | CLI_POLICY | CLI_TEMPLATES,
	  "audit the process against the plan's timing and approval rules", &cmd_audit_doc },
	{ "status", cmd_status, CLI_POLICY,
	  "what is overdue, due next, and which back-ups to engage now", &cmd_status_doc },
	{ "calendar", cmd_calendar, CLI_RECORDS | CLI_POLICY,
	  "open deadlines, legal and the plan's, as an iCalendar file", &cmd_calendar_doc },
	{ "notice", cmd_notice, CLI_RECORDS | CLI_OUTPUT_DIR | CLI_POLICY,
	  "draft regulators' notices, checked for the content they require", &cmd_notice_doc },
	{ "bundle", cmd_bundle, CLI_RECORDS | CLI_OUTPUT_DIR | CLI_POLICY | CLI_TEMPLATES | CLI_CUSTOMER_TEXT,
	  "pack the evidence into a reproducible, signed BagIt zip", &cmd_bundle_doc },
	{ "keygen", cmd_keygen, 0,
	  "make a minisign-compatible key pair for signing bundles", &cmd_keygen_doc },
	{ "verify", cmd_verify, 0,
	  "check a bundle's structure, hashes and signature", &cmd_verify_doc },
	{ "ingest", cmd_ingest, CLI_RECORDS | CLI_POLICY,
	  "audit records and store them in the ledger", &cmd_ingest_doc },
	{ "report", cmd_report, CLI_TEMPLATES,
	  "a compliance report over a period of the ledger", &cmd_report_doc },
	{ "exceptions", cmd_exceptions, 0,
	  "the exception register; import standing exceptions", &cmd_exceptions_doc },
	{ "query", cmd_query, 0,
	  "run read-only SQL on the ledger", &cmd_query_doc },
	{ "sample", cmd_sample, CLI_OUTPUT_DIR | CLI_POLICY,
	  "write generated records for benchmarks and tests", &cmd_sample_doc },
	{ "completion", cmd_completion, CLI_POLICY,
	  "shell completion for bash and zsh", &cmd_completion_doc },
	{ "help", cmd_help, 0,
	  "show the commands, or one command's help", &cmd_help_doc },
	{ "version", cmd_version, 0,
	  "show the version", &cmd_version_doc },
	{ NULL, NULL, 0, NULL, NULL },
};

/* Runs the command named argv[0] with its arguments. */
static int run_command(const struct cli_command *cmd, int argc, char **argv)
{
	struct cli_env env;
	cli_env_init(&env, cmd, argc, argv);
	optind = 1;
	return cmd->run(&env, argc, argv);
}

/* Flushes and closes standard output.  Output that did not all reach
 * its reader makes the status 3, whatever else the command found: the
 * result is incomplete.  A reader that went away (`| head`) chose to
 * stop reading, so that is quiet; anything else gets its reason. */
static int finish_stdout(int status)
{
	int e = output_stdout_close();
	if (!e)
		return status;
	if (e != EPIPE)
		errorf("writing standard output: %s", strerror(e));
	return SC_EXIT_IO;
}

int main(int argc, char **argv)
{
	int status;
	/* A closed pipe is a write error (EPIPE) that the command sees and
	 * stops on, never a signal that kills it half-way: set before any
	 * worker thread exists. */
	signal(SIGPIPE, SIG_IGN);
	/* A batch frees a record's few MiB of working memory and allocates
	 * them again for the next one.  By default malloc hands the top of
	 * each heap back to the kernel (brk, madvise) and faults it in again
	 * a moment later: some 100 page faults a drafted record.  Keep up to
	 * 64 MiB of it instead, and take blocks of up to 4 MiB from the heap
	 * rather than from mmap, whose threshold would otherwise follow the
	 * trim setting.  Set before any worker thread exists. */
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	xmlInitParser();
	ledger_global_init();
	zipw_global_init();
	/* Global registrations happen once, before any worker thread. */
	cmark_gfm_core_extensions_ensure_registered();
	if (sodium_init() < 0) {
		errorf("libsodium could not be initialised");
		return SC_EXIT_IO;
	}
	/* Each worker thread releases the schemas it compiled. */
	jobs_at_thread_exit(xmlin_cleanup);
	if (argc < 2) {
		cli_print_overview(stderr);
		status = SC_EXIT_INPUT;
	} else if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_print_overview(stdout);
		status = SC_EXIT_OK;
	} else if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		status = run_command(cli_find("version"), 1, argv + 1);
	} else {
		const struct cli_command *cmd = cli_find(argv[1]);
		static const char *const opts[] = { "--help", "--version" };
		if (!cmd)
			status = argv[1][0] == '-'
				 ? cli_unknown(NULL, "option", argv[1], opts, 2)
				 : cli_unknown_command(NULL, argv[1]);
		else
			status = run_command(cmd, argc - 1, argv + 1);
	}
	status = finish_stdout(status);
	xmlin_cleanup();
	xmlCleanupParser();
	return status;
}
