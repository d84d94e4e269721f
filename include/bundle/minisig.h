/*
 * minisig.h - minisign-compatible Ed25519 keys and signatures.
 *
 * Audit bundles are signed so that anyone can check them with the stock
 * `minisign` program (0.11 and later) or with sircomm itself.  This module
 * reads and writes the three minisign text formats: the public key file,
 * the secret key file, encrypted with a passphrase (what `minisign -G`
 * makes) or not (`minisign -G -W`), and the <file>.minisig signature.
 * It is pure: text in, text out; the command layer reads and writes the
 * files and asks for the passphrase.
 *
 *     struct minisig_keypair kp;
 *     struct buf pub = BUF_INIT, sec = BUF_INIT, sig = BUF_INIT;
 *     if (minisig_keygen(&kp) != 0 || minisig_write_public(&kp, &pub) != 0 ||
 *         minisig_write_secret(&kp, &sec) != 0)
 *             ...;
 *     if (minisig_sign(&kp, data, len, "incident:SIRT-2026-0142", NULL, &sig) != 0)
 *             ...;
 *     sodium_memzero(&kp, sizeof(kp));
 *
 *     unsigned char id[MSIG_KEYID_BYTES], pk[MSIG_PUBLIC_BYTES];
 *     char *comment;
 *     const char *why;
 *     if (minisig_read_public(pub.data, pub.len, id, pk, &why) != 0 ||
 *         minisig_verify(sig.data, sig.len, id, pk, data, len, &comment, &why) != 0)
 *             ...;                    // why: "signature does not match the file"
 *     free(comment);
 *
 * Key ids are shown the way minisign shows them: the 8 stored bytes read
 * as a little-endian 64-bit number, in 16 uppercase hex digits.
 *
 * Functions that need libsodium initialise it themselves.  Parsing never
 * trusts its input: any byte string, however long or truncated, gives -1
 * and a reason, never a crash or a read past `len`.
 */
#ifndef SIRCOMM_MINISIG_H
#define SIRCOMM_MINISIG_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

#define MSIG_KEYID_BYTES 8
#define MSIG_PUBLIC_BYTES 32    /* crypto_sign_PUBLICKEYBYTES */
#define MSIG_SECRET_BYTES 64    /* crypto_sign_SECRETKEYBYTES: seed, then pk */

/* Longest comments, in bytes, that minisign itself can read back: the
 * untrusted comment line must fit its 1024-byte line buffer and the
 * trusted comment its 8192-byte one. */
#define MSIG_UNTRUSTED_MAX 1003
#define MSIG_TRUSTED_MAX 8173

/* The untrusted comment minisig_sign writes when given NULL (minisign's). */
#define MSIG_DEFAULT_COMMENT "signature from minisign secret key"

/* ---- Keys ----------------------------------------------------------- */

/* A key pair.  sk holds secret material: clear the struct with
 * sodium_memzero when done with it. */
struct minisig_keypair {
	unsigned char id[MSIG_KEYID_BYTES];  /* random key id, as stored */
	unsigned char pk[MSIG_PUBLIC_BYTES];
	unsigned char sk[MSIG_SECRET_BYTES]; /* Ed25519 seed + public key */
};

/*
 * Fills kp with a new key pair: a random key id (randombytes_buf) and an
 * Ed25519 key pair (crypto_sign_keypair).  Returns 0, or -1 when
 * libsodium cannot be initialised.
 */
int minisig_keygen(struct minisig_keypair *kp);

/*
 * Appends the public key file:
 *
 *     untrusted comment: minisign public key <KEYID>
 *     <base64 of "Ed", key id, public key>
 *
 * Returns 0, or -1 when out's cap is reached (out is then unchanged).
 */
int minisig_write_public(const struct minisig_keypair *kp, struct buf *out);

/*
 * Appends the unencrypted secret key file, readable by `minisign -S`
 * without a password:
 *
 *     untrusted comment: minisign secret key
 *     <base64 of the 158-byte minisign secret key structure>
 *
 * The structure carries no key derivation (kdf_alg zero, zero salt and
 * limits) and a real BLAKE2b-256 checksum.  out then holds the secret key
 * in clear: the caller clears it (sodium_memzero(out->data, out->len))
 * before buf_free, and should append nothing more to out while the key
 * is in it (a reallocation would leave a copy behind; this function
 * appends in one piece for that reason).  Returns 0, or -1 when out's cap
 * is reached or libsodium cannot be initialised (out is then unchanged).
 */
int minisig_write_secret(const struct minisig_keypair *kp, struct buf *out);

/* The scrypt limits of an encrypted secret key (libsodium's
 * crypto_pwhash_scryptsalsa208sha256). */
struct minisig_kdf {
	uint64_t opslimit;
	uint64_t memlimit;   /* bytes */
};

/* minisign's: OPSLIMIT_SENSITIVE and MEMLIMIT_SENSITIVE, 1 GiB of memory
 * and a few seconds for each key derivation. */
extern const struct minisig_kdf minisig_kdf_minisign;

/*
 * Appends the secret key file encrypted with the password (pwlen bytes),
 * as `minisign -G` writes it and reads it back:
 *
 *     untrusted comment: minisign encrypted secret key
 *     <base64 of the 158-byte structure, kdf_alg "Sc">
 *
 * A random salt; the key id, secret key and BLAKE2b-256 checksum XORed
 * with the scrypt (crypto_pwhash_scryptsalsa208sha256) stream of the
 * password under kdf's limits (NULL: minisig_kdf_minisign, the only
 * limits for a real key; smaller ones are for tests), which the file
 * records.  Derives a key once.  Returns 0, or -1 when out's cap is
 * reached, libsodium cannot be initialised or the derivation fails (out
 * is then unchanged).  out holds no secret in clear.
 */
