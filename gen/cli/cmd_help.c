/* cmd_help.c - `sircomm help` and `sircomm version`, and the overview
 * printed by `sircomm --help`, generated from the command table. */
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <sodium.h>

#include "cli/cli.h"
#include "config.h"
#include "base/diag.h"
#include "sys/output.h"

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
		out_stdout(b.data, b.len);
	else
		fputs(buf_str(&b), out);
	buf_free(&b);
}

int cmd_help(int argc, char **argv)
{
	if (argc > 2)
		return cli_usage_error("help", "too many arguments");
	if (argc == 2 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0) {
		const struct cli_command *cmd = cli_find(argv[1]);
		if (!cmd)
			return cli_usage_error("help", "unknown command '%s'", argv[1]);
		cli_print_help(cmd);
		return SC_EXIT_OK;
	}
	cli_print_overview(stdout);
	return SC_EXIT_OK;
}

int cmd_version(int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage_error("version", "too many arguments");
	out_printf("sircomm %s\n", SIRCOMM_VERSION);
	out_printf("libxml2 %s, libsodium %s\n", xmlParserVersion, sodium_version_string());
	return SC_EXIT_OK;
}

