/* cmd_log.c - `sircomm log`: add events to a record's timeline as they
 * happen, or a whole timeline from CSV, editing the file in place. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "base/ts.h"
#include "draft/draft.h"
#include "model/policy.h"
#include "model/rec_csv.h"
#include "model/rec_edit.h"
#include "model/record.h"
#include "model/xmlin.h"
#include "sys/output.h"

const struct cli_doc cmd_log_doc = {
	"sircomm log RECORD TYPE [--at TIME] [--group G] [--by NAME] [--round R]\n"
	"                   [--artifacts LIST] [--channel C] [--cutoff TIME] [--note TEXT]\n"
	"       sircomm log RECORD --from FILE.csv",
	"Add an event to the record's timeline as it happens: TYPE and the\n"
	"options are the event's type and attributes, as in the record format\n"
	"(docs/record-format.md).  The event is stamped now, in the policy's\n"
	"display zone, unless --at says when.  It goes after the last event that\n"
	"is not later than it, on its own line, indented like the others; every\n"
	"other byte of the file (layout, comments) stays as it was.\n"
	"\n"
	"Before the file is replaced (atomically, keeping its permissions), the\n"
	"result is checked as 'sircomm check' would: an event the record cannot\n"
	"hold or that check would reject or warn about (a missing attribute, an\n"
	"unknown group or artifact, a title not in the group's approver chain)\n"
	"is refused with exit status 2 and the file is untouched.  So is an\n"
	"edit that lost a race: if the file changed after sircomm read it (an\n"
	"editor saved it), nothing is written.  Two 'sircomm log' runs on one\n"
	"record take turns.\n"
	"\n"
	"  -a, --at TIME        when it happened (default: now): RFC 3339 with an\n"
	"                       offset, written as given; or on the display zone's\n"
	"                       clock, hh:mm[:ss] (the last such moment, today or\n"
	"                       yesterday) or YYYY-MM-DD hh:mm[:ss], written with\n"
	"                       the offset then (a time that daylight saving time\n"
	"                       skipped or repeated is refused: give the offset)\n"
	"  -g, --group G        the policy group (engaged, update, feedback, ...)\n"
	"  -b, --by NAME        who acted; for feedback and approved, the title\n"
	"                       in the group's approver chain\n"
	"  -r, --round R        review or final\n"
	"  -A, --artifacts LIST artifact ids, separated by spaces or commas\n"
	"  -c, --channel C      a Slack channel (posted), a medium (deployed)\n"
	"      --cutoff TIME    the announced cut-off (cutoff-announced)\n"
	"  -n, --note TEXT      the event's text (what a note says)\n"
	"  -f, --from FILE.csv  add every row of a CSV file instead: a header\n"
	"                       row names the columns, at and type required, of\n"
	"                       at,type,group,by,round,artifacts,channel,note,cutoff;\n"
	"                       all rows or none, each error as FILE.csv:LINE\n"
	"  -p, --policy FILE    the policy (groups, artifacts, titles, display zone)\n"
	"      --templates DIR  check drafting with these templates, as check does\n"
	"  -h, --help           show this help\n"
	"\n"
	"Prints the line of each event added.  Exit status: 0 added, 2 refused\n"
	"(bad event, bad record, bad CSV, or the file changed meanwhile).\n",
};

static const struct option log_options[] = {
	{ "at", required_argument, NULL, 'a' },
	{ "group", required_argument, NULL, 'g' },
	{ "by", required_argument, NULL, 'b' },
	{ "round", required_argument, NULL, 'r' },
	{ "artifacts", required_argument, NULL, 'A' },
	{ "channel", required_argument, NULL, 'c' },
	{ "cutoff", required_argument, NULL, 'C' },
	{ "note", required_argument, NULL, 'n' },
	{ "from", required_argument, NULL, 'f' },
	{ "policy", required_argument, NULL, 'p' },
	{ "templates", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct log_opts {
	const char *record;
	const char *type;
	const char *at;
	const char *from;
	struct rec_edit_event ev;
	struct arena arena;
};

/* Reads n digits at s into *v; false unless all are digits. */
static bool digits(const char *s, int n, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		*v = *v * 10 + (unsigned)(s[i] - '0');
	}
	return true;
}

