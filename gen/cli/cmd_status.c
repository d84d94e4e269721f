/* cmd_status.c - `sircomm status`: what to chase now. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "audit/audit_report.h"
#include "cli/cli.h"
#include "base/diag.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"

const struct cli_doc cmd_status_doc = {
	"sircomm status [--at TIME] [--format text|json] [--color WHEN] RECORD",
	"The live view for the comms manager, from the audit of the record as of\n"
	"TIME: first the regulators' clocks of the regimes the record states (the\n"
	"deadline at its starting event's offset and in UTC, the time left; not\n"
	"legal advice: docs/regulatory.md); the turnaround and the cutoff with the time left; what is overdue;\n"
	"back-ups to engage now (with their titles); what is due next, soonest\n"
	"first (answers awaited, updates, engagements, drafts, deployments, each\n"
	"deployment by the first of its hour after quorum and the turnaround);\n"
	"what the next deployment still needs (companions drafted, DevRel and\n"
	"Marketing Ops engaged); and what is still owed.  docs/status.md.\n"
	"\n"
	"  -a, --at TIME      as of this time (RFC 3339, or now; default: now)\n"
	"  -f, --format FMT   text (default) or json: one object with incident,\n"
	"                     at, overdue, engage_backups, due_next,\n"
	"                     before_deployment, still_owed and legal_clocks,\n"
	"                     times in UTC\n"
	"      --color WHEN   auto (default: on a terminal, unless NO_COLOR is\n"
	"                     set), always or never; text only: overdue red, due\n"
	"                     within 15 minutes yellow\n"
	"  -p, --policy FILE  the policy instead of the one found\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 nothing overdue, 1 something overdue, 2 bad input or\n"
	"usage, 3 the output could not be written.\n",
};

static const struct option status_options[] = {
	{ "at", required_argument, NULL, 'a' },
	{ "format", required_argument, NULL, 'f' },
	{ "color", required_argument, NULL, 'c' },
	{ "policy", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct status_opts {
	int64_t at;
	enum audit_format format;
	bool colour;
};

/* The status of the one record, once the policy is loaded. */
static int status_work(struct cli_env *env, void *ud)
{
	const struct status_opts *o = ud;
	struct diag d = DIAG_INIT;
	struct record *rec = NULL;
	int status = SC_EXIT_INPUT;
	if (rec_load(env->argv[env->first], env->pol, &d, &rec) == 0) {
		struct audit *au;
		audit_run(rec, env->pol, o->at, &au);
		struct buf out = BUF_INIT;
		audit_render_status(au, o->format, o->colour, &out);
		output_stdout(buf_str(&out), out.len);
		buf_free(&out);
		status = audit_failed(au) ? SC_EXIT_FAIL : SC_EXIT_OK;
		audit_free(au);
	}
	diag_print(&d, stderr);
	diag_free(&d);
	rec_free(rec);
	return status;
}

int cmd_status(struct cli_env *env, int argc, char **argv)
{
	struct status_opts o = { (int64_t)time(NULL), AUDIT_FORMAT_TEXT, false };
	enum cli_colour colour = CLI_COLOUR_AUTO;
	int c;
	while ((c = cli_getopt("status", argc, argv, "a:f:p:h", status_options)) != -1) {
		switch (c) {
		case 'a':
			if (cli_parse_at("status", optarg, &o.at) != 0)
				return SC_EXIT_INPUT;
			break;
		case 'f':
			if (strcmp(optarg, "text") == 0)
				o.format = AUDIT_FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o.format = AUDIT_FORMAT_JSON;
			else
				return cli_usage_error("status", "format '%s' is not text or json", optarg);
			break;
		case 'c':
			if (cli_parse_colour("status", optarg, &colour) != 0)
				return SC_EXIT_INPUT;
			break;
		case 'p': env->policy_path = optarg; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("status", argc - optind ? "status takes one record" : "no record given");
	o.colour = o.format == AUDIT_FORMAT_TEXT && cli_colour_stdout(colour);
	return cli_run(env, optind, NULL, status_work, &o);
}
