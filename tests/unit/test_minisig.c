/* Unit tests for minisig.c: minisign key files and signatures, and, when
 * the minisign program is installed, interoperability with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "bundle/minisig.h"
#include "base/util.h"

#ifndef MINISIGN
#define MINISIGN "/usr/bin/minisign"
#endif

static const char file_data[] = "incident SIRT-2026-0142: timeline and drafts\n";
#define FILE_LEN (sizeof(file_data) - 1)

static const char why_encrypted[] = "the secret key is encrypted: its passphrase is needed";

/* Small scrypt limits (N = 1024, r = 8: 1 MiB), so that each derivation
 * takes milliseconds, even under valgrind; minisign's own take 1 GiB
 * and are exercised by tests/keys.sh. */
static const struct minisig_kdf small_kdf = { 32768, 1u << 21 };

/* ---- Helpers -------------------------------------------------------- */

/* A fixed key pair: seed 0, 1, ..., 31 and key id 01 02 ... 08. */
static struct minisig_keypair fixed_key(void)
{
	struct minisig_keypair kp;
	unsigned char seed[crypto_sign_SEEDBYTES];
	for (size_t i = 0; i < sizeof(seed); i++)
		seed[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof(kp.id); i++)
		kp.id[i] = (unsigned char)(i + 1);
	crypto_sign_seed_keypair(kp.pk, kp.sk, seed);
	return kp;
}

static struct minisig_keypair new_key(void)
{
	struct minisig_keypair kp;
	assert_int_equal(minisig_keygen(&kp), 0);
	return kp;
}

/* Signs data and returns the .minisig text as a new string. */
static char *sign_ok(const struct minisig_keypair *kp, const void *data, size_t len,
		     const char *trusted, const char *untrusted)
{
	struct buf out = BUF_INIT;
	if (minisig_sign(kp, data, len, trusted, untrusted, &out) != 0)
		fail_msg("minisig_sign refused to sign");
	return buf_detach(&out);
}

/* Expects sig to verify for (kp, data) with the trusted comment `want`. */
static void verify_ok(const char *sig, size_t sig_len, const struct minisig_keypair *kp,
		      const void *data, size_t len, const char *want)
{
	char *tc = NULL;
	const char *why = NULL;
	if (minisig_verify(sig, sig_len, kp->id, kp->pk, data, len, &tc, &why) != 0)
		fail_msg("minisig_verify failed: %s\n%.*s", why ? why : "(no reason)", (int)sig_len, sig);
	assert_non_null(tc);
	assert_string_equal(tc, want);
	free(tc);
}

/* Expects verification to fail with exactly `want`. */
static void verify_fails(const char *sig, size_t sig_len, const struct minisig_keypair *kp,
			 const void *data, size_t len, const char *want)
{
	char *tc = (char *)"untouched";
	const char *why = NULL;
	assert_int_equal(minisig_verify(sig, sig_len, kp->id, kp->pk, data, len, &tc, &why), -1);
	assert_null(tc);
	assert_non_null(why);
	assert_string_equal(why, want);
}

/* Base64 (original variant) of n bytes, as a new string. */
static char *b64(const unsigned char *bin, size_t n)
{
	size_t size = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = xmalloc(size);
	sodium_bin2base64(s, size, bin, n, sodium_base64_VARIANT_ORIGINAL);
	return s;
}

/* The index'th line (from 0) of text, without its newline, as a new string. */
static char *line_of(const char *text, int index)
{
	for (int i = 0; i < index; i++) {
		text = strchr(text, '\n');
		assert_non_null(text);
		text++;
	}
	return xstrndup(text, strcspn(text, "\n"));
}

/* A 158-byte minisign secret key structure for kp, with the given
 * algorithm tags and checksum (NULL: the right one), as file text. */
static char *secret_file(const struct minisig_keypair *kp, const char *sig_alg, const char *kdf_alg,
			 const unsigned char *chk)
{
	unsigned char raw[158] = { 0 };
	memcpy(raw, sig_alg, 2);
	memcpy(raw + 2, kdf_alg, 2);
	memcpy(raw + 4, "B2", 2);
	memcpy(raw + 54, kp->id, 8);
	memcpy(raw + 62, kp->sk, 64);
	if (chk) {
		memcpy(raw + 126, chk, 32);
	} else {
		crypto_generichash_state st;
		crypto_generichash_init(&st, NULL, 0, 32);
		crypto_generichash_update(&st, raw, 2);
		crypto_generichash_update(&st, raw + 54, 8);
		crypto_generichash_update(&st, raw + 62, 64);
		crypto_generichash_final(&st, raw + 126, 32);
	}
	char *line = b64(raw, sizeof(raw));
	char *text = xasprintf("untrusted comment: test key\n%s\n", line);
	free(line);
	return text;
}

