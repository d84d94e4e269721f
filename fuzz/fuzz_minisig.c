/*
 * fuzz_minisig.c - minisign texts: the input read as a public key file,
 * as a secret key file and as a .minisig signature.
 *
 *  - A public key that reads is checked against a fixed good signature
 *    (of a fixed message, by the fixed key below), which it must not
 *    accept unless it is that key.
 *  - A secret key that reads must sign, and its signature must verify
 *    under its own public half: minisig_read_secret promises a key whose
 *    halves match, so anything else is a bug and aborts.
 *  - The input as a signature is checked against the fixed key and
 *    message; the seed corpus holds a good one to mutate.
 */
#include <string.h>

#include <sodium.h>

#include "fuzz.h"
#include "bundle/minisig.h"

/* A key pair made with `sircomm keygen` for the fuzzer alone; the secret
 * key protects nothing. */
static const char pubkey[] =
	"untrusted comment: minisign public key B71BF2E0A02B57D3\n"
	"RWTTVyug4PIbt+lThEVtW7KH85GP9l4VKU0txcWJ6gRuZlGLfUbMtYyn\n";

/* The message the corpus's good signature signs. */
static const char message[] = "sircomm fuzz message\n";

/* A good signature of message by pubkey (fuzz/corpus/minisig/good.minisig). */
static const char good_sig[] =
	"untrusted comment: signature from minisign secret key\n"
	"RUTTVyug4PIbtyntYXl9tNS+1PRqntvT2IrXm7upzAqQ/rmc48XCD6OcsQ+YHOgEIjChv1P3NZ3STwcgmTPoTKQGC47SiJ+gAwI=\n"
	"trusted comment: timestamp:0\tfile:fuzz-message\n"
	"EM+PvhrfsXAmyydfSUMMiyCrZsAiWoI+W47RA1sdBy3J253nQQoye6f+SKdEjiASJIvcLivN4mHxfIKqIJ4xBA==\n";

static void check_public(const char *text, size_t len)
{
	unsigned char id[MSIG_KEYID_BYTES], pk[MSIG_PUBLIC_BYTES];
	const char *why;
	if (minisig_read_public(text, len, id, pk, &why) != 0)
		return;
	char *comment = NULL;
	minisig_verify(good_sig, strlen(good_sig), id, pk, message, strlen(message), &comment, &why);
	free(comment);
}

static void check_secret(const char *text, size_t len)
{
	struct minisig_keypair kp;
	const char *why;
	if (minisig_read_secret(text, len, &kp, &why) != 0)
		return;
	struct buf sig = BUF_INIT;
	if (minisig_sign(&kp, message, strlen(message), "timestamp:0\tfile:fuzz", NULL, &sig) != 0)
		abort();
	char *comment = NULL;
	if (minisig_verify(sig.data, sig.len, kp.id, kp.pk, message, strlen(message), &comment,
			&why) != 0)
		abort();
	free(comment);
	buf_free(&sig);
	sodium_memzero(&kp, sizeof(kp));
}

static void check_signature(const char *text, size_t len)
{
	static unsigned char id[MSIG_KEYID_BYTES], pk[MSIG_PUBLIC_BYTES];
	static int loaded;
	if (!loaded) {
		if (minisig_read_public(pubkey, strlen(pubkey), id, pk, NULL) != 0)
			abort();
		loaded = 1;
	}
	char *comment = NULL;
	const char *why;
	minisig_verify(text, len, id, pk, message, strlen(message), &comment, &why);
	free(comment);
	/* The same signature over itself: legacy and prehashed paths on
	 * arbitrary data lengths. */
	minisig_verify(text, len, id, pk, text, len, &comment, &why);
	free(comment);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	check_public(text, size);
	check_secret(text, size);
	check_signature(text, size);
	return 0;
}
