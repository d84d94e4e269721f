/*
 * cli.h - the command table, and what every command handler shares.
 *
 * Each subcommand is `int cmd_NAME(struct cli_env *env, int argc, char
 * **argv)` in gen/cli/cmd_NAME.c, with argv[0] the subcommand's name.
 * Its usage line and help text (a struct cli_doc) stand beside its
 * getopt_long options; its entry in the table (main.c) gives its name,
 * a one-line summary and what it needs set up.  It returns an enum
 * sc_exit status and never calls exit(): the runner in main.c calls it,
 * then flushes standard output and turns a write failure into an error.
 *
 * A handler reads its options into env (the paths the set-up loads) and
 * its own variables, then hands the rest to cli_run, which sets up what
 * the table asks for (the policy, the templates, the records), calls
 * the command's work and tears it all down again:
 *
 *     const struct cli_doc cmd_show_doc = {
 *             "sircomm show [--policy FILE] RECORD...",
 *             "Show records.\n\n  -p, --policy FILE   the policy\n",
 *     };
 *
 *     static const struct option show_options[] = {
 *             { "policy", required_argument, NULL, 'p' },
 *             { "help", no_argument, NULL, 'h' },
 *             { NULL, 0, NULL, 0 },
 *     };
 *
 *     static int show_work(struct cli_env *env, void *ud)
 *     {
 *             (void)ud;
 *             output_printf("%d records, policy %s\n", env->argc - env->first,
 *                        env->pol->name);
 *             return SC_EXIT_OK;
 *     }
 *
 *     int cmd_show(struct cli_env *env, int argc, char **argv)
 *     {
 *             int c;
 *             while ((c = cli_getopt("show", argc, argv, "p:h", show_options)) != -1) {
 *                     switch (c) {
 *                     case 'p': env->policy_path = optarg; break;
 *                     case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
 *                     default: return SC_EXIT_INPUT;
 *                     }
 *             }
 *             return cli_run(env, optind, NULL, show_work, NULL);
 *     }
 *
 *     // main.c's table:
 *     { "show", cmd_show, CLI_POLICY | CLI_RECORDS, "show records", &cmd_show_doc },
 */
#ifndef SIRCOMM_CLI_H
#define SIRCOMM_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/diag.h"
#include "base/util.h"
#include "format/tmpl_set.h"
#include "model/policy.h"

/* ---- The table ------------------------------------------------------ */

/* What a command needs set up, as flags in its table entry (cli_run
 * does it, once the command has read its options). */
enum cli_needs {
	CLI_RECORDS = 1 << 0,     /* the operands are a batch of records: env->recs */
	CLI_OUTPUT_DIR = 1 << 1,  /* env->outdir must be a directory to write into */
	CLI_POLICY = 1 << 2,      /* env->policy_path loaded as env->pol */
	CLI_TEMPLATES = 1 << 3,   /* env->templates_dir loaded as env->tpl */
	CLI_CUSTOMER_TEXT = 1 << 4, /* writes what customers read: say so when the
				       built-in example policy signs it */
};

/* A command's usage line and help text, defined in its cmd_NAME.c. */
struct cli_doc {
	const char *usage;     /* "sircomm check [options] RECORD..." */
	const char *help;      /* the options and details, for --help */
};

struct cli_env;

struct cli_command {
	const char *name;
	int (*run)(struct cli_env *env, int argc, char **argv);
	unsigned needs;                /* enum cli_needs */
	const char *summary;           /* one line for `sircomm help` */
	const struct cli_doc *doc;
};

/* The table (main.c), ended by an entry whose name is NULL. */
extern const struct cli_command cli_commands[];

/* The command with exactly that name, or NULL (never a prefix match). */
const struct cli_command *cli_find(const char *name);

/* Prints the overview of all commands (`sircomm --help`). */
void cli_print_overview(FILE *out);

/* Prints the command's usage line and help to stdout, then the options
 * every command takes (cli_common_help). */
