/* minisig.c - minisign-compatible Ed25519 key files and signatures. */
#include "bundle/minisig.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define B64 sodium_base64_VARIANT_ORIGINAL

/* Line prefixes and fixed texts of the three file formats. */
#define UNTRUSTED_PREFIX "untrusted comment: "
#define TRUSTED_PREFIX "trusted comment: "
#define PUBLIC_COMMENT "minisign public key "
#define SECRET_COMMENT "minisign secret key"
#define ENCRYPTED_COMMENT "minisign encrypted secret key"

#define UNTRUSTED_PREFIX_LEN (sizeof(UNTRUSTED_PREFIX) - 1)
#define TRUSTED_PREFIX_LEN (sizeof(TRUSTED_PREFIX) - 1)

/* Algorithm tags, two bytes each. */
static const unsigned char alg_ed[2] = { 'E', 'd' };      /* Ed25519, raw data */
static const unsigned char alg_hashed[2] = { 'E', 'D' };  /* over BLAKE2b-512 */
static const unsigned char kdf_none[2] = { 0, 0 };
static const unsigned char kdf_scrypt[2] = { 'S', 'c' };
static const unsigned char chk_blake2b[2] = { 'B', '2' };

/* The public key structure: sig_alg, key id, public key. */
enum {
	PK_ALG = 0,
	PK_ID = PK_ALG + 2,
	PK_KEY = PK_ID + MSIG_KEYID_BYTES,
	PK_SIZE = PK_KEY + MSIG_PUBLIC_BYTES, /* 42 */
};

/* The secret key structure: sig_alg, kdf_alg, chk_alg, kdf_salt,
 * kdf_opslimit (LE), kdf_memlimit (LE), key id, secret key, checksum. */
enum {
	SK_ALG = 0,
	SK_KDF = SK_ALG + 2,
	SK_CHK_ALG = SK_KDF + 2,
	SK_SALT = SK_CHK_ALG + 2,
	SK_OPSLIMIT = SK_SALT + 32,
	SK_MEMLIMIT = SK_OPSLIMIT + 8,
	SK_ID = SK_MEMLIMIT + 8,
	SK_KEY = SK_ID + MSIG_KEYID_BYTES,
	SK_CHK = SK_KEY + MSIG_SECRET_BYTES,
	SK_CHK_BYTES = 32,
	SK_SIZE = SK_CHK + SK_CHK_BYTES, /* 158 */
};

/* The signature structure: sig_alg, key id, signature. */
enum {
	SIG_ALG = 0,
	SIG_ID = SIG_ALG + 2,
	SIG_SIG = SIG_ID + MSIG_KEYID_BYTES,
	SIG_SIZE = SIG_SIG + crypto_sign_BYTES, /* 74 */
};

/* Base64 text lengths, without a NUL. */
#define B64_LEN(n) (sodium_base64_ENCODED_LEN((n), B64) - 1)

static const char why_malformed[] = "signature file is malformed";
static const char why_sodium[] = "libsodium cannot be initialised";
static const char why_encrypted[] = "the secret key is encrypted: its passphrase is needed";
static const char why_wrong_password[] = "wrong passphrase for this secret key";

/* ---- Helpers -------------------------------------------------------- */

/* The key id as minisign shows it: the stored bytes as a little-endian
 * number, 16 uppercase hex digits. */
static void keyid_hex(const unsigned char id[MSIG_KEYID_BYTES], char hex[2 * MSIG_KEYID_BYTES + 1])
{
	static const char digits[] = "0123456789ABCDEF";
	for (size_t i = 0; i < MSIG_KEYID_BYTES; i++) {
		unsigned char c = id[MSIG_KEYID_BYTES - 1 - i];
		hex[2 * i] = digits[c >> 4];
		hex[2 * i + 1] = digits[c & 0xf];
	}
	hex[2 * MSIG_KEYID_BYTES] = '\0';
}