static void read_secret_fails(const char *text, const char *want)
{
	struct minisig_keypair kp;
	memset(&kp, 0xaa, sizeof(kp));
	const char *why = NULL;
	assert_int_equal(minisig_read_secret(text, strlen(text), &kp, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, want);
	assert_true(sodium_is_zero((const unsigned char *)&kp, sizeof(kp)));
}

/* ---- Keys ----------------------------------------------------------- */

static void test_key_files(void **state)
{
	struct minisig_keypair kp = fixed_key();
	struct buf pub = BUF_INIT, sec = BUF_INIT;
	assert_int_equal(minisig_write_public(&kp, &pub), 0);
	assert_int_equal(minisig_write_secret(&kp, &sec), 0);

	/* The key id is shown as minisign shows it: little-endian. */
	assert_string_equal(pub.data, "untrusted comment: minisign public key 0807060504030201\n"
				      "RWQBAgMEBQYHCAOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4\n");
	char *line = line_of(sec.data, 0);
	assert_string_equal(line, "untrusted comment: minisign secret key");
	free(line);
	line = line_of(sec.data, 1);
	assert_int_equal(strlen(line), 212);
	assert_int_equal(strncmp(line, "RWQAAEIy", 8), 0); /* "Ed", 0, 0, "B2" */
	free(line);
	assert_int_equal(sec.len, strlen(sec.data));
	assert_int_equal(sec.data[sec.len - 1], '\n');

	unsigned char id[8], pk[32];
	const char *why = NULL;
	assert_int_equal(minisig_read_public(pub.data, pub.len, id, pk, &why), 0);
	assert_memory_equal(id, kp.id, 8);
	assert_memory_equal(pk, kp.pk, 32);

	struct minisig_keypair back;
	assert_int_equal(minisig_read_secret(sec.data, sec.len, &back, &why), 0);
	assert_memory_equal(&back, &kp, sizeof(kp));

	/* What minisig_write_secret writes is what the test builds by hand. */
	char *manual = secret_file(&kp, "Ed", "\0\0", NULL);
	assert_string_equal(strchr(sec.data, '\n'), strchr(manual, '\n'));
	free(manual);

	sodium_memzero(sec.data, sec.len);
	buf_free(&pub);
	buf_free(&sec);
}

static void test_round_trip(void **state)
{
	struct minisig_keypair kp = new_key();
	struct buf pub = BUF_INIT, sec = BUF_INIT;
	assert_int_equal(minisig_write_public(&kp, &pub), 0);
	assert_int_equal(minisig_write_secret(&kp, &sec), 0);

	struct minisig_keypair signer, verifier;
	const char *why = NULL;
	assert_int_equal(minisig_read_secret(sec.data, sec.len, &signer, &why), 0);
	assert_int_equal(minisig_read_public(pub.data, pub.len, verifier.id, verifier.pk, &why), 0);
	assert_memory_equal(&signer, &kp, sizeof(kp));

	char *sig = sign_ok(&signer, file_data, FILE_LEN, "timestamp:1772615520\tfile:bundle.zip",
			    NULL);
	char *first = line_of(sig, 0);
	assert_string_equal(first, "untrusted comment: signature from minisign secret key");
	free(first);
	verify_ok(sig, strlen(sig), &verifier, file_data, FILE_LEN,
		  "timestamp:1772615520\tfile:bundle.zip");

	/* Empty data and an empty trusted comment are fine too. */
	char *empty = sign_ok(&signer, NULL, 0, "", "x");
	verify_ok(empty, strlen(empty), &verifier, "", 0, "");
	verify_fails(empty, strlen(empty), &verifier, "a", 1, "signature does not match the file");

	/* why and the comment may be left out. */
	assert_int_equal(minisig_verify(sig, strlen(sig), kp.id, kp.pk, file_data, FILE_LEN, NULL, NULL),
			 0);

	free(sig);
	free(empty);
	sodium_memzero(sec.data, sec.len);
	buf_free(&pub);
	buf_free(&sec);
}

static void test_keygen_random(void **state)
{
	struct minisig_keypair a = new_key(), b = new_key();
	assert_memory_not_equal(a.id, b.id, 8);
	assert_memory_not_equal(a.pk, b.pk, 32);
	assert_memory_equal(a.sk + 32, a.pk, 32);
}

/* ---- Signatures ----------------------------------------------------- */

/* The signature of file_data by fixed_key(), as `minisign -S -s key.sec
 * -m file -c "sircomm test" -t "incident:SIRT-2026-0142"` wrote it with
 * the key file minisig_write_secret made. */
static const char fixed_sig[] =
	"untrusted comment: sircomm test\n"
	"RUQBAgMEBQYHCEACHqtjwJsLSUw/03cyYikdvSBIhjfQkDXZet3XhmjajgX9pwPSa9Io+CeGr0pqBcl3xD1+poopdeIdftpeKA8=\n"
	"trusted comment: incident:SIRT-2026-0142\n"
	"u1rtdDGj8ia45u33/0MKftc2Jfuk85VkQr3gcVkl9FtEps4GnQhcxhtzfq0c2diXvCJeBNM1Xd5KT60SbNPYAA==\n";

static void test_deterministic(void **state)
{
	struct minisig_keypair kp = fixed_key();
	char *a = sign_ok(&kp, file_data, FILE_LEN, "incident:SIRT-2026-0142", "sircomm test");
	char *b = sign_ok(&kp, file_data, FILE_LEN, "incident:SIRT-2026-0142", "sircomm test");
	assert_string_equal(a, b);
	assert_string_equal(a, fixed_sig);
	free(a);
	free(b);

	/* The output is appended to what the buffer holds. */
	struct buf out = BUF_INIT;
	buf_puts(&out, "kept\n");
	assert_int_equal(minisig_sign(&kp, file_data, FILE_LEN, "incident:SIRT-2026-0142",
				   "sircomm test", &out), 0);
	assert_int_equal(strncmp(out.data, "kept\n", 5), 0);
	assert_string_equal(out.data + 5, fixed_sig);
	buf_free(&out);
}

static void test_tampered_data(void **state)
{
	struct minisig_keypair kp = new_key();
	char *sig = sign_ok(&kp, file_data, FILE_LEN, "tc", NULL);
	char *data = xstrdup(file_data);
	data[10] ^= 1;
	verify_fails(sig, strlen(sig), &kp, data, FILE_LEN, "signature does not match the file");
	verify_fails(sig, strlen(sig), &kp, file_data, FILE_LEN - 1,
		     "signature does not match the file");
	free(data);
	free(sig);
}

static void test_tampered_comment(void **state)
{
	struct minisig_keypair kp = new_key();
	char *sig = sign_ok(&kp, file_data, FILE_LEN, "timestamp:1\tfile:a.zip", "untrusted");

	/* The trusted comment is signed ... */
	char *p = strstr(sig, "file:a.zip");
	assert_non_null(p);
	p[5] = 'b';
	verify_fails(sig, strlen(sig), &kp, file_data, FILE_LEN,
		     "trusted comment signature does not match");
	p[5] = 'a';

	/* ... and so is its signature, line 4, ... */
	char *l2 = line_of(sig, 1), *l3 = line_of(sig, 2), *l4 = line_of(sig, 3);
	unsigned char global[64];
	size_t got;
	assert_int_equal(sodium_base642bin(global, sizeof(global), l4, strlen(l4), NULL, &got, NULL,
					   sodium_base64_VARIANT_ORIGINAL), 0);
	global[0] ^= 0x80;
	char *l4bad = b64(global, sizeof(global));
	char *t = xasprintf("untrusted comment: x\n%s\n%s\n%s\n", l2, l3, l4bad);
	verify_fails(t, strlen(t), &kp, file_data, FILE_LEN, "trusted comment signature does not match");
	free(t);

	/* ... and the trusted comment of another file's signature does not
	 * fit.  (Of the same file it would: Ed25519 is deterministic, so both
	 * signatures are the same bytes, and the trusted comment signature is
	 * over those and the comment only.) */
	char *other = sign_ok(&kp, "other", 5, "timestamp:2\tfile:a.zip", "untrusted");
	char *o3 = line_of(other, 2), *o4 = line_of(other, 3);
	t = xasprintf("untrusted comment: x\n%s\n%s\n%s\n", l2, o3, o4);
	verify_fails(t, strlen(t), &kp, file_data, FILE_LEN, "trusted comment signature does not match");
	free(t);

	/* The untrusted comment is not signed. */
	t = xasprintf("untrusted comment: anything at all\n%s\n%s\n%s\n", l2, l3, l4);
	verify_ok(t, strlen(t), &kp, file_data, FILE_LEN, "timestamp:1\tfile:a.zip");
	free(t);

	free(l2);
	free(l3);
	free(l4);
	free(l4bad);
	free(o3);
	free(o4);
	free(other);
	free(sig);
}

static void test_wrong_key(void **state)
{
	struct minisig_keypair kp = fixed_key(), other = new_key();
	char *sig = sign_ok(&kp, file_data, FILE_LEN, "tc", NULL);

	memcpy(other.id, "\x10\x32\x54\x76\x98\xba\xdc\xfe", 8);
	verify_fails(sig, strlen(sig), &other, file_data, FILE_LEN,
		     "signed with another key (key id 0807060504030201, expected FEDCBA9876543210)");

	/* Same key id, another key: the signature itself does not match. */
	memcpy(other.id, kp.id, 8);
	verify_fails(sig, strlen(sig), &other, file_data, FILE_LEN,
		     "signature does not match the file");
	free(sig);
}

/* A legacy signature: "Ed", over the file itself rather than its hash. */
static char *legacy_sig(const struct minisig_keypair *kp, const void *data, size_t len,
			const char *trusted)
{
	unsigned char sig[74];
	memcpy(sig, "Ed", 2);
	memcpy(sig + 2, kp->id, 8);
	crypto_sign_detached(sig + 10, NULL, data, len, kp->sk);
	size_t tlen = strlen(trusted);
	unsigned char *gm = xmalloc(64 + tlen);
	memcpy(gm, sig + 10, 64);
	memcpy(gm + 64, trusted, tlen);
	unsigned char global[64];
	crypto_sign_detached(global, NULL, gm, 64 + tlen, kp->sk);
	free(gm);
	char *s = b64(sig, sizeof(sig)), *g = b64(global, sizeof(global));
	char *text = xasprintf("untrusted comment: legacy\n%s\ntrusted comment: %s\n%s\n", s, trusted,
			       g);
	free(s);
	free(g);
	return text;
}

static void test_legacy(void **state)
{
	struct minisig_keypair kp = new_key();
	char *sig = legacy_sig(&kp, file_data, FILE_LEN, "legacy comment");
	verify_ok(sig, strlen(sig), &kp, file_data, FILE_LEN, "legacy comment");
	verify_fails(sig, strlen(sig), &kp, file_data, FILE_LEN - 1,
		     "signature does not match the file");

	/* Relabelled "ED", the same signature no longer matches the hash. */
	char *l2 = line_of(sig, 1);
	unsigned char raw[74];
	size_t got;
	assert_int_equal(sodium_base642bin(raw, sizeof(raw), l2, strlen(l2), NULL, &got, NULL,
					   sodium_base64_VARIANT_ORIGINAL), 0);
	raw[1] = 'D';
	char *relabelled = b64(raw, sizeof(raw));
	char *l3 = line_of(sig, 2), *l4 = line_of(sig, 3);
	char *t = xasprintf("untrusted comment: legacy\n%s\n%s\n%s\n", relabelled, l3, l4);
	verify_fails(t, strlen(t), &kp, file_data, FILE_LEN, "signature does not match the file");
	free(t);

	/* An algorithm neither "Ed" nor "ED" is not a minisign signature. */
	raw[0] = 'X';
	free(relabelled);
	relabelled = b64(raw, sizeof(raw));
	t = xasprintf("untrusted comment: legacy\n%s\n%s\n%s\n", relabelled, l3, l4);
	verify_fails(t, strlen(t), &kp, file_data, FILE_LEN, "signature file is malformed");
	free(t);

	free(relabelled);
	free(l2);
	free(l3);
	free(l4);
	free(sig);
}

/* ---- Hostile input -------------------------------------------------- */

/* Expects a malformed-signature failure for text (n bytes, copied into
 * an exact-size allocation so ASan sees any read past the end). */
static void malformed(const char *text, size_t n, const struct minisig_keypair *kp)
{
	char *copy = xmalloc(n ? n : 1);
	memcpy(copy, text, n);
	verify_fails(copy, n, kp, file_data, FILE_LEN, "signature file is malformed");
	free(copy);
}

static void test_malformed_signatures(void **state)
{
	struct minisig_keypair kp = new_key();
	char *sig = sign_ok(&kp, file_data, FILE_LEN, "tc", NULL);
	size_t n = strlen(sig);
	char *l1 = line_of(sig, 0), *l2 = line_of(sig, 1), *l3 = line_of(sig, 2),
	     *l4 = line_of(sig, 3);

	/* Nothing, and NULL. */
	verify_fails(NULL, 0, &kp, file_data, FILE_LEN, "signature file is malformed");
	verify_fails(NULL, 10, &kp, file_data, FILE_LEN, "signature file is malformed");
	malformed("", 0, &kp);

	/* Every truncation fails, but for the last newline, which is optional. */
	for (size_t k = 0; k < n - 1; k++)
		malformed(sig, k, &kp);
	char *copy = xmalloc(n - 1);
	memcpy(copy, sig, n - 1);
	verify_ok(copy, n - 1, &kp, file_data, FILE_LEN, "tc");
	free(copy);

	/* Each line missing. */
	const char *lines[4] = { l1, l2, l3, l4 };
	for (int skip = 0; skip < 4; skip++) {
		struct buf b = BUF_INIT;
		for (int i = 0; i < 4; i++)
			if (i != skip)
				buf_printf(&b, "%s\n", lines[i]);
		malformed(b.data, b.len, &kp);
		buf_free(&b);
	}

	/* Lines swapped, prefixes wrong. */
	char *t = xasprintf("%s\n%s\n%s\n%s\n", l3, l2, l1, l4);
	malformed(t, strlen(t), &kp);
	free(t);
	t = xasprintf("Untrusted comment: x\n%s\n%s\n%s\n", l2, l3, l4);
	malformed(t, strlen(t), &kp);
	free(t);
	t = xasprintf("%s\n%s\ntrusted comment:tc\n%s\n", l1, l2, l4);
	malformed(t, strlen(t), &kp);
	free(t);

	/* Extra lines, even empty ones. */
	t = xasprintf("%s\n%s\n%s\n%s\n\n", l1, l2, l3, l4);
	malformed(t, strlen(t), &kp);
	free(t);
	t = xasprintf("%s\n%s\n%s\n%s\n%s\n", l1, l2, l3, l4, l4);
	malformed(t, strlen(t), &kp);
	free(t);
	t = xasprintf("%s\n\n%s\n%s\n%s\n", l1, l2, l3, l4);
	malformed(t, strlen(t), &kp);
	free(t);

	/* CRLF line ends are fine; a CR inside a line or a NUL is not. */
	t = xasprintf("%s\r\n%s\r\n%s\r\n%s\r\n", l1, l2, l3, l4);
	verify_ok(t, strlen(t), &kp, file_data, FILE_LEN, "tc");
	free(t);
	t = xasprintf("%s\n%s\n%s\r\n%s\n", l1, l2, "trusted comment: t\rc", l4);
	malformed(t, strlen(t), &kp);
	free(t);
	t = xasprintf("%s\n%s\n%s\n%s\n", l1, l2, l3, l4);
	size_t tn = strlen(t);
	char *nul = strstr(t, "trusted comment: tc") + strlen("trusted comment: t");
	*nul = '\0';
	malformed(t, tn, &kp); /* would be "t" if read as a C string */
	free(t);

	/* Bad base64: a bad character, whitespace, no padding, one byte
	 * short, one byte long, a non-canonical last character. */
	char *bad = xstrdup(l2);
	bad[5] = '*';
	t = xasprintf("%s\n%s\n%s\n%s\n", l1, bad, l3, l4);
	malformed(t, strlen(t), &kp);
	free(t);
	t = xasprintf("%s\n %s\n%s\n%s\n", l1, l2, l3, l4);
	malformed(t, strlen(t), &kp);
	free(t);
	t = xasprintf("%s\n%.*s\n%s\n%s\n", l1, (int)strlen(l2) - 1, l2, l3, l4);
	malformed(t, strlen(t), &kp);
	free(t);
	unsigned char raw[75] = { 0 };
	for (size_t len = 73; len <= 75; len += 2) {
		char *s = b64(raw, len);
		t = xasprintf("%s\n%s\n%s\n%s\n", l1, s, l3, l4);
		malformed(t, strlen(t), &kp);
		free(t);
		free(s);
	}
	free(bad);
	bad = xstrdup(l4); /* 64 bytes: "...xx==", the last x carries 4 unused bits */
	size_t k = strlen(bad) - 3;
	bad[k] = bad[k] == 'A' ? 'B' : (char)(bad[k] + 1);
	t = xasprintf("%s\n%s\n%s\n%s\n", l1, l2, l3, bad);
	malformed(t, strlen(t), &kp);
	free(t);
	free(bad);

	/* Huge lines, and a huge input that is not a signature at all. */
	size_t huge = (size_t)4 << 20;
	char *big = xmalloc(huge);
	memset(big, 'A', huge);
	malformed(big, huge, &kp);
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s\n%s\ntrusted comment: ", l1, l2);
	buf_append(&b, big, huge);
	buf_printf(&b, "\n%s\n", l4);
	malformed(b.data, b.len, &kp);
	buf_reset(&b);
	buf_puts(&b, "untrusted comment: ");
	buf_append(&b, big, 2000);
	buf_printf(&b, "\n%s\n%s\n%s\n", l2, l3, l4);
	malformed(b.data, b.len, &kp);
	buf_free(&b);
	free(big);

	/* A flipped bit anywhere past the untrusted comment fails; the ASan
	 * build checks that no variant is read out of bounds. */
	size_t from = strlen(l1) + 1;
	for (size_t i = from; i < n; i++) {
		for (int bit = 0; bit < 8; bit += 5) {
			char *v = xmalloc(n);
			memcpy(v, sig, n);
			v[i] = (char)(v[i] ^ (1 << bit));
			char *tc = NULL;
			const char *why = NULL;
			if (minisig_verify(v, n, kp.id, kp.pk, file_data, FILE_LEN, &tc, &why) == 0)
				fail_msg("flipping bit %d of byte %zu went unnoticed", bit, i);
			assert_null(tc);
			assert_non_null(why);
			free(v);
		}
	}

	free(l1);
	free(l2);
	free(l3);
	free(l4);
	free(sig);
}

static void test_malformed_keys(void **state)
{
	struct minisig_keypair kp = new_key();
	struct buf pub = BUF_INIT;
	assert_int_equal(minisig_write_public(&kp, &pub), 0);
	unsigned char id[8], pk[32];
	const char *why = NULL;

	/* Every truncation of the public key file fails but the last newline. */
	for (size_t k = 0; k < pub.len; k++) {
		char *copy = xmalloc(k ? k : 1);
		memcpy(copy, pub.data, k);
		int rc = minisig_read_public(copy, k, id, pk, &why);
		free(copy);
		if (k == pub.len - 1) {
			assert_int_equal(rc, 0);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(why, "public key file is malformed");
		}
	}
	assert_int_equal(minisig_read_public(NULL, 5, id, pk, &why), -1);

	char *l1 = line_of(pub.data, 0), *l2 = line_of(pub.data, 1);
	char *bad_pub[] = {
		xasprintf("%s\n", l1),			/* no key */
		xasprintf("%s\n", l2),			/* no comment */
		xasprintf("%s\n%s\n\n", l1, l2),	/* an extra line */
		xasprintf("%s\n%s\nmore\n", l1, l2),
		xasprintf("x%s\n%s\n", l1, l2),	/* not "untrusted comment: " */
		xasprintf("%s\n%s=\n", l1, l2),	/* one character too many */
	};
	for (size_t i = 0; i < sizeof(bad_pub) / sizeof(*bad_pub); i++) {
		assert_int_equal(minisig_read_public(bad_pub[i], strlen(bad_pub[i]), id, pk, &why), -1);
		assert_string_equal(why, "public key file is malformed");
		free(bad_pub[i]);
	}
	/* A signature line is not a key, and a secret key's line is not either. */
	unsigned char raw[42] = { 'E', 'D' };
	char *s = b64(raw, sizeof(raw));
	char *t = xasprintf("%s\n%s\n", l1, s);
	assert_int_equal(minisig_read_public(t, strlen(t), id, pk, &why), -1);
	assert_string_equal(why, "unsupported signature algorithm");
	free(t);
	free(s);

	/* Secret keys: truncations, other lines, other lengths. */
	struct buf sec = BUF_INIT;
	assert_int_equal(minisig_write_secret(&kp, &sec), 0);
	struct minisig_keypair back;
	for (size_t k = 0; k < sec.len - 1; k++) {
		char *copy = xmalloc(k ? k : 1);
		memcpy(copy, sec.data, k);
		assert_int_equal(minisig_read_secret(copy, k, &back, &why), -1);
		assert_string_equal(why, "secret key file is malformed");
		free(copy);
	}
	t = xasprintf("%s%s", sec.data, "\n");
	read_secret_fails(t, "secret key file is malformed");
	free(t);
	read_secret_fails(pub.data, "secret key file is malformed");

	sodium_memzero(sec.data, sec.len);
	buf_free(&sec);
	free(l1);
	free(l2);
	buf_free(&pub);
}

/* Decodes the key line of a secret key file into raw (158 bytes). */
static void secret_raw(const char *text, unsigned char raw[158])
{
	char *line = line_of(text, 1);
	size_t got = 0;
	assert_int_equal(sodium_base642bin(raw, 158, line, strlen(line), NULL, &got, NULL,
					   sodium_base64_VARIANT_ORIGINAL), 0);
	assert_int_equal(got, 158);
	free(line);
}

static void test_encrypted_keys(void **state)
{
	(void)state;
	struct minisig_keypair kp = new_key(), back;
	const char *why = NULL;
	struct buf sec = BUF_INIT;
	static const char pw[] = "correct horse battery staple";
	assert_int_equal(minisig_write_secret_encrypted(&kp, pw, strlen(pw), &small_kdf, &sec), 0);
	char *first = line_of(sec.data, 0);
	assert_string_equal(first, "untrusted comment: minisign encrypted secret key");
	free(first);

	/* The structure: Ed, Sc, B2, the limits recorded little-endian, and
	 * neither the key id nor the secret key in clear. */
	unsigned char raw[158];
	secret_raw(sec.data, raw);
	assert_memory_equal(raw, "EdScB2", 6);
	assert_int_equal(raw[38 + 1], 0x80);     /* opslimit 32768 */
	assert_int_equal(raw[46 + 2], 0x20);     /* memlimit 2 MiB */
	assert_memory_not_equal(raw + 54, kp.id, 8);
	assert_memory_not_equal(raw + 62, kp.sk, 32);
	assert_int_equal(minisig_secret_encrypted(sec.data, sec.len), 1);

	/* The right password gives the key back; a wrong one, none. */
	assert_int_equal(minisig_read_secret_with(sec.data, sec.len, pw, strlen(pw), &back, &why), 0);
	assert_memory_equal(&back, &kp, sizeof(kp));
	assert_int_equal(minisig_read_secret_with(sec.data, sec.len, "Correct horse battery staple",
						  strlen(pw), &back, &why), -1);
	assert_string_equal(why, "wrong passphrase for this secret key");
	assert_int_equal(minisig_read_secret_with(sec.data, sec.len, pw, strlen(pw) - 1, &back, &why), -1);
	assert_string_equal(why, "wrong passphrase for this secret key");
	/* Without one, it says one is needed, and derives nothing. */
	assert_int_equal(minisig_read_secret(sec.data, sec.len, &back, &why), -1);
	assert_string_equal(why, why_encrypted);
	assert_int_equal(minisig_read_secret_with(sec.data, sec.len, NULL, 0, &back, &why), -1);
	assert_string_equal(why, why_encrypted);

	/* Two encryptions of one key differ (a new salt each time). */
	struct buf again = BUF_INIT;
	assert_int_equal(minisig_write_secret_encrypted(&kp, pw, strlen(pw), &small_kdf, &again), 0);
	assert_true(again.len == sec.len && memcmp(again.data, sec.data, sec.len) != 0);
	buf_free(&again);

	/* Limits above minisign's, which a hostile key could set to take any
	 * memory, are refused before anything is derived. */
	raw[46 + 7] = 0x01;
	char *line = b64(raw, sizeof(raw));
	char *t = xasprintf("untrusted comment: x\n%s\n", line);
	assert_int_equal(minisig_read_secret_with(t, strlen(t), pw, strlen(pw), &back, &why), -1);
	assert_string_equal(why, "the secret key's key derivation limits are beyond minisign's");
	free(t);
	free(line);

	/* An unencrypted key is not encrypted, and ignores a password. */
	struct buf clear = BUF_INIT;
	assert_int_equal(minisig_write_secret(&kp, &clear), 0);
	assert_int_equal(minisig_secret_encrypted(clear.data, clear.len), 0);
	assert_int_equal(minisig_read_secret_with(clear.data, clear.len, pw, strlen(pw), &back, &why), 0);
	assert_memory_equal(&back, &kp, sizeof(kp));
	assert_int_equal(minisig_secret_encrypted("junk", 4), -1);
	buf_free(&clear);
	buf_free(&sec);
}

static void test_secret_key_checks(void **state)
{
	struct minisig_keypair kp = new_key(), back;
	const char *why = NULL;

	/* Protected by a password: refused, with what to do instead. */
	char *t = secret_file(&kp, "Ed", "Sc", NULL);
	read_secret_fails(t, why_encrypted);
	free(t);

	t = secret_file(&kp, "Ed", "Xx", NULL);
	read_secret_fails(t, "unsupported key derivation function");
	free(t);
	t = secret_file(&kp, "ED", "\0\0", NULL);
	read_secret_fails(t, "unsupported signature algorithm");
	free(t);

	/* A zero checksum, as minisign 0.11 writes for -W keys, is accepted. */
	unsigned char zero[32] = { 0 };
	t = secret_file(&kp, "Ed", "\0\0", zero);
	assert_int_equal(minisig_read_secret(t, strlen(t), &back, &why), 0);
	assert_memory_equal(&back, &kp, sizeof(kp));
	free(t);

	/* A wrong one is not. */
	unsigned char wrong[32];
	memset(wrong, 0x5a, sizeof(wrong));
	t = secret_file(&kp, "Ed", "\0\0", wrong);
	read_secret_fails(t, "secret key checksum does not match");
	free(t);

	/* Nor a key whose public half is not its seed's. */
	struct minisig_keypair damaged = kp;
	damaged.sk[40] ^= 1;
	t = secret_file(&damaged, "Ed", "\0\0", zero);
	read_secret_fails(t, "secret key is damaged: its public key does not match its seed");
	free(t);
	t = secret_file(&damaged, "Ed", "\0\0", NULL);
	read_secret_fails(t, "secret key is damaged: its public key does not match its seed");
	free(t);

	/* Signing refuses a key pair whose parts do not belong together. */
	struct buf out = BUF_INIT;
	damaged = kp;
	damaged.pk[0] ^= 1;
	assert_int_equal(minisig_sign(&damaged, "x", 1, "tc", NULL, &out), -1);
	assert_int_equal(out.len, 0);
	sodium_memzero(&kp, sizeof(kp));
	sodium_memzero(&back, sizeof(back));
	sodium_memzero(&damaged, sizeof(damaged));
}

static void test_sign_refuses(void **state)
{
	struct minisig_keypair kp = new_key();
	struct buf out = BUF_INIT;
	buf_puts(&out, "kept");
	const char *bad[] = { "two\nlines", "cr\rhere", "trailing\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(minisig_sign(&kp, "x", 1, bad[i], NULL, &out), -1);
		assert_int_equal(minisig_sign(&kp, "x", 1, "ok", bad[i], &out), -1);
	}
	assert_int_equal(minisig_sign(&kp, "x", 1, NULL, NULL, &out), -1);

	/* The longest comments minisign can read back, and one byte more. */
	char *tc = xmalloc(MSIG_TRUSTED_MAX + 2);
	memset(tc, 't', MSIG_TRUSTED_MAX + 1);
	tc[MSIG_TRUSTED_MAX + 1] = '\0';
	char *uc = xmalloc(MSIG_UNTRUSTED_MAX + 2);
	memset(uc, 'u', MSIG_UNTRUSTED_MAX + 1);
	uc[MSIG_UNTRUSTED_MAX + 1] = '\0';
	assert_int_equal(minisig_sign(&kp, "x", 1, tc, NULL, &out), -1);
	assert_int_equal(minisig_sign(&kp, "x", 1, "ok", uc, &out), -1);
	assert_string_equal(buf_str(&out), "kept");

	tc[MSIG_TRUSTED_MAX] = '\0';
	uc[MSIG_UNTRUSTED_MAX] = '\0';
	buf_reset(&out);
	assert_int_equal(minisig_sign(&kp, "x", 1, tc, uc, &out), 0);
	verify_ok(out.data, out.len, &kp, "x", 1, tc);

	/* A full buffer takes nothing. */
	struct buf small = BUF_INIT;
	small.max = 100;
	buf_puts(&small, "kept");
	assert_int_equal(minisig_sign(&kp, "x", 1, "tc", NULL, &small), -1);
	assert_string_equal(buf_str(&small), "kept");
	assert_int_equal(minisig_write_secret(&kp, &small), -1);
	assert_string_equal(buf_str(&small), "kept");
	small.max = 60;
	assert_int_equal(minisig_write_public(&kp, &small), -1);
	assert_string_equal(buf_str(&small), "kept");

	free(tc);
	free(uc);
	buf_free(&out);
	buf_free(&small);
}

/* ---- Interoperability with minisign --------------------------------- */

struct scratch {
	char *dir;
	char *pub, *sec, *file, *sig, *sig2;
};

/* A fresh directory under /tmp for one test, removed by the teardown
 * even when the test fails. */
static int scratch_setup(void **state)
{
	struct scratch *s = xcalloc(1, sizeof(*s));
	s->dir = xstrdup("/tmp/sircomm-test-minisig-XXXXXX");
	if (!mkdtemp(s->dir)) {
		free(s->dir);
		free(s);
		return -1;
	}
	s->pub = xasprintf("%s/key.pub", s->dir);
	s->sec = xasprintf("%s/key.sec", s->dir);
	s->file = xasprintf("%s/bundle.zip", s->dir);
	s->sig = xasprintf("%s/bundle.zip.minisig", s->dir);
	s->sig2 = xasprintf("%s/other.minisig", s->dir);
	*state = s;
	return 0;
}

static int scratch_teardown(void **state)
{
	struct scratch *s = *state;
	char *paths[] = { s->pub, s->sec, s->file, s->sig, s->sig2 };
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
	rmdir(s->dir);
	free(s->dir);
	free(s);
	return 0;
}

static void put_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0)
		fail_msg("%s: cannot write: %s", path, strerror(errno));
}

