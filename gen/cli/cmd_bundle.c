/* cmd_bundle.c - `sircomm bundle`: the evidence of each incident in a
 * reproducible, signed BagIt zip. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "bundle/bundle.h"
#include "cli/cli.h"
#include "base/diag.h"
#include "draft/draft.h"
#include "sys/jobs.h"
#include "bundle/minisig.h"
#include "sys/output.h"
#include "sys/passphrase.h"
#include "model/policy.h"
#include "model/record.h"
#include "sys/stop.h"

const struct cli_doc cmd_bundle_doc = {
	"sircomm bundle [-o DIR] [--sign KEY.sec] [--sent DIR] RECORD...",
	"Pack the evidence of each incident into OUT/<id>-audit.zip: a BagIt 1.0\n"
	"bag (RFC 8493) holding the record byte for byte, the effective policy,\n"
	"the templates used (built-in or --templates), every draft, the audit in\n"
	"every format (with the HTML report) and an SQLite copy of the incident,\n"
	"each listed with its SHA-256.  The same inputs give the same bytes.\n"
	"'sircomm verify --regenerate' drafts again from the bag alone.\n"
	"docs/bundle.md says how an auditor checks one with unzip, sha256sum and\n"
	"minisign alone.\n"
	"\n"
	"  -o, --output DIR     where to write (default: the current directory);\n"
	"                       made, with its parents, when missing\n"
	"  -s, --sign KEY.sec   also write <zip>.minisig, a minisign signature;\n"
	"                       the zip and its signature are replaced together.\n"
	"                       An encrypted key's passphrase is asked on the\n"
	"                       terminal, or read from SIRCOMM_KEY_PASSWORD_FILE\n"
	"  -t, --templates DIR  template overrides for the drafts and for the\n"
	"                       audit's page (audit-page.html)\n"
	"  -p, --policy FILE    the policy instead of the one found\n"
	"  -S, --sent DIR       the communications as they were sent, named by\n"
	"                       artifact (customer-email.eml, blog-post.html, ...,\n"
	"                       any of .txt .md .eml .html): bagged under\n"
	"                       data/sent/ with their diffs against the drafts\n"
	"                       under data/sent-diff/; one RECORD only\n"
	"  -j, --jobs N         build N bundles at a time (default: the processors)\n"
	"  -h, --help           show this help\n"
	"\n"
	"Interrupted (Ctrl-C), it stops between two bundles, each written whole.\n"
	"Two records with one incident id are refused, the whole run, before\n"
	"anything is written.\n"
	"Exit status: 0 written, 2 bad input (no bundle written), 3 could not write.\n",
};

static const struct option bundle_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "sign", required_argument, NULL, 's' },
	{ "templates", required_argument, NULL, 't' },
	{ "policy", required_argument, NULL, 'p' },
	{ "sent", required_argument, NULL, 'S' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* One record's bundle, built and signed on a worker thread. */
struct bundle_job {
	bool ok;
	struct buf zip, sig;
	char *name;
	struct diag d;
};

struct bundle_batch {
	const struct cli_env *env;
	const char *key_path;          /* --sign KEY.sec, or NULL */
	const char *sent_dir;          /* --sent DIR, or NULL */
	struct sent_file *sent;        /* its files, by name; non-NULL with --sent */
	size_t n_sent;
	struct minisig_keypair kp;
	bool have_key;
	int status;
	size_t written;
};

/* Reads every file of the --sent directory (names starting with '.'
 * left out) into b->sent, in name order; each bad name, non-file or
 * unreadable file is an error. */