/* Appends the base64 of bin and a newline. */
static int put_b64_line(struct buf *out, const unsigned char *bin, size_t n)
{
	char b64[sodium_base64_ENCODED_LEN(SK_SIZE, B64)];
	if (n > SK_SIZE)
		return -1;
	sodium_bin2base64(b64, sizeof(b64), bin, n, B64);
	size_t k = strlen(b64);
	b64[k] = '\n';
	int rc = buf_append(out, b64, k + 1);
	sodium_memzero(b64, sizeof(b64));
	return rc;
}

/* Takes back everything appended to out since it was `start` bytes long. */
static void rollback(struct buf *out, size_t start)
{
	out->len = start;
	if (out->data)
		out->data[start] = '\0';
}

/* True when the NUL-terminated s can go on one line of at most max bytes. */
static bool one_line(const char *s, size_t max)
{
	size_t n = strlen(s);
	return n <= max && !memchr(s, '\n', n) && !memchr(s, '\r', n);
}

/* The BLAKE2b-256 checksum minisign keeps in a secret key structure: over
 * its signature algorithm, key id and secret key. */
static void sk_checksum(const unsigned char *raw, unsigned char chk[SK_CHK_BYTES])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, SK_CHK_BYTES);
	crypto_generichash_update(&st, raw + SK_ALG, 2);
	crypto_generichash_update(&st, raw + SK_ID, MSIG_KEYID_BYTES);
	crypto_generichash_update(&st, raw + SK_KEY, MSIG_SECRET_BYTES);
	crypto_generichash_final(&st, chk, SK_CHK_BYTES);
	sodium_memzero(&st, sizeof(st));
}

/* ---- Reading lines -------------------------------------------------- */

/* What is left of a text being read line by line. */
struct lines {
	const char *p;
	size_t left;
};

/*
 * Takes the next line into *s and *n, without its "\n" or "\r\n"; the last
 * line may lack the newline.  Returns 0, or -1 when nothing is left, when
 * the line is longer than max bytes, or when it holds a NUL or a CR.
 * Looks at no more than max + 2 bytes, so a huge line costs nothing.
 */
static int next_line(struct lines *ls, size_t max, const char **s, size_t *n)
{
	if (ls->left == 0)
		return -1;
	size_t scan = ls->left < max + 2 ? ls->left : max + 2;
	const char *nl = memchr(ls->p, '\n', scan);
	if (!nl && scan < ls->left)
		return -1;
	size_t k = nl ? (size_t)(nl - ls->p) : ls->left;
	*s = ls->p;
	ls->p += k + (nl != NULL);
	ls->left -= k + (nl != NULL);
	if (k > 0 && (*s)[k - 1] == '\r')
		k--;
	if (k > max || memchr(*s, '\0', k) || memchr(*s, '\r', k))
		return -1;
	*n = k;
	return 0;
}

/* Takes the next line, which must start with prefix and hold at most max
 * bytes after it; *s and *n get the text after the prefix. */
static int prefixed_line(struct lines *ls, const char *prefix, size_t max, const char **s,
			 size_t *n)
{
	size_t plen = strlen(prefix);
	const char *line;
	size_t len;
	if (next_line(ls, plen + max, &line, &len) != 0 || len < plen ||
	    memcmp(line, prefix, plen) != 0)
		return -1;
	*s = line + plen;
	*n = len - plen;
	return 0;
}

/* Takes the next line, which must be the canonical base64 of exactly n
 * bytes, and decodes it into bin. */
static int b64_line(struct lines *ls, unsigned char *bin, size_t n)
{
	const char *s;
	size_t len, got = 0;
	if (next_line(ls, B64_LEN(n), &s, &len) != 0 || len != B64_LEN(n))
		return -1;
	if (sodium_base642bin(bin, n, s, len, NULL, &got, NULL, B64) != 0 || got != n)
		return -1;
	return 0;
}

/* ---- Keys ----------------------------------------------------------- */

int minisig_keygen(struct minisig_keypair *kp)
{
	if (sodium_init() < 0)
		return -1;
	randombytes_buf(kp->id, sizeof(kp->id));
	crypto_sign_keypair(kp->pk, kp->sk);
	return 0;
}

