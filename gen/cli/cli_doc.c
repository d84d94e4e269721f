/*
 * cli_doc.c - the documents generated from the command table: a manual
 * page per command and for sircomm itself, and the bash and zsh
 * completion scripts.  Each command's usage line, help text and option
 * lines ("  -o, --output DIR   where to write") are the one source; the
 * build runs `sircomm help --man` and `sircomm completion` to make the
 * installed files, so they cannot drift from --help.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "config.h"
#include "base/util.h"

/* ---- Reading the help text ------------------------------------------ */

/* Whether `line` starts an option entry: "  -x, --name ARG  text" or
 * "      --name ARG  text" (two spaces, then -x, or six, then --name). */
static bool option_line(const char *line)
{
	return (strncmp(line, "  -", 3) == 0 && isalpha((unsigned char)line[3])) ||
	       strncmp(line, "      --", 8) == 0;
}

/* An option's metavariable: a word that starts with a capital (FILE,
 * DIR, KEY.sec). */
static bool metavar(const char *s, size_t n)
{
	if (n == 0 || !isupper((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '_')
			return false;
	return true;
}

/* Parses one option line (and the continuation lines after it, which
 * are indented further and start with no '-') into o; returns the start
 * of the next line not consumed. */
static const char *parse_option(const char *p, struct cli_docopt *o)
{
	*o = (struct cli_docopt){ 0 };
	const char *end = strchr(p, '\n');
	if (!end)
		end = p + strlen(p);
	const char *q = p;
	while (*q == ' ')
		q++;
	if (q[0] == '-' && q[1] != '-') {
		o->shortopt = q[1];
		q += 2;
		if (*q == ',')
			q++;
		while (*q == ' ')
			q++;
	}
	if (q[0] == '-' && q[1] == '-') {
		q += 2;
		size_t n = strcspn(q, " \n=");
		if (n >= sizeof(o->name))
			n = sizeof(o->name) - 1;
		memcpy(o->name, q, n);
		q += n;
	}
	/* One space, then a metavariable, then the text. */
	if (*q == ' ' && q[1] != ' ') {
		size_t n = strcspn(q + 1, " \n");
		if (metavar(q + 1, n) && n < sizeof(o->arg)) {
			memcpy(o->arg, q + 1, n);
			q += 1 + n;
		}
	}
	while (*q == ' ')
		q++;
	buf_append(&o->text, q, (size_t)(end - q));
	p = *end ? end + 1 : end;
	/* Continuation lines: deeper than the option, not another option. */
	while (strncmp(p, "        ", 8) == 0 && !option_line(p)) {
		const char *e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		const char *t = p;
		while (*t == ' ')
			t++;
		buf_putc(&o->text, ' ');
		buf_append(&o->text, t, (size_t)(e - t));
		p = *e ? e + 1 : e;
	}
	return p;
}

size_t cli_doc_options(const struct cli_doc *doc, struct cli_docopt *out, size_t max)
{
	size_t n = 0;
	const char *p = doc->help;
	while (*p) {
		if (option_line(p) && n < max) {
			p = parse_option(p, &out[n++]);
			continue;
		}
		const char *e = strchr(p, '\n');
		p = e ? e + 1 : p + strlen(p);
	}
	return n;
}

void cli_doc_options_free(struct cli_docopt *opts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf_free(&opts[i].text);
}

/* The options every command takes (cli_getopt), as entries. */
static size_t common_options(struct cli_docopt *out)
{
	const struct cli_doc d = { "", cli_common_help };
	return cli_doc_options(&d, out, 2);
}

/* ---- Manual pages --------------------------------------------------- */

/* Appends text escaped for roff: backslashes, hyphens (so that options
 * stay minus signs) and, at the start of a line, dots and quotes. */
static void roff(struct buf *out, const char *s, size_t n, bool line_start)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (line_start && (c == '.' || c == '\''))
			buf_puts(out, "\\&");
		line_start = false;
		if (c == '\\')
			buf_puts(out, "\\e");
		else if (c == '-')
			buf_puts(out, "\\-");
		else
			buf_putc(out, c);
	}
}

static void roff_str(struct buf *out, const char *s)
{
	roff(out, s, strlen(s), true);
}

/* The help text's paragraphs other than the option lines, as roff: a
 * paragraph with an indented line (a table, an example) is kept as
 * laid out. */
