/*
 * cmd_exceptions.c - `sircomm exceptions`: the exception register, and
 * importing standing exceptions into the ledger (ledger/register.h says
 * what the register holds).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "sys/output.h"
#include "ledger/ledger.h"
#include "ledger/register.h"
#include "model/policy.h"
#include "model/record.h"
#include "base/ts.h"

const struct cli_doc cmd_exceptions_doc = {
	"sircomm exceptions --db LEDGER [--active|--expired|--expiring DAYS] [--at TIME] [--format FMT] | --import FILE",
	"The exception register: every exception in the ledger, the incidents'\n"
	"own and the standing ones, one row each, sorted by expiry then id: id,\n"
	"rule, subject ((any) for the whole rule), incident (or standing), who\n"
	"requested and approved it and when, expiry (never), state, whether it\n"
	"is in force, and the findings it excused (a count; json lists them).\n"
	"\n"
	"  sircomm exceptions --db FILE [--active | --expired | --expiring 30d]\n"
	"  sircomm exceptions --db FILE --import STANDING.xml\n"
	"\n"
	"  -d, --db FILE        the ledger\n"
	"      --active         only exceptions in force at --at (approved, not expired,\n"
	"                       not unauthorized)\n"
	"      --expired        only exceptions whose expiry is at or before --at\n"
	"      --expiring DAYS  only exceptions in force that expire within DAYS of\n"
	"                       --at (e.g. 30d or 30); the three filters exclude\n"
	"                       each other\n"
	"      --at TIME        judge as of this time (RFC 3339, or now; default: now)\n"
	"  -f, --format FMT     text (default), md, csv or json\n"
	"      --import FILE    import a standing-exceptions file\n"
	"                       (schemas/exceptions.rng): all of it or, on any\n"
	"                       error, nothing; an exception replaces the standing\n"
	"                       one with the same id\n"
	"  -p, --policy FILE    (--import) check against this policy instead of\n"
	"                       the built-in one\n"
	"  -h, --help           show this help\n"
	"\n"
	"State: for an incident's exception, what its audit found at ingest\n"
	"(used, retroactive, unused, expired, not yet approved), kept as\n"
	"recorded; for a standing one, active, expired or not yet approved at\n"
	"--at.  In force: approved at or before --at and not yet expired then.\n"
	"Standing exceptions apply to audits at the next 'sircomm ingest':\n"
	"re-ingest the records already in the ledger to apply them there.\n"
	"\n"
	"Exit status: 0 listed or imported, 2 bad input, usage or ledger (then\n"
	"nothing is imported).\n",
};

enum { OPT_ACTIVE = 256, OPT_EXPIRED, OPT_EXPIRING, OPT_AT, OPT_IMPORT };

static const struct option exceptions_options[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "active", no_argument, NULL, OPT_ACTIVE },
	{ "expired", no_argument, NULL, OPT_EXPIRED },
	{ "expiring", required_argument, NULL, OPT_EXPIRING },
	{ "at", required_argument, NULL, OPT_AT },
	{ "import", required_argument, NULL, OPT_IMPORT },
	{ "policy", required_argument, NULL, 'p' },
	{ "format", required_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The longest --expiring accepted: up to the last time sircomm knows. */
#define MAX_DAYS ((int64_t)(TS_MAX / 86400))

/* --import: the standing exceptions of `file` into the ledger, all or
 * none, after checking the file against the policy. */
static int import(const char *db_path, const char *file, const char *policy_path)
{
	struct diag d = DIAG_INIT;
	struct policy *pol = NULL;
	struct record *rec = NULL;
	struct ledger *db = NULL;
	/* The file first: a bad one leaves the ledger untouched, not even
	 * created. */
	struct cli_lookup pl;
	cli_lookup(false, policy_path, &pl);
	int rc = pol_load(pl.path, &d, &pol);
	cli_lookup_free(&pl);
	if (rc != 0 || rec_load_standing(file, pol, &d, &rec) != 0 ||
	    ledger_open(db_path, LEDGER_READ_WRITE, &db, &d) != 0) {
		diag_add(&d, DIAG_NOTE, db_path, 0, "nothing imported");
		diag_print(&d, stderr);
		diag_free(&d);
		ledger_close(db);
		rec_free(rec);
		pol_free(pol);
		return SC_EXIT_INPUT;
	}
	diag_print(&d, stderr);
	diag_free(&d);

	size_t n = rec->n_exceptions, replaced;
	int status = SC_EXIT_OK;
	if (register_import(db, rec->exceptions, n, &replaced, &d) != 0) {
		diag_add(&d, DIAG_NOTE, db_path, 0, "nothing imported");
		diag_print(&d, stderr);
		status = SC_EXIT_INPUT;
	} else {
		output_printf("%zu standing exception%s imported (%zu new, %zu replaced by id).\n"
		       "Standing exceptions apply to audits at the next 'sircomm ingest': re-ingest the\n"
		       "records already in the ledger to apply them there.\n",
		       n, n == 1 ? "" : "s", n - replaced, replaced);
	}
	diag_free(&d);
	if (ledger_close(db) != 0 && status == SC_EXIT_OK)
		status = SC_EXIT_INPUT;
	rec_free(rec);
	pol_free(pol);
	return status;
}

