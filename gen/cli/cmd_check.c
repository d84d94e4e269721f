/* cmd_check.c - `sircomm check`: validate incident records. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "audit/audit_report.h"
#include "cli/cli.h"
#include "base/diag.h"
#include "draft/draft.h"
#include "publish/publish.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"

const struct cli_doc cmd_check_doc = {
	"sircomm check [--policy FILE] [--templates DIR] [--quiet] [--strict] RECORD...",
	"Validate incident records: parse each safely, check it against the\n"
	"size limits, the record schema and the policy, draft every\n"
	"communication in memory (what draft and bundle refuse, such as a\n"
	"tracking link, a social post over the limit or two drafts that\n"
	"contradict each other, check refuses), render the audit page when\n"
	"--templates DIR has its own audit-page.html, and report every\n"
	"problem as FILE:LINE: error: ... (warnings do not fail the check).\n"
	"\n"
	"  -p, --policy FILE   check against this policy instead of the one found\n"
	"      --templates DIR draft with these templates, as draft --templates DIR\n"
	"  -q, --quiet         print only problems, not one line per good record\n"
	"      --strict        treat warnings as errors (a social post with nothing\n"
	"                      to link, a support FAQ with no questions, an ongoing\n"
	"                      incident with no next update, a <security-quoted/>\n"
	"                      the quote does not bear out)\n"
	"  -h, --help          show this help\n"
	"\n"
	"RECORD may be - for standard input.  Exit status: 0 all records are\n"
	"valid, 2 at least one is not (or bad usage).\n",
};

static const struct option check_options[] = {
	{ "policy", required_argument, NULL, 'p' },
	{ "templates", required_argument, NULL, 't' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "strict", no_argument, NULL, 'S' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct check_opts {
	bool quiet, strict;
};

/* True when --templates DIR has its own audit-page.html: the built-in
 * one renders every audit, so only an organisation's needs checking. */
static bool own_audit_page(const struct tmpl_set *tpl)
{
	const struct tmpl_set_file *t = tmpl_set_find(tpl, "audit-page.html");
	return t && strcmp(t->origin, "built-in") != 0;
}

/* Renders the audit page a bundle of the record would hold, and keeps
 * nothing: 0, or -1 after the template's errors in d. */
static int check_audit_page(const struct record *rec, const struct policy *pol,
			    const struct tmpl_set *tpl, struct diag *d)
{
	struct audit *au;
	audit_run(rec, pol, AUDIT_AT_RECORD, &au);
	struct buf page = BUF_INIT;
	int rc = audit_render_html(au, tpl, &page, d);
	buf_free(&page);
	audit_free(au);
	return rc;
}

/* Warns, once per missing event, when the record lacks an event that
 * obligations count from though later events show it happened: the
 * audit fails those obligations as unproven (AUDIT_R_UNPROVEN), and the
 * warning names them at the line of the event that shows it. */
static void warn_missing_starts(const struct record *rec, const struct policy *pol, struct diag *d)
{
	if (!pol_in_scope(pol, rec->impact))
		return;
	struct audit *au;
	audit_run(rec, pol, AUDIT_AT_RECORD, &au);
	bool *done = xcalloc(au->n_findings + 1, sizeof(*done));
	for (size_t i = 0; i < au->n_findings; i++) {
		const struct audit_finding *f = &au->findings[i];
		if (done[i] || f->reason != AUDIT_R_UNPROVEN)
			continue;
		struct buf rules = BUF_INIT;
		for (size_t k = i; k < au->n_findings; k++) {
			const struct audit_finding *o = &au->findings[k];
			if (o->reason != AUDIT_R_UNPROVEN || o->detail.anchor != f->detail.anchor)
				continue;
			done[k] = true;
			buf_printf(&rules, "%s%s %s", rules.len ? ", " : "", pol_rule_name(o->rule),
				   o->subject);
		}
		diag_warning(d, rec->path, f->detail.shown_by->line,
			     "the record has no %s event, though this %s event shows it happened: "
			     "what counts from it cannot be proven and fails (%s)",
			     rec_event_type_name(f->detail.anchor),
			     rec_event_type_name(f->detail.shown_by->type), buf_str(&rules));
		buf_free(&rules);
	}
	free(done);
	audit_free(au);
}

static int check_work(struct cli_env *env, void *ud)
{
	const struct check_opts *o = ud;
	const struct policy *pol = env->pol;
	struct diag d = DIAG_INIT;
	size_t bad = 0, n = 0;
	for (int i = env->first; i < env->argc && !output_stdout_error(); i++, n++) {
		struct record *rec;
		int rc = rec_load(env->argv[i], pol, &d, &rec);
		if (rc == 0) {
			/* What draft and bundle would refuse (a tracking link, a
			 * social post over the limit), check refuses: it drafts
			 * every communication in memory, as they do, and keeps
			 * nothing. */
			struct draft_set set = DRAFT_SET_INIT;
			rc = draft_run(rec, pol, &env->tpl, DRAFT_ALL, &set, &d);
			if (rc == 0)
				rc = publish_run(rec, pol, &env->tpl, &set, &d);
			draft_set_free(&set);
		}
		if (rc == 0 && own_audit_page(&env->tpl))
			rc = check_audit_page(rec, pol, &env->tpl, &d);
		if (rc == 0)
			warn_missing_starts(rec, pol, &d);
		diag_print(&d, stderr);
		if (rc == 0 && !(o->strict && d.warnings)) {
			if (!o->quiet)
				output_line("%s: ok: %s, %s, impact %s, %zu events%s", rec->path, rec->id,
				       pol_severity_name(rec->severity), pol_impact_name(rec->impact),
				       rec->n_events,
				       pol_in_scope(pol, rec->impact) ? "" : " (below the plan's scope)");
		} else {
			bad++;
		}
		rec_free(rec);
		diag_free(&d);
	}
	if (n > 1 || bad)
		infof("%zu of %zu record%s valid", n - bad, n, n == 1 ? "" : "s");
	return bad ? SC_EXIT_INPUT : SC_EXIT_OK;
}

int cmd_check(struct cli_env *env, int argc, char **argv)
{
	struct check_opts o = { false, false };
	int c;
	while ((c = cli_getopt("check", argc, argv, "p:qh", check_options)) != -1) {
		switch (c) {
		case 'p': env->policy_path = optarg; break;
		case 't': env->templates_dir = optarg; break;
		case 'q': o.quiet = true; break;
		case 'S': o.strict = true; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind >= argc)
		return cli_usage_error("check", "no record given");
	return cli_run(env, optind, NULL, check_work, &o);
}
