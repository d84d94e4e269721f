/* cmd_new.c - `sircomm new`: print a skeleton record to fill in. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "format/eml.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"
#include "model/skeleton.h"
#include "base/ts.h"

const struct cli_doc cmd_new_doc = {
	"sircomm new [--severity S1] [--id ID] [--title TEXT] [--at TIME] [--to FILE]",
	"Print a commented skeleton record to fill in.  The skeleton is valid\n"
	"as printed: its timeline has the events the plan expects, minutes\n"
	"apart from the detection time, each with a comment on what it means.\n"
	"Options that cannot make a valid record are refused and nothing is\n"
	"printed: a title that is empty or not one line, an unsafe id, an --at\n"
	"so late that the skeleton's times (up to the end of the turnaround)\n"
	"would pass the year 9999.\n"
	"\n"
	"  -s, --severity S    S1 (default), S2, S3 or S4\n"
	"  -i, --impact LEVEL  low, medium, high or critical (default: critical\n"
	"                      for S1, high otherwise)\n"
	"      --id ID         incident id (default SIRT-YYYY-0000 from the time)\n"
	"      --title TEXT    one-line title\n"
	"      --at TIME       detection time, RFC 3339 with offset (default: now,\n"
	"                      to the minute, in the policy's display zone)\n"
	"  -o, --to FILE       write the record to FILE, a new file (an existing\n"
	"                      one is never replaced), instead of standard output;\n"
	"                      then 'sircomm log FILE ...' adds events as they happen\n"
	"  -p, --policy FILE   use this policy's groups and titles\n"
	"  -h, --help          show this help\n",
};

static const struct option new_options[] = {
	{ "severity", required_argument, NULL, 's' },
	{ "impact", required_argument, NULL, 'i' },
	{ "id", required_argument, NULL, 'I' },
	{ "title", required_argument, NULL, 'T' },
	{ "at", required_argument, NULL, 'a' },
	{ "to", required_argument, NULL, 'o' },
	{ "policy", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct new_opts {
	struct skel_options skel;
	const char *at;
	const char *to;     /* NULL: standard output */
};

/* Writes the skeleton, once the policy is loaded, and reads it back. */
static int new_work(struct cli_env *env, void *ud)
{
	struct new_opts *o = ud;
	/* Without --at, the times are written as the team reads them: in
	 * the policy's display zone. */
	if (!o->at)
		o->skel.offset = pol_zone_offset_at(env->pol, o->skel.detected);
	const struct skel_options *opt = &o->skel;
	const char *at = o->at;
	struct diag d = DIAG_INIT;
	struct buf out = BUF_INIT;
	int64_t last = skel_write(env->pol, opt, &out);
	/* Every time must be one check accepts: within the year 9999 in UTC
	 * and as written, in --at's offset. */
	if (last > TS_MAX || last + (int64_t)opt->offset * 60 > TS_MAX) {
		char human[TS_BUFSZ];
		ts_format_human(last - opt->detected, human);
		buf_free(&out);
		return cli_usage_error("new", "--at '%s' is too late: the skeleton's events run "
				       "to %s after it, past the end of the year 9999", at, human);
	}
	/* What new prints must check clean: read it back as check would. */
	struct record *rec = NULL;
	if (rec_parse("<skeleton>", out.data, out.len, env->pol, &d, &rec) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		errorf("new: cannot make a valid record of these options");
		buf_free(&out);
		return SC_EXIT_INPUT;
	}
	rec_free(rec);
	diag_free(&d);
	int status = SC_EXIT_OK;
	if (!o->to) {
		output_stdout(out.data, out.len);
	} else if (output_create_file(o->to, out.data, out.len, &d) != 0) {
		if (errno == EEXIST) {
			diag_free(&d);
			diag_error(&d, o->to, 0, "already exists: sircomm new never replaces a "
				   "record (add events to it with 'sircomm log %s TYPE ...')", o->to);
			status = SC_EXIT_INPUT;
		} else {
			status = SC_EXIT_IO;
		}
		diag_print(&d, stderr);
		diag_free(&d);
	} else {
		output_line("%s: new record %s", o->to, opt->id);
	}
	buf_free(&out);
	return status;
}

int cmd_new(struct cli_env *env, int argc, char **argv)
{
	struct new_opts o = { { NULL, NULL, POL_S1, POL_IMPACT_CRITICAL, 0, 0 }, NULL, NULL };
	struct skel_options *opt = &o.skel;
	const char *impact = NULL;
	char id[REC_ID_MAX + 1];
	int c;
	while ((c = cli_getopt("new", argc, argv, "s:i:o:p:h", new_options)) != -1) {
		switch (c) {
		case 's': {
			int s = pol_severity_parse(optarg);
			if (s < 0)
				return cli_usage_error("new", "severity '%s' is not S1, S2, S3 or S4", optarg);
			opt->severity = (enum pol_severity)s;
			break;
		}
		case 'i': impact = optarg; break;
		case 'I': opt->id = optarg; break;
		case 'T': opt->title = optarg; break;
		case 'a': o.at = optarg; break;
		case 'o': o.to = optarg; break;
		case 'p': env->policy_path = optarg; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind < argc)
		return cli_usage_error("new", "unexpected operand '%s'", argv[optind]);

	opt->impact = opt->severity == POL_S1 ? POL_IMPACT_CRITICAL : POL_IMPACT_HIGH;
	if (impact) {
		int i = pol_impact_parse(impact);
		if (i < 0)
			return cli_usage_error("new", "impact '%s' is not low, medium, high or critical", impact);
		opt->impact = (enum pol_impact)i;
	}
	if (o.at) {
		const char *why;
		if (ts_parse(o.at, &opt->detected, &opt->offset, &why) != 0)
			return cli_usage_error("new", "--at '%s' %s", o.at, why);
	} else {
		opt->detected = (int64_t)time(NULL) / 60 * 60;
	}
	if (!opt->id) {
		char t[TS_BUFSZ];
		ts_format_utc(opt->detected, t);
		snprintf(id, sizeof(id), "SIRT-%.4s-0000", t);
		opt->id = id;
	}
	const char *why;
	if (!rec_id_is_safe(opt->id, &why))
		return cli_usage_error("new", "--id '%s' %s", opt->id, why);
	if (opt->title && eml_header_problem(opt->title))
		return cli_usage_error("new", "--title must be one line without control characters");

	return cli_run(env, optind, NULL, new_work, &o);
}
