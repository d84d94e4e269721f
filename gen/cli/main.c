/*
 * main.c - the sircomm program: the command table and the runner.
 *
 * The runner owns the process: it sets up libxml2 and libsodium, finds
 * the subcommand by its exact name, runs it, then flushes and closes
 * standard output so a write failure (a full disk, a closed pipe) is an
 * error rather than a silent truncation.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cmark-gfm-core-extensions.h>
#include <libxml/parser.h>
#include <sodium.h>

#include "cli/cli.h"
#include "config.h"
#include "base/diag.h"
#include "sys/jobs.h"
#include "sys/output.h"
#include "model/xmlin.h"

static const char check_help[] =
	"Validate incident records: parse each safely, check it against the\n"
	"size limits, the record schema and the policy, draft every\n"
	"communication in memory (what draft and bundle refuse, such as a\n"
	"tracking link or a social post over the limit, check refuses), and\n"
	"report every problem as FILE:LINE: error: ... (warnings do not fail\n"
	"the check).\n"
	"\n"
	"  -p, --policy FILE   check against this policy instead of the built-in one\n"
	"      --templates DIR draft with these templates, as draft --templates DIR\n"
	"  -q, --quiet         print only problems, not one line per good record\n"
	"      --strict        treat warnings as errors\n"
	"  -h, --help          show this help\n"
	"\n"
	"RECORD may be - for standard input.  Exit status: 0 all records are\n"
	"valid, 2 at least one is not (or bad usage).\n";

static const char policy_help[] =
	"Show or validate policies (the communications plan as data).\n"
	"\n"
	"  sircomm policy show [--policy FILE]   the effective policy as Markdown tables\n"
	"  sircomm policy check FILE...          validate an organisation's own policy\n"
	"  sircomm policy export                 print the built-in policy's XML, to adapt\n"
	"\n"
	"  -p, --policy FILE   (show) show this policy instead of the built-in one\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 valid, 2 invalid policy or bad usage.\n";

static const char new_help[] =
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
	"                      to the minute, in UTC)\n"
	"  -p, --policy FILE   use this policy's groups and titles\n"
	"  -h, --help          show this help\n";

static const char draft_help[] =
	"Draft every communication the plan calls for, from built-in Markdown\n"
	"templates: into OUT/ID/drafts/, replaced whole on each run (a failed\n"
	"run leaves the previous drafts as they were).  OUT may be a symbolic\n"
	"link; ID and drafts may not: a link there is refused, never followed.\n"
	"\n"
	"  -o, --output DIR     where to write (default: the current directory)\n"
	"      --only LIST      only these artifacts, comma-separated: customer-email,\n"
	"                       security-alert, blog-post, support-faq, media-statement,\n"
	"                       social-post, internal-update, approval-matrix,\n"
	"                       engagement-plan, comms-doc\n"
	"  -t, --templates DIR  templates that override the built-in ones by name\n"
	"                       (see 'sircomm templates export')\n"
	"  -p, --policy FILE    the policy instead of the built-in one\n"
	"  -j, --jobs N         draft N records at a time (default: the processors)\n"
	"  -h, --help           show this help\n"
	"\n"
	"Files: customer-email.eml/.txt, security-alert.eml/.txt, blog-post.md/.html,\n"
	"support-faq.md/.txt, media-statement.md/.txt, internal-update.md/.txt,\n"
	"social-post.txt, approval-matrix.md/.csv, engagement-plan.md, comms-doc.odt.\n"
	"Emails are plain text with no tracking links; the social post must fit\n"
	"X's 280 weighted characters.  Interrupted (Ctrl-C), it stops between two\n"
	"records, each drafts directory written whole.  Two records with one\n"
	"incident id are refused, the whole run, before anything is written.\n"
	"Exit status: 0 drafted, 2 bad input (nothing written for that record),\n"
	"3 could not write.\n";

static const char templates_help[] =
	"Work with the Markdown (Mustache) templates drafts are made from.\n"
	"\n"
	"  sircomm templates list                 the templates and what each is for\n"
	"  sircomm templates show NAME            print a template's source\n"
	"  sircomm templates export DIR [--force] write the built-in templates to DIR\n"
	"  sircomm templates vars RECORD          every variable a template sees\n"
	"\n"
	"  -t, --templates DIR  (list, show) overrides, as 'draft --templates' uses them\n"
	"  -p, --policy FILE    (vars) the policy instead of the built-in one\n"
	"  -f, --force          (export) overwrite existing files\n"
	"  -h, --help           show this help\n"
	"\n"
	"docs/templates.md documents the variables and the template rules.\n";

static const char audit_help[] =
	"Audit how the communications process went against the plan's timing and\n"
	"approval rules: one finding per rule and subject, with its status (pass,\n"
	"fail, excepted, n/a, pending), due and met times, and the record lines\n"
	"that decided it.  docs/rules.md explains every rule.\n"
	"\n"
	"  -f, --format FMT   text (default), md, csv, json or html (one record)\n"
	"  -o, --output FILE  write there (atomically) instead of standard output\n"
	"  -a, --at TIME      audit as the process stood then (RFC 3339, or now):\n"
	"                     what was due and not done fails, what is due later\n"
	"                     is pending.  Default: the last moment the record\n"
	"                     speaks of, so the same record always audits the same\n"
	"      --color WHEN   auto (default: on a terminal), always or never\n"
	"  -x, --exceptions FILE  also apply these standing exceptions\n"
	"  -j, --jobs N       audit N records at a time (default: the processors);\n"
	"                     the output is the same, in input order\n"
	"  -p, --policy FILE  the policy instead of the built-in one\n"
	"  -h, --help         show this help\n"
	"\n"
	"Interrupted (Ctrl-C), it stops between two records; -o FILE is then left\n"
	"as it was.  With -o, two records with one incident id are refused before\n"
	"anything is written.  Exit status: 0 nothing fails, 1 something fails,\n"
	"2 bad input or usage, 3 the output could not be written.\n";

static const char status_help[] =
	"The live view for the comms manager: time left to the turnaround and the\n"
	"cutoff, approvers awaited and since when, back-ups to engage now (with\n"
	"their titles), the next update due per group, engagements still owed,\n"
	"and what is already overdue.\n"
	"\n"
	"  -a, --at TIME      as of this time (RFC 3339; default: now)\n"
	"  -p, --policy FILE  the policy instead of the built-in one\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 nothing overdue, 1 something overdue, 2 bad input.\n";

static const char bundle_help[] =
	"Pack the evidence of each incident into OUT/<id>-audit.zip: a BagIt 1.0\n"
	"bag (RFC 8493) holding the record byte for byte, the effective policy,\n"
	"every draft, the audit in every format (with the HTML report) and an\n"
	"SQLite copy of the incident, each listed with its SHA-256.  The same\n"
	"inputs give the same bytes.  docs/bundle.md says how an auditor checks\n"
	"one with unzip, sha256sum and minisign alone.\n"
	"\n"
	"  -o, --output DIR     where to write (default: the current directory)\n"
	"  -s, --sign KEY.sec   also write <zip>.minisig, a minisign signature;\n"
	"                       the zip and its signature are replaced together\n"
	"  -t, --templates DIR  template overrides for the drafts\n"
	"  -p, --policy FILE    the policy instead of the built-in one\n"
	"  -j, --jobs N         build N bundles at a time (default: the processors)\n"
	"  -h, --help           show this help\n"
	"\n"
	"Interrupted (Ctrl-C), it stops between two bundles, each written whole.\n"
	"Two records with one incident id are refused, the whole run, before\n"
	"anything is written.\n"
	"Exit status: 0 written, 2 bad input (no bundle written), 3 could not write.\n";

static const char keygen_help[] =
	"Make a minisign-compatible Ed25519 key pair for signing bundles:\n"
	"NAME.pub (give it to auditors) and NAME.sec.  The secret key is written\n"
	"UNENCRYPTED (like 'minisign -G -W'), with mode 0600: keep it in a safe\n"
	"place or a secrets store.  Existing files are kept unless --force.\n"
	"\n"
	"  -o, --output NAME    the key files' name, without .pub/.sec\n"
	"  -f, --force          replace an existing key pair\n"
	"  -h, --help           show this help\n";

static const char verify_help[] =
	"Check audit bundles: the zip's structure, bagit.txt, every manifest line\n"
	"and hash, files present but not listed, Payload-Oxum, the tag manifest,\n"
	"and with --pubkey the signature in <bundle>.minisig.  One line per\n"
	"problem.  Entries are read streaming, within fixed limits, so a hostile\n"
	"zip (a bomb, '..' names, links or devices whatever host they claim) is\n"
	"reported, never extracted.  Every tag file must be in the tag manifest.\n"
	"\n"
	"  -P, --pubkey KEY.pub  check the signature with this minisign public key\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 intact, 1 a problem was found, 2 bad usage.\n";

static const char ingest_help[] =
	"Validate and audit incident records and store them in a ledger, one\n"
	"transaction per incident: re-ingesting an incident replaces it, a bad\n"
	"record is reported and skipped while the others go in, and an\n"
	"interrupted run keeps every incident committed before it.  Standing\n"
	"exceptions in the ledger apply when auditing.  The ledger is created\n"
	"when missing; two ingests may run at once.  Two records with one\n"
	"incident id are refused, the whole run, before the ledger is touched.\n"
	"\n"
	"  -d, --db FILE       the ledger (SQLite)\n"
	"  -p, --policy FILE   the policy instead of the built-in one\n"
	"  -q, --quiet         no progress bar\n"
	"  -j, --jobs N        parse and audit N records at a time (default: the\n"
	"                      processors); the ledger is written in input order\n"
	"  -h, --help          show this help\n"
	"\n"
	"Exit status: 0 all ingested, 2 a record was bad (the others went in) or\n"
	"the file is not a sircomm ledger, 3 the ledger could not be written (a\n"
	"full disk: the run stops there, incidents committed before it stay).\n";

static const char report_help[] =
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
	"  -h, --help          show this help\n";

static const char exceptions_help[] =
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
	"      --active         only exceptions in force at --at (approved, not expired)\n"
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
	"nothing is imported).\n";

static const char query_help[] =
	"Run one read-only SQL statement on a ledger and print the rows as an\n"
	"aligned table, or as CSV.  The ledger is opened read-only, creating no\n"
	"file beside it; a second statement, or one that could write, is\n"
	"refused before anything runs.\n"
	"docs/ledger.md documents the tables; times are UTC epoch seconds\n"
	"(datetime(col, 'unixepoch') shows them).\n"
	"\n"
	"  -d, --db FILE    the ledger\n"
	"      --csv        print CSV (RFC 4180, CRLF line ends) instead of a table\n"
	"  -h, --help       show this help\n"
	"\n"
	"The table has a header, a dashed rule and the row count; NULL shows as\n"
	"NULL, control characters as escapes (\\n, \\x1b), and a cell wider than\n"
	"60 columns is cut with an ellipsis.  CSV holds the values whole: NULL\n"
	"is an empty field, the empty string \"\", and text starting with = + -\n"
	"or @ gets a leading ' so spreadsheets do not run it.  BLOBs show as\n"
	"x'hex' in both.\n"
	"\n"
	"Exit status: 0 done, 2 an SQL error, a refused statement, a bad ledger\n"
	"or bad usage.\n";

static const char sample_help[] =
	"Write generated incident records, realistic and valid, for benchmarks\n"
	"and load tests: every severity and fact, late engagements, silent\n"
	"approvers and back-ups, deployments at the cutoff with the quorum,\n"
	"missed turnarounds with exceptions, several UTC offsets, 20 to 200\n"
	"events each.  The same seed gives the same files.\n"
	"\n"
	"  -n, --count N       how many (default 10)\n"
	"  -s, --seed S        the seed (default 1)\n"
	"  -o, --output DIR    where to write GEN-<seed>-<n>.xml\n"
	"  -p, --policy FILE   the policy instead of the built-in one\n"
	"  -h, --help          show this help\n";

static const char help_help[] =
	"Show the list of commands, or one command's help.\n";

static const char version_help[] =
	"Show sircomm's version and the versions of the libraries it uses.\n";

const struct cli_command cli_commands[] = {
	{ "check", cmd_check, "validate incident records against the schema and the policy",
	  "sircomm check [--policy FILE] [--templates DIR] [--quiet] [--strict] RECORD...", check_help },
	{ "policy", cmd_policy, "show, check or export the communications policy",
	  "sircomm policy show [--policy FILE] | check FILE... | export", policy_help },
	{ "new", cmd_new, "print a commented skeleton record to fill in",
	  "sircomm new [--severity S1] [--id ID] [--title TEXT] [--at TIME]", new_help },
	{ "draft", cmd_draft, "draft every communication of an incident",
	  "sircomm draft [-o DIR] [--only LIST] [--templates DIR] RECORD...", draft_help },
	{ "templates", cmd_templates, "list, show, export the templates; show their variables",
	  "sircomm templates list | show NAME | export DIR | vars RECORD", templates_help },
	{ "audit", cmd_audit, "audit the process against the plan's timing and approval rules",
	  "sircomm audit [--format text|md|csv|json|html] [-o FILE] [--at TIME] RECORD...", audit_help },
	{ "status", cmd_status, "what is overdue, due next, and which back-ups to engage now",
	  "sircomm status [--at TIME] RECORD", status_help },
	{ "bundle", cmd_bundle, "pack the evidence into a reproducible, signed BagIt zip",
	  "sircomm bundle [-o DIR] [--sign KEY.sec] RECORD...", bundle_help },
	{ "keygen", cmd_keygen, "make a minisign-compatible key pair for signing bundles",
	  "sircomm keygen -o NAME [--force]", keygen_help },
	{ "verify", cmd_verify, "check a bundle's structure, hashes and signature",
	  "sircomm verify [--pubkey KEY.pub] BUNDLE...", verify_help },
	{ "ingest", cmd_ingest, "audit records and store them in the ledger",
	  "sircomm ingest --db LEDGER RECORD...", ingest_help },
	{ "report", cmd_report, "a compliance report over a period of the ledger",
	  "sircomm report --db LEDGER [--from DATE] [--to DATE] [--format md|html|csv|json]", report_help },
	{ "exceptions", cmd_exceptions, "the exception register; import standing exceptions",
	  "sircomm exceptions --db LEDGER [--active|--expired|--expiring DAYS] [--at TIME] [--format FMT] | --import FILE", exceptions_help },
	{ "query", cmd_query, "run read-only SQL on the ledger",
	  "sircomm query --db LEDGER [--csv] \"SELECT ...\"", query_help },
	{ "sample", cmd_sample, "write generated records for benchmarks and tests",
	  "sircomm sample [--count N] [--seed S] -o DIR", sample_help },
	{ "help", cmd_help, "show the commands, or one command's help",
	  "sircomm help [COMMAND]", help_help },
	{ "version", cmd_version, "show the version",
	  "sircomm version", version_help },
	{ NULL, NULL, NULL, NULL, NULL },
};

const struct cli_command *cli_find(const char *name)
{
	for (const struct cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void cli_print_help(const struct cli_command *cmd)
{
	out_printf("usage: %s\n\n%s", cmd->usage, cmd->help);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vsay("error: ", fmt, ap);
	va_end(ap);
	const struct cli_command *cmd = command ? cli_find(command) : NULL;
	if (cmd)
		fprintf(stderr, "usage: %s\n(see 'sircomm help %s')\n", cmd->usage, cmd->name);
	else
		fputs("usage: sircomm COMMAND [ARGS]... (see 'sircomm help')\n", stderr);
	return SC_EXIT_INPUT;
}

int cli_getopt(const char *command, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	/* A leading ':' makes getopt tell a missing argument (':') from an
	 * unknown option ('?'). */
	char opts[64];
	snprintf(opts, sizeof(opts), ":%s", shortopts);
	opterr = 0;
	int c = getopt_long(argc, argv, opts, longopts, NULL);
	if (c == ':') {
		cli_usage_error(command, "option '%s' needs an argument", argv[optind - 1]);
		return '?';
	}
	if (c == '?') {
		if (optopt)
			cli_usage_error(command, "unknown option '-%c'", optopt);
		else
			cli_usage_error(command, "unknown option '%s'", argv[optind - 1]);
		return '?';
	}
	return c;
}

