/*
 * cli.h - the command table and what every command handler shares.
 *
 * Each subcommand is `int cmd_NAME(int argc, char **argv)` in
 * gen/cmd_NAME.c, with argv[0] the subcommand's name and its own
 * getopt_long options.  It returns an enum sc_exit status; it never calls
 * exit().  The runner in main.c calls it, then flushes standard output
 * and turns a write failure into an error.
 */
#ifndef SIRCOMM_CLI_H
#define SIRCOMM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/util.h"

struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;   /* one line for `sircomm help` */
	const char *usage;     /* "sircomm check [options] RECORD..." */
	const char *help;      /* the options and details, for --help */
};

/* The table, ended by an entry whose name is NULL. */
extern const struct cli_command cli_commands[];

/* The command with exactly that name, or NULL (never a prefix match). */
const struct cli_command *cli_find(const char *name);

/* Prints the overview of all commands (`sircomm --help`). */
void cli_print_overview(FILE *out);

/* Prints the command's full help to stdout. */
void cli_print_help(const struct cli_command *cmd);

/* Prints "sircomm: error: MSG" and the command's usage line to stderr and
 * returns SC_EXIT_INPUT, for handlers to `return cli_usage_error(...)`. */
int cli_usage_error(const char *command, const char *fmt, ...) SC_PRINTF(2, 3);

/*
 * Runs getopt_long for a command with opterr off, so unknown options
 * and missing arguments get sircomm's own message.  Returns the option
 * like getopt_long; '?' after printing the usage error (the caller then
 * returns SC_EXIT_INPUT).
 */
struct option;
int cli_getopt(const char *command, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* Handlers, one per file. */
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_new(int argc, char **argv);
int cmd_draft(int argc, char **argv);
int cmd_templates(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_bundle(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_exceptions(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_sample(int argc, char **argv);

/* ---- The records of a batch ---------------------------------------- */

/*
 * The records a batch command (draft, audit, bundle, ingest) was given,
 * argv[first] to argv[end - 1], each read once.  Standard input ("-")
 * and other files that cannot be read twice (a pipe, bash's <(...)) are
 * read whole at open and loaded from memory.
 *
 * With `unique`, open first looks at every record's incident id (the
 * start of each file only, on `workers` threads) and refuses the batch
 * when two records carry the same one, ASCII case ignored (ids name
 * files, and on a case-insensitive file system two such names are one):
 * their outputs would overwrite each other.  Each duplicate is an error
 * at its FILE:LINE naming the other record's FILE:LINE, and nothing has
 * been done yet.  A record whose id cannot be seen is left for the load
 * to report.
 *
 *     struct cli_records rs;
 *     if (cli_records_open(&rs, argv, optind, argc, true, workers, &d) != 0)
 *             ... print d, cli_records_close(&rs), exit 2
 *     cli_records_load(&rs, i, pol, &d, &rec);   // any thread, any i
 *     cli_records_close(&rs);
 *
 * open returns 0, or -1 after the errors in d; close frees everything
 * (and accepts a batch whose open failed, or NULL).  load is rec_load for
 * argv[i]; with `unique` it also refuses a record whose id is no longer
 * the one first seen (the file changed meanwhile).
 */
struct cli_record_src;
struct cli_records {
	int first;
	bool unique;
	struct cli_record_src *src;
};

struct diag;
struct policy;
struct record;
int cli_records_open(struct cli_records *rs, char **argv, int first, int end, bool unique,
		     int workers, struct diag *d);
int cli_records_load(const struct cli_records *rs, int i, const struct policy *pol,
		     struct diag *d, struct record **out);
void cli_records_close(struct cli_records *rs);

/* Parses a --at value (RFC 3339 with offset, or "now"); -1 after a usage
 * error for `command`. */
int cli_parse_at(const char *command, const char *s, int64_t *at);

#endif