int minisig_write_public(const struct minisig_keypair *kp, struct buf *out)
{
	unsigned char raw[PK_SIZE];
	memcpy(raw + PK_ALG, alg_ed, 2);
	memcpy(raw + PK_ID, kp->id, MSIG_KEYID_BYTES);
	memcpy(raw + PK_KEY, kp->pk, MSIG_PUBLIC_BYTES);
	char hex[2 * MSIG_KEYID_BYTES + 1];
	keyid_hex(kp->id, hex);

	size_t start = out->len;
	if (buf_printf(out, UNTRUSTED_PREFIX PUBLIC_COMMENT "%s\n", hex) < 0 ||
	    put_b64_line(out, raw, sizeof(raw)) < 0) {
		rollback(out, start);
		return -1;
	}
	return 0;
}

/* XORs the key id, secret key and checksum of a secret key structure
 * with the scrypt stream of the password, as minisign encrypts them (the
 * same call decrypts).  Returns 0, or -1 when the derivation fails (its
 * memory cannot be had). */
static int sk_crypt(unsigned char *raw, const char *pw, size_t pwlen, uint64_t opslimit,
		    uint64_t memlimit)
{
	unsigned char stream[SK_SIZE - SK_ID];
	if (crypto_pwhash_scryptsalsa208sha256(stream, sizeof(stream), pw, pwlen, raw + SK_SALT,
					       (unsigned long long)opslimit, (size_t)memlimit) != 0) {
		sodium_memzero(stream, sizeof(stream));
		return -1;
	}
	for (size_t i = 0; i < sizeof(stream); i++)
		raw[SK_ID + i] ^= stream[i];
	sodium_memzero(stream, sizeof(stream));
	return 0;
}

static void store_le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t load_le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static int write_secret(const struct minisig_keypair *kp, const char *pw, size_t pwlen,
			const struct minisig_kdf *kdf, struct buf *out)
{
	if (sodium_init() < 0)
		return -1;
	unsigned char raw[SK_SIZE] = { 0 };
	memcpy(raw + SK_ALG, alg_ed, 2);
	memcpy(raw + SK_KDF, pw ? kdf_scrypt : kdf_none, 2);
	memcpy(raw + SK_CHK_ALG, chk_blake2b, 2);
	memcpy(raw + SK_ID, kp->id, MSIG_KEYID_BYTES);
	memcpy(raw + SK_KEY, kp->sk, MSIG_SECRET_BYTES);
	sk_checksum(raw, raw + SK_CHK);
	/* Unencrypted, salt and KDF limits stay zero: nothing is derived. */
	if (pw) {
		randombytes_buf(raw + SK_SALT, 32);
		store_le64(raw + SK_OPSLIMIT, kdf->opslimit);
		store_le64(raw + SK_MEMLIMIT, kdf->memlimit);
		if (sk_crypt(raw, pw, pwlen, kdf->opslimit, kdf->memlimit) != 0) {
			sodium_memzero(raw, sizeof(raw));
			return -1;
		}
	}

	/* The whole file goes in with one append, so a growing buffer never
	 * leaves a copy of the key behind. */
	static const char head[] = UNTRUSTED_PREFIX SECRET_COMMENT "\n";
	static const char head_enc[] = UNTRUSTED_PREFIX ENCRYPTED_COMMENT "\n";
	const char *h = pw ? head_enc : head;
	size_t hlen = pw ? sizeof(head_enc) - 1 : sizeof(head) - 1;
	char text[sizeof(head_enc) - 1 + sodium_base64_ENCODED_LEN(SK_SIZE, B64)];
	memcpy(text, h, hlen);
	char *b64 = text + hlen;
	sodium_bin2base64(b64, sodium_base64_ENCODED_LEN(SK_SIZE, B64), raw, sizeof(raw), B64);
	b64[B64_LEN(SK_SIZE)] = '\n';  /* in place of the NUL */
	int rc = buf_append(out, text, hlen + B64_LEN(SK_SIZE) + 1);

	sodium_memzero(raw, sizeof(raw));
	sodium_memzero(text, sizeof(text));
	return rc < 0 ? -1 : 0;
}

