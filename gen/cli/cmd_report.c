/* cmd_report.c - `sircomm report`: the compliance report over a period of
 * the ledger. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "ledger/ledger.h"
#include "sys/output.h"
#include "ledger/report.h"

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "from", required_argument, NULL, 'F' },
		{ "to", required_argument, NULL, 'T' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_path = NULL, *from = NULL, *to = NULL, *output = NULL;
	enum report_format format = REPORT_FORMAT_MD;
	int c;
	while ((c = cli_getopt("report", argc, argv, "d:f:o:h", longopts)) != -1) {
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
		case 'h': cli_print_help(cli_find("report")); return SC_EXIT_OK;
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
		if (out_write_file(output, buf_str(&out), out.len, &d) != 0)
			status = SC_EXIT_IO;
	} else {
		out_stdout(buf_str(&out), out.len);
	}
	diag_print(&d, stderr);
	diag_free(&d);
	buf_free(&out);
	return status;
}
