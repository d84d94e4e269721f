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
#include "sys/progress.h"
#include "model/policy.h"
#include "model/sample.h"

const struct cli_doc cmd_sample_doc = {
	"sircomm sample [--count N] [--seed S] -o DIR",
	"Write generated incident records, realistic and valid, for benchmarks\n"
	"and load tests: every severity and fact, late engagements, silent\n"
	"approvers and back-ups, deployments at the cutoff with the quorum,\n"
	"missed turnarounds with exceptions, several UTC offsets, 20 to 200\n"
	"events each.  The same seed gives the same files.\n"
	"\n"
	"  -n, --count N       how many (default 10)\n"
	"  -s, --seed S        the seed (default 1)\n"
	"  -f, --first I       start at record I of the seed (default 0): a large\n"
	"                      set made in parts, each part the same files as\n"
	"                      the set made at once\n"
	"  -o, --output DIR    where to write GEN-<seed>-<n>.xml (made, with its\n"
	"                      parents, when missing)\n"
	"  -p, --policy FILE   the policy instead of the one found\n"
	"  -h, --help          show this help\n",
};

static const struct option sample_options[] = {
	{ "count", required_argument, NULL, 'n' },
	{ "seed", required_argument, NULL, 's' },
	{ "first", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "policy", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

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

struct sample_opts {
	uint64_t count, seed, first;
};

/* Writes the records, once the output directory is checked and the
 * policy loaded. */
static int sample_work(struct cli_env *env, void *ud)
{
	const struct sample_opts *o = ud;
	struct diag d = DIAG_INIT;
	int status = SC_EXIT_OK;
	struct buf xml = BUF_INIT;
	struct progress pr;
	progress_begin(&pr, "sample", (size_t)o->count, !cli_quiet());
	for (uint64_t i = o->first; i - o->first < o->count && status == SC_EXIT_OK; i++) {
		buf_reset(&xml);
		sample_record(env->pol, o->seed, i, &xml);
		char *path = xasprintf("%s/GEN-%" PRIu64 "-%06" PRIu64 ".xml", env->outdir, o->seed, i);
		if (output_write_file(path, xml.data, xml.len, &d) != 0)
			status = SC_EXIT_IO;
		free(path);
		progress_step(&pr);
	}
	progress_end(&pr);
	diag_print(&d, stderr);
	diag_free(&d);
	if (status == SC_EXIT_OK && !cli_quiet())
		output_line("%" PRIu64 " records written to %s", o->count, env->outdir);
	buf_free(&xml);
	return status;
}

int cmd_sample(struct cli_env *env, int argc, char **argv)
{
	struct sample_opts o = { 10, 1, 0 };
	const char *outdir = NULL;
	int c;
	while ((c = cli_getopt("sample", argc, argv, "n:s:f:o:p:h", sample_options)) != -1) {
		switch (c) {
		case 'n':
			if (parse_count(optarg, 10000000, &o.count) != 0)
				return cli_usage_error("sample", "--count '%s' is not a number up to 10000000", optarg);
			break;
		case 's':
			if (parse_count(optarg, UINT64_MAX, &o.seed) != 0)
				return cli_usage_error("sample", "--seed '%s' is not a whole number", optarg);
			break;
		case 'f':
			if (parse_count(optarg, 100000000, &o.first) != 0)
				return cli_usage_error("sample", "--first '%s' is not a number up to 100000000", optarg);
			break;
		case 'o': outdir = optarg; break;
		case 'p': env->policy_path = optarg; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind < argc)
		return cli_usage_error("sample", "unexpected operand '%s'", argv[optind]);
	if (!outdir)
		return cli_usage_error("sample", "say where with -o DIR");
	env->outdir = outdir;
	return cli_run(env, optind, NULL, sample_work, &o);
}