static char *get_file(const char *path, size_t *n)
{
	char *data;
	if (read_file(path, 1 << 20, &data, n) != 0)
		fail_msg("%s: cannot read: %s", path, strerror(errno));
	return data;
}

/* Runs a shell command; returns its exit status. */
static int run(const char *fmt, ...) SC_PRINTF(1, 2);
static int run(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct buf cmd = BUF_INIT;
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	int rc = system(cmd.data);
	buf_free(&cmd);
	return rc == -1 || !WIFEXITED(rc) ? -1 : WEXITSTATUS(rc);
}

static bool have_minisign(void)
{
	return access(MINISIGN, X_OK) == 0;
}

/* msig writes the keys and the signature; minisign verifies. */
static void test_minisign_verifies(void **state)
{
	if (!have_minisign())
		skip();
	struct scratch *s = *state;
	struct minisig_keypair kp = new_key();
	struct buf pub = BUF_INIT;
	assert_int_equal(minisig_write_public(&kp, &pub), 0);
	put_file(s->pub, pub.data, pub.len);
	put_file(s->file, file_data, FILE_LEN);
	char *sig = sign_ok(&kp, file_data, FILE_LEN, "timestamp:1772615520\tfile:bundle.zip",
			    NULL);
	put_file(s->sig, sig, strlen(sig));

	assert_int_equal(run(MINISIGN " -V -q -p %s -m %s </dev/null", s->pub, s->file), 0);
	/* minisign's -Q prints the trusted comment. */
	assert_int_equal(run(MINISIGN " -V -Q -p %s -m %s </dev/null >%s", s->pub, s->file, s->sig2),
			 0);
	size_t n;
	char *printed = get_file(s->sig2, &n);
	assert_string_equal(printed, "timestamp:1772615520\tfile:bundle.zip\n");
	free(printed);

	/* And minisign notices a change. */
	put_file(s->file, file_data, FILE_LEN - 1);
	assert_int_not_equal(run(MINISIGN " -V -q -p %s -m %s </dev/null 2>/dev/null", s->pub, s->file),
			     0);

	free(sig);
	buf_free(&pub);
}