int minisig_write_secret_encrypted(const struct minisig_keypair *kp, const char *pw, size_t pwlen,
				   const struct minisig_kdf *kdf, struct buf *out);

/*
 * Reads a public key file: the "untrusted comment: " line (its text is
 * ignored), then the base64 line; a final newline and CRLF line ends are
 * accepted, anything after the key line is not.  Fills id and pk and
 * returns 0, or returns -1 with *why (why may be NULL) set to a static
 * string: "public key file is malformed" or "unsupported signature
 * algorithm".  text need not be NUL-terminated; it stays the caller's.
 */
int minisig_read_public(const char *text, size_t len, unsigned char id[MSIG_KEYID_BYTES],
		     unsigned char pk[MSIG_PUBLIC_BYTES], const char **why);

/*
 * Reads an unencrypted secret key file, as minisig_write_secret or
 * `minisign -G -W` writes it, into kp (pk is taken from the secret key).
 *
 * The checksum must be the BLAKE2b-256 of the algorithm, key id and
 * secret key, or all zero bytes: minisign 0.11 writes zeros for
 * unencrypted keys and never checks them.  Either way the secret key's
 * public half must be the one its seed derives, so a damaged key is
 * refused.  Returns 0, or -1 with *why (why may be NULL) set to a
 * static string:
 *   "secret key file is malformed"
 *   "the secret key is encrypted: its passphrase is needed"  (kdf_alg
 *    "Sc": read it with minisig_read_secret_with)
 *   "unsupported signature algorithm", "unsupported key derivation
 *    function", "unsupported checksum function"
 *   "secret key checksum does not match"
 *   "secret key is damaged: its public key does not match its seed"
 *   "libsodium cannot be initialised"
 * On failure kp is zeroed.  Intermediate copies of the key are cleared;
 * the caller clears text and, when done, kp.  text need not be
 * NUL-terminated.
 */
int minisig_read_secret(const char *text, size_t len, struct minisig_keypair *kp, const char **why);

/*
 * 1 when the secret key file is encrypted (it needs a passphrase), 0 when
 * not, -1 when it is malformed.  Derives nothing.
 */
int minisig_secret_encrypted(const char *text, size_t len);

/*
 * minisig_read_secret, with the password (pwlen bytes; NULL for none) for
 * an encrypted key: the key is derived with the limits the file records,
 * once, and decrypted; an unencrypted key ignores the password.  Besides
 * minisig_read_secret's reasons:
 *   "wrong passphrase for this secret key"  (the checksum does not match)
 *   "the secret key's key derivation limits are beyond minisign's"
 *     (more than minisig_kdf_minisign: a key that would take any memory)
 *   "cannot derive the key from the passphrase (not enough memory?)"
 */
int minisig_read_secret_with(const char *text, size_t len, const char *pw, size_t pwlen,
			     struct minisig_keypair *kp, const char **why);

/* ---- Signatures ----------------------------------------------------- */

/*
 * Appends the <file>.minisig text for the len bytes at data:
 *
 *     untrusted comment: <untrusted_comment>
 *     <base64 of "ED", key id, Ed25519 signature of BLAKE2b-512(data)>
 *     trusted comment: <trusted_comment>
 *     <base64 of the Ed25519 signature of the signature + trusted_comment>
 *
 * A NULL untrusted_comment gives MSIG_DEFAULT_COMMENT.  Ed25519 is
 * deterministic: the same key, data and comments give the same bytes.
 * Returns 0, or -1 (out unchanged) when a comment holds CR or LF or is
 * longer than MSIG_UNTRUSTED_MAX / MSIG_TRUSTED_MAX bytes, when
 * trusted_comment is NULL, when kp->pk is not the public half of kp->sk,
 * when out's cap is reached, or when libsodium cannot be initialised.
 * Nothing is kept; data and the comments stay the caller's.
 */
int minisig_sign(const struct minisig_keypair *kp, const void *data, size_t len,
	      const char *trusted_comment, const char *untrusted_comment, struct buf *out);

/*
 * Checks the signature text (sig_len bytes, need not be NUL-terminated)
 * of the len bytes at data against the key (id, pk).  Both prehashed
 * ("ED") and legacy ("Ed", over the raw data) signatures are accepted.
 *
 * Returns 0 when the key ids match and both the signature and the
 * trusted comment's signature are good; then, when trusted_comment_out
 * is not NULL, *trusted_comment_out is a new string the caller frees: the
 * signed comment, with no NUL, CR or LF but possibly other control
 * characters (escape it before showing it on a terminal).
 *
 * Returns -1 otherwise, with *trusted_comment_out NULL and *why set (why
 * may be NULL) to one of
 *   "signature file is malformed"
 *   "signed with another key (key id X, expected Y)"
 *   "signature does not match the file"
 *   "trusted comment signature does not match"
 *   "libsodium cannot be initialised"
 * Each is a static string but the key-id one, which lives in a
 * per-thread buffer valid until the thread's next minisig_verify call.
 */
int minisig_verify(const char *sig_text, size_t sig_len, const unsigned char id[MSIG_KEYID_BYTES],
		const unsigned char pk[MSIG_PUBLIC_BYTES], const void *data, size_t len,
		char **trusted_comment_out, const char **why);

/* The version of libsodium in use ("1.0.18"). */
const char *minisig_sodium_version(void);

#endif