static void man_paragraphs(struct buf *out, const char *help)
{
	const char *p = help;
	while (*p) {
		if (*p == '\n') {
			p++;
			continue;
		}
		if (option_line(p)) {
			struct cli_docopt skip;
			p = parse_option(p, &skip);
			buf_free(&skip.text);
			continue;
		}
		/* One paragraph: up to a blank line or an option line. */
		const char *start = p, *q = p;
		bool indented = false;
		while (*q && *q != '\n' && !option_line(q)) {
			if (*q == ' ')
				indented = true;
			const char *e = strchr(q, '\n');
			q = e ? e + 1 : q + strlen(q);
		}
		buf_puts(out, indented ? ".PP\n.nf\n" : ".PP\n");
		for (const char *l = start; l < q;) {
			const char *e = strchr(l, '\n');
			size_t n = e ? (size_t)(e - l) : strlen(l);
			roff(out, l, n, true);
			buf_putc(out, '\n');
			l += n + (e != NULL);
		}
		if (indented)
			buf_puts(out, ".fi\n");
		p = q;
	}
}

static void man_option(struct buf *out, const struct cli_docopt *o)
{
	buf_puts(out, ".TP\n");
	if (o->shortopt && o->name[0])
		buf_printf(out, "\\fB\\-%c\\fR, \\fB\\-\\-", o->shortopt);
	else if (o->shortopt)
		buf_printf(out, "\\fB\\-%c", o->shortopt);
	else
		buf_puts(out, "\\fB\\-\\-");
	roff(out, o->name, strlen(o->name), false);
	buf_puts(out, "\\fR");
	if (o->arg[0]) {
		buf_puts(out, " \\fI");
		roff(out, o->arg, strlen(o->arg), false);
		buf_puts(out, "\\fR");
	}
	buf_putc(out, '\n');
	roff_str(out, buf_str(&o->text));
	buf_putc(out, '\n');
}

static const char man_exit[] =
	".SH EXIT STATUS\n"
	".TP\n0\nsuccess\n"
	".TP\n1\nthe run worked and found failures (audit: a finding failed; status:\n"
	"something is overdue; verify: a problem in a bundle)\n"
	".TP\n2\nbad input or usage: every problem is printed as FILE:LINE: error: ...\n"
	"and nothing is written\n"
	".TP\n3\nan output could not be written (a full disk, a closed pipe)\n";

static const char man_env[] =
	".SH ENVIRONMENT\n"
	".TP\n.B NO_COLOR\n"
	"set and not empty: no colour on a terminal unless \\fB\\-\\-color=always\\fR\n"
	".TP\n.B SIRCOMM_KEY_PASSWORD_FILE\n"
	"a file whose first line is the passphrase of an encrypted secret key\n"
	"(keygen, bundle \\fB\\-\\-sign\\fR), instead of asking on the terminal\n";

static void man_head(struct buf *out, const char *page, const char *title, const char *summary)
{
	buf_printf(out, ".TH %s 1 \"\" \"sircomm %s\" \"sircomm manual\"\n.SH NAME\n", title,
		   SIRCOMM_VERSION);
	roff(out, page, strlen(page), false);
	buf_puts(out, " \\- ");
	roff_str(out, summary);
	buf_putc(out, '\n');
}

