/* cmd_status.c - `sircomm status`: what to chase now. */
#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "audit/audit.h"
#include "audit/audit_report.h"
#include "cli/cli.h"
#include "base/diag.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"

int cmd_status(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "policy", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy_path = NULL;
	int64_t at = (int64_t)time(NULL);
	int c;
	while ((c = cli_getopt("status", argc, argv, "a:p:h", longopts)) != -1) {
		switch (c) {
		case 'a':
			if (cli_parse_at("status", optarg, &at) != 0)
				return SC_EXIT_INPUT;
			break;
		case 'p': policy_path = optarg; break;
		case 'h': cli_print_help(cli_find("status")); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("status", argc - optind ? "status takes one record" : "no record given");

	struct diag d = DIAG_INIT;
	struct policy *pol = NULL;
	struct record *rec = NULL;
	int status = SC_EXIT_INPUT;
	if (pol_load(policy_path, &d, &pol) == 0 && rec_load(argv[optind], pol, &d, &rec) == 0) {
		struct audit *au;
		audit_run(rec, pol, at, &au);
		struct buf out = BUF_INIT;
		audit_render_status(au, &out);
		out_stdout(buf_str(&out), out.len);
		buf_free(&out);
		status = audit_failed(au) ? SC_EXIT_FAIL : SC_EXIT_OK;
		audit_free(au);
	}
	diag_print(&d, stderr);
	diag_free(&d);
	rec_free(rec);
	pol_free(pol);
	return status;
}
