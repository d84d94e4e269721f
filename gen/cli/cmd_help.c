/* cmd_help.c - `sircomm help` and `sircomm version`: what the command
 * table says about the commands, and the versions in use. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bundle/bundle.h"
#include "cli/cli.h"
#include "config.h"
#include "base/diag.h"
#include "sys/output.h"

const struct cli_doc cmd_help_doc = {
	"sircomm help [--man] [COMMAND]",
	"Show the list of commands, or one command's help.\n"
	"\n"
	"      --man          print the manual page instead, in roff: sircomm(1),\n"
	"                     or sircomm-COMMAND(1) (installed; man sircomm)\n",
};

const struct cli_doc cmd_version_doc = {
	"sircomm version",
	"Show sircomm's version and the versions of the libraries it uses.\n",
};

static const struct option help_options[] = {
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const struct option help_man_options[] = {
	{ "man", no_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_help(struct cli_env *env, int argc, char **argv)
{
	(void)env;
	bool man = false;
	int c;
	while ((c = cli_getopt("help", argc, argv, "h", help_man_options)) != -1) {
		switch (c) {
		case 'm': man = true; break;
		case 'h': cli_print_overview(stdout); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("help", "too many arguments");
	const struct cli_command *cmd = NULL;
	if (argc - optind == 1) {
		cmd = cli_find(argv[optind]);
		if (!cmd)
			return cli_unknown_command("help", argv[optind]);
	}
	if (man) {
		struct buf out = BUF_INIT;
		cli_doc_man(cmd, &out);
		output_stdout(out.data, out.len);
		buf_free(&out);
	} else if (cmd) {
		cli_print_help(cmd);
	} else {
		cli_print_overview(stdout);
	}
	return SC_EXIT_OK;
}

int cmd_version(struct cli_env *env, int argc, char **argv)
{
	int c;
	while ((c = cli_getopt("version", argc, argv, "h", help_options)) != -1) {
		if (c != 'h')
			return SC_EXIT_INPUT;
		cli_print_help(env->cmd);
		return SC_EXIT_OK;
	}
	if (optind < argc)
		return cli_usage_error("version", "too many arguments");
	struct buf libs = BUF_INIT;
	bundle_library_versions(&libs);
	output_printf("sircomm %s\n%s\n", SIRCOMM_VERSION, buf_str(&libs));
	buf_free(&libs);
	return SC_EXIT_OK;
}