void cli_doc_man(const struct cli_command *cmd, struct buf *out)
{
	struct cli_docopt common[2];
	size_t nc = common_options(common);
	if (!cmd) {
		man_head(out, "sircomm", "SIRCOMM",
			 "security incident communications, drafted, audited and bundled");
		buf_puts(out, ".SH SYNOPSIS\n.B sircomm\n\\fICOMMAND\\fR [\\fIARGS\\fR]...\n.br\n"
			 ".B sircomm\n\\fB\\-\\-help\\fR | \\fB\\-\\-version\\fR\n"
			 ".SH DESCRIPTION\n"
			 "sircomm drafts, audits and bundles the communications of a security\n"
			 "incident from one XML incident record, against a communications plan.\n"
			 ".SH COMMANDS\n");
		for (const struct cli_command *c = cli_commands; c->name; c++) {
			buf_printf(out, ".TP\n.BR sircomm\\-%s (1)\n", c->name);
			roff_str(out, c->summary);
			buf_putc(out, '\n');
		}
		buf_puts(out, ".SH OPTIONS\nEvery command takes:\n");
	} else {
		char page[64], title[64];
		snprintf(page, sizeof(page), "sircomm-%s", cmd->name);
		size_t i = 0;
		for (; page[i]; i++)
			title[i] = (char)toupper((unsigned char)page[i]);
		title[i] = '\0';
		man_head(out, page, title, cmd->summary);
		/* The usage line: the command in bold, the rest as it is. */
		const char *usage = cmd->doc->usage;
		size_t pre = strlen("sircomm ") + strlen(cmd->name);
		buf_printf(out, ".SH SYNOPSIS\n.B sircomm %s\n", cmd->name);
		if (strlen(usage) > pre) {
			const char *rest = usage + pre;
			while (*rest == ' ')
				rest++;
			roff_str(out, rest);
			buf_putc(out, '\n');
		}
		buf_puts(out, ".SH DESCRIPTION\n");
		man_paragraphs(out, cmd->doc->help);
		struct cli_docopt opts[48];
		size_t n = cli_doc_options(cmd->doc, opts, 48);
		if (n)
			buf_puts(out, ".SH OPTIONS\n");
		for (size_t k = 0; k < n; k++)
			man_option(out, &opts[k]);
		cli_doc_options_free(opts, n);
		buf_puts(out, ".PP\nEvery command also takes:\n");
	}
	for (size_t k = 0; k < nc; k++)
		man_option(out, &common[k]);
	cli_doc_options_free(common, nc);
	buf_puts(out, man_exit);
	buf_puts(out, man_env);
	buf_puts(out, ".SH SEE ALSO\n");
	if (cmd) {
		buf_puts(out, ".BR sircomm (1)\n");
	} else {
		for (const struct cli_command *c = cli_commands; c->name; c++)
			buf_printf(out, ".BR sircomm\\-%s (1)%s\n", c->name, c[1].name ? "," : "");
	}
}

/* ---- Completion ----------------------------------------------------- */

/* Where the values of an option come from, for completion. */
enum values {
	V_NONE = 0,   /* free text: nothing to offer */
	V_FILE, V_DIR,
	V_LIST,       /* the alternatives of the usage line: --format text|md */
	V_COLOUR, V_SEVERITY, V_IMPACT,
	V_DRAFTS,     /* draft's artifacts, a comma-separated list */
	V_GROUPS, V_ARTIFACTS, V_EVENTS, V_TEMPLATES, /* asked of sircomm, with the policy in effect */
};

/* The alternatives the usage line gives an option ("--format
 * text|md|csv" gives "text md csv"), into out; false when none. */
static bool usage_values(const char *usage, const char *name, struct buf *out)
{
	char key[48];
	snprintf(key, sizeof(key), "--%s ", name);
	const char *p = strstr(usage, key);
	if (!p)
		return false;
	p += strlen(key);
	size_t n = strcspn(p, " ]");
	if (!memchr(p, '|', n))
		return false;
	for (size_t i = 0; i < n; i++)
		buf_putc(out, p[i] == '|' ? ' ' : p[i]);
	return true;
}

static enum values option_values(const struct cli_command *cmd, const struct cli_docopt *o,
				 struct buf *list)
{
	const char *a = o->arg, *n = o->name;
	if (!a[0])
		return V_NONE;
	if (usage_values(cmd->doc->usage, n, list))
		return V_LIST;
	if (strcmp(n, "group") == 0 || strcmp(a, "GROUP") == 0)
		return V_GROUPS;
	if (strcmp(n, "artifact") == 0 || strcmp(n, "artifacts") == 0 || strncmp(a, "ARTIFACT", 8) == 0)
		return V_ARTIFACTS;
	if (strcmp(n, "type") == 0 || strcmp(n, "event") == 0 || strcmp(a, "TYPE") == 0)
		return V_EVENTS;
	if (strcmp(a, "WHEN") == 0)
		return V_COLOUR;
	if (strcmp(n, "severity") == 0)
		return V_SEVERITY;
	if (strcmp(n, "impact") == 0)
		return V_IMPACT;
	if (strcmp(a, "LIST") == 0)
		return V_DRAFTS;
	if (strcmp(a, "DIR") == 0)
		return V_DIR;
	if (strcmp(a, "FILE") == 0 || strcmp(a, "LEDGER") == 0 || strncmp(a, "KEY", 3) == 0 ||
	    strcmp(a, "NAME") == 0)
		return V_FILE;
	return V_NONE;
}

/* The subcommands a usage line lists ("policy show ... | check FILE...
 * | export" gives "show check export"), into out; false when none. */
