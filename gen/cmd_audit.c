/* cmd_audit.c - `sircomm audit`: findings, rule by rule, with evidence. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "audit_report.h"
#include "cli.h"
#include "diag.h"
#include "output.h"
#include "policy.h"
#include "record.h"
#include "ts.h"

/* Parses --at: an RFC 3339 time, or "now". */
int cli_parse_at(const char *command, const char *s, int64_t *at)
{
	if (strcmp(s, "now") == 0) {
		*at = (int64_t)time(NULL);
		return 0;
	}
	int off;
	const char *why;
	if (ts_parse(s, at, &off, &why) != 0) {
		cli_usage_error(command, "--at '%s' %s", s, why);
		return -1;
	}
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "at", required_argument, NULL, 'a' },
		{ "policy", required_argument, NULL, 'p' },
		{ "color", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum audit_format format = AUDIT_FORMAT_TEXT;
	const char *output = NULL, *policy_path = NULL, *colour = "auto";
	int64_t at = AUDIT_AT_RECORD;
	int c;
	while ((c = cli_getopt("audit", argc, argv, "f:o:a:p:h", longopts)) != -1) {
		switch (c) {
		case 'f': {
			int f = audit_format_parse(optarg);
			if (f < 0)
				return cli_usage_error("audit", "format '%s' is not text, md, csv, json or html", optarg);
			format = (enum audit_format)f;
			break;
		}
		case 'o': output = optarg; break;
		case 'a':
			if (cli_parse_at("audit", optarg, &at) != 0)
				return SC_EXIT_INPUT;
			break;
		case 'p': policy_path = optarg; break;
		case 'c':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				return cli_usage_error("audit", "--color takes auto, always or never");
			colour = optarg;
			break;
		case 'h': cli_print_help(cli_find("audit")); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	int n = argc - optind;
	if (n < 1)
		return cli_usage_error("audit", "no record given");
	if (n > 1 && format == AUDIT_FORMAT_HTML)
		return cli_usage_error("audit", "the html format takes one record");
	bool use_colour = strcmp(colour, "always") == 0 ||
			  (strcmp(colour, "auto") == 0 && !output && format == AUDIT_FORMAT_TEXT &&
			   isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));

	struct diag d = DIAG_INIT;
	struct policy *pol;
	if (pol_load(policy_path, &d, &pol) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_INPUT;
	}
	diag_print(&d, stderr);
	diag_free(&d);

	struct buf out = BUF_INIT;
	int status = SC_EXIT_OK;
	if (format == AUDIT_FORMAT_JSON && n > 1)
		buf_puts(&out, "[\n");
	for (int i = optind; i < argc; i++) {
		struct record *rec;
		if (rec_load(argv[i], pol, &d, &rec) != 0) {
			diag_print(&d, stderr);
			diag_free(&d);
			status = SC_EXIT_INPUT;
			continue;
		}
		diag_print(&d, stderr);
		diag_free(&d);
		struct audit *au;
		audit_run(rec, pol, at, &au);
		if (format == AUDIT_FORMAT_CSV && i > optind) {
			/* One header for all records. */
			struct buf one = BUF_INIT;
			audit_render(au, format, false, &one);
			const char *body = strchr(buf_str(&one), '\n');
			buf_puts(&out, body ? body + 1 : "");
			buf_free(&one);
		} else {
			if (format == AUDIT_FORMAT_JSON && i > optind)
				buf_puts(&out, ",\n");
			else if (i > optind)
				buf_putc(&out, '\n');
			audit_render(au, format, use_colour, &out);
		}
		if (audit_failed(au) && status == SC_EXIT_OK)
			status = SC_EXIT_FAIL;
		audit_free(au);
		rec_free(rec);
	}
	if (format == AUDIT_FORMAT_JSON && n > 1)
		buf_puts(&out, "]\n");
	if (status != SC_EXIT_INPUT) {
		if (output) {
			if (out_write_file(output, out.data ? out.data : "", out.len, &d) != 0) {
				diag_print(&d, stderr);
				diag_free(&d);
				status = SC_EXIT_IO;
			}
		} else {
			fwrite(buf_str(&out), 1, out.len, stdout);
		}
	}
	buf_free(&out);
	pol_free(pol);
	return status;
}
