/* cmd_audit.c - `sircomm audit`: findings, rule by rule, with evidence. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/audit_report.h"
#include "cli/cli.h"
#include "base/diag.h"
#include "sys/jobs.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"
#include "sys/stop.h"

const struct cli_doc cmd_audit_doc = {
	"sircomm audit [--format text|md|csv|json|jsonl|html] [-o FILE] [--at TIME] RECORD...",
	"Audit how the communications process went against the plan's timing and\n"
	"approval rules: one finding per rule and subject, with its status (pass,\n"
	"fail, excepted, n/a, pending), due and met times, and the record lines\n"
	"that decided it.  docs/rules.md explains every rule.  NOTIFY judges the\n"
	"regulators' deadlines of the regimes the record states (docs/regulatory.md):\n"
	"sircomm gives no legal advice; the deadlines are the policy's data.\n"
	"\n"
	"  -f, --format FMT   text (default), md, csv, json, jsonl or html (one\n"
	"                     record); json is an array of audits, one or many;\n"
	"                     jsonl one audit per line (JSON Lines).  A finding\n"
	"                     with no subject has subject null in JSON, empty in\n"
	"                     CSV (\"-\" in text)\n"
	"  -o, --output FILE  write there (atomically) instead of standard output\n"
	"                     (- is standard output)\n"
	"  -a, --at TIME      audit as the process stood then (RFC 3339, or now):\n"
	"                     what was due and not done fails, what is due later\n"
	"                     is pending.  Default: the last moment the record\n"
	"                     speaks of, so the same record always audits the same\n"
	"      --color WHEN   auto (default: on a terminal), always or never\n"
	"  -x, --exceptions FILE  also apply these standing exceptions\n"
	"  -t, --templates DIR  (html) the page from DIR's audit-page.html, when\n"
	"                     there is one (see 'sircomm templates export')\n"
	"  -j, --jobs N       audit N records at a time (default: the processors);\n"
	"                     the output is the same, in input order\n"
	"  -p, --policy FILE  the policy instead of the one found\n"
	"  -h, --help         show this help\n"
	"\n"
	"Interrupted (Ctrl-C), it stops between two records; -o FILE is then left\n"
	"as it was.  With -o, two records with one incident id are refused before\n"
	"anything is written.  Exit status: 0 nothing fails, 1 something fails,\n"
	"2 bad input or usage, 3 the output could not be written.\n",
};

static const struct option audit_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "at", required_argument, NULL, 'a' },
	{ "policy", required_argument, NULL, 'p' },
	{ "color", required_argument, NULL, 'c' },
	{ "exceptions", required_argument, NULL, 'x' },
	{ "templates", required_argument, NULL, 't' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* One record's audit, made on a worker thread. */
struct audit_job {
	bool loaded, failed;
	struct buf out;
	struct diag d;
};

struct audit_batch {
	const struct cli_env *env;
	/* The options. */
	enum audit_format format;
	const char *output;          /* -o FILE, or NULL */
	const char *standing_path;   /* -x FILE, or NULL */
	int64_t at;
	bool colour;
	/* The run. */
	struct record *standing;     /* -x's exceptions, or NULL */
	struct output_file *file;       /* NULL: standard output */
	struct buf out;              /* what goes out next */
	size_t emitted;
	int status;
};

/* Loads the standing exceptions (-x), checked against the policy. */
static int audit_load(struct cli_env *env, struct diag *d, void *ud)
{
	struct audit_batch *b = ud;
	if (!b->standing_path)
		return 0;
	return rec_load_standing(b->standing_path, env->pol, d, &b->standing);
}

static void audit_prepare(size_t i, void *slot, void *ud)
{
	struct audit_batch *b = ud;
	struct audit_job *j = slot;
	const struct policy *pol = b->env->pol;
	struct record *rec;
	if (cli_records_load(&b->env->recs, (int)i, pol, &j->d, &rec) != 0)
		return;
	const struct record *st = b->standing;
	struct audit *au;
	audit_run_with(rec, pol, b->at, st ? st->exceptions : NULL, st ? st->n_exceptions : 0, &au);
	if (b->format == AUDIT_FORMAT_HTML) {
		/* A page template that does not render fails the record like
		 * a bad record: reported, nothing of it written. */
		j->loaded = audit_render_html(au, &b->env->tpl, &j->out, &j->d) == 0;
	} else {
		audit_render(au, b->format, b->colour, &j->out);
		j->loaded = true;
	}
	j->failed = audit_failed(au);
	audit_free(au);
	rec_free(rec);
}

/* Sends out what b->out holds and empties it.  Each audit streams out as
 * soon as it is in order: to standard output the good records' audits (a
 * bad record is reported and left out), flushed, so that a record's
 * problems on standard error stand beside it whatever -j says; to a file
 * through a temporary that becomes the file only when every record was
 * good.  Memory stays flat either way. */
static void put(struct audit_batch *b)
{
	if (b->file) {
		output_file_write(b->file, b->out.data, b->out.len);
	} else {
		output_stdout(buf_str(&b->out), b->out.len);
		output_stdout_flush();
	}
	buf_reset(&b->out);
}