static bool subcommands(const struct cli_command *cmd, struct buf *out)
{
	const char *p = cmd->doc->usage + strlen("sircomm ") + strlen(cmd->name);
	if (!strstr(p, " | "))
		return false;
	bool any = false;
	while (*p) {
		while (*p == ' ' || *p == '|')
			p++;
		/* The first word of the alternative; "bash|zsh" is two. */
		size_t n = strcspn(p, " ");
		for (size_t i = 0; i < n;) {
			size_t k = strcspn(p + i, "|");
			if (k > n - i)
				k = n - i;
			if (k && islower((unsigned char)p[i])) {
				buf_printf(out, "%s%.*s", any ? " " : "", (int)k, p + i);
				any = true;
			}
			i += k + 1;
		}
		const char *bar = strstr(p, " | ");
		if (!bar)
			break;
		p = bar + 3;
	}
	return any;
}

static const char *const value_kinds[] = {
	[V_GROUPS] = "groups", [V_ARTIFACTS] = "artifacts", [V_EVENTS] = "events",
	[V_TEMPLATES] = "templates",
};

/* The words an option's values are, for a static list; NULL otherwise. */
static const char *static_words(enum values v, const struct buf *list)
{
	switch (v) {
	case V_LIST: return buf_str(list);
	case V_COLOUR: return "auto always never";
	case V_SEVERITY: return "S1 S2 S3 S4";
	case V_IMPACT: return "low medium high critical";
	default: return NULL;
	}
}

