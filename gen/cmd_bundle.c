/* cmd_bundle.c - `sircomm bundle`, `sircomm keygen` and `sircomm verify`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "bundle.h"
#include "cli.h"
#include "diag.h"
#include "draft.h"
#include "minisig.h"
#include "output.h"
#include "policy.h"
#include "record.h"

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

/* Builds, writes and signs one record's bundle. */
static int bundle_one(const char *path, const struct policy *pol, const struct draft_templates *tpl,
		      const char *outdir, const struct msig_keypair *kp, struct diag *d)
{
	struct record *rec;
	if (rec_load(path, pol, d, &rec) != 0)
		return SC_EXIT_INPUT;
	struct buf zip = BUF_INIT;
	char *name;
	int status = SC_EXIT_OK;
	if (bundle_build(rec, pol, tpl, &zip, &name, d) != 0) {
		rec_free(rec);
		return SC_EXIT_INPUT;
	}
	char *zpath = xasprintf("%s/%s", outdir, name);
	char *spath = xasprintf("%s.minisig", zpath);
	struct buf sig = BUF_INIT;
	if (kp) {
		char *trusted = bundle_trusted_comment(rec, name);
		if (msig_sign(kp, zip.data, zip.len, trusted, "signature from sircomm secret key", &sig) != 0) {
			diag_error(d, zpath, 0, "cannot sign the bundle");
			status = SC_EXIT_IO;
		}
		free(trusted);
	}
	if (status == SC_EXIT_OK && out_write_file(zpath, zip.data, zip.len, d) != 0)
		status = SC_EXIT_IO;
	if (status == SC_EXIT_OK && kp && out_write_file(spath, sig.data, sig.len, d) != 0) {
		unlink(zpath);   /* a signed bundle comes with its signature or not at all */
		status = SC_EXIT_IO;
	}
	if (status == SC_EXIT_OK) {
		unsigned char h[crypto_hash_sha256_BYTES];
		char hex[65];
		crypto_hash_sha256(h, (const unsigned char *)zip.data, zip.len);
		sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
		printf("%s  %s%s\n", hex, zpath, kp ? " (signed)" : "");
	}
	buf_free(&sig);
	buf_free(&zip);
	free(spath);
	free(zpath);
	free(name);
	rec_free(rec);
	return status;
}

int cmd_bundle(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "sign", required_argument, NULL, 's' },
		{ "templates", required_argument, NULL, 't' },
		{ "policy", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *outdir = ".", *key_path = NULL, *templates_dir = NULL, *policy_path = NULL;
	int c;
	while ((c = cli_getopt("bundle", argc, argv, "o:s:t:p:h", longopts)) != -1) {
		switch (c) {
		case 'o': outdir = optarg; break;
		case 's': key_path = optarg; break;
		case 't': templates_dir = optarg; break;
		case 'p': policy_path = optarg; break;
		case 'h': cli_print_help(cli_find("bundle")); return SC_EXIT_OK;
		default: return SC_EXIT_INPUT;
		}
	}
	if (optind >= argc)
		return cli_usage_error("bundle", "no record given");
	struct stat st;
	if (stat(outdir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		errorf("%s: output directory does not exist", outdir);
		return SC_EXIT_IO;
	}

	struct diag d = DIAG_INIT;
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
	diag_print(&d, stderr);
	diag_free(&d);
	/* Each record on its own: a bad one is reported, the others bundled. */
	bool ready = status == SC_EXIT_OK;
	for (int i = optind; ready && i < argc; i++) {
		int rc = bundle_one(argv[i], pol, &tpl, outdir, have_key ? &kp : NULL, &d);
		diag_print(&d, stderr);
		diag_free(&d);
		if (rc == SC_EXIT_INPUT || (rc != SC_EXIT_OK && status == SC_EXIT_OK))
			status = rc;
	}
	sodium_memzero(&kp, sizeof(kp));
	draft_templates_free(&tpl);
	pol_free(pol);
	return status;
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
		} else if (out_write_secret(sec, s.data, s.len, &d) != 0 ||
			   out_write_file(pub, p.data, p.len, &d) != 0) {
			unlink(sec);
			status = SC_EXIT_IO;
		} else {
			printf("%s: public key (give it to auditors)\n%s: secret key, unencrypted, mode 0600 "
			       "(keep it safe)\n", pub, sec);
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
	for (int i = optind; i < argc; i++) {
		int problems = bundle_verify(argv[i], key, key_len, &d);
		diag_print(&d, stderr);
		diag_free(&d);
		if (problems == 0)
			printf("%s: ok%s\n", argv[i], key ? ", signature good" : " (signature not checked)");
		else
			status = SC_EXIT_FAIL;
	}
	free(key);
	return status;
}
