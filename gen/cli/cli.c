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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "base/ts.h"
#include "sys/jobs.h"
#include "sys/output.h"
#include "sys/passphrase.h"
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

/* What every command takes besides its own options (cli_getopt). */
const char cli_common_help[] =
	"  -q, --quiet        no progress and no line per output saying where it\n"
	"                     went: problems and the run's result only\n"
	"  -v, --verbose      also say what the run set up: the policy and templates\n"
	"                     in effect, the output directory, records and threads\n";

void cli_print_help(const struct cli_command *cmd)
{
	output_printf("usage: %s\n\n%s\nEvery command also takes:\n%s", cmd->doc->usage,
		      cmd->doc->help, cli_common_help);
}

/* ---- Where the policy and templates come from ---------------------- */

/* The directory of the user's own settings: $XDG_CONFIG_HOME when it is
 * an absolute path (the XDG rule), else ~/.config; NULL without a home. */
static char *config_home(void)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	if (x && x[0] == '/')
		return xstrdup(x);
	const char *home = getenv("HOME");
	if (home && *home)
		return xasprintf("%s/.config", home);
	return NULL;
}

void cli_lookup(bool templates, const char *flag, struct cli_lookup *out)
{
	const char *leaf = templates ? "templates" : "policy.xml";
	const char *var = templates ? "SIRCOMM_TEMPLATES" : "SIRCOMM_POLICY";
	const char *env = getenv(var);
	char *home = config_home();
	*out = (struct cli_lookup){ NULL, { { 0 } } };
	struct cli_lookup_step *st = out->steps;
	st[0] = (struct cli_lookup_step){ templates ? "--templates" : "--policy",
					  flag ? xstrdup(flag) : NULL, CLI_LOOKUP_ABSENT };
	st[1] = (struct cli_lookup_step){ var, env && *env ? xstrdup(env) : NULL,
					  CLI_LOOKUP_ABSENT };
	st[2] = (struct cli_lookup_step){ "user", home ? xasprintf("%s/sircomm/%s", home, leaf)
						       : NULL, CLI_LOOKUP_ABSENT };
	st[3] = (struct cli_lookup_step){ "system", xasprintf("/etc/sircomm/%s", leaf),
					  CLI_LOOKUP_ABSENT };
	st[4] = (struct cli_lookup_step){ "built-in", NULL, CLI_LOOKUP_ABSENT };
	free(home);
	bool found = false;
	for (int i = 0; i < 5; i++) {
		struct stat sb;
		bool here = i == 4 || (i < 2 && st[i].path) ||
			    (i >= 2 && st[i].path && lstat(st[i].path, &sb) == 0);
		if (found)
			st[i].state = CLI_LOOKUP_SKIPPED;
		else if (here) {
			st[i].state = CLI_LOOKUP_USED;
			out->path = st[i].path;
			found = true;
		}
	}
}

