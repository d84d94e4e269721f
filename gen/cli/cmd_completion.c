/* cmd_completion.c - `sircomm completion`: shell completion scripts,
 * and the values they ask for as one completes. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "draft/draft.h"
#include "format/tmpl_set.h"
#include "model/policy.h"
#include "model/record.h"
#include "sys/output.h"

const struct cli_doc cmd_completion_doc = {
	"sircomm completion bash|zsh | --values groups|artifacts|events|templates [--policy FILE]",
	"Print the completion script for bash or zsh, generated from sircomm's\n"
	"command table: commands, their options, the values of formats and\n"
	"--color, files and directories, and the groups, artifacts and event\n"
	"types of the policy in effect.  Installed with sircomm (bash-completion's\n"
	"and zsh's site directories); by hand:\n"
	"\n"
	"  source <(sircomm completion bash)\n"
	"\n"
	"  -V, --values KIND  print, one a line, what the scripts complete:\n"
	"                     groups, artifacts (the policy's), events (event\n"
	"                     types), templates (their names)\n"
	"  -p, --policy FILE  the policy instead of the built-in one\n"
	"  -t, --templates DIR  (templates) the templates of DIR too\n"
	"  -h, --help         show this help\n",
};

static const struct option completion_options[] = {
	{ "values", required_argument, NULL, 'V' },
	{ "policy", required_argument, NULL, 'p' },
	{ "templates", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const kinds[] = { "groups", "artifacts", "events", "templates" };

/* Prints the values of one kind, once the policy (and templates) are
 * loaded. */
static int values_work(struct cli_env *env, void *ud)
{
	const char *kind = ud;
	const struct policy *pol = env->pol;
	if (strcmp(kind, "groups") == 0) {
		for (size_t i = 0; i < pol->n_groups; i++)
			output_line("%s", pol->groups[i].id);
	} else if (strcmp(kind, "artifacts") == 0) {
		for (size_t i = 0; i < pol->n_artifacts; i++)
			output_line("%s", pol->artifacts[i].id);
	} else if (strcmp(kind, "events") == 0) {
		for (int i = 0; i < REC_EV_COUNT; i++)
			output_line("%s", rec_event_type_name((enum rec_event_type)i));
	} else {
		for (size_t i = 0; i < env->tpl.n; i++)
			output_line("%s", env->tpl.items[i].name);
	}
	return SC_EXIT_OK;
}

int cmd_completion(struct cli_env *env, int argc, char **argv)
{
	const char *kind = NULL;
	int c;
	while ((c = cli_getopt("completion", argc, argv, "V:p:t:h", completion_options)) != -1) {
		switch (c) {
		case 'V': kind = optarg; break;
		case 'p': env->policy_path = optarg; break;
		case 't': env->templates_dir = optarg; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (kind) {
		size_t k = 0;
		while (k < 4 && strcmp(kind, kinds[k]) != 0)
			k++;
		if (k == 4)
			return cli_unknown("completion", "kind of values", kind, kinds, 4);
		if (optind < argc)
			return cli_usage_error("completion", "unexpected operand '%s'", argv[optind]);
		env->needs = k == 3 ? CLI_TEMPLATES : CLI_POLICY;
		return cli_run(env, optind, NULL, values_work, (void *)kind);
	}
	if (argc - optind != 1)
		return cli_usage_error("completion", "say bash or zsh");
	struct buf drafts = BUF_INIT, out = BUF_INIT;
	for (int i = 0; i < DRAFT_COUNT; i++)
		buf_printf(&drafts, "%s%s", i ? " " : "", draft_artifact_id((enum draft_artifact)i));
	static const char *const shells[] = { "bash", "zsh" };
	int status = SC_EXIT_OK;
	if (strcmp(argv[optind], "bash") == 0)
		cli_doc_bash(&out, buf_str(&drafts));
	else if (strcmp(argv[optind], "zsh") == 0)
		cli_doc_zsh(&out, buf_str(&drafts));
	else
		status = cli_unknown("completion", "shell", argv[optind], shells, 2);
	output_stdout(out.data, out.len);
	buf_free(&out);
	buf_free(&drafts);
	return status;
}