void cli_print_help(const struct cli_command *cmd);
extern const char cli_common_help[];

/* ---- The records of a batch ---------------------------------------- */

/*
 * The records a batch command (draft, audit, bundle, ingest) was given,
 * argv[first] to argv[end - 1], each read once.  Standard input ("-")
 * and other files that cannot be read twice (a pipe, bash's <(...)) are
 * read whole at open and loaded from memory.  cli_run opens them for a
 * CLI_RECORDS command as env->recs.
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
 *     struct cli_records rs = { 0, false, NULL };
 *     if (cli_records_open(&rs, argv, optind, argc, true, workers, &d) != 0)
 *             diag_print(&d, stderr);         // then close, exit 2
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

struct record;
int cli_records_open(struct cli_records *rs, char **argv, int first, int end, bool unique,
		     int workers, struct diag *d);
int cli_records_load(const struct cli_records *rs, int i, const struct policy *pol,
		     struct diag *d, struct record **out);
void cli_records_close(struct cli_records *rs);

/* ---- One run of a command ------------------------------------------- */

/*
 * What the runner hands a command.  cli_env_init fills in the entry and
 * the defaults; the command's options set the paths; cli_run sets up
 * the rest and frees it.
 */
struct cli_env {
	const struct cli_command *cmd;
	unsigned needs;                /* the entry's; narrowed by a command whose
					  subcommands need less (templates) */
	int argc;                      /* the command's arguments, argv[0] its name */
	char **argv;

	/* Set by the command's options. */
	const char *policy_path;       /* -p: NULL for the built-in policy */
	const char *templates_dir;     /* -t: NULL for the built-in templates */
	const char *outdir;            /* -o DIR: "." unless given */
	int workers;                   /* -j: the processors unless given */
	bool unique;                   /* refuse two records of one incident
					  (default; audit only with -o) */

	/* Set up by cli_run, for the command's work; freed after it. */
	int first;                     /* the first operand: argv[first] .. argv[argc - 1] */
	struct policy *pol;
	struct tmpl_set tpl;
	struct cli_records recs;       /* the batch, for CLI_RECORDS */
};

/* Fills env for a run of cmd with its arguments, at the defaults. */
void cli_env_init(struct cli_env *env, const struct cli_command *cmd, int argc, char **argv);

/*
 * Sets up what env->needs asks for, the operands being argv[first] ..
 * argv[argc - 1], runs work(env, ud) and returns its status, then frees
 * what it set up (ud stays the caller's).  In this order:
 *
 *  1. CLI_RECORDS: at least one operand, else a usage error "no record
 *     given" (exit 2); CLI_OUTPUT_DIR: env->outdir is not "-" (standard
 *     output cannot hold a directory of files), else a usage error;
 *  2. CLI_OUTPUT_DIR: env->outdir is a directory to write into, made
 *     with its parents when missing (removed again, if still empty, when
 *     the run fails), else its error and exit 3, before anything is read;
 *  3. CLI_RECORDS: from here a stop signal is caught (stop.h): one that
 *     comes while the records are read stops the run before its first;
 *  4. CLI_POLICY: env->policy_path (NULL: built-in) as env->pol;
 *  5. CLI_TEMPLATES: env->templates_dir (NULL: built-in) as env->tpl;
 *  6. load(env, d, ud), when not NULL: the command's own inputs (a
 *     signing key, standing exceptions), returning 0 or -1 after adding
 *     its errors to d;
 *  7. CLI_RECORDS: the records opened as env->recs (env->unique,
 *     env->workers).
 *
 * A step that fails ends the set-up: its errors, with what the steps
 * before it warned about, are printed once and the work does not run
 * (exit 2).  Otherwise the warnings are printed and the work runs.
 */
int cli_run(struct cli_env *env, int first,
	    int (*load)(struct cli_env *env, struct diag *d, void *ud),
	    int (*work)(struct cli_env *env, void *ud), void *ud);

