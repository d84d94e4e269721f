/* cmd_policy.c - `sircomm policy show|check|export`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "sys/output.h"
#include "model/policy.h"
#include "base/resources.h"

const struct cli_doc cmd_policy_doc = {
	"sircomm policy show [--policy FILE] | check FILE... | export",
	"Show or validate policies (the communications plan as data).\n"
	"\n"
	"  sircomm policy show [--policy FILE]   the effective policy as Markdown tables\n"
	"  sircomm policy check FILE...          validate an organisation's own policy\n"
	"  sircomm policy export                 print the built-in policy's XML, to adapt\n"
	"\n"
	"  -p, --policy FILE   (show) show this policy instead of the built-in one\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 valid, 2 invalid policy or bad usage.\n",
};

static const struct option show_options[] = {
	{ "policy", required_argument, NULL, 'p' },
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
		return cli_usage_error("policy", "say show, check or export");
	const char *sub = argv[1];
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		cli_print_help(env->cmd);
		return SC_EXIT_OK;
	}
	optind = 1;
	if (strcmp(sub, "show") == 0)
		return policy_show(env, argc - 1, argv + 1);
	if (strcmp(sub, "check") == 0)
		return policy_check(env, argc - 1, argv + 1);
	if (strcmp(sub, "export") == 0)
		return policy_export(argc - 1, argv + 1);
	return cli_usage_error("policy", "unknown policy command '%s'", sub);
}
