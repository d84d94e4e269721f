/* cmd_templates.c - `sircomm templates list|show|export|vars`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "draft/context.h"
#include "base/diag.h"
#include "draft/draft.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"

static int load(const char *dir, struct draft_templates *tpl)
{
	struct diag d = DIAG_INIT;
	int rc = draft_templates_load(dir, tpl, &d);
	diag_print(&d, stderr);
	diag_free(&d);
	return rc;
}

static int templates_list(const char *dir)
{
	struct draft_templates tpl = DRAFT_TEMPLATES_INIT;
	if (load(dir, &tpl) != 0) {
		draft_templates_free(&tpl);
		return SC_EXIT_INPUT;
	}
	for (size_t i = 0; i < tpl.n; i++)
		out_line("%-20s %-10s %s", tpl.items[i].name,
		       strcmp(tpl.items[i].origin, "built-in") == 0 ? "built-in" : "override",
		       draft_template_about(tpl.items[i].name));
	draft_templates_free(&tpl);
	return SC_EXIT_OK;
}

static int templates_show(const char *dir, const char *name)
{
	struct draft_templates tpl = DRAFT_TEMPLATES_INIT;
	if (load(dir, &tpl) != 0) {
		draft_templates_free(&tpl);
		return SC_EXIT_INPUT;
	}
	const struct draft_template *t = draft_template_find(&tpl, name);
	if (!t) {
		char *with_ext = xasprintf("%s.md", name);
		t = draft_template_find(&tpl, with_ext);
		free(with_ext);
	}
	int status = SC_EXIT_OK;
	if (!t)
		status = cli_usage_error("templates", "no template named '%s' (see 'sircomm templates list')", name);
	else
		out_stdout(t->src, t->len);
	draft_templates_free(&tpl);
	return status;
}

static int templates_export(const char *target, bool force)
{
	struct diag d = DIAG_INIT;
	if (out_check_dir(target, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_INPUT;
	}
	struct stat st;
	struct draft_templates tpl = DRAFT_TEMPLATES_INIT;
	load(NULL, &tpl);
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
		if (out_write_file(path, tpl.items[i].src, tpl.items[i].len, &d) != 0)
			status = SC_EXIT_IO;
		free(path);
	}
	if (status == SC_EXIT_OK)
		out_line("%zu templates written to %s", tpl.n, target);
	diag_print(&d, stderr);
	diag_free(&d);
	draft_templates_free(&tpl);
	return status;
}

static int templates_vars(const char *policy_path, const char *path)
{
	struct diag d = DIAG_INIT;
	struct policy *pol;
	struct record *rec = NULL;
	int status = SC_EXIT_OK;
	if (pol_load(policy_path, &d, &pol) != 0) {
		status = SC_EXIT_INPUT;
	} else if (rec_load(path, pol, &d, &rec) != 0) {
		status = SC_EXIT_INPUT;
	} else {
		struct arena a = ARENA_INIT;
		struct buf out = BUF_INIT;
		ctx_dump(ctx_build(rec, pol, &a), &out);
		out_stdout(out.data, out.len);
		buf_free(&out);
		arena_free(&a);
	}
	diag_print(&d, stderr);
	diag_free(&d);
	rec_free(rec);
	pol_free(pol);
	return status;
}

int cmd_templates(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "templates", required_argument, NULL, 't' },
		{ "policy", required_argument, NULL, 'p' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *policy_path = NULL;
	bool force = false;
	int c;
	while ((c = cli_getopt("templates", argc, argv, "t:p:fh", longopts)) != -1) {
		switch (c) {
		case 't': dir = optarg; break;
		case 'p': policy_path = optarg; break;
		case 'f': force = true; break;
		case 'h': cli_print_help(cli_find("templates")); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	int n = argc - optind;
	const char *sub = n > 0 ? argv[optind] : NULL;
	if (!sub)
		return cli_usage_error("templates", "say list, show, export or vars");
	if (strcmp(sub, "list") == 0 && n == 1)
		return templates_list(dir);
	if (strcmp(sub, "show") == 0 && n == 2)
		return templates_show(dir, argv[optind + 1]);
	if (strcmp(sub, "export") == 0 && n == 2)
		return templates_export(argv[optind + 1], force);
	if (strcmp(sub, "vars") == 0 && n == 2)
		return templates_vars(policy_path, argv[optind + 1]);
	if (strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0 ||
	    strcmp(sub, "export") == 0 || strcmp(sub, "vars") == 0)
		return cli_usage_error("templates", "wrong number of operands for '%s'", sub);
	return cli_usage_error("templates", "unknown templates command '%s'", sub);
}