/* ---- Where the policy and templates come from ---------------------- */

/*
 * The policy and the templates are found without flags, so that an
 * organisation sets its own once and no draft goes out signed by the
 * built-in example.  Looked up in this order, the first that is given
 * or exists being the one in effect:
 *
 *   policy:    --policy FILE, $SIRCOMM_POLICY,
 *              $XDG_CONFIG_HOME/sircomm/policy.xml (~/.config/...),
 *              /etc/sircomm/policy.xml, the built-in example
 *   templates: --templates DIR, $SIRCOMM_TEMPLATES,
 *              $XDG_CONFIG_HOME/sircomm/templates/, /etc/sircomm/templates/,
 *              the built-in ones
 *
 * A file that exists is used, readable or not (its error is reported,
 * never skipped silently); an empty variable counts as not set.
 */
enum cli_lookup_state { CLI_LOOKUP_ABSENT, CLI_LOOKUP_USED, CLI_LOOKUP_SKIPPED };

struct cli_lookup_step {
	const char *source;            /* "--policy", "SIRCOMM_POLICY", "user", ... */
	char *path;                    /* what was looked at; NULL when not given */
	enum cli_lookup_state state;
};

struct cli_lookup {
	const char *path;              /* the one in effect; NULL: built-in */
	struct cli_lookup_step steps[5];   /* in the order looked at; the last
					      is the built-in one */
};

/* Finds the policy (templates false) or the templates (true), given the
 * flag's value or NULL.  Free with cli_lookup_free. */
void cli_lookup(bool templates, const char *flag, struct cli_lookup *out);
void cli_lookup_free(struct cli_lookup *l);

/* ---- Options and usage errors --------------------------------------- */

/* Prints "sircomm: error: MSG" and the command's usage line to stderr and
 * returns SC_EXIT_INPUT, for handlers to `return cli_usage_error(...)`.
 * A NULL command gives sircomm's own usage line. */
int cli_usage_error(const char *command, const char *fmt, ...) SC_PRINTF(2, 3);

/*
 * Runs getopt_long for a command with opterr off, so unknown options
 * and missing arguments get sircomm's own message, with the closest
 * option's name ("did you mean '--output'?").  Long options are taken
 * by their full name only: an abbreviation (--out) is an unknown option,
 * so that it cannot change meaning when an option is added.  Returns the
 * option like getopt_long; '?' after printing the usage error (the
 * caller then returns SC_EXIT_INPUT).
 *
 * Every command takes -q/--quiet (no progress, no line per output saying
 * where it went: problems and the run's result only) and -v/--verbose (also what the
 * run set up: the policy and templates in effect, the records and
 * threads): handled here (diag_set_verbosity), and returned too only to
 * a command whose own options have them (check -q: no line per record).
 */