int minisig_write_secret(const struct minisig_keypair *kp, struct buf *out)
{
	return write_secret(kp, NULL, 0, NULL, out);
}

const struct minisig_kdf minisig_kdf_minisign = {
	crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE,
	crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE,
};

int minisig_write_secret_encrypted(const struct minisig_keypair *kp, const char *pw, size_t pwlen,
				   const struct minisig_kdf *kdf, struct buf *out)
{
	return write_secret(kp, pw, pwlen, kdf ? kdf : &minisig_kdf_minisign, out);
}

int minisig_read_public(const char *text, size_t len, unsigned char id[MSIG_KEYID_BYTES],
		     unsigned char pk[MSIG_PUBLIC_BYTES], const char **why)
{
	const char *ignored;
	if (!why)
		why = &ignored;
	struct lines ls = { text, text ? len : 0 };
	unsigned char raw[PK_SIZE];
	const char *s;
	size_t n;
	if (prefixed_line(&ls, UNTRUSTED_PREFIX, MSIG_UNTRUSTED_MAX, &s, &n) != 0 ||
	    b64_line(&ls, raw, sizeof(raw)) != 0 || ls.left != 0) {
		*why = "public key file is malformed";
		return -1;
	}
	if (memcmp(raw + PK_ALG, alg_ed, 2) != 0) {
		*why = "unsupported signature algorithm";
		return -1;
	}
	memcpy(id, raw + PK_ID, MSIG_KEYID_BYTES);
	memcpy(pk, raw + PK_KEY, MSIG_PUBLIC_BYTES);
	return 0;
}

/* Checks the decoded secret key structure, decrypting it first when it
 * is encrypted and a password is given; returns NULL or the reason. */
static const char *check_secret(unsigned char *raw, const char *pw, size_t pwlen)
{
	if (memcmp(raw + SK_ALG, alg_ed, 2) != 0)
		return "unsupported signature algorithm";
	bool encrypted = memcmp(raw + SK_KDF, kdf_scrypt, 2) == 0;
	if (encrypted && !pw)
		return why_encrypted;
	if (!encrypted && memcmp(raw + SK_KDF, kdf_none, 2) != 0)
		return "unsupported key derivation function";
	if (memcmp(raw + SK_CHK_ALG, chk_blake2b, 2) != 0)
		return "unsupported checksum function";
	if (sodium_init() < 0)
		return why_sodium;
	if (encrypted) {
		/* The limits come from the file: above minisign's own, a key
		 * could make the derivation take any memory and time. */
		uint64_t ops = load_le64(raw + SK_OPSLIMIT), mem = load_le64(raw + SK_MEMLIMIT);
		if (ops > minisig_kdf_minisign.opslimit || mem > minisig_kdf_minisign.memlimit)
			return "the secret key's key derivation limits are beyond minisign's";
		if (sk_crypt(raw, pw, pwlen, ops, mem) != 0)
			return "cannot derive the key from the passphrase (not enough memory?)";
	}

	const char *bad = NULL;
	unsigned char chk[SK_CHK_BYTES];
	sk_checksum(raw, chk);
	/* Encrypted, the checksum is what tells a wrong password; unencrypted,
	 * minisign 0.11 writes zeros there. */
	if (sodium_memcmp(chk, raw + SK_CHK, SK_CHK_BYTES) != 0 &&
	    (encrypted || !sodium_is_zero(raw + SK_CHK, SK_CHK_BYTES)))
		bad = encrypted ? why_wrong_password : "secret key checksum does not match";

	/* An all-zero checksum proves nothing, so check that the key's public
	 * half is the one its seed gives. */
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
	crypto_sign_seed_keypair(pk, sk, raw + SK_KEY);
	if (!bad && sodium_memcmp(sk, raw + SK_KEY, MSIG_SECRET_BYTES) != 0)
		bad = "secret key is damaged: its public key does not match its seed";
	sodium_memzero(chk, sizeof(chk));
	sodium_memzero(sk, sizeof(sk));
	return bad;
}