void cli_doc_bash(struct buf *out, const char *drafts)
{
	buf_puts(out,
		 "# bash completion for sircomm, generated from its command table\n"
		 "# (sircomm completion bash).  Groups, artifacts and event types come\n"
		 "# from the policy in effect: sircomm completion --values KIND, with\n"
		 "# the --policy FILE of the line being completed, if any.\n"
		 "\n"
		 "_sircomm_values()\n"
		 "{\n"
		 "\tlocal kind=$1 i policy=\n"
		 "\tfor ((i = 2; i < COMP_CWORD; i++)); do\n"
		 "\t\tcase ${COMP_WORDS[i]} in\n"
		 "\t\t--policy|-p) policy=${COMP_WORDS[i + 1]} ;;\n"
		 "\t\tesac\n"
		 "\tdone\n"
		 "\t\"${COMP_WORDS[0]}\" completion --values \"$kind\" ${policy:+--policy \"$policy\"} 2>/dev/null\n"
		 "}\n"
		 "\n"
		 "_sircomm()\n"
		 "{\n"
		 "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
		 "\t# --name=value: bash splits at the '='.\n"
		 "\tif [[ $cur == = ]]; then\n"
		 "\t\tcur=\n"
		 "\telif [[ $prev == = ]]; then\n"
		 "\t\tprev=${COMP_WORDS[COMP_CWORD - 2]}\n"
		 "\tfi\n"
		 "\tCOMPREPLY=()\n"
		 "\tif ((COMP_CWORD == 1)); then\n"
		 "\t\tCOMPREPLY=($(compgen -W \"");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		buf_printf(out, "%s ", c->name);
	buf_puts(out, "--help --version\" -- \"$cur\"))\n"
		 "\t\treturn\n"
		 "\tfi\n"
		 "\tlocal opts= words= kind= list=\n"
		 "\tcase ${COMP_WORDS[1]} in\n");
	struct cli_docopt common[2];
	size_t nc = common_options(common);
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		struct cli_docopt opts[48];
		size_t n = cli_doc_options(c->doc, opts, 48);
		buf_printf(out, "\t%s)\n\t\tcase $prev in\n", c->name);
		for (size_t k = 0; k < n; k++) {
			struct buf list = BUF_INIT;
			enum values v = option_values(c, &opts[k], &list);
			if (v == V_NONE) {
				buf_free(&list);
				continue;
			}
			buf_puts(out, "\t\t");
			if (opts[k].shortopt)
				buf_printf(out, "-%c|", opts[k].shortopt);
			buf_printf(out, "--%s) ", opts[k].name);
			const char *words = static_words(v, &list);
			if (words)
				buf_printf(out, "words=\"%s\" ;;\n", words);
			else if (v == V_FILE)
				buf_puts(out, "kind=file ;;\n");
			else if (v == V_DIR)
				buf_puts(out, "kind=dir ;;\n");
			else if (v == V_DRAFTS)
				buf_printf(out, "words=\"%s\" list=1 ;;\n", drafts);
			else
				buf_printf(out, "words=$(_sircomm_values %s) ;;\n", value_kinds[v]);
			buf_free(&list);
		}
		buf_puts(out, "\t\tesac\n\t\topts=\"");
		for (size_t k = 0; k < n; k++)
			buf_printf(out, "--%s ", opts[k].name);
		for (size_t k = 0; k < nc; k++)
			buf_printf(out, "--%s%s", common[k].name, k + 1 < nc ? " " : "");
		buf_puts(out, "\"\n");
		struct buf subs = BUF_INIT;
		if (subcommands(c, &subs))
			buf_printf(out, "\t\tif ((COMP_CWORD == 2)) && [[ -z $words$kind && $cur != -* ]]; then\n"
				   "\t\t\twords=\"%s\"\n"
				   "\t\tfi\n", buf_str(&subs));
		if (strstr(c->doc->usage, "[COMMAND]")) {
			buf_puts(out, "\t\tif [[ -z $words$kind && $cur != -* ]]; then\n\t\t\twords=\"");
			for (const struct cli_command *k = cli_commands; k->name; k++)
				buf_printf(out, "%s%s", k->name, k[1].name ? " " : "");
			buf_puts(out, "\"\n\t\tfi\n");
		}
		if (strcmp(c->name, "templates") == 0)
			buf_puts(out, "\t\tif [[ ${COMP_WORDS[2]} == show ]] && ((COMP_CWORD == 3)); then\n"
				 "\t\t\twords=$(_sircomm_values templates)\n"
				 "\t\tfi\n");
		/* sircomm log RECORD TYPE: the event types of the policy. */
		if (strcmp(c->name, "log") == 0)
			buf_puts(out, "\t\tif ((COMP_CWORD == 3)) && [[ -z $words$kind && $cur != -* ]]; then\n"
				 "\t\t\twords=$(_sircomm_values events)\n"
				 "\t\tfi\n");
		buf_free(&subs);
		buf_puts(out, "\t\t;;\n");
		cli_doc_options_free(opts, n);
	}
	cli_doc_options_free(common, nc);
	buf_puts(out,
		 "\tesac\n"
		 "\tif [[ -n $list ]]; then\n"
		 "\t\t# A comma-separated list: complete its last item.\n"
		 "\t\tlocal head=\n"
		 "\t\t[[ $cur == *,* ]] && head=${cur%,*},\n"
		 "\t\tCOMPREPLY=($(compgen -P \"$head\" -W \"$words\" -- \"${cur##*,}\"))\n"
		 "\telif [[ -n $words ]]; then\n"
		 "\t\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
		 "\telif [[ $kind == dir ]]; then\n"
		 "\t\tCOMPREPLY=($(compgen -d -- \"$cur\"))\n"
		 "\telif [[ $kind != file && $cur == -* ]]; then\n"
		 "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
		 "\telse\n"
		 "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
		 "\tfi\n"
		 "}\n"
		 "complete -o filenames -F _sircomm sircomm\n");
}

/* Appends s for a zsh _arguments description: one line, with the
 * characters _arguments and single quotes give a meaning escaped. */
static void zsh_desc(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(out, "'\\''");
		else if (*s == '[' || *s == ']' || *s == ':' || *s == '\\')
			buf_printf(out, "\\%c", *s);
		else
			buf_putc(out, *s);
	}
}

static void zsh_option(struct buf *out, const struct cli_command *c, const struct cli_docopt *o,
		       const char *drafts)
{
	struct buf list = BUF_INIT;
	enum values v = option_values(c, o, &list);
	const char *eq = o->arg[0] ? "=" : "", *plus = o->arg[0] ? "+" : "";
	buf_puts(out, "\t\t\t");
	if (o->shortopt)
		buf_printf(out, "'(-%c --%s)'{-%c%s,--%s%s}'[", o->shortopt, o->name, o->shortopt, plus,
			   o->name, eq);
	else
		buf_printf(out, "'--%s%s[", o->name, eq);
	/* The first sentence or line of the text is enough beside a name. */
	char first[120];
	snprintf(first, sizeof(first), "%s", buf_str(&o->text));
	zsh_desc(out, first);
	buf_putc(out, ']');
	if (o->arg[0]) {
		buf_puts(out, ":");
		zsh_desc(out, o->arg);
		buf_putc(out, ':');
		const char *words = static_words(v, &list);
		if (words)
			buf_printf(out, "(%s)", words);
		else if (v == V_FILE)
			buf_puts(out, "_files");
		else if (v == V_DIR)
			buf_puts(out, "_files -/");
		else if (v == V_DRAFTS)
			buf_printf(out, "_sequence compadd - %s", drafts);
		else if (v != V_NONE)
			buf_printf(out, "_sircomm_values %s", value_kinds[v]);
		else
			buf_puts(out, " ");
	}
	buf_puts(out, "' \\\n");
	buf_free(&list);
}