/* "hh:mm" or "hh:mm:ss" at s, to the end: seconds into the day. */
static bool clock_time(const char *s, int64_t *secs)
{
	unsigned h, m, sec = 0;
	size_t n = strlen(s);
	if ((n != 5 && n != 8) || !digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &m) ||
	    (n == 8 && (s[5] != ':' || !digits(s + 6, 2, &sec))) || h > 23 || m > 59 || sec > 59)
		return false;
	*secs = (int64_t)h * 3600 + m * 60 + sec;
	return true;
}

/*
 * When the event happened, from --at: "now" (or no --at); an RFC 3339
 * time with its offset, written as given; or a time on the display
 * zone's clock, written with the offset in force then: "hh:mm[:ss]",
 * the last such moment that has passed (today's or yesterday's), or
 * "YYYY-MM-DD hh:mm[:ss]" (or with a T).  A clock time that the zone
 * skipped or went through twice (a daylight-saving change) is refused
 * with the ways to say it.  Returns 0, or -1 with *why.
 */
static int resolve_at(const struct policy *pol, const char *s, int64_t now,
		      struct rec_edit_event *ev, struct arena *a, const char **why)
{
	int off;
	int64_t t;
	if (s && strcmp(s, "now") != 0 && ts_parse(s, &ev->at, &off, why) == 0) {
		ev->at_text = s;
		return 0;
	}
	int64_t in_day;
	int64_t at[2];
	int n = 0, lk;
	char *msg = NULL;
	if (!s || strcmp(s, "now") == 0) {
		t = now;
	} else if (clock_time(s, &in_day)) {
		int64_t local_now = now + (int64_t)pol_zone_offset_at(pol, now) * 60;
		int64_t today = (local_now >= 0 ? local_now / 86400 : 0) * 86400;
		t = -1;
		for (int k = 0; k < 2 && t < 0; k++) {
			n = pol_zone_from_local(pol, today - k * 86400 + in_day, at);
			for (int i = n - 1; i >= 0 && t < 0; i--)
				if (at[i] <= now)
					t = at[i];
		}
		if (t < 0) {
			*why = "is not a time the display zone's clocks showed today or yesterday";
			return -1;
		}
	} else if ((lk = pol_zone_parse_local(pol, s, &t, &msg)) != 0) {
		if (lk < 0) {
			*why = arena_strdup(a, msg);
			free(msg);
			return -1;
		}
	} else {
		/* A full RFC 3339 time keeps ts_parse's precise reason. */
		if (strlen(s) <= 19)
			*why = "is not a time sircomm reads: write now, hh:mm[:ss] or YYYY-MM-DD "
			       "hh:mm[:ss] on the display zone's clock, or RFC 3339 with an offset";
		return -1;
	}
	if (t < TS_MIN || t > TS_MAX) {
		*why = "is outside the years 1970 to 9999";
		return -1;
	}
	char text[TS_BUFSZ];
	ts_format_offset(t, pol_zone_offset_at(pol, t), text);
	ev->at = t;
	ev->at_text = arena_strdup(a, text);
	return 0;
}

/* The one event of the command line, or every row of --from.  Rows
 * with errors are left out, and -1 returned, after the others: they
 * are checked too, so one run reports every problem of the file. */
