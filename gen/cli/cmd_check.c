/* cmd_check.c - `sircomm check`: validate incident records. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "draft/draft.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "templates", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "strict", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *policy_path = NULL, *templates_dir = NULL;
	bool quiet = false, strict = false;
	int c;
	while ((c = cli_getopt("check", argc, argv, "p:qh", longopts)) != -1) {
		switch (c) {
		case 'p': policy_path = optarg; break;
		case 't': templates_dir = optarg; break;
		case 'q': quiet = true; break;
		case 'S': strict = true; break;
		case 'h': cli_print_help(cli_find("check")); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind >= argc)
		return cli_usage_error("check", "no record given");

	struct diag d = DIAG_INIT;
	struct policy *pol = NULL;
	struct draft_templates tpl = DRAFT_TEMPLATES_INIT;
	if (pol_load(policy_path, &d, &pol) != 0 || draft_templates_load(templates_dir, &tpl, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		draft_templates_free(&tpl);
		pol_free(pol);
		return SC_EXIT_INPUT;
	}
	diag_print(&d, stderr);
	diag_free(&d);

	size_t bad = 0, n = 0;
	for (int i = optind; i < argc && !out_stdout_error(); i++, n++) {
		struct record *rec;
		int rc = rec_load(argv[i], pol, &d, &rec);
		if (rc == 0) {
			/* What draft and bundle would refuse (a tracking link, a
			 * social post over the limit), check refuses: it drafts
			 * every communication in memory, as they do, and keeps
			 * nothing. */
			struct draft_set set = DRAFT_SET_INIT;
			rc = draft_run(rec, pol, &tpl, DRAFT_ALL, &set, &d);
			draft_set_free(&set);
		}
		diag_print(&d, stderr);
		if (rc == 0 && !(strict && d.warnings)) {
			if (!quiet)
				out_line("%s: ok: %s, %s, impact %s, %zu events%s", rec->path, rec->id,
				       pol_severity_name(rec->severity), pol_impact_name(rec->impact),
				       rec->n_events,
				       pol_in_scope(pol, rec->impact) ? "" : " (below the plan's scope)");
		} else {
			bad++;
		}
		rec_free(rec);
		diag_free(&d);
	}
	draft_templates_free(&tpl);
	pol_free(pol);
	if (n > 1 || bad)
		infof("%zu of %zu record%s valid", n - bad, n, n == 1 ? "" : "s");
	return bad ? SC_EXIT_INPUT : SC_EXIT_OK;
}