struct option;
int cli_getopt(const char *command, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/* True after -q: a command leaves out the lines that only say where its
 * outputs went. */
bool cli_quiet(void);

/* A -o FILE value for a command that writes one file: NULL (standard
 * output) for "-", the way other tools read it, else the path. */
const char *cli_output_path(const char *arg);

/* The one of names[0..n-1] closest to `typed` (a slip of a key or two,
 * or the start of the name), for a "did you mean" after an unknown
 * command, option or value; NULL when none is close. */
const char *cli_suggest(const char *typed, const char *const *names, size_t n);

/* Prints "unknown WHAT 'TYPED'", with the closest of names when one is
 * close, as a usage error of `command`; returns SC_EXIT_INPUT. */
int cli_unknown(const char *command, const char *what, const char *typed,
		const char *const *names, size_t n);

/* The same for a command name, against the table's. */
int cli_unknown_command(const char *command, const char *typed);

/* Parses a --at value (RFC 3339 with offset, or "now"); -1 after a usage
 * error for `command`. */
int cli_parse_at(const char *command, const char *s, int64_t *at);

/* When to colour standard output (--color WHEN). */
enum cli_colour { CLI_COLOUR_AUTO = 0, CLI_COLOUR_ALWAYS, CLI_COLOUR_NEVER };

/* Parses a --color value, auto, always or never; -1 after a usage error
 * for `command`. */
int cli_parse_colour(const char *command, const char *s, enum cli_colour *when);

/* Whether to colour what goes to standard output: always; never; or
 * (auto) when it is a terminal and NO_COLOR is not set to a non-empty
 * value (no-color.org). */
bool cli_colour_stdout(enum cli_colour when);

/* Parses a -j value into *workers; -1 after a usage error for `command`. */
int cli_parse_jobs(const char *command, const char *s, int *workers);

/* Reads a key file (small, text).  Returns a new buffer the caller frees
 * (wiping it first: it may hold a secret key), or NULL after an error
 * in d. */
char *cli_read_key(const char *path, size_t *len, struct diag *d);

/*
 * The passphrase of the secret key `key` (a name for messages): from the
 * file $SIRCOMM_KEY_PASSWORD_FILE names when it is set (its first line;
 * for scripts and CI), else asked on the terminal without echo, twice
 * when `confirm` (a new key).  Returns 0 with the passphrase in pw (the
 * caller clears it with sodium_memzero), or -1 after an error in d.
 */
int cli_key_passphrase(const char *key, bool confirm, char *pw, size_t *len, struct diag *d);

/* ---- Documents generated from the table (cli_doc.c) ---------------- */

/* One option of a command, as its help text gives it:
 * "  -o, --output DIR     where to write (default: ...)". */
struct cli_docopt {
	char shortopt;          /* 'o', or 0 */
	char name[32];          /* "output" */
	char arg[24];           /* "DIR", or "" for a flag */
	struct buf text;        /* what it does, its lines joined */
};

/* Reads the option lines of doc's help into out (at most max); returns
 * how many.  cli_doc_options_free frees their texts. */
size_t cli_doc_options(const struct cli_doc *doc, struct cli_docopt *out, size_t max);
void cli_doc_options_free(struct cli_docopt *opts, size_t n);

/* Appends the manual page, in roff (man(7)), of cmd: sircomm-NAME(1),
 * or sircomm(1) for NULL. */
void cli_doc_man(const struct cli_command *cmd, struct buf *out);

/* Append the bash and zsh completion scripts: commands, their options,
 * the values of options that have a fixed set (formats, --color), files
 * and directories, and the policy's groups, artifacts and event types
 * asked at completion time of `sircomm completion --values`.  drafts is
 * the space-separated list of draft's artifacts (--only). */
void cli_doc_bash(struct buf *out, const char *drafts);
void cli_doc_zsh(struct buf *out, const char *drafts);

/* ---- Handlers, one per file ----------------------------------------- */

/* Each in gen/cli/cmd_NAME.c (help and version in cmd_help.c), with
 * its usage and help beside its options. */
extern const struct cli_doc cmd_help_doc;
int cmd_help(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_version_doc;
int cmd_version(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_check_doc;
int cmd_check(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_policy_doc;
int cmd_policy(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_new_doc;
int cmd_new(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_log_doc;
int cmd_log(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_draft_doc;
int cmd_draft(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_templates_doc;
int cmd_templates(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_audit_doc;
int cmd_audit(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_status_doc;
int cmd_status(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_calendar_doc;
int cmd_calendar(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_notice_doc;
int cmd_notice(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_bundle_doc;
int cmd_bundle(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_keygen_doc;
int cmd_keygen(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_verify_doc;
int cmd_verify(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_ingest_doc;
int cmd_ingest(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_report_doc;
int cmd_report(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_exceptions_doc;
int cmd_exceptions(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_query_doc;
int cmd_query(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_sample_doc;
int cmd_sample(struct cli_env *env, int argc, char **argv);
extern const struct cli_doc cmd_completion_doc;
int cmd_completion(struct cli_env *env, int argc, char **argv);

#endif
