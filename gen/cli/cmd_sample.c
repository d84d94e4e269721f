/* cmd_sample.c - `sircomm sample`: generated records for benchmarks. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/sample.h"

static int parse_count(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || !*s || s[0] == '-' || v > max)
		return -1;
	*out = v;
	return 0;
}

int cmd_sample(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "policy", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t count = 10, seed = 1;
	const char *outdir = NULL, *policy_path = NULL;
	int c;
	while ((c = cli_getopt("sample", argc, argv, "n:s:o:p:h", longopts)) != -1) {
		switch (c) {
		case 'n':
			if (parse_count(optarg, 10000000, &count) != 0)
				return cli_usage_error("sample", "--count '%s' is not a number up to 10000000", optarg);
			break;
		case 's':
			if (parse_count(optarg, UINT64_MAX, &seed) != 0)
				return cli_usage_error("sample", "--seed '%s' is not a whole number", optarg);
			break;
		case 'o': outdir = optarg; break;
		case 'p': policy_path = optarg; break;
		case 'h': cli_print_help(cli_find("sample")); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind < argc)
		return cli_usage_error("sample", "unexpected operand '%s'", argv[optind]);
	if (!outdir)
		return cli_usage_error("sample", "say where with -o DIR");
	struct diag d = DIAG_INIT;
	if (out_check_dir(outdir, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_IO;
	}
	struct policy *pol;
	if (pol_load(policy_path, &d, &pol) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_INPUT;
	}
	int status = SC_EXIT_OK;
	struct buf xml = BUF_INIT;
	for (uint64_t i = 0; i < count && status == SC_EXIT_OK; i++) {
		buf_reset(&xml);
		sample_record(pol, seed, i, &xml);
		char *path = xasprintf("%s/GEN-%" PRIu64 "-%06" PRIu64 ".xml", outdir, seed, i);
		if (out_write_file(path, xml.data, xml.len, &d) != 0)
			status = SC_EXIT_IO;
		free(path);
	}
	diag_print(&d, stderr);
	diag_free(&d);
	if (status == SC_EXIT_OK)
		out_line("%" PRIu64 " records written to %s", count, outdir);
	buf_free(&xml);
	pol_free(pol);
	return status;
}
