/* cmd_verify.c - `sircomm verify`: check audit bundles. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "bundle/bundle.h"
#include "cli/cli.h"
#include "base/diag.h"
#include "sys/output.h"

const struct cli_doc cmd_verify_doc = {
	"sircomm verify [--pubkey KEY.pub] BUNDLE...",
	"Check audit bundles: the zip's structure, bagit.txt, every manifest line\n"
	"and hash, files present but not listed, Payload-Oxum, the tag manifest,\n"
	"and with --pubkey the signature in <bundle>.minisig.  One line per\n"
	"problem.  Entries are read streaming, within fixed limits, so a hostile\n"
	"zip (a bomb, '..' names, links or devices whatever host they claim) is\n"
	"reported, never extracted.  Every tag file must be in the tag manifest.\n"
	"\n"
	"  -P, --pubkey KEY.pub  check the signature with this minisign public key\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 intact, 1 a problem was found, 2 bad usage.\n",
};

static const struct option verify_options[] = {
	{ "pubkey", required_argument, NULL, 'P' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_verify(struct cli_env *env, int argc, char **argv)
{
	const char *pubkey_path = NULL;
	int c;
	while ((c = cli_getopt("verify", argc, argv, "P:h", verify_options)) != -1) {
		switch (c) {
		case 'P': pubkey_path = optarg; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind >= argc)
		return cli_usage_error("verify", "no bundle given");
	struct diag d = DIAG_INIT;
	size_t key_len = 0;
	char *key = NULL;
	if (pubkey_path && !(key = cli_read_key(pubkey_path, &key_len, &d))) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_INPUT;
	}
	int status = SC_EXIT_OK;
	for (int i = optind; i < argc && !output_stdout_error(); i++) {
		int problems = bundle_verify(argv[i], key, key_len, &d);
		diag_print(&d, stderr);
		diag_free(&d);
		if (problems == 0)
			output_line("%s: ok%s", argv[i], key ? ", signature good" : " (signature not checked)");
		else
			status = SC_EXIT_FAIL;
	}
	free(key);
	return status;
}