/* Decodes a secret key file into raw; -1 when malformed. */
static int decode_secret(const char *text, size_t len, unsigned char raw[SK_SIZE])
{
	struct lines ls = { text, text ? len : 0 };
	const char *s;
	size_t n;
	if (prefixed_line(&ls, UNTRUSTED_PREFIX, MSIG_UNTRUSTED_MAX, &s, &n) != 0 ||
	    b64_line(&ls, raw, SK_SIZE) != 0 || ls.left != 0) {
		sodium_memzero(raw, SK_SIZE);
		return -1;
	}
	return 0;
}

static int read_secret(const char *text, size_t len, const char *pw, size_t pwlen,
		       struct minisig_keypair *kp, const char **why)
{
	const char *ignored;
	if (!why)
		why = &ignored;
	sodium_memzero(kp, sizeof(*kp));
	unsigned char raw[SK_SIZE];
	if (decode_secret(text, len, raw) != 0) {
		*why = "secret key file is malformed";
		return -1;
	}
	const char *bad = check_secret(raw, pw, pwlen);
	if (bad) {
		sodium_memzero(raw, sizeof(raw));
		*why = bad;
		return -1;
	}
	memcpy(kp->id, raw + SK_ID, MSIG_KEYID_BYTES);
	memcpy(kp->sk, raw + SK_KEY, MSIG_SECRET_BYTES);
	crypto_sign_ed25519_sk_to_pk(kp->pk, kp->sk);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

int minisig_read_secret(const char *text, size_t len, struct minisig_keypair *kp, const char **why)
{
	return read_secret(text, len, NULL, 0, kp, why);
}

int minisig_read_secret_with(const char *text, size_t len, const char *pw, size_t pwlen,
			     struct minisig_keypair *kp, const char **why)
{
	return read_secret(text, len, pw, pwlen, kp, why);
}

int minisig_secret_encrypted(const char *text, size_t len)
{
	unsigned char raw[SK_SIZE];
	if (decode_secret(text, len, raw) != 0)
		return -1;
	int enc = memcmp(raw + SK_KDF, kdf_scrypt, 2) == 0;
	sodium_memzero(raw, sizeof(raw));
	return enc;
}

/* ---- Signatures ----------------------------------------------------- */

/* Returns the signature + trusted comment bytes the global signature
 * covers, as a new array of 64 + n bytes the caller frees. */
static unsigned char *global_message(const unsigned char *sig, const char *comment, size_t n)
{
	unsigned char *m = xmalloc(crypto_sign_BYTES + n);
	memcpy(m, sig, crypto_sign_BYTES);
	if (n)
		memcpy(m + crypto_sign_BYTES, comment, n);
	return m;
}

int minisig_sign(const struct minisig_keypair *kp, const void *data, size_t len,
	      const char *trusted_comment, const char *untrusted_comment, struct buf *out)
{
	if (!untrusted_comment)
		untrusted_comment = MSIG_DEFAULT_COMMENT;
	if (!trusted_comment || !one_line(trusted_comment, MSIG_TRUSTED_MAX) ||
	    !one_line(untrusted_comment, MSIG_UNTRUSTED_MAX))
		return -1;
	if (sodium_init() < 0)
		return -1;
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	crypto_sign_ed25519_sk_to_pk(pk, kp->sk);
	if (memcmp(pk, kp->pk, sizeof(pk)) != 0)
		return -1;

	unsigned char hash[crypto_generichash_BYTES_MAX];
	crypto_generichash(hash, sizeof(hash), data ? data : "", data ? len : 0, NULL, 0);
	unsigned char sig[SIG_SIZE];
	memcpy(sig + SIG_ALG, alg_hashed, 2);
	memcpy(sig + SIG_ID, kp->id, MSIG_KEYID_BYTES);
	crypto_sign_detached(sig + SIG_SIG, NULL, hash, sizeof(hash), kp->sk);

	size_t tlen = strlen(trusted_comment);
	unsigned char *gm = global_message(sig + SIG_SIG, trusted_comment, tlen);
	unsigned char global[crypto_sign_BYTES];
	crypto_sign_detached(global, NULL, gm, crypto_sign_BYTES + tlen, kp->sk);
	free(gm);

	size_t start = out->len;
	if (buf_printf(out, UNTRUSTED_PREFIX "%s\n", untrusted_comment) < 0 ||
	    put_b64_line(out, sig, sizeof(sig)) < 0 ||
	    buf_printf(out, TRUSTED_PREFIX "%s\n", trusted_comment) < 0 ||
	    put_b64_line(out, global, sizeof(global)) < 0) {
		rollback(out, start);
		return -1;
	}
	return 0;
}

/* The key-id message of minisig_verify, formatted per thread. */
static _Thread_local char why_key[96];

int minisig_verify(const char *sig_text, size_t sig_len, const unsigned char id[MSIG_KEYID_BYTES],
		const unsigned char pk[MSIG_PUBLIC_BYTES], const void *data, size_t len,
		char **trusted_comment_out, const char **why)
{
	const char *ignored;
	if (!why)
		why = &ignored;
	if (trusted_comment_out)
		*trusted_comment_out = NULL;

	struct lines ls = { sig_text, sig_text ? sig_len : 0 };
	unsigned char sig[SIG_SIZE], global[crypto_sign_BYTES];
	const char *comment, *tc;
	size_t comment_len, tlen;
	if (prefixed_line(&ls, UNTRUSTED_PREFIX, MSIG_UNTRUSTED_MAX, &comment, &comment_len) != 0 ||
	    b64_line(&ls, sig, sizeof(sig)) != 0 ||
	    prefixed_line(&ls, TRUSTED_PREFIX, MSIG_TRUSTED_MAX, &tc, &tlen) != 0 ||
	    b64_line(&ls, global, sizeof(global)) != 0 || ls.left != 0) {
		*why = why_malformed;
		return -1;
	}
	bool hashed = memcmp(sig + SIG_ALG, alg_hashed, 2) == 0;
	if (!hashed && memcmp(sig + SIG_ALG, alg_ed, 2) != 0) {
		*why = why_malformed;
		return -1;
	}
	if (memcmp(sig + SIG_ID, id, MSIG_KEYID_BYTES) != 0) {
		char got[2 * MSIG_KEYID_BYTES + 1], want[2 * MSIG_KEYID_BYTES + 1];
		keyid_hex(sig + SIG_ID, got);
		keyid_hex(id, want);
		snprintf(why_key, sizeof(why_key), "signed with another key (key id %s, expected %s)",
			 got, want);
		*why = why_key;
		return -1;
	}
	if (sodium_init() < 0) {
		*why = why_sodium;
		return -1;
	}

	const unsigned char *m = data ? data : (const unsigned char *)"";
	size_t mlen = data ? len : 0;
	unsigned char hash[crypto_generichash_BYTES_MAX];
	if (hashed) {
		crypto_generichash(hash, sizeof(hash), m, mlen, NULL, 0);
		m = hash;
		mlen = sizeof(hash);
	}
	if (crypto_sign_verify_detached(sig + SIG_SIG, m, mlen, pk) != 0) {
		*why = "signature does not match the file";
		return -1;
	}
	unsigned char *gm = global_message(sig + SIG_SIG, tc, tlen);
	int bad = crypto_sign_verify_detached(global, gm, crypto_sign_BYTES + tlen, pk);
	free(gm);
	if (bad) {
		*why = "trusted comment signature does not match";
		return -1;
	}
	if (trusted_comment_out)
		*trusted_comment_out = xstrndup(tc, tlen);
	return 0;
}

const char *minisig_sodium_version(void)
{
	return sodium_version_string();
}