static int log_events(struct cli_env *env, struct log_opts *o, struct rec_csv *csv,
		      struct rec_edit_event **evs, size_t *n, struct diag *d)
{
	if (o->from) {
		char *data;
		size_t len;
		int rc = read_file(o->from, XMLIN_MAX_BYTES, &data, &len);
		if (rc == -2) {
			diag_error(d, o->from, 0, "is larger than %zu bytes", XMLIN_MAX_BYTES);
			return -1;
		}
		if (rc != 0) {
			diag_error(d, o->from, 0, "cannot read: %s", strerror(errno));
			return -1;
		}
		rc = rec_csv_parse(o->from, data, len, env->pol, csv, d);
		free(data);
		*evs = csv->evs;
		*n = csv->n;
		return rc;
	}
	struct rec_edit_event *ev = &o->ev;
	const char *why;
	if (resolve_at(env->pol, o->at, (int64_t)time(NULL), ev, &o->arena, &why) != 0) {
		diag_error(d, NULL, 0, "--at '%s' %s", o->at, why);
		return -1;
	}
	const char *field;
	why = rec_edit_problem(ev, &field);
	if (why) {
		diag_error(d, o->record, 0, "the event to log: its %s %s", field, why);
		return -1;
	}
	*evs = ev;
	*n = 1;
	return 0;
}

/* Puts the problems in the order of their lines, those of one line in
 * the order found (an insertion sort: stable, and the lists are short). */
static void sort_by_line(struct diag *d)
{
	for (size_t i = 1; i < d->n; i++) {
		struct diag_item it = d->items[i];
		size_t k = i;
		for (; k > 0 && d->items[k - 1].line > it.line; k--)
			d->items[k] = d->items[k - 1];
		d->items[k] = it;
	}
}

/*
 * Sorts the problems found in the record with the events added: those on
 * an added event are its problems (warnings too: check would flag them),
 * given at its CSV row or as the event's; an error elsewhere is the
 * record's, at its line before the edit; other warnings were there
 * before.  Returns the number of problems kept in out.
 */
static size_t blame(const struct diag *found, const struct rec_edit *ed, const char *record,
		    const struct rec_csv *csv, struct diag *out)
{
	size_t kept = 0;
	for (size_t i = 0; i < found->n; i++) {
		const struct diag_item *it = &found->items[i];
		bool ours = it->file && strcmp(it->file, record) == 0;
		long orig = it->line;
		long ev = ours ? rec_edit_event_of_line(ed, it->line, &orig) : -1;
		if (ev >= 0) {
			if (csv->n)
				diag_error(out, csv->path, csv->lines[ev], "%s", it->msg);
			else
				diag_error(out, record, 0, "the event to log: %s", it->msg);
			kept++;
		} else if (it->level == DIAG_ERROR) {
			diag_error(out, it->file, ours ? orig : it->line, "%s", it->msg);
			kept++;
		}
	}
	return kept;
}

static int log_work(struct cli_env *env, void *ud)
{
	struct log_opts *o = ud;
	const char *path = o->record;
	struct diag d = DIAG_INIT;
	struct output_edit *edit = NULL;
	struct record *rec = NULL, *after = NULL;
	struct rec_csv csv = REC_CSV_INIT;
	struct rec_edit ed = REC_EDIT_INIT;
	struct rec_edit_event *evs = NULL;
	size_t n = 0;
	char *src = NULL;
	size_t len;
	int status = SC_EXIT_INPUT;

	if (output_edit_begin(path, XMLIN_MAX_BYTES + 1, &edit, &src, &len, &d) != 0)
		goto out;
	/* The record as it is must check clean: its own errors, at their
	 * lines, come first. */
	if (rec_parse(path, src, len, env->pol, &d, &rec) != 0)
		goto out;
	diag_free(&d);
	bool bad_rows = log_events(env, o, &csv, &evs, &n, &d) != 0;
	if (n == 0 || (!o->from && bad_rows) || rec_edit_add(rec, evs, n, &ed, &d) != 0)
		goto out;

	struct diag found = DIAG_INIT;
	if (rec_parse(path, ed.text.data, ed.text.len, env->pol, &found, &after) == 0) {
		struct draft_set set = DRAFT_SET_INIT;
		draft_run(after, env->pol, &env->tpl, DRAFT_ALL, &set, &found);
		draft_set_free(&set);
	}
	size_t problems = blame(&found, &ed, path, &csv, &d);
	diag_free(&found);
	if (o->from) {
		/* The CSV's problems in the order of its rows (all are at
		 * lines of the CSV or none: the record's own came first). */
		sort_by_line(&d);
	}
	if (problems || bad_rows)
		goto out;
	if (output_edit_commit(edit, ed.text.data, ed.text.len, &d) != 0) {
		edit = NULL;
		goto out;
	}
	edit = NULL;
	status = SC_EXIT_OK;
	if (o->from) {
		long lo = ed.first[0], hi = ed.last[0];
		for (size_t i = 1; i < n; i++) {
			lo = ed.first[i] < lo ? ed.first[i] : lo;
			hi = ed.last[i] > hi ? ed.last[i] : hi;
		}
		output_line("%s: %zu event%s from %s, lines %ld to %ld", path, n, n == 1 ? "" : "s",
			    o->from, lo, hi);
	} else {
		output_line("%s:%ld: %s at %s", path, ed.first[0],
			    rec_event_type_name(evs[0].type), evs[0].at_text);
	}
out:
	diag_print(&d, stderr);
	diag_free(&d);
	output_edit_abort(edit);
	rec_edit_free(&ed);
	rec_csv_free(&csv);
	rec_free(after);
	rec_free(rec);
	free(src);
	return status;
}

