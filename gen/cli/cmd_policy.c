/* cmd_policy.c - `sircomm policy show|check|export`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "sys/output.h"
#include "model/policy.h"
#include "base/resources.h"

const struct cli_doc cmd_policy_doc = {
	"sircomm policy show [--policy FILE] | where [--policy FILE] [--templates DIR]\n"
	"       | check FILE... | export",
	"Show or validate policies (the communications plan as data).\n"
	"\n"
	"  sircomm policy show [--policy FILE]   the effective policy as Markdown tables\n"
	"  sircomm policy where                  which policy and templates are in effect, and why\n"
	"  sircomm policy check FILE...          validate an organisation's own policy\n"
	"  sircomm policy export                 print the built-in policy's XML, to adapt\n"
	"\n"
	"  -p, --policy FILE   (show, where) this policy instead of the one found\n"
	"      --templates DIR (where) these templates instead of the ones found\n"
	"  -h, --help          show this help\n"
	"\n"
	"Without --policy, every command uses the first of: $SIRCOMM_POLICY,\n"
	"$XDG_CONFIG_HOME/sircomm/policy.xml (~/.config/sircomm/policy.xml),\n"
	"/etc/sircomm/policy.xml, the built-in example policy.  Templates the same:\n"
	"--templates DIR, $SIRCOMM_TEMPLATES, $XDG_CONFIG_HOME/sircomm/templates/,\n"
	"/etc/sircomm/templates/, the built-in ones.\n"
	"\n"
	"Exit status: 0 valid, 2 invalid policy or bad usage.\n",
};

static const struct option show_options[] = {
	{ "policy", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option where_options[] = {
	{ "policy", required_argument, NULL, 'p' },
	{ "templates", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option check_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int show_work(struct cli_env *env, void *ud)
{
	(void)ud;
	struct buf out = BUF_INIT;
	pol_show_markdown(env->pol, &out);
	output_stdout(out.data, out.len);
	buf_free(&out);
	return SC_EXIT_OK;
}

static int policy_show(struct cli_env *env, int argc, char **argv)
{
	int c;
	while ((c = cli_getopt("policy", argc, argv, "p:h", show_options)) != -1) {
		switch (c) {
		case 'p': env->policy_path = optarg; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind < argc)
		return cli_usage_error("policy", "'policy show' takes no operands (use --policy FILE)");
	return cli_run(env, optind, NULL, show_work, NULL);
}

/* One lookup, each place looked at with what was found there. */
static void print_lookup(const struct cli_lookup *l)
{
	static const char *const labels[] = {
		NULL, NULL, "your settings", "the system's settings", "built into sircomm",
	};
	for (int i = 0; i < 5; i++) {
		const struct cli_lookup_step *st = &l->steps[i];
		const char *state;
		if (st->state == CLI_LOOKUP_USED)
			state = "in effect";
		else if (st->state == CLI_LOOKUP_SKIPPED)
			state = "not looked at";
		else if (i == 0)
			state = "not given";
		else if (i == 1)
			state = "not set";
		else if (!st->path)
			state = "no home directory";
		else
			state = "not found";
		char *place = i == 0 ? xasprintf("%s option", st->source)
			    : i == 1 ? xasprintf("$%s", st->source)
			    : xstrdup(labels[i]);
		if (st->path)
			output_line("  %-3s %-22s %-13s %s", st->state == CLI_LOOKUP_USED ? "->" : "",
				    place, state, st->path);
		else
			output_line("  %-3s %-22s %s", st->state == CLI_LOOKUP_USED ? "->" : "",
				    place, state);
		free(place);
	}
}

static int where_work(struct cli_env *env, void *ud)
{
	(void)ud;
	struct cli_lookup pl, tl;
	cli_lookup(false, env->policy_path, &pl);
	cli_lookup(true, env->templates_dir, &tl);
	const struct policy *pol = env->pol;
	if (pl.path)
		output_line("policy: %s: '%s' of %s, sha256 %s", pl.path, pol->name,
			    pol->organization, pol->sha256_hex);
	else
		output_line("policy: the built-in example policy '%s' of %s: drafts are signed "
			    "%s <%s>", pol->name, pol->organization, pol->sender_name,
			    pol->sender_address);
	print_lookup(&pl);
	output_line("templates: %s", tl.path ? tl.path : "the built-in templates");
	print_lookup(&tl);
	cli_lookup_free(&pl);
	cli_lookup_free(&tl);
	return SC_EXIT_OK;
}

/* `policy where`: loads both, so a policy or template directory that
 * would fail any command fails here too, with its errors. */
static int policy_where(struct cli_env *env, int argc, char **argv)
{
	int c;
	while ((c = cli_getopt("policy", argc, argv, "p:h", where_options)) != -1) {
		switch (c) {
		case 'p': env->policy_path = optarg; break;
		case 't': env->templates_dir = optarg; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind < argc)
		return cli_usage_error("policy", "'policy where' takes no operands");
	env->needs |= CLI_TEMPLATES;
	return cli_run(env, optind, NULL, where_work, NULL);
}

/* Checks the policy files given, not the one to use: no set-up. */
static int policy_check(struct cli_env *env, int argc, char **argv)
{
	int c;
	while ((c = cli_getopt("policy", argc, argv, "h", check_options)) != -1) {
		switch (c) {
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind >= argc)
		return cli_usage_error("policy", "'policy check' needs a policy file");
	size_t bad = 0;
	for (int i = optind; i < argc; i++) {
		struct diag d = DIAG_INIT;
		struct policy *pol;
		int rc = pol_load(argv[i], &d, &pol);
		diag_print(&d, stderr);
		diag_free(&d);
		if (rc != 0) {
			bad++;
			continue;
		}
		output_line("%s: ok: policy '%s', %zu groups, %zu artifacts, %zu engagement rows, sha256 %s",
		       pol->path, pol->name, pol->n_groups, pol->n_artifacts, pol->n_engagements,
		       pol->sha256_hex);
		pol_free(pol);
	}
	return bad ? SC_EXIT_INPUT : SC_EXIT_OK;
}

static int policy_export(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage_error("policy", "'policy export' takes no operands");
	const struct res_file *res = res_find("policy/policy.xml");
	output_stdout(res->data, res->size);
	return SC_EXIT_OK;
}

int cmd_policy(struct cli_env *env, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("policy", "say show, where, check or export");
	const char *sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		cli_print_help(env->cmd);
		return SC_EXIT_OK;
	}
	optind = 1;
	if (strcmp(sub, "show") == 0)
		return policy_show(env, argc - 1, argv + 1);
	if (strcmp(sub, "where") == 0)
		return policy_where(env, argc - 1, argv + 1);
	if (strcmp(sub, "check") == 0)
		return policy_check(env, argc - 1, argv + 1);
	if (strcmp(sub, "export") == 0)
		return policy_export(argc - 1, argv + 1);
	return cli_usage_error("policy", "unknown policy command '%s'", sub);
}
