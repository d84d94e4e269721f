/* cmd_keygen.c - `sircomm keygen`: a key pair for signing bundles. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "bundle/minisig.h"
#include "sys/output.h"
#include "sys/passphrase.h"

const struct cli_doc cmd_keygen_doc = {
	"sircomm keygen -o NAME [--unencrypted] [--force]",
	"Make a minisign-compatible Ed25519 key pair for signing bundles:\n"
	"NAME.pub (give it to auditors) and NAME.sec, mode 0600.  The secret key\n"
	"is encrypted with a passphrase the way 'minisign -G' does it (scrypt,\n"
	"then BLAKE2b to check it), asked twice on the terminal without echo, or\n"
	"read from the file SIRCOMM_KEY_PASSWORD_FILE names (its first line).\n"
	"Deriving the key from the passphrase takes about 1 GiB of memory and a\n"
	"few seconds, here and at each 'bundle --sign'.  minisign reads the key\n"
	"either way.  Existing files are kept unless --force.\n"
	"\n"
	"  -o, --output NAME    the key files' name, without .pub/.sec\n"
	"      --unencrypted    no passphrase (like 'minisign -G -W'): for a key\n"
	"                       kept in a secrets store, as CI does\n"
	"  -f, --force          replace an existing key pair\n"
	"  -h, --help           show this help\n",
};

static const struct option keygen_options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "unencrypted", no_argument, NULL, 'U' },
	{ "force", no_argument, NULL, 'f' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Writes the secret key, then the public one.  Without force neither
 * replaces an existing file, so two keygens racing for one name cannot
 * leave one's secret key beside the other's public key: the second
 * fails (errno EEXIST) and removes what it wrote. */
static int write_pair(const char *pub, const char *sec, const struct buf *p,
		      const struct buf *s, bool force, struct diag *d)
{
	int (*put_sec)(const char *, const void *, size_t, struct diag *) =
		force ? output_write_secret : output_create_secret;
	int (*put_pub)(const char *, const void *, size_t, struct diag *) =
		force ? output_write_file : output_create_file;
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

int cmd_keygen(struct cli_env *env, int argc, char **argv)
{
	const char *base = NULL;
	bool force = false, encrypt = true;
	int c;
	while ((c = cli_getopt("keygen", argc, argv, "o:fh", keygen_options)) != -1) {
		switch (c) {
		case 'o': base = optarg; break;
		case 'U': encrypt = false; break;
		case 'f': force = true; break;
		case 'h': cli_print_help(env->cmd); return SC_EXIT_OK;
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
	struct minisig_keypair kp;
	struct buf p = BUF_INIT, s = BUF_INIT;
	struct diag d = DIAG_INIT;
	char pw[PASSPHRASE_MAX];
	size_t pwlen = 0;
	if (status == SC_EXIT_OK && encrypt && cli_key_passphrase(sec, true, pw, &pwlen, &d) != 0)
		status = SC_EXIT_INPUT;
	if (status == SC_EXIT_OK) {
		if (minisig_keygen(&kp) != 0 || minisig_write_public(&kp, &p) != 0 ||
		    (encrypt ? minisig_write_secret_encrypted(&kp, pw, pwlen, NULL, &s)
			     : minisig_write_secret(&kp, &s)) != 0) {
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
		} else if (!cli_quiet()) {
			output_line("%s: public key (give it to auditors)", pub);
			if (encrypt)
				output_line("%s: secret key, encrypted with the passphrase, mode 0600", sec);
			else
				output_line("%s: secret key, unencrypted, mode 0600 (keep it safe)", sec);
		}
		sodium_memzero(&kp, sizeof(kp));
	}
	sodium_memzero(pw, sizeof(pw));
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

