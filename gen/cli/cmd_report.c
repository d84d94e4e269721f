/* cmd_report.c - `sircomm report`: the compliance report over a period of
 * the ledger. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "ledger/ledger.h"
#include "sys/output.h"
#include "ledger/report.h"

const struct cli_doc cmd_report_doc = {
	"sircomm report --db LEDGER [--from DATE] [--to DATE] [--format md|html|csv|json]",
	"A compliance report over the ledger's incidents whose communications\n"
	"started in a period: incidents by severity, S1 artifacts meeting the\n"
	"turnaround, turnaround and drafting times (median, 90th percentile),\n"
	"response times per approver group and round, back-ups engaged,\n"
	"deployments under the cutoff quorum, failures by rule, exceptions used.\n"
	"\n"
	"  -d, --db FILE       the ledger\n"
	"      --from DATE     first day (YYYY-MM-DD, UTC), inclusive\n"
	"      --to DATE       last day (YYYY-MM-DD, UTC), inclusive\n"
	"  -f, --format FMT    md (default), html, csv or json\n"
	"  -o, --output FILE   write there (atomically) instead of standard output\n"
	"  -h, --help          show this help\n",
};

static const struct option report_options[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "from", required_argument, NULL, 'F' },
	{ "to", required_argument, NULL, 'T' },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int cmd_report(struct cli_env *env, int argc, char **argv)
{
	const char *db_path = NULL, *from = NULL, *to = NULL, *output = NULL;
	enum report_format format = REPORT_FORMAT_MD;
	int c;
	while ((c = cli_getopt("report", argc, argv, "d:f:o:h", report_options)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'F': from = optarg; break;
		case 'T': to = optarg; break;
		case 'f': {
			int f = report_format_parse(optarg);
			if (f < 0)
				return cli_usage_error("report", "format '%s' is not md, html, csv or json", optarg);
			format = (enum report_format)f;
			break;
		}
		case 'o': output = optarg; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind < argc)
		return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
	if (!db_path)
		return cli_usage_error("report", "say which ledger with --db FILE");
	struct report_period period;
	const char *why;
	switch (report_period_days(&period, from, to, &why)) {
	case 0: break;
	case REPORT_BAD_FROM: return cli_usage_error("report", "--from '%s' %s", from, why);
	case REPORT_BAD_TO: return cli_usage_error("report", "--to '%s' %s", to, why);
	default: return cli_usage_error("report", "--from %s is after --to %s", from, to);
	}

	struct diag d = DIAG_INIT;
	struct ledger *db = NULL;
	struct report *r = NULL;
	if (ledger_open(db_path, LEDGER_READ_ONLY, &db, &d) != 0 ||
	    report_build(db, &period, &r, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		ledger_close(db);
		return SC_EXIT_INPUT;
	}
	ledger_close(db);

	struct buf out = BUF_INIT;
	report_render(r, format, &out);
	report_free(r);
	int status = SC_EXIT_OK;
	if (output) {
		if (output_write_file(output, buf_str(&out), out.len, &d) != 0)
			status = SC_EXIT_IO;
	} else {
		output_stdout(buf_str(&out), out.len);
	}
	diag_print(&d, stderr);
	diag_free(&d);
	buf_free(&out);
	return status;
}
