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
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <sodium.h>

#include "cli.h"
#include "config.h"
#include "diag.h"
#include "xmlin.h"

static const char check_help[] =
	"Validate incident records: parse each safely, check it against the\n"
	"record schema and the policy, and report every problem as\n"
	"FILE:LINE: error: ... (warnings do not fail the check).\n"
	"\n"
	"  -p, --policy FILE   check against this policy instead of the built-in one\n"
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
	"run leaves the previous drafts as they were).\n"
	"\n"
	"  -o, --output DIR     where to write (default: the current directory)\n"
	"      --only LIST      only these artifacts, comma-separated: customer-email,\n"
	"                       security-alert, blog-post, support-faq, media-statement,\n"
	"                       social-post, internal-update, approval-matrix,\n"
	"                       engagement-plan, comms-doc\n"
	"  -t, --templates DIR  templates that override the built-in ones by name\n"
	"                       (see 'sircomm templates export')\n"
	"  -p, --policy FILE    the policy instead of the built-in one\n"
	"  -h, --help           show this help\n"
	"\n"
	"Files: customer-email.eml/.txt, security-alert.eml/.txt, blog-post.md/.html,\n"
	"support-faq.md/.txt, media-statement.md/.txt, internal-update.md/.txt,\n"
	"social-post.txt, approval-matrix.md/.csv, engagement-plan.md, comms-doc.odt.\n"
	"Emails are plain text with no tracking links; the social post must fit\n"
	"X's 280 weighted characters.  Exit status: 0 drafted, 2 bad input (nothing\n"
	"written for that record), 3 could not write.\n";

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
	"  -p, --policy FILE  the policy instead of the built-in one\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 nothing fails, 1 something fails, 2 bad input or usage,\n"
	"3 the output could not be written.\n";

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
	"  -s, --sign KEY.sec   also write <zip>.minisig, a minisign signature\n"
	"  -t, --templates DIR  template overrides for the drafts\n"
	"  -p, --policy FILE    the policy instead of the built-in one\n"
	"  -h, --help           show this help\n"
	"\n"
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
	"zip (a bomb, '..' or symbolic-link entries) is reported, never extracted.\n"
	"\n"
	"  -P, --pubkey KEY.pub  check the signature with this minisign public key\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 intact, 1 a problem was found, 2 bad usage.\n";

static const char help_help[] =
	"Show the list of commands, or one command's help.\n";

static const char version_help[] =
	"Show sircomm's version and the versions of the libraries it uses.\n";

const struct cli_command cli_commands[] = {
	{ "check", cmd_check, "validate incident records against the schema and the policy",
	  "sircomm check [--policy FILE] [--quiet] [--strict] RECORD...", check_help },
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
	printf("usage: %s\n\n%s", cmd->usage, cmd->help);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("sircomm: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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

/* Flushes and closes standard output; a failure there is the command's
 * failure too. */
static int finish_stdout(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int e = errno;
		errorf("writing standard output: %s", strerror(e ? e : EIO));
		fclose(stdout);
		return status == SC_EXIT_OK ? SC_EXIT_IO : status;
	}
	if (fclose(stdout) != 0) {
		errorf("closing standard output: %s", strerror(errno));
		return status == SC_EXIT_OK ? SC_EXIT_IO : status;
	}
	return status;
}

int main(int argc, char **argv)
{
	int status;
	xmlInitParser();
	if (sodium_init() < 0) {
		errorf("libsodium could not be initialised");
		return SC_EXIT_IO;
	}
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