int cmd_log(struct cli_env *env, int argc, char **argv)
{
	struct log_opts o = { 0 };
	struct rec_edit_event *ev = &o.ev;
	bool attrs = false;
	int c;
	while ((c = cli_getopt("log", argc, argv, "a:g:b:r:A:c:n:f:p:h", log_options)) != -1) {
		switch (c) {
		case 'a': o.at = optarg; break;
		case 'g': ev->group = optarg; attrs = true; break;
		case 'b': ev->by = optarg; attrs = true; break;
		case 'r': ev->round = optarg; attrs = true; break;
		case 'A': ev->artifacts = optarg; attrs = true; break;
		case 'c': ev->channel = optarg; attrs = true; break;
		case 'C': ev->cutoff = optarg; attrs = true; break;
		case 'n': ev->text = optarg; attrs = true; break;
		case 'f': o.from = optarg; break;
		case 'p': env->policy_path = optarg; break;
		case 't': env->templates_dir = optarg; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind >= argc)
		return cli_usage_error("log", "no record given");
	o.record = argv[optind];
	if (strcmp(o.record, "-") == 0)
		return cli_usage_error("log", "log edits a record file in place: '-' is not one");
	int operands = argc - optind;
	if (o.from) {
		if (operands > 1)
			return cli_usage_error("log", "--from takes the events from the CSV file: "
					       "give no event type");
		if (attrs || o.at)
			return cli_usage_error("log", "--from takes the events from the CSV file: "
					       "the event options go in its columns");
	} else {
		if (operands < 2) {
			struct buf types = BUF_INIT;
			for (int t = 0; t < REC_EV_COUNT; t++)
				buf_printf(&types, "%s%s", t ? ", " : "",
					   rec_event_type_name((enum rec_event_type)t));
			int rc = cli_usage_error("log", "no event type given (one of %s)",
						 buf_str(&types));
			buf_free(&types);
			return rc;
		}
		if (operands > 2)
			return cli_usage_error("log", "unexpected operand '%s'", argv[optind + 2]);
		o.type = argv[optind + 1];
		int t = rec_event_type_parse(o.type);
		if (t < 0)
			return cli_usage_error("log", "unknown event type '%s' (see 'sircomm help log' "
					       "and docs/record-format.md)", o.type);
		ev->type = (enum rec_event_type)t;
		if (ev->artifacts) {
			ev->artifacts = rec_csv_list(&o.arena, ev->artifacts);
			if (!ev->artifacts)
				return cli_usage_error("log", "--artifacts lists no artifact");
		}
	}
	/* Operands are the record and the type, not records to load. */
	int rc = cli_run(env, argc, NULL, log_work, &o);
	arena_free(&o.arena);
	return rc;
}
