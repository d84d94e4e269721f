/* cmd_notice.c - `sircomm notice`: regulators' notices, checked complete. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "base/diag.h"
#include "draft/notice.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"

const struct cli_doc cmd_notice_doc = {
	"sircomm notice [-o DIR] [--stage REGIME/STAGE] [--at TIME] RECORD",
	"Draft a notice to the regulator (or the people notified) for every stage\n"
	"of every regime the record states, as Markdown: DIR/ID-REGIME-STAGE.md,\n"
	"with the deadline, the due time and what the cited text says the notice\n"
	"must contain.  First, the completeness check: a notice whose required\n"
	"content the record does not give is not drafted, and each missing item\n"
	"is named with the element that would give it.  sircomm gives no legal\n"
	"advice: counsel reviews every notice before it is sent\n"
	"(docs/regulatory.md, \"Notices\").\n"
	"\n"
	"  -o, --output DIR   write the notices there (default: .)\n"
	"  -s, --stage REGIME/STAGE  only this stage (gdpr/authority)\n"
	"  -a, --at TIME      the due times and statuses as of TIME (RFC 3339,\n"
	"                     or now); default: the last moment the record\n"
	"                     speaks of\n"
	"  -p, --policy FILE  the policy instead of the built-in one\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 every notice drafted, 1 a notice is incomplete (nothing\n"
	"written), 2 bad input or usage, 3 the output could not be written.\n",
};

static const struct option notice_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "stage", required_argument, NULL, 's' },
	{ "at", required_argument, NULL, 'a' },
	{ "policy", required_argument, NULL, 'p' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct notice_opts {
	const char *stage;
	int64_t at;
};

static int notice_work(struct cli_env *env, void *ud)
{
	const struct notice_opts *o = ud;
	const struct policy *pol = env->pol;
	struct diag d = DIAG_INIT;
	struct record *rec = NULL;
	int status = SC_EXIT_OK;
	if (cli_records_load(&env->recs, env->first, pol, &d, &rec) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_INPUT;
	}
	struct audit *au;
	audit_run(rec, pol, o->at, &au);
	size_t max = 1;
	for (size_t i = 0; i < rec->n_regimes; i++)
		max += pol->legal.regimes[rec->regimes[i].regime].n_stages;
	struct output_set_file *files = xcalloc(max, sizeof(*files));
	struct buf *bodies = xcalloc(max, sizeof(*bodies));
	char **names = xcalloc(max, sizeof(*names));
	size_t n = 0;
	bool found = !o->stage;
	for (size_t i = 0; i < rec->n_regimes; i++) {
		const struct rec_regime *rr = &rec->regimes[i];
		const struct legal_regime *lr = &pol->legal.regimes[rr->regime];
		for (size_t s = 0; s < lr->n_stages; s++) {
			char subject[80];
			snprintf(subject, sizeof(subject), "%s/%s", lr->id, lr->stages[s].id);
			if (o->stage && strcmp(o->stage, subject) != 0)
				continue;
			found = true;
			if (!rr->stages[s]) {
				if (o->stage)
					diag_error(&d, rec->path, rr->line, "the record's regulatory "
						   "statement leaves stage %s out", subject);
				continue;
			}
			unsigned missing = notice_missing(rec, pol, rr->regime, (int)s);
			if (missing) {
				struct buf m = BUF_INIT;
				notice_describe_missing(missing, &m);
				diag_error(&d, rec->path, rec->notice_line ? rec->notice_line : rr->line,
					   "notice %s (%s) is incomplete: the record does not give %s",
					   subject, lr->stages[s].citation, buf_str(&m));
				buf_free(&m);
				status = SC_EXIT_FAIL;
				continue;
			}
			struct notice_when w = { false, 0, 0, NULL };
			for (size_t k = 0; k < au->n_findings; k++) {
				const struct audit_finding *f = &au->findings[k];
				if (f->rule != POL_RULE_NOTIFY || f->detail.regime != rr->regime ||
				    f->detail.stage != (int)s)
					continue;
				w.has_due = f->has_due;
				w.due = f->due;
				w.offset = f->detail.clock_start ? f->detail.clock_start->offset : 0;
				w.notified = f->detail.act;
			}
			notice_render(rec, pol, rr->regime, (int)s, &w, &bodies[n]);
			names[n] = xasprintf("%s-%s-%s.md", rec->id, lr->id, lr->stages[s].id);
			files[n] = (struct output_set_file){ names[n], bodies[n].data, bodies[n].len };
			n++;
		}
	}
	if (!found)
		status = cli_usage_error("notice", "the record states no regime with stage '%s'", o->stage);
	else if (d.errors && status == SC_EXIT_OK)
		status = SC_EXIT_INPUT;
	if (status == SC_EXIT_OK && n && output_write_set(env->outdir, files, n, &d) != 0)
		status = SC_EXIT_IO;
	if (status == SC_EXIT_OK)
		for (size_t i = 0; i < n; i++)
			output_line("%s/%s", env->outdir, names[i]);
	else if (status == SC_EXIT_FAIL)
		diag_add(&d, DIAG_NOTE, rec->path, 0, "no notice written: complete the record first");
	diag_print(&d, stderr);
	diag_free(&d);
	for (size_t i = 0; i < n; i++) {
		buf_free(&bodies[i]);
		free(names[i]);
	}
	free(files);
	free(bodies);
	free(names);
	audit_free(au);
	rec_free(rec);
	return status;
}

int cmd_notice(struct cli_env *env, int argc, char **argv)
{
	struct notice_opts o = { NULL, AUDIT_AT_RECORD };
	int c;
	while ((c = cli_getopt("notice", argc, argv, "o:s:a:p:h", notice_options)) != -1) {
		switch (c) {
		case 'o': env->outdir = optarg; break;
		case 's': o.stage = optarg; break;
		case 'a':
			if (cli_parse_at("notice", optarg, &o.at) != 0)
				return SC_EXIT_INPUT;
			break;
		case 'p': env->policy_path = optarg; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("notice", argc - optind ? "notice takes one record" : "no record given");
	return cli_run(env, optind, NULL, notice_work, &o);
}
