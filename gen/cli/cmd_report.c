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
	"                      (- is standard output)\n"
	"  -t, --templates DIR (html) the page from DIR's report-page.html, when\n"
	"                      there is one (see 'sircomm templates export')\n"
	"  -h, --help          show this help\n",
};

static const struct option report_options[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "from", required_argument, NULL, 'F' },
	{ "to", required_argument, NULL, 'T' },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "templates", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The report's options, checked, for its work. */
struct report_args {
	const char *db_path, *output;
	enum report_format format;
	struct report_period period;
};

/* Builds the report from the ledger and writes it, once the templates
 * are set up. */
static int report_work(struct cli_env *env, void *ud)
{
	const struct report_args *a = ud;
	struct diag d = DIAG_INIT;
	struct ledger *db = NULL;
	struct report *r = NULL;
	struct buf out = BUF_INIT;
	int status = SC_EXIT_OK;
	if (ledger_open(a->db_path, LEDGER_READ_ONLY, &db, &d) != 0 ||
	    report_build(db, &a->period, &r, &d) != 0) {
		status = SC_EXIT_INPUT;
	} else if (a->format == REPORT_FORMAT_HTML) {
		if (report_render_html(r, &env->tpl, &out, &d) != 0)
			status = SC_EXIT_INPUT;
	} else {
		report_render(r, a->format, &out);
	}
	ledger_close(db);
	report_free(r);
	if (status == SC_EXIT_OK) {
		if (!a->output)
			output_stdout(buf_str(&out), out.len);
		else if (output_write_file(a->output, buf_str(&out), out.len, &d) != 0)
			status = SC_EXIT_IO;
	}
	diag_print(&d, stderr);
	diag_free(&d);
	buf_free(&out);
	return status;
}

int cmd_report(struct cli_env *env, int argc, char **argv)
{
	struct report_args a = { .format = REPORT_FORMAT_MD };
	const char *from = NULL, *to = NULL;
	int c;
	while ((c = cli_getopt("report", argc, argv, "d:f:o:t:h", report_options)) != -1) {
		switch (c) {
		case 'd': a.db_path = optarg; break;
		case 'F': from = optarg; break;
		case 'T': to = optarg; break;
		case 'f': {
			int f = report_format_parse(optarg);
			if (f < 0)
				return cli_usage_error("report", "format '%s' is not md, html, csv or json", optarg);
			a.format = (enum report_format)f;
			break;
		}
		case 'o': a.output = cli_output_path(optarg); break;
		case 't': env->templates_dir = optarg; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind < argc)
		return cli_usage_error("report", "unexpected argument '%s'", argv[optind]);
	if (!a.db_path)
		return cli_usage_error("report", "say which ledger with --db FILE");
	const char *why;
	switch (report_period_days(&a.period, from, to, &why)) {
	case 0: break;
	case REPORT_BAD_FROM: return cli_usage_error("report", "--from '%s' %s", from, why);
	case REPORT_BAD_TO: return cli_usage_error("report", "--to '%s' %s", to, why);
	default: return cli_usage_error("report", "--from %s is after --to %s", from, to);
	}
	return cli_run(env, optind, NULL, report_work, &a);
}