/* msig writes the secret key; minisign signs with it; msig verifies. */
static void test_minisign_signs(void **state)
{
	if (!have_minisign())
		skip();
	struct scratch *s = *state;
	struct minisig_keypair kp = new_key();
	struct buf sec = BUF_INIT;
	assert_int_equal(minisig_write_secret(&kp, &sec), 0);
	put_file(s->sec, sec.data, sec.len);
	sodium_memzero(sec.data, sec.len);
	buf_free(&sec);
	put_file(s->file, file_data, FILE_LEN);

	assert_int_equal(run(MINISIGN " -S -s %s -m %s -t 'incident:SIRT-2026-0142' "
				      "</dev/null >/dev/null", s->sec, s->file), 0);
	size_t n;
	char *sig = get_file(s->sig, &n);
	verify_ok(sig, n, &kp, file_data, FILE_LEN, "incident:SIRT-2026-0142");
	/* minisign signs the hash too, so it gives msig's very bytes. */
	char *mine = sign_ok(&kp, file_data, FILE_LEN, "incident:SIRT-2026-0142", NULL);
	assert_string_equal(sig, mine);
	free(mine);
	free(sig);

	/* A legacy signature (-l) verifies as well. */
	assert_int_equal(run(MINISIGN " -S -l -s %s -m %s -x %s -t legacy </dev/null >/dev/null",
			     s->sec, s->file, s->sig2), 0);
	sig = get_file(s->sig2, &n);
	char *l2 = line_of(sig, 1);
	assert_int_equal(strncmp(l2, "RW", 2), 0); /* "Ed"; "ED" is "RU" */
	free(l2);
	verify_ok(sig, n, &kp, file_data, FILE_LEN, "legacy");
	free(sig);

	sodium_memzero(&kp, sizeof(kp));
}

