/* cmd_templates.c - `sircomm templates list|show|export|vars`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "draft/context.h"
#include "base/diag.h"
#include "format/tmpl_set.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"

const struct cli_doc cmd_templates_doc = {
	"sircomm templates list | show NAME | export DIR | vars RECORD",
	"Work with the Mustache templates drafts are made from (Markdown), and\n"
	"the HTML pages around the blog post, the audit and the compliance report.\n"
	"\n"
	"  sircomm templates list                 the templates and what each is for\n"
	"  sircomm templates show NAME            print a template's source\n"
	"  sircomm templates export DIR [--force] write the built-in templates to DIR\n"
	"  sircomm templates vars RECORD          every variable a draft's template sees\n"
	"\n"
	"  -t, --templates DIR  (list, show) overrides, as the --templates DIR of\n"
	"                       draft, check, bundle, audit and report reads them\n"
	"  -p, --policy FILE    (vars) the policy instead of the one found\n"
	"  -f, --force          (export) overwrite existing files\n"
	"  -h, --help           show this help\n"
	"\n"
	"docs/templates.md documents the variables and the template rules.\n",
};

static const struct option templates_options[] = {
	{ "templates", required_argument, NULL, 't' },
	{ "policy", required_argument, NULL, 'p' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* `list`, with the templates -t gives set up. */
static int list_work(struct cli_env *env, void *ud)
{
	(void)ud;
	const struct tmpl_set *tpl = &env->tpl;
	for (size_t i = 0; i < tpl->n; i++)
		output_line("%-20s %-10s %s", tpl->items[i].name,
		       strcmp(tpl->items[i].origin, "built-in") == 0 ? "built-in" : "override",
		       tmpl_set_about(tpl->items[i].name));
	return SC_EXIT_OK;
}

/* `show NAME`, with the templates -t gives set up. */
static int show_work(struct cli_env *env, void *ud)
{
	const char *name = ud;
	const struct tmpl_set_file *t = tmpl_set_find(&env->tpl, name);
	if (!t) {
		char *with_ext = xasprintf("%s.md", name);
		t = tmpl_set_find(&env->tpl, with_ext);
		free(with_ext);
	}
	if (!t)
		return cli_usage_error("templates", "no template named '%s' (see 'sircomm templates list')", name);
	output_stdout(t->src, t->len);
	return SC_EXIT_OK;
}

static int templates_export(const char *target, bool force)
{
	struct diag d = DIAG_INIT;
	if (output_check_dir(target, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_INPUT;
	}
	struct stat st;
	struct tmpl_set tpl = TMPL_SET_INIT;
	tmpl_set_load(NULL, &tpl, &d);   /* the built-in ones cannot fail */
	int status = SC_EXIT_OK;
	/* Refuse before writing anything, so an export never half-overwrites. */
	for (size_t i = 0; i < tpl.n && !force; i++) {
		char *path = xasprintf("%s/%s", target, tpl.items[i].name);
		if (lstat(path, &st) == 0) {
			errorf("%s: exists; use --force to overwrite", path);
			status = SC_EXIT_INPUT;
		}
		free(path);
	}
	for (size_t i = 0; i < tpl.n && status == SC_EXIT_OK; i++) {
		char *path = xasprintf("%s/%s", target, tpl.items[i].name);
		if (output_write_file(path, tpl.items[i].src, tpl.items[i].len, &d) != 0)
			status = SC_EXIT_IO;
		free(path);
	}
	if (status == SC_EXIT_OK && !cli_quiet())
		output_line("%zu templates written to %s", tpl.n, target);
	diag_print(&d, stderr);
	diag_free(&d);
	tmpl_set_free(&tpl);
	return status;
}

/* `vars RECORD`, with the policy -p gives set up. */
static int vars_work(struct cli_env *env, void *ud)
{
	const char *path = ud;
	struct diag d = DIAG_INIT;
	struct record *rec = NULL;
	int status = SC_EXIT_OK;
	if (rec_load(path, env->pol, &d, &rec) != 0) {
		status = SC_EXIT_INPUT;
	} else {
		struct arena a = ARENA_INIT;
		struct buf out = BUF_INIT;
		struct facts f;
		facts_build(rec, env->pol, &a, &f);
		context_dump(context_build(rec, env->pol, &f, &a), &out);
		output_stdout(out.data, out.len);
		buf_free(&out);
		arena_free(&a);
	}
	diag_print(&d, stderr);
	diag_free(&d);
	rec_free(rec);
	return status;
}

int cmd_templates(struct cli_env *env, int argc, char **argv)
{
	bool force = false;
	int c;
	while ((c = cli_getopt("templates", argc, argv, "t:p:fh", templates_options)) != -1) {
		switch (c) {
		case 't': env->templates_dir = optarg; break;
		case 'p': env->policy_path = optarg; break;
		case 'f': force = true; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	int n = argc - optind;
	const char *sub = n > 0 ? argv[optind] : NULL;
	if (!sub)
		return cli_usage_error("templates", "say list, show, export or vars");
	/* Each subcommand has set up only what it uses: -t for list and
	 * show, -p for vars; export writes the built-in templates. */
	if (strcmp(sub, "list") == 0 && n == 1) {
		env->needs = CLI_TEMPLATES;
		return cli_run(env, optind, NULL, list_work, NULL);
	}
	if (strcmp(sub, "show") == 0 && n == 2) {
		env->needs = CLI_TEMPLATES;
		return cli_run(env, optind, NULL, show_work, argv[optind + 1]);
	}
	if (strcmp(sub, "export") == 0 && n == 2)
		return templates_export(argv[optind + 1], force);
	if (strcmp(sub, "vars") == 0 && n == 2) {
		env->needs = CLI_POLICY;
		return cli_run(env, optind, NULL, vars_work, argv[optind + 1]);
	}
	if (strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0 ||
	    strcmp(sub, "export") == 0 || strcmp(sub, "vars") == 0)
		return cli_usage_error("templates", "wrong number of operands for '%s'", sub);
	static const char *const subs[] = { "list", "show", "export", "vars" };
	return cli_unknown("templates", "templates command", sub, subs, 4);
}