/* Flushes and closes standard output.  Output that did not all reach
 * its reader makes the status 3, whatever else the command found: the
 * result is incomplete.  A reader that went away (`| head`) chose to
 * stop reading, so that is quiet; anything else gets its reason. */
static int finish_stdout(int status)
{
	int e = out_stdout_close();
	if (!e)
		return status;
	if (e != EPIPE)
		errorf("writing standard output: %s", strerror(e));
	return SC_EXIT_IO;
}

int main(int argc, char **argv)
{
	int status;
	/* A closed pipe is a write error (EPIPE) that the command sees and
	 * stops on, never a signal that kills it half-way: set before any
	 * worker thread exists. */
	signal(SIGPIPE, SIG_IGN);
	xmlInitParser();
	/* Global registrations happen once, before any worker thread. */
	cmark_gfm_core_extensions_ensure_registered();
	if (sodium_init() < 0) {
		errorf("libsodium could not be initialised");
		return SC_EXIT_IO;
	}
	/* Each worker thread releases the schemas it compiled. */
	jobs_at_thread_exit(xmlin_cleanup);
	if (argc < 2) {
		cli_print_overview(stderr);
		status = SC_EXIT_INPUT;
	} else if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		cli_print_overview(stdout);
		status = SC_EXIT_OK;
	} else if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		status = cmd_version(1, argv + 1);
	} else {
		const struct cli_command *cmd = cli_find(argv[1]);
		if (!cmd) {
			status = argv[1][0] == '-'
				 ? cli_usage_error(NULL, "unknown option '%s'", argv[1])
				 : cli_usage_error(NULL, "unknown command '%s'", argv[1]);
		} else {
			optind = 1;
			status = cmd->run(argc - 1, argv + 1);
		}
	}
	status = finish_stdout(status);
	xmlin_cleanup();
	xmlCleanupParser();
	return status;
}