static int load_sent(struct bundle_batch *b, struct diag *d)
{
	char **names;
	size_t n;
	if (dir_names(b->sent_dir, &names, &n) != 0) {
		diag_error(d, b->sent_dir, 0, "cannot read the directory of sent communications: %s",
			   strerror(errno));
		return -1;
	}
	b->sent = xcalloc(n + 1, sizeof(*b->sent));
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", b->sent_dir, names[i]);
		const char *why = sent_name_problem(names[i]);
		struct stat st;
		char *data = NULL;
		size_t len = 0;
		int r;
		if (why) {
			diag_error(d, path, 0, "%s", why);
		} else if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			diag_error(d, path, 0, "not a regular file");
		} else if ((r = read_file(path, SENT_MAX_BYTES, &data, &len)) != 0) {
			diag_error(d, path, 0, "%s", r == -2 ? "larger than the 4 MiB a sent communication may be"
						       : strerror(errno));
		} else {
			b->sent[b->n_sent++] = (struct sent_file){ names[i], path, data, len };
			continue;
		}
		rc = -1;
		free(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

static void free_sent(struct bundle_batch *b)
{
	for (size_t i = 0; i < b->n_sent; i++) {
		free((char *)b->sent[i].name);
		free((char *)b->sent[i].origin);
		free((char *)b->sent[i].data);
	}
	free(b->sent);
}

/* Reads the sent communications (--sent) and the signing key (--sign),
 * once the policy and templates are in. */
static int bundle_load(struct cli_env *env, struct diag *d, void *ud)
{
	(void)env;
	struct bundle_batch *b = ud;
	if (b->sent_dir && load_sent(b, d) != 0)
		return -1;
	if (!b->key_path)
		return 0;
	size_t len;
	char *text = cli_read_key(b->key_path, &len, d);
	if (!text)
		return -1;
	const char *why;
	char pw[PASSPHRASE_MAX];
	size_t pwlen = 0;
	int rc = 0;
	/* The passphrase only for a key that needs one: a malformed key is
	 * reported as such, without asking. */
	bool encrypted = minisig_secret_encrypted(text, len) == 1;
	if (encrypted)
		rc = cli_key_passphrase(b->key_path, false, pw, &pwlen, d);
	if (rc == 0) {
		rc = minisig_read_secret_with(text, len, encrypted ? pw : NULL, pwlen, &b->kp, &why);
		if (rc != 0)
			diag_error(d, b->key_path, 0, "%s", why);
		else
			b->have_key = true;
	}
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(text, len);
	free(text);
	return rc;
}

static void bundle_prepare(size_t i, void *slot, void *ud)
{
	struct bundle_batch *b = ud;
	struct bundle_job *j = slot;
	const struct cli_env *env = b->env;
	struct record *rec;
	if (cli_records_load(&env->recs, (int)i, env->pol, &j->d, &rec) != 0)
		return;
	if (bundle_build_sent(rec, env->pol, &env->tpl, b->sent, b->n_sent, &j->zip, &j->name,
			      &j->d) == 0) {
		j->ok = true;
		if (b->have_key) {
			char *trusted = bundle_trusted_comment(rec, j->name);
			if (minisig_sign(&b->kp, j->zip.data, j->zip.len, trusted,
				      "signature from sircomm secret key", &j->sig) != 0) {
				diag_error(&j->d, env->argv[i], 0, "cannot sign the bundle");
				j->ok = false;
			}
			free(trusted);
		}
	}
	rec_free(rec);
}

/* Writes a built bundle and its signature into outdir, as one set: of
 * several runs for the same incident at once, the zip and the .minisig
 * left are the same run's.  An unsigned bundle is written alone, and a
 * .minisig beside it is left as it is (verify --pubkey says whether it
 * still matches). */
static int write_bundle(const char *outdir, struct bundle_job *j, bool signed_, struct diag *d)
{
	char *zpath = xasprintf("%s/%s", outdir, j->name);
	char *sname = xasprintf("%s.minisig", j->name);
	struct output_set_file set[2] = {
		{ j->name, j->zip.data, j->zip.len },
		{ sname, j->sig.data, j->sig.len },
	};
	int status = SC_EXIT_OK;
	if (output_write_set(outdir, set, signed_ ? 2 : 1, d) != 0) {
		status = SC_EXIT_IO;
	} else {
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256(h, (const unsigned char *)j->zip.data, j->zip.len);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		if (!cli_quiet()) {
			output_line("%s  %s%s", hex, zpath, signed_ ? " (signed)" : "");
			output_stdout_flush();
		}
	}
	free(sname);
	free(zpath);
	return status;
}

/* Writes a record's bundle, in input order.  The record's own problems
 * come before its bundle's line. */
static bool bundle_emit(void *slot, void *ud)
{
	struct bundle_batch *b = ud;
	struct bundle_job *j = slot;
	diag_print(&j->d, stderr);
	diag_free(&j->d);
	int rc = j->ok ? write_bundle(b->env->outdir, j, b->have_key, &j->d) : SC_EXIT_INPUT;
	if (rc == SC_EXIT_OK)
		b->written++;
	if (rc == SC_EXIT_INPUT || (rc != SC_EXIT_OK && b->status == SC_EXIT_OK))
		b->status = rc;
	return true;
}

static void bundle_release(void *slot, void *ud)
{
	(void)ud;
	struct bundle_job *j = slot;
	diag_print(&j->d, stderr);
	diag_free(&j->d);
	buf_free(&j->zip);
	if (j->sig.data)
		sodium_memzero(j->sig.data, j->sig.len);
	buf_free(&j->sig);
	free(j->name);
}

/* Builds the bundles in parallel and writes them in input order, each
 * record on its own: a bad one is reported, the others bundled. */
static int bundle_work(struct cli_env *env, void *ud)
{
	struct bundle_batch *b = ud;
	struct jobs_batch jobs = {
		(size_t)env->first, (size_t)(env->argc - env->first), env->workers,
		sizeof(struct bundle_job), bundle_prepare, bundle_emit, bundle_release, b, cli_quiet() ? NULL : "bundle",
	};
	/* Interrupted, or standard output closed (its reader gone), the batch
	 * stops between two bundles. */
	jobs_run_ordered(&jobs);
	if (stop_signal()) {
		sodium_memzero(&b->kp, sizeof(b->kp));
		stop_report("%zu of %d bundles written, whole; nothing else written", b->written,
			    env->argc - env->first);
		stop_exit();
	}
	return b->status;
}

int cmd_bundle(struct cli_env *env, int argc, char **argv)
{
	struct bundle_batch b = { .env = env, .status = SC_EXIT_OK };
	int c;
	while ((c = cli_getopt("bundle", argc, argv, "o:s:t:p:S:j:h", bundle_options)) != -1) {
		switch (c) {
		case 'o': env->outdir = optarg; break;
		case 's': b.key_path = optarg; break;
		case 't': env->templates_dir = optarg; break;
		case 'p': env->policy_path = optarg; break;
		case 'S': b.sent_dir = optarg; break;
		case 'j':
			if (cli_parse_jobs("bundle", optarg, &env->workers) != 0)
				return SC_EXIT_INPUT;
			break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (b.sent_dir && argc - optind > 1)
		return cli_usage_error("bundle", "--sent takes one record: the communications sent "
				       "for one incident");
	int status = cli_run(env, optind, bundle_load, bundle_work, &b);
	sodium_memzero(&b.kp, sizeof(b.kp));
	free_sent(&b);
	return status;
}