static bool audit_emit(void *slot, void *ud)
{
	struct audit_batch *b = ud;
	struct audit_job *j = slot;
	diag_print(&j->d, stderr);
	diag_free(&j->d);
	if (!j->loaded) {
		b->status = SC_EXIT_INPUT;
		return true;
	}
	const char *text = buf_str(&j->out);
	if (b->format == AUDIT_FORMAT_CSV && b->emitted) {
		/* One header for all records. */
		const char *body = strchr(text, '\n');
		text = body ? body + 1 : "";
	} else if (b->format == AUDIT_FORMAT_JSON && b->emitted) {
		buf_puts(&b->out, ",\n");
	} else if (b->format == AUDIT_FORMAT_JSONL) {
		/* One line per record, nothing between. */
	} else if (b->emitted) {
		buf_putc(&b->out, '\n');
	}
	buf_puts(&b->out, text);
	put(b);
	b->emitted++;
	if (j->failed && b->status == SC_EXIT_OK)
		b->status = SC_EXIT_FAIL;
	return true;
}

static void audit_release(void *slot, void *ud)
{
	(void)ud;
	struct audit_job *j = slot;
	diag_print(&j->d, stderr);
	diag_free(&j->d);
	buf_free(&j->out);
}

/* Audits the records, once the policy, the standing exceptions and the
 * records are set up. */
static int audit_work(struct cli_env *env, void *ud)
{
	struct audit_batch *b = ud;
	int n = env->argc - env->first;
	struct diag d = DIAG_INIT;
	/* Caught before the temporary file exists, so an interrupt always
	 * finds it to remove. */
	if (b->output && output_file_begin(b->output, &b->file, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_IO;
	}
	/* An array whatever the number of records, so that a script reads
	 * one shape. */
	if (b->format == AUDIT_FORMAT_JSON)
		buf_puts(&b->out, "[\n");
	struct jobs_batch jobs = {
		(size_t)env->first, (size_t)n, env->workers, sizeof(struct audit_job),
		audit_prepare, audit_emit, audit_release, b, cli_quiet() ? NULL : "audit",
	};
	/* In input order, whatever order the threads finished in; stopped
	 * between two records when interrupted or when standard output is
	 * closed (the reader of a pipe gone). */
	jobs_run_ordered(&jobs);
	if (stop_signal()) {
		/* The file, if any, was never complete: its temporary goes. */
		output_file_abort(b->file);
		if (b->file)
			stop_report("%s not written (left as it was)", b->output);
		else
			stop_report("audits of %zu of %d records printed, whole", b->emitted, n);
		stop_exit();
	}
	int status = b->status;
	if (b->format == AUDIT_FORMAT_JSON)
		buf_puts(&b->out, "]\n");
	if (!b->file) {
		output_stdout(buf_str(&b->out), b->out.len);
	} else if (status == SC_EXIT_INPUT) {
		output_file_abort(b->file);
	} else {
		output_file_write(b->file, b->out.data, b->out.len);
		if (output_file_commit(b->file, &d) != 0) {
			diag_print(&d, stderr);
			diag_free(&d);
			status = SC_EXIT_IO;
		}
	}
	return status;
}

int cmd_audit(struct cli_env *env, int argc, char **argv)
{
	struct audit_batch b = { env, AUDIT_FORMAT_TEXT, NULL, NULL, AUDIT_AT_RECORD, false,
				 NULL, NULL, BUF_INIT, 0, SC_EXIT_OK };
	enum cli_colour colour = CLI_COLOUR_AUTO;
	int c;
	while ((c = cli_getopt("audit", argc, argv, "f:o:a:p:x:t:j:h", audit_options)) != -1) {
		switch (c) {
		case 'f': {
			int f = audit_format_parse(optarg);
			if (f < 0)
				return cli_usage_error("audit", "format '%s' is not text, md, csv, json, jsonl or html", optarg);
			b.format = (enum audit_format)f;
			break;
		}
		case 'o': b.output = cli_output_path(optarg); break;
		case 'a':
			if (cli_parse_at("audit", optarg, &b.at) != 0)
				return SC_EXIT_INPUT;
			break;
		case 'p': env->policy_path = optarg; break;
		case 'x': b.standing_path = optarg; break;
		case 't': env->templates_dir = optarg; break;
		case 'j':
			if (cli_parse_jobs("audit", optarg, &env->workers) != 0)
				return SC_EXIT_INPUT;
			break;
		case 'c':
			if (cli_parse_colour("audit", optarg, &colour) != 0)
				return SC_EXIT_INPUT;
			break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (argc - optind > 1 && b.format == AUDIT_FORMAT_HTML)
		return cli_usage_error("audit", "the html format takes one record");
	b.colour = colour == CLI_COLOUR_ALWAYS ||
		   (!b.output && b.format == AUDIT_FORMAT_TEXT && cli_colour_stdout(colour));
	/* Audits of one incident twice in one report file would leave the
	 * reader to guess which is the record's; on standard output each
	 * record is shown as given. */
	env->unique = b.output != NULL;
	int status = cli_run(env, optind, audit_load, audit_work, &b);
	buf_free(&b.out);
	rec_free(b.standing);
	return status;
}