void cli_doc_zsh(struct buf *out, const char *drafts)
{
	buf_puts(out,
		 "#compdef sircomm\n"
		 "# zsh completion for sircomm, generated from its command table\n"
		 "# (sircomm completion zsh).  Groups, artifacts and event types come\n"
		 "# from the policy in effect: sircomm completion --values KIND, with\n"
		 "# the --policy FILE of the line being completed, if any.\n"
		 "\n"
		 "# _arguments calls it with compadd's options first and the kind last.\n"
		 "_sircomm_values() {\n"
		 "\tlocal kind=$argv[-1]\n"
		 "\tlocal -a vals policy opts\n"
		 "\topts=(\"${(@)argv[1,-2]}\")\n"
		 "\tlocal i\n"
		 "\tfor ((i = 1; i < $#words; i++)); do\n"
		 "\t\tif [[ $words[i] == (--policy|-p) ]]; then\n"
		 "\t\t\tpolicy=(--policy \"$words[i+1]\")\n"
		 "\t\tfi\n"
		 "\tdone\n"
		 "\tvals=(${(f)\"$(sircomm completion --values $kind $policy 2>/dev/null)\"})\n"
		 "\tcompadd \"${opts[@]}\" -a vals\n"
		 "}\n"
		 "\n"
		 "_sircomm() {\n"
		 "\tlocal curcontext=$curcontext state line\n"
		 "\ttypeset -A opt_args\n"
		 "\tlocal -a commands\n"
		 "\tcommands=(\n");
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		buf_printf(out, "\t\t'%s:", c->name);
		zsh_desc(out, c->summary);
		buf_puts(out, "'\n");
	}
	buf_puts(out,
		 "\t)\n"
		 "\t_arguments -C \\\n"
		 "\t\t'(- *)--help[show the commands]' \\\n"
		 "\t\t'(- *)--version[show the versions]' \\\n"
		 "\t\t'1:command:->command' \\\n"
		 "\t\t'*::argument:->argument'\n"
		 "\tcase $state in\n"
		 "\tcommand)\n"
		 "\t\t_describe -t commands 'sircomm command' commands\n"
		 "\t\t;;\n"
		 "\targument)\n"
		 "\t\tcurcontext=${curcontext%:*:*}:sircomm-$words[1]:\n"
		 "\t\tcase $words[1] in\n");
	struct cli_docopt common[2];
	size_t nc = common_options(common);
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		struct cli_docopt opts[48];
		size_t n = cli_doc_options(c->doc, opts, 48);
		buf_printf(out, "\t\t%s)\n\t\t\t_arguments -s -S \\\n", c->name);
		for (size_t k = 0; k < n; k++)
			zsh_option(out, c, &opts[k], drafts);
		for (size_t k = 0; k < nc; k++)
			zsh_option(out, c, &common[k], drafts);
		struct buf subs = BUF_INIT;
		if (subcommands(c, &subs))
			buf_printf(out, "\t\t\t\t'1:%s command:(%s)' \\\n\t\t\t\t'*:argument:_files'\n",
				   c->name, buf_str(&subs));
		else if (strstr(c->doc->usage, "[COMMAND]"))
			buf_puts(out, "\t\t\t\t'1:command:_describe -t commands command commands'\n");
		else if (strcmp(c->name, "log") == 0)
			buf_puts(out, "\t\t\t\t'1:record:_files' \\\n"
				 "\t\t\t\t'2:event type:_sircomm_values events'\n");
		else
			buf_puts(out, "\t\t\t\t'*:file:_files'\n");
		buf_free(&subs);
		buf_puts(out, "\t\t\t;;\n");
		cli_doc_options_free(opts, n);
	}
	cli_doc_options_free(common, nc);
	buf_puts(out,
		 "\t\tesac\n"
		 "\t\t;;\n"
		 "\tesac\n"
		 "}\n"
		 "\n"
		 "_sircomm \"$@\"\n");
}
