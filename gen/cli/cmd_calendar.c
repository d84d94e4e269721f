/* cmd_calendar.c - `sircomm calendar`: open deadlines as an iCalendar file. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "audit/audit_ics.h"
#include "cli/cli.h"
#include "base/diag.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"

const struct cli_doc cmd_calendar_doc = {
	"sircomm calendar [-o FILE.ics] [--at TIME] RECORD...",
	"Write every deadline still open in the records, the regulators' (the\n"
	"regimes each record states) and the plan's, as an iCalendar file (RFC\n"
	"5545): one event per deadline with alarms an hour before, and a day\n"
	"before for a regulator's.  Each event's UID is the incident, the rule\n"
	"and the subject, so importing a new export updates the events rather\n"
	"than adding copies.  sircomm gives no legal advice: which regimes apply\n"
	"is the record's statement, the deadlines the policy's data\n"
	"(docs/regulatory.md, docs/calendar.md).\n"
	"\n"
	"  -o, --output FILE  write there (atomically) instead of standard output\n"
	"  -a, --at TIME      the deadlines open at this time (RFC 3339, or now);\n"
	"                     default: the last moment each record speaks of\n"
	"  -p, --policy FILE  the policy instead of the built-in one\n"
	"  -h, --help         show this help\n"
	"\n"
	"Two records of one incident are refused.  Exit status: 0 written, 2 bad\n"
	"input or usage (nothing written), 3 the output could not be written.\n",
};

static const struct option calendar_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "at", required_argument, NULL, 'a' },
	{ "policy", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct calendar_opts {
	const char *output;
	int64_t at;
};

static int calendar_work(struct cli_env *env, void *ud)
{
	const struct calendar_opts *o = ud;
	struct diag d = DIAG_INIT;
	struct buf out = BUF_INIT;
	int status = SC_EXIT_OK;
	audit_ics_begin(&out);
	for (int i = env->first; i < env->argc; i++) {
		struct record *rec = NULL;
		if (cli_records_load(&env->recs, i, env->pol, &d, &rec) != 0) {
			status = SC_EXIT_INPUT;
			continue;
		}
		struct audit *au;
		audit_run(rec, env->pol, o->at, &au);
		audit_ics_events(au, &out);
		audit_free(au);
		rec_free(rec);
	}
	audit_ics_end(&out);
	if (status == SC_EXIT_OK) {
		if (!o->output)
			output_stdout(out.data, out.len);
		else if (output_write_file(o->output, out.data, out.len, &d) != 0)
			status = SC_EXIT_IO;
	}
	diag_print(&d, stderr);
	diag_free(&d);
	buf_free(&out);
	return status;
}

int cmd_calendar(struct cli_env *env, int argc, char **argv)
{
	struct calendar_opts o = { NULL, AUDIT_AT_RECORD };
	int c;
	while ((c = cli_getopt("calendar", argc, argv, "o:a:p:h", calendar_options)) != -1) {
		switch (c) {
		case 'o': o.output = optarg; break;
		case 'a':
			if (cli_parse_at("calendar", optarg, &o.at) != 0)
				return SC_EXIT_INPUT;
			break;
		case 'p': env->policy_path = optarg; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	/* One incident's events twice would carry the same UIDs. */
	env->unique = true;
	return cli_run(env, optind, NULL, calendar_work, &o);
}