/* minisign makes the key pair (-G -W: zero checksum); msig reads it. */
static void test_minisign_keys(void **state)
{
	if (!have_minisign())
		skip();
	struct scratch *s = *state;
	assert_int_equal(run(MINISIGN " -G -W -p %s -s %s </dev/null >/dev/null", s->pub, s->sec), 0);
	size_t pn, sn;
	char *pub = get_file(s->pub, &pn), *sec = get_file(s->sec, &sn);
	struct minisig_keypair kp;
	unsigned char id[8], pk[32];
	const char *why = NULL;
	if (minisig_read_secret(sec, sn, &kp, &why) != 0)
		fail_msg("minisig_read_secret: %s", why);
	if (minisig_read_public(pub, pn, id, pk, &why) != 0)
		fail_msg("minisig_read_public: %s", why);
	assert_memory_equal(id, kp.id, 8);
	assert_memory_equal(pk, kp.pk, 32);

	/* Written back, the public key is minisign's byte for byte.  The
	 * comments may differ: minisign 0.11 shows the key id without leading
	 * zeros, later versions and msig with all 16 digits. */
	struct buf out = BUF_INIT;
	assert_int_equal(minisig_write_public(&kp, &out), 0);
	assert_string_equal(strchr(out.data, '\n'), strchr(pub, '\n'));
	const char *hex = strrchr(out.data, ' ') + 1;
	while (*hex == '0')
		hex++;
	const char *theirs = strstr(pub, "minisign public key ");
	assert_non_null(theirs);
	theirs += strlen("minisign public key ");
	while (*theirs == '0')
		theirs++;
	assert_int_equal(strcspn(hex, "\n"), strcspn(theirs, "\n"));
	assert_memory_equal(hex, theirs, strcspn(hex, "\n"));
	buf_free(&out);

	put_file(s->file, file_data, FILE_LEN);
	char *sig = sign_ok(&kp, file_data, FILE_LEN, "made by msig", NULL);
	put_file(s->sig, sig, strlen(sig));
	assert_int_equal(run(MINISIGN " -V -q -p %s -m %s </dev/null", s->pub, s->file), 0);

	free(sig);
	sodium_memzero(sec, sn);
	free(sec);
	free(pub);
	sodium_memzero(&kp, sizeof(kp));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_files),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_keygen_random),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_tampered_data),
		cmocka_unit_test(test_tampered_comment),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_legacy),
		cmocka_unit_test(test_malformed_signatures),
		cmocka_unit_test(test_malformed_keys),
		cmocka_unit_test(test_secret_key_checks),
		cmocka_unit_test(test_encrypted_keys),
		cmocka_unit_test(test_sign_refuses),
		cmocka_unit_test_setup_teardown(test_minisign_verifies, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_minisign_signs, scratch_setup, scratch_teardown),
		cmocka_unit_test_setup_teardown(test_minisign_keys, scratch_setup, scratch_teardown),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
