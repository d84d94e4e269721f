/*
 * cli.c - what every command handler shares: the table's lookup and the
 * help generated from it, usage errors and option parsing, and cli_run,
 * which sets up what a command's table entry asks for and frees it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "base/ts.h"
#include "sys/jobs.h"
#include "sys/output.h"
#include "sys/stop.h"

/* ---- The table ------------------------------------------------------ */

const struct cli_command *cli_find(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cli_print_overview(FILE *out)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "usage: sircomm COMMAND [ARGS]...\n"
		 "       sircomm --help | --version\n"
		 "\n"
		 "sircomm drafts, audits and bundles the communications of a security\n"
		 "incident from one XML incident record, against a communications plan.\n"
		 "\n"
		 "Commands:\n");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		buf_printf(&b, "  %-10s %s\n", c->name, c->summary);
	buf_puts(&b, "\n"
		 "Run 'sircomm help COMMAND' or 'sircomm COMMAND --help' for details.\n"
		 "\n"
		 "Exit status:\n"
		 "  0  success\n"
		 "  1  the run worked and found failures\n"
		 "  2  bad input or usage: problems are printed as FILE:LINE: error: ...\n"
		 "     and nothing is written\n"
		 "  3  an output could not be written (a full disk; a closed pipe, which\n"
		 "     stops the command quietly)\n");
	if (out == stdout)
		output_stdout(b.data, b.len);
	else
		fputs(buf_str(&b), out);
	buf_free(&b);
}

void cli_print_help(const struct cli_command *cmd)
{
	output_printf("usage: %s\n\n%s", cmd->doc->usage, cmd->doc->help);
}

/* ---- One run of a command ------------------------------------------- */

void cli_env_init(struct cli_env *env, const struct cli_command *cmd, int argc, char **argv)
{
	*env = (struct cli_env){
		.cmd = cmd,
		.needs = cmd->needs,
		.argc = argc,
		.argv = argv,
		.outdir = ".",
		.workers = jobs_default_workers(),
		.unique = true,
		.first = argc,
		.tpl = TMPL_SET_INIT,
	};
}

int cli_run(struct cli_env *env, int first,
	    int (*load)(struct cli_env *env, struct diag *d, void *ud),
	    int (*work)(struct cli_env *env, void *ud), void *ud)
{
	unsigned needs = env->needs;
	if ((needs & CLI_RECORDS) && first >= env->argc)
		return cli_usage_error(env->cmd->name, "no record given");
	env->first = first;
	struct diag d = DIAG_INIT;
	int status = SC_EXIT_OK;
	struct output_made *made = NULL;
	if ((needs & CLI_OUTPUT_DIR) && output_make_dir(env->outdir, &made, &d) != 0) {
		status = SC_EXIT_IO;
	} else {
		if (needs & CLI_RECORDS)
			stop_catch();
		if (((needs & CLI_POLICY) && pol_load(env->policy_path, &d, &env->pol) != 0) ||
		    ((needs & CLI_TEMPLATES) &&
		     tmpl_set_load(env->templates_dir, &env->tpl, &d) != 0) ||
		    (load && load(env, &d, ud) != 0) ||
		    ((needs & CLI_RECORDS) &&
		     cli_records_open(&env->recs, env->argv, first, env->argc, env->unique,
				      env->workers, &d) != 0))
			status = SC_EXIT_INPUT;
	}
	diag_print(&d, stderr);
	diag_free(&d);
	if (status == SC_EXIT_OK)
		status = work(env, ud);
	/* A directory -o made for a run that wrote nothing goes again. */
	output_made_end(made, status != SC_EXIT_OK);
	cli_records_close(&env->recs);
	tmpl_set_free(&env->tpl);
	pol_free(env->pol);
	env->pol = NULL;
	return status;
}

/* ---- Options and usage errors --------------------------------------- */

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vsay("error: ", fmt, ap);
	va_end(ap);
	const struct cli_command *cmd = command ? cli_find(command) : NULL;
	if (cmd)
		fprintf(stderr, "usage: %s\n(see 'sircomm help %s')\n", cmd->doc->usage, cmd->name);
	else
		fputs("usage: sircomm COMMAND [ARGS]... (see 'sircomm help')\n", stderr);
	return SC_EXIT_INPUT;
}

int cli_getopt(const char *command, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	/* A leading ':' makes getopt tell a missing argument (':') from an
	 * unknown option ('?'). */
	char opts[64];
	snprintf(opts, sizeof(opts), ":%s", shortopts);
	opterr = 0;
	int c = getopt_long(argc, argv, opts, longopts, NULL);
	if (c == ':') {
		cli_usage_error(command, "option '%s' needs an argument", argv[optind - 1]);
		return '?';
	}
	if (c == '?') {
		if (optopt)
			cli_usage_error(command, "unknown option '-%c'", optopt);
		else
			cli_usage_error(command, "unknown option '%s'", argv[optind - 1]);
		return '?';
	}
	return c;
}

const char *cli_output_path(const char *arg)
{
	return strcmp(arg, "-") == 0 ? NULL : arg;
}

int cli_parse_at(const char *command, const char *s, int64_t *at)
{
	if (strcmp(s, "now") == 0) {
		*at = (int64_t)time(NULL);
		return 0;
	}
	int off;
	const char *why;
	if (ts_parse(s, at, &off, &why) != 0) {
		cli_usage_error(command, "--at '%s' %s", s, why);
		return -1;
	}
	return 0;
}

int cli_parse_colour(const char *command, const char *s, enum cli_colour *when)
{
	static const char *const names[] = { "auto", "always", "never" };
	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*when = (enum cli_colour)i;
			return 0;
		}
	cli_usage_error(command, "--color takes auto, always or never");
	return -1;
}

bool cli_colour_stdout(enum cli_colour when)
{
	const char *no = getenv("NO_COLOR");
	return when == CLI_COLOUR_ALWAYS ||
	       (when == CLI_COLOUR_AUTO && isatty(STDOUT_FILENO) && !(no && *no));
}

int cli_parse_jobs(const char *command, const char *s, int *workers)
{
	if (jobs_parse(s, workers) != 0) {
		cli_usage_error(command, "-j takes a number of threads from 1 to 256");
		return -1;
	}
	return 0;
}

char *cli_read_key(const char *path, size_t *len, struct diag *d)
{
	char *data;
	int rc = read_file(path, 1 << 16, &data, len);
	if (rc == -2) {
		diag_error(d, path, 0, "too large to be a key file");
		return NULL;
	}
	if (rc != 0) {
		diag_error(d, path, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	return data;
}