/* The register as of `at`, through the filter, printed in the format. */
static int list(const char *db_path, enum register_filter filter, int64_t at, int64_t days,
		enum register_format format)
{
	struct diag d = DIAG_INIT;
	struct ledger *db = NULL;
	struct register_view *r = NULL;
	int status = SC_EXIT_INPUT;
	if (ledger_open(db_path, LEDGER_READ_ONLY, &db, &d) == 0 &&
	    register_read(db, filter, at, days, &r, &d) == 0) {
		struct buf out = BUF_INIT;
		register_render(r, format, &out);
		if (out.overflow) {
			errorf("the register is too large to print");
		} else {
			output_stdout(buf_str(&out), out.len);
			status = SC_EXIT_OK;
		}
		buf_free(&out);
	}
	ledger_close(db);
	diag_print(&d, stderr);
	diag_free(&d);
	register_free(r);
	return status;
}

/* ---- The command ---------------------------------------------------- */

/* Parses --expiring: a number of days, "30" or "30d". */
static int parse_days(const char *s, int64_t *days)
{
	const char *p = s;
	int64_t n = 0;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > MAX_DAYS)
			return -1;
	}
	if (*p == 'd')
		p++;
	if (*p)
		return -1;
	*days = n;
	return 0;
}

int cmd_exceptions(struct cli_env *env, int argc, char **argv)
{
	const char *db_path = NULL, *import_path = NULL, *policy_path = NULL;
	enum register_filter filter = REGISTER_ALL;
	enum register_format format = REGISTER_FORMAT_TEXT;
	int64_t at = (int64_t)time(NULL), days = 0;
	int n_filters = 0;
	bool listing_opts = false;
	int c;
	while ((c = cli_getopt("exceptions", argc, argv, "d:p:f:h", exceptions_options)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case OPT_ACTIVE: filter = REGISTER_ACTIVE; n_filters++; break;
		case OPT_EXPIRED: filter = REGISTER_EXPIRED; n_filters++; break;
		case OPT_EXPIRING:
			if (parse_days(optarg, &days) != 0)
				return cli_usage_error("exceptions", "--expiring '%s' is not a number of days "
						       "(e.g. 30 or 30d)", optarg);
			filter = REGISTER_EXPIRING;
			n_filters++;
			break;
		case OPT_AT:
			if (cli_parse_at("exceptions", optarg, &at) != 0)
				return SC_EXIT_INPUT;
			listing_opts = true;
			break;
		case OPT_IMPORT: import_path = optarg; break;
		case 'p': policy_path = optarg; break;
		case 'f': {
			int f = register_format_parse(optarg);
			if (f < 0)
				return cli_usage_error("exceptions", "format '%s' is not text, md, csv or json",
						       optarg);
			format = (enum register_format)f;
			listing_opts = true;
			break;
		}
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (!db_path)
		return cli_usage_error("exceptions", "say which ledger with --db FILE");
	if (optind < argc)
		return cli_usage_error("exceptions", "unexpected argument '%s'", argv[optind]);
	if (n_filters > 1)
		return cli_usage_error("exceptions", "--active, --expired and --expiring exclude each other");
	if (import_path) {
		if (n_filters || listing_opts)
			return cli_usage_error("exceptions", "--import lists nothing: leave out --active, "
					       "--expired, --expiring, --at and --format");
		return import(db_path, import_path, policy_path);
	}
	if (policy_path)
		return cli_usage_error("exceptions", "--policy is for checking a file to --import");
	return list(db_path, filter, at, days, format);
}
