/*
 * cmd_query.c - `sircomm query`: one read-only SQL statement on a ledger,
 * printed as an aligned table or as CSV (ledger/query.h says how).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "sys/output.h"
#include "ledger/ledger.h"
#include "ledger/query.h"
#include "format/md.h"

const struct cli_doc cmd_query_doc = {
	"sircomm query --db LEDGER [--csv] \"SELECT ...\"",
	"Run one read-only SQL statement on a ledger and print the rows as an\n"
	"aligned table, or as CSV.  The ledger is opened read-only, creating no\n"
	"file beside it; a second statement, or one that could write, is\n"
	"refused before anything runs.\n"
	"docs/ledger.md documents the tables; times are UTC epoch seconds\n"
	"(datetime(col, 'unixepoch') shows them).  The ledger keeps each\n"
	"incident's record rather than its timeline and its findings' notes;\n"
	"here the views events and findings.note give them back from the\n"
	"record (select one incident's events: each is read from its record).\n"
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
	"or bad usage.\n",
};

static const struct option query_options[] = {
	{ "db", required_argument, NULL, 'd' },
	{ "csv", no_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Prints the line of `sql` holding byte `off` and a caret under it, after
 * an error, the way a compiler points at a column. */
static void show_position(const char *sql, int off)
{
	if (off < 0 || (size_t)off > strlen(sql))
		return;
	const char *at = sql + off, *start = at, *end = at;
	while (start > sql && start[-1] != '\n')
		start--;
	while (*end && *end != '\n')
		end++;
	if (end - start > 200)
		return;   /* too long to be worth pointing into */
	/* Control characters (a tab) print as one space, so the caret's
	 * column is the display width of what precedes it, as printed. */
	char line[201];
	size_t n = (size_t)(end - start);
	for (size_t i = 0; i < n; i++)
		line[i] = (unsigned char)start[i] < 0x20 || start[i] == 0x7f ? ' ' : start[i];
	line[n] = '\0';
	fprintf(stderr, "    %s\n    %*s^\n", line,
		(int)md_display_width(line, (size_t)(at - start)), "");
}

int cmd_query(struct cli_env *env, int argc, char **argv)
{
	const char *db_path = NULL;
	bool csv = false;
	int c;
	while ((c = cli_getopt("query", argc, argv, "d:h", query_options)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'c': csv = true; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (!db_path)
		return cli_usage_error("query", "say which ledger with --db FILE");
	if (optind >= argc)
		return cli_usage_error("query", "no SQL statement given");
	if (argc - optind > 1)
		return cli_usage_error("query", "give the SQL statement as one argument (quote it)");
	const char *sql = argv[optind];

	struct diag d = DIAG_INIT;
	struct ledger *db = NULL;
	if (ledger_open(db_path, LEDGER_READ_ONLY, &db, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_INPUT;
	}

	struct buf out = BUF_INIT;
	int error_at;
	int status = SC_EXIT_OK;
	if (query_print(db, sql, csv ? QUERY_CSV : QUERY_TABLE, &out, &error_at, &d) != 0) {
		diag_print(&d, stderr);
		show_position(sql, error_at);
		status = SC_EXIT_INPUT;
	} else {
		output_stdout(buf_str(&out), out.len);
	}
	buf_free(&out);
	diag_free(&d);
	ledger_close(db);
	return status;
}
