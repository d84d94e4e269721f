/* cmd_audit.c - `sircomm audit`: findings, rule by rule, with evidence. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "audit/audit_report.h"
#include "cli/cli.h"
#include "base/diag.h"
#include "sys/jobs.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"
#include "sys/stop.h"
#include "base/ts.h"

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

/* One record's audit, made on a worker thread. */
struct audit_job {
	bool loaded, failed;
	struct buf out;
	struct diag d;
};

struct audit_batch {
	const struct cli_records *recs;
	const struct policy *pol;
	const struct rec_exception *standing;
	size_t n_standing;
	int64_t at;
	enum audit_format format;
	bool colour;
	struct out_file *file;   /* NULL: standard output */
	struct buf out;          /* what goes out next */
	size_t emitted;
	int status;
};

static void audit_prepare(size_t i, void *slot, void *ud)
{
	struct audit_batch *b = ud;
	struct audit_job *j = slot;
	struct record *rec;
	if (cli_records_load(b->recs, (int)i, b->pol, &j->d, &rec) != 0)
		return;
	struct audit *au;
	audit_run_with(rec, b->pol, b->at, b->standing, b->n_standing, &au);
	audit_render(au, b->format, b->colour, &j->out);
	j->loaded = true;
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
		out_file_write(b->file, b->out.data, b->out.len);
	} else {
		out_stdout(buf_str(&b->out), b->out.len);
		out_stdout_flush();
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

int cmd_audit(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "at", required_argument, NULL, 'a' },
		{ "policy", required_argument, NULL, 'p' },
		{ "color", required_argument, NULL, 'c' },
		{ "exceptions", required_argument, NULL, 'x' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum audit_format format = AUDIT_FORMAT_TEXT;
	const char *output = NULL, *policy_path = NULL, *colour = "auto", *standing_path = NULL;
	int64_t at = AUDIT_AT_RECORD;
	int workers = jobs_default_workers();
	int c;
	while ((c = cli_getopt("audit", argc, argv, "f:o:a:p:x:j:h", longopts)) != -1) {
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
		case 'x': standing_path = optarg; break;
		case 'j':
			if (jobs_parse(optarg, &workers) != 0)
				return cli_usage_error("audit", "-j takes a number of threads from 1 to 256");
			break;
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
	struct record *standing = NULL;
	/* Audits of one incident twice in one report file would leave the
	 * reader to guess which is the record's; on standard output each
	 * record is shown as given. */
	struct cli_records recs = { 0, false, NULL };
	/* From here a stop signal is caught: one that comes while the records
	 * are read (a slow pipe) stops the run before its first record. */
	stop_catch();
	if (pol_load(policy_path, &d, &pol) != 0 ||
	    (standing_path && rec_load_standing(standing_path, pol, &d, &standing) != 0) ||
	    cli_records_open(&recs, argv, optind, argc, output != NULL, workers, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		pol_free(pol);
		rec_free(standing);
		cli_records_close(&recs);
		return SC_EXIT_INPUT;
	}
	diag_print(&d, stderr);
	diag_free(&d);

	struct audit_batch batch = {
		&recs, pol, standing ? standing->exceptions : NULL, standing ? standing->n_exceptions : 0,
		at, format, use_colour, NULL, BUF_INIT, 0, SC_EXIT_OK,
	};
	/* Caught before the temporary file exists, so an interrupt always
	 * finds it to remove. */
	if (output && out_file_begin(output, &batch.file, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		rec_free(standing);
		pol_free(pol);
		cli_records_close(&recs);
		return SC_EXIT_IO;
	}
	if (format == AUDIT_FORMAT_JSON && n > 1)
		buf_puts(&batch.out, "[\n");
	struct jobs_batch jobs = {
		(size_t)optind, (size_t)n, workers, sizeof(struct audit_job),
		audit_prepare, audit_emit, audit_release, &batch,
	};
	/* In input order, whatever order the threads finished in; stopped
	 * between two records when interrupted or when standard output is
	 * closed (the reader of a pipe gone). */
	jobs_run_ordered(&jobs);
	int status = batch.status;
	if (stop_signal()) {
		/* The file, if any, was never complete: its temporary goes. */
		out_file_abort(batch.file);
		buf_free(&batch.out);
		rec_free(standing);
		pol_free(pol);
		cli_records_close(&recs);
		if (batch.file)
			stop_report("%s not written (left as it was)", output);
		else
			stop_report("audits of %zu of %d records printed, whole", batch.emitted, n);
		stop_exit();
	}
	if (format == AUDIT_FORMAT_JSON && n > 1)
		buf_puts(&batch.out, "]\n");
	if (!batch.file) {
		out_stdout(buf_str(&batch.out), batch.out.len);
	} else if (status == SC_EXIT_INPUT) {
		out_file_abort(batch.file);
	} else {
		out_file_write(batch.file, batch.out.data, batch.out.len);
		if (out_file_commit(batch.file, &d) != 0) {
			diag_print(&d, stderr);
			diag_free(&d);
			status = SC_EXIT_IO;
		}
	}
	buf_free(&batch.out);
	rec_free(standing);
	pol_free(pol);
	cli_records_close(&recs);
	return status;
}