void cli_lookup_free(struct cli_lookup *l)
{
	if (!l)
		return;
	for (int i = 0; i < 5; i++)
		free(l->steps[i].path);
	l->path = NULL;
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

/* With -v, what the run set up and where it came from, before it runs. */
static void say_setup(const struct cli_env *env)
{
	if (diag_verbosity() < 1)
		return;
	if (env->needs & CLI_POLICY)
		verbosef("policy: %s (%s), sha256 %s", env->pol->name, env->pol->path,
			 env->pol->sha256_hex);
	if (env->needs & CLI_TEMPLATES)
		verbosef("templates: %s", env->templates_dir ? env->templates_dir : "built-in");
	if (env->needs & CLI_OUTPUT_DIR)
		verbosef("output directory: %s", env->outdir);
	if (env->needs & CLI_RECORDS) {
		int n = env->argc - env->first;
		verbosef("%d record%s, on up to %d thread%s", n, n == 1 ? "" : "s", env->workers,
			 env->workers == 1 ? "" : "s");
	}
}

int cli_run(struct cli_env *env, int first,
	    int (*load)(struct cli_env *env, struct diag *d, void *ud),
	    int (*work)(struct cli_env *env, void *ud), void *ud)
{
	unsigned needs = env->needs;
	if ((needs & CLI_RECORDS) && first >= env->argc)
		return cli_usage_error(env->cmd->name, "no record given");
	if ((needs & CLI_OUTPUT_DIR) && strcmp(env->outdir, "-") == 0)
		return cli_usage_error(env->cmd->name, "-o names a directory to write files into; "
				       "standard output (-) cannot hold them");
	env->first = first;
	struct diag d = DIAG_INIT;
	int status = SC_EXIT_OK;
	struct output_made *made = NULL;
	if ((needs & CLI_OUTPUT_DIR) && output_make_dir(env->outdir, &made, &d) != 0) {
		status = SC_EXIT_IO;
	} else {
		if (needs & CLI_RECORDS)
			stop_catch();
		struct cli_lookup pl, tl;
		cli_lookup(false, env->policy_path, &pl);
		cli_lookup(true, env->templates_dir, &tl);
		if (((needs & CLI_POLICY) && pol_load(pl.path, &d, &env->pol) != 0) ||
		    ((needs & CLI_TEMPLATES) && tmpl_set_load(tl.path, &env->tpl, &d) != 0) ||
		    (load && load(env, &d, ud) != 0) ||
		    ((needs & CLI_RECORDS) &&
		     cli_records_open(&env->recs, env->argv, first, env->argc, env->unique,
				      env->workers, &d) != 0))
			status = SC_EXIT_INPUT;
		/* Said once, before any draft is written: the drafts would go
		 * out signed by the example organisation. */
		if (status == SC_EXIT_OK && (needs & CLI_CUSTOMER_TEXT) && env->pol && !pl.path)
			diag_add(&d, DIAG_WARNING, NULL, 0,
				 "using the built-in example policy (%s); set SIRCOMM_POLICY or "
				 "install your organisation's policy as ~/.config/sircomm/policy.xml "
				 "or /etc/sircomm/policy.xml (see 'sircomm policy where')",
				 env->pol->organization);
		cli_lookup_free(&pl);
		cli_lookup_free(&tl);
	}
	diag_print(&d, stderr);
	diag_free(&d);
	if (status == SC_EXIT_OK)
		say_setup(env);
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

/* The edit distance between a and b (optimal string alignment: an
 * insertion, a deletion, a substitution or two neighbours swapped each
 * count 1), for names of a few dozen characters at most. */
static size_t edit_distance(const char *a, const char *b)
{
	enum { MAX = 64 };
	size_t la = strlen(a), lb = strlen(b);
	if (la >= MAX || lb >= MAX)
		return MAX;
	size_t d[MAX][MAX];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

const char *cli_suggest(const char *typed, const char *const *names, size_t n)
{
	const char *best = NULL;
	size_t best_d = 0, len = strlen(typed);
	/* One slip in a short name, two in a longer one: more would suggest
	 * names that merely share a few letters. */
	size_t allowed = len >= 6 ? 2 : 1;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(typed, names[i]);
		/* The start of a name, typed as an abbreviation, is close too. */
		if (len >= 2 && strncmp(typed, names[i], len) == 0)
			d = 1;
		if (d <= allowed && (!best || d < best_d)) {
			best = names[i];
			best_d = d;
		}
	}
	return best;
}

int cli_unknown(const char *command, const char *what, const char *typed,
		const char *const *names, size_t n)
{
	const char *near = cli_suggest(typed, names, n);
	if (near)
		return cli_usage_error(command, "unknown %s '%s' (did you mean '%s'?)", what, typed, near);
	return cli_usage_error(command, "unknown %s '%s'", what, typed);
}

int cli_unknown_command(const char *command, const char *typed)
{
	size_t n = 0;
	while (cli_commands[n].name)
		n++;
	const char **names = xcalloc(n, sizeof(*names));
	for (size_t i = 0; i < n; i++)
		names[i] = cli_commands[i].name;
	int rc = cli_unknown(command, "command", typed, names, n);
	free(names);
	return rc;
}

/* The name of the long option in `tok` ("--output=x" gives "output"), a
 * new string. */
static char *long_name(const char *tok)
{
	const char *eq = strchr(tok + 2, '=');
	return eq ? xstrndup(tok + 2, (size_t)(eq - tok - 2)) : xstrdup(tok + 2);
}

/* Reports an unknown long option `tok`, with the closest of longopts. */
static void unknown_long(const char *command, const char *tok, const struct option *longopts)
{
	char *name = long_name(tok);
	size_t n = 0;
	while (longopts[n].name)
		n++;
	const char **names = xcalloc(n ? n : 1, sizeof(*names));
	for (size_t i = 0; i < n; i++)
		names[i] = longopts[i].name;
	const char *near = cli_suggest(name, names, n);
	/* The token as typed, up to any '=': the value is not the mistake. */
	const char *eq = strchr(tok + 2, '=');
	int shown = eq ? (int)(eq - tok) : (int)strlen(tok);
	if (near)
		cli_usage_error(command, "unknown option '%.*s' (did you mean '--%s'?)", shown, tok, near);
	else
		cli_usage_error(command, "unknown option '%.*s'", shown, tok);
	free(names);
	free(name);
}

/* -q and -v, which every command takes: added to a command's own
 * options unless it has them already. */
static const struct option common_options[] = {
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
};

/* A command's options with the common ones, rebuilt when the command's
 * table changes (one command runs per process; policy's and templates'
 * subcommands each have their own table). */
static struct option merged[64];
static const struct option *merged_from;
static char merged_short[96];

static void merge_options(const char *shortopts, const struct option *longopts)
{
	size_t n = 0;
	while (longopts[n].name && n < 60)
		merged[n] = longopts[n], n++;
	for (size_t k = 0; k < sizeof(common_options) / sizeof(common_options[0]); k++) {
		bool have = false;
		for (size_t i = 0; longopts[i].name; i++)
			have = have || strcmp(longopts[i].name, common_options[k].name) == 0;
		if (!have)
			merged[n++] = common_options[k];
	}
	merged[n] = (struct option){ NULL, 0, NULL, 0 };
	/* A leading ':' makes getopt tell a missing argument (':') from an
	 * unknown option ('?'). */
	snprintf(merged_short, sizeof(merged_short), ":%s%s%s", shortopts,
		 strchr(shortopts, 'q') ? "" : "q", strchr(shortopts, 'v') ? "" : "v");
	merged_from = longopts;
}

int cli_getopt(const char *command, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	if (merged_from != longopts)
		merge_options(shortopts, longopts);
	opterr = 0;
	for (;;) {
		int idx = -1;
		int c = getopt_long(argc, argv, merged_short, merged, &idx);
		if (c == ':') {
			cli_usage_error(command, "option '%s' needs an argument", argv[optind - 1]);
			return '?';
		}
		if (c == '?') {
			if (optopt)
				cli_usage_error(command, "unknown option '-%c'", optopt);
			else if (strncmp(argv[optind - 1], "--", 2) == 0)
				unknown_long(command, argv[optind - 1], merged);
			else
				cli_usage_error(command, "unknown option '%s'", argv[optind - 1]);
			return '?';
		}
		if (idx >= 0) {
			/* getopt_long takes any unambiguous start of a name (--out
			 * for --output): refused, so that a script's abbreviation
			 * cannot come to mean another option when one is added. */
			const struct option *o = &merged[idx];
			const char *tok = argv[optind - 1];
			char *name = long_name(tok);
			/* --output=FILE is one word, --output FILE two. */
			bool joined = strncmp(tok, "--", 2) == 0 && strchr(tok, '=') &&
				      strncmp(o->name, name, strlen(name)) == 0;
			if (o->has_arg == required_argument && !joined && optind >= 2) {
				tok = argv[optind - 2];
				free(name);
				name = long_name(tok);
			}
			bool exact = strcmp(name, o->name) == 0;
			free(name);
			if (!exact) {
				unknown_long(command, tok, merged);
				return '?';
			}
		}
		/* -q and -v set how much every command says; a command that
		 * has its own meaning for them sees them too. */
		if (c == 'q' || c == 'v') {
			diag_set_verbosity(c == 'q' ? -1 : 1);
			if (!strchr(shortopts, c))
				continue;
		}
		return c;
	}
}

bool cli_quiet(void)
{
	return diag_verbosity() < 0;
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

int cli_key_passphrase(const char *key, bool confirm, char *pw, size_t *len, struct diag *d)
{
	const char *why;
	const char *file = getenv("SIRCOMM_KEY_PASSWORD_FILE");
	if (file && *file) {
		if (passphrase_from_file(file, pw, len, &why) == 0)
			return 0;
		if (strcmp(why, "cannot read") == 0)
			diag_error(d, file, 0, "cannot read (SIRCOMM_KEY_PASSWORD_FILE): %s",
				   strerror(errno));
		else
			diag_error(d, file, 0, "%s (SIRCOMM_KEY_PASSWORD_FILE)", why);
		return -1;
	}
	char *prompt = xasprintf("Passphrase for %s: ", key);
	int rc = passphrase_ask(prompt, confirm ? "The same passphrase again: " : NULL, pw, len, &why);
	free(prompt);
	if (rc == 0 && confirm && *len == 0) {
		why = "an empty passphrase protects nothing";
		rc = -1;
	}
	if (rc != 0) {
		if (strcmp(why, "no terminal to ask on") == 0)
			diag_error(d, key, 0, "no terminal to ask for the passphrase on: set "
				   "SIRCOMM_KEY_PASSWORD_FILE to a file holding it%s",
				   confirm ? ", or make the key with --unencrypted" : "");
		else
			diag_error(d, key, 0, "passphrase: %s", why);
	}
	return rc;
}
