/* cmd_bundle.c - `sircomm bundle`, `sircomm keygen` and `sircomm verify`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "bundle/bundle.h"
#include "cli/cli.h"
#include "base/diag.h"
#include "draft/draft.h"
#include "sys/jobs.h"
#include "bundle/minisig.h"
#include "sys/output.h"
#include "model/policy.h"
#include "model/record.h"
#include "sys/stop.h"

/* Reads a key file (small, text). */
static char *read_key(const char *path, size_t *len, struct diag *d)
{
	char *data;
	int rc = read_file(path, 1 << 16, &data, len);
	if (rc == -2) {
		diag_error(d, path, 0, "too large to be a key file");
		return NULL;
	}
	if (rc != 0) {
		diag_error(d, path, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	return data;
}

/* One record's bundle, built and signed on a worker thread. */
struct bundle_job {
	bool ok;
	struct buf zip, sig;
	char *name;
	struct diag d;
};

struct bundle_batch {
	char **argv;
	const struct cli_records *recs;
	const struct policy *pol;
	const struct draft_templates *tpl;
	const struct msig_keypair *kp;
	const char *outdir;
	int status;
	size_t written;
};

static void bundle_prepare(size_t i, void *slot, void *ud)
{
	struct bundle_batch *b = ud;
	struct bundle_job *j = slot;
	struct record *rec;
	if (cli_records_load(b->recs, (int)i, b->pol, &j->d, &rec) != 0)
		return;
	if (bundle_build(rec, b->pol, b->tpl, &j->zip, &j->name, &j->d) == 0) {
		j->ok = true;
		if (b->kp) {
			char *trusted = bundle_trusted_comment(rec, j->name);
			if (msig_sign(b->kp, j->zip.data, j->zip.len, trusted,
				      "signature from sircomm secret key", &j->sig) != 0) {
				diag_error(&j->d, b->argv[i], 0, "cannot sign the bundle");
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
	struct out_set_file set[2] = {
		{ j->name, j->zip.data, j->zip.len },
		{ sname, j->sig.data, j->sig.len },
	};
	int status = SC_EXIT_OK;
	if (out_write_set(outdir, set, signed_ ? 2 : 1, d) != 0) {
		status = SC_EXIT_IO;
	} else {
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256(h, (const unsigned char *)j->zip.data, j->zip.len);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		out_line("%s  %s%s", hex, zpath, signed_ ? " (signed)" : "");
		out_stdout_flush();
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
	int rc = j->ok ? write_bundle(b->outdir, j, b->kp != NULL, &j->d) : SC_EXIT_INPUT;
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

int cmd_bundle(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "sign", required_argument, NULL, 's' },
		{ "templates", required_argument, NULL, 't' },
		{ "policy", required_argument, NULL, 'p' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *outdir = ".", *key_path = NULL, *templates_dir = NULL, *policy_path = NULL;
	int workers = jobs_default_workers();
	int c;
	while ((c = cli_getopt("bundle", argc, argv, "o:s:t:p:j:h", longopts)) != -1) {
		switch (c) {
		case 'o': outdir = optarg; break;
		case 's': key_path = optarg; break;
		case 't': templates_dir = optarg; break;
		case 'p': policy_path = optarg; break;
		case 'j':
			if (jobs_parse(optarg, &workers) != 0)
				return cli_usage_error("bundle", "-j takes a number of threads from 1 to 256");
			break;
		case 'h': cli_print_help(cli_find("bundle")); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind >= argc)
		return cli_usage_error("bundle", "no record given");
	struct diag d = DIAG_INIT;
	if (out_check_dir(outdir, &d) != 0) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_IO;
	}
	struct policy *pol = NULL;
	struct draft_templates tpl = DRAFT_TEMPLATES_INIT;
	struct msig_keypair kp;
	bool have_key = false;
	int status = SC_EXIT_OK;
	if (pol_load(policy_path, &d, &pol) != 0 || draft_templates_load(templates_dir, &tpl, &d) != 0)
		status = SC_EXIT_INPUT;
	if (status == SC_EXIT_OK && key_path) {
		size_t len;
		char *text = read_key(key_path, &len, &d);
		const char *why;
		if (!text) {
			status = SC_EXIT_INPUT;
		} else if (msig_read_secret(text, len, &kp, &why) != 0) {
			diag_error(&d, key_path, 0, "%s", why);
			status = SC_EXIT_INPUT;
		} else {
			have_key = true;
		}
		if (text) {
			sodium_memzero(text, len);
			free(text);
		}
	}
	struct cli_records recs = { 0, false, NULL };
	/* From here a stop signal is caught: one that comes while the records
	 * are read (a slow pipe) stops the run before its first record. */
	stop_catch();
	if (status == SC_EXIT_OK && cli_records_open(&recs, argv, optind, argc, true, workers, &d) != 0)
		status = SC_EXIT_INPUT;
	diag_print(&d, stderr);
	diag_free(&d);
	/* Each record on its own: a bad one is reported, the others bundled,
	 * built in parallel and written in input order.  Interrupted, or
	 * standard output closed (its reader gone), the batch stops between
	 * two bundles. */
	struct bundle_batch batch = {
		argv, &recs, pol, &tpl, have_key ? &kp : NULL, outdir, status, 0,
	};
	struct jobs_batch jobs = {
		(size_t)optind, (size_t)(argc - optind), workers, sizeof(struct bundle_job),
		bundle_prepare, bundle_emit, bundle_release, &batch,
	};
	if (status == SC_EXIT_OK)
		jobs_run_ordered(&jobs);
	sodium_memzero(&kp, sizeof(kp));
	draft_templates_free(&tpl);
	pol_free(pol);
	cli_records_close(&recs);
	if (stop_signal()) {
		stop_report("%zu of %d bundles written, whole; nothing else written", batch.written,
			    argc - optind);
		stop_exit();
	}
	return batch.status;
}

/* Writes the secret key, then the public one.  Without force neither
 * replaces an existing file, so two keygens racing for one name cannot
 * leave one's secret key beside the other's public key: the second
 * fails (errno EEXIST) and removes what it wrote. */
static int write_pair(const char *pub, const char *sec, const struct buf *p,
		      const struct buf *s, bool force, struct diag *d)
{
	int (*put_sec)(const char *, const void *, size_t, struct diag *) =
		force ? out_write_secret : out_create_secret;
	int (*put_pub)(const char *, const void *, size_t, struct diag *) =
		force ? out_write_file : out_create_file;
	if (put_sec(sec, s->data, s->len, d) != 0)
		return -1;
	if (put_pub(pub, p->data, p->len, d) != 0) {
		int e = errno;
		unlink(sec);
		errno = e;
		return -1;
	}
	return 0;
}

int cmd_keygen(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *base = NULL;
	bool force = false;
	int c;
	while ((c = cli_getopt("keygen", argc, argv, "o:fh", longopts)) != -1) {
		switch (c) {
		case 'o': base = optarg; break;
		case 'f': force = true; break;
		case 'h': cli_print_help(cli_find("keygen")); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind < argc)
		return cli_usage_error("keygen", "unexpected operand '%s'", argv[optind]);
	if (!base)
		return cli_usage_error("keygen", "say where with -o NAME (writes NAME.pub and NAME.sec)");
	char *pub = xasprintf("%s.pub", base), *sec = xasprintf("%s.sec", base);
	struct stat st;
	int status = SC_EXIT_OK;
	if (!force && (lstat(pub, &st) == 0 || lstat(sec, &st) == 0)) {
		errorf("%s.pub or %s.sec exists; use --force to replace the key", base, base);
		status = SC_EXIT_INPUT;
	}
	struct msig_keypair kp;
	struct buf p = BUF_INIT, s = BUF_INIT;
	struct diag d = DIAG_INIT;
	if (status == SC_EXIT_OK) {
		if (msig_keygen(&kp) != 0 || msig_write_public(&kp, &p) != 0 ||
		    msig_write_secret(&kp, &s) != 0) {
			errorf("cannot make a key pair");
			status = SC_EXIT_IO;
		} else if (write_pair(pub, sec, &p, &s, force, &d) != 0) {
			if (errno == EEXIST) {
				/* Another keygen made the pair after the check above. */
				diag_free(&d);
				errorf("%s.pub or %s.sec exists; use --force to replace the key", base, base);
				status = SC_EXIT_INPUT;
			} else {
				status = SC_EXIT_IO;
			}
		} else {
			out_line("%s: public key (give it to auditors)", pub);
			out_line("%s: secret key, unencrypted, mode 0600 (keep it safe)", sec);
		}
		sodium_memzero(&kp, sizeof(kp));
	}
	if (s.data)
		sodium_memzero(s.data, s.len);
	diag_print(&d, stderr);
	diag_free(&d);
	buf_free(&p);
	buf_free(&s);
	free(pub);
	free(sec);
	return status;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pubkey", required_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pubkey_path = NULL;
	int c;
	while ((c = cli_getopt("verify", argc, argv, "P:h", longopts)) != -1) {
		switch (c) {
		case 'P': pubkey_path = optarg; break;
		case 'h': cli_print_help(cli_find("verify")); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind >= argc)
		return cli_usage_error("verify", "no bundle given");
	struct diag d = DIAG_INIT;
	size_t key_len = 0;
	char *key = NULL;
	if (pubkey_path && !(key = read_key(pubkey_path, &key_len, &d))) {
		diag_print(&d, stderr);
		diag_free(&d);
		return SC_EXIT_INPUT;
	}
	int status = SC_EXIT_OK;
	for (int i = optind; i < argc && !out_stdout_error(); i++) {
		int problems = bundle_verify(argv[i], key, key_len, &d);
		diag_print(&d, stderr);
		diag_free(&d);
		if (problems == 0)
			out_line("%s: ok%s", argv[i], key ? ", signature good" : " (signature not checked)");
		else
			status = SC_EXIT_FAIL;
	}
	free(key);
	return status;
}
