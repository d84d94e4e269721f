/*
 * bundle.h - the audit bundle: a BagIt bag (RFC 8493) in a zip, and its
 * verification.
 *
 * A bundle is the evidence an auditor receives a year later and must be
 * able to trust without trusting us: the original record byte for byte,
 * the effective policy, the templates (data/templates/: what
 * regen.h drafts again from), every draft, the audit in every format, and an
 * SQLite copy of the incident, each listed with its SHA-256 in the bag's
 * manifest, the manifests themselves in the tag manifest, and (with a
 * key) a minisign signature over the whole zip.  The same inputs and
 * sircomm version give the same bytes: entries in a fixed order, times
 * from the record, fixed compression; no wall-clock time anywhere.
 * docs/bundle.md says how to check one with unzip, sha256sum and
 * minisign alone.
 *
 *     struct buf zip = BUF_INIT;
 *     char *name;
 *     if (bundle_build(rec, pol, &tpl, &zip, &name, &d) == 0)
 *             output_write_file(path_of(name), zip.data, zip.len, &d);
 */
#ifndef SIRCOMM_BUNDLE_H
#define SIRCOMM_BUNDLE_H

#include <stdbool.h>

#include "base/diag.h"
#include "format/tmpl_set.h"
#include "model/policy.h"
#include "model/record.h"
#include "base/util.h"
#include "bundle/sent.h"

/* Limits verify applies to what it reads: no zip bomb gets past them. */
#define BUNDLE_MAX_ENTRIES 10000
#define BUNDLE_MAX_ENTRY_BYTES ((size_t)256 << 20)
#define BUNDLE_MAX_TOTAL_BYTES ((size_t)1 << 30)

/*
 * Drafts, audits and bags the record; appends the zip's bytes to `zip`
 * and sets *name to its file name ("<id>-audit.zip", a new string the
 * caller frees).  The drafts and data/audit/audit.html come from the
 * templates tpl.  Returns 0, or -1 after diagnostics (a draft that fails
 * its checks, a template that does not render, an error from libzip or
 * SQLite); nothing is appended then.
 */
int bundle_build(const struct record *rec, const struct policy *pol,
		 const struct tmpl_set *tpl, struct buf *zip, char **name,
		 struct diag *d);

/*
 * The same, with the communications as they were sent (sent.h): each
 * sent file under data/sent/, its diff against its draft under
 * data/sent-diff/NAME.diff, and bag-info.txt's lines on which artifacts
 * have a sent version.  sent NULL: no such lines (bundle_build); a
 * non-NULL sent with n_sent 0 says no artifact has one.  A sent file
 * with a bad name or no draft to compare with is an error naming its
 * origin.
 */
int bundle_build_sent(const struct record *rec, const struct policy *pol,
		      const struct tmpl_set *tpl, const struct sent_file *sent, size_t n_sent,
		      struct buf *zip, char **name, struct diag *d);

/* The trusted comment bundle signatures carry ("timestamp:T\tfile:NAME\thashed"),
 * from the record's horizon so the signature is reproducible too.  A new
 * string the caller frees. */
char *bundle_trusted_comment(const struct record *rec, const char *zip_name);

/*
 * Verifies a bundle file: the zip's structure (no absolute, "..",
 * backslash or duplicate names; only regular files and directories, by
 * the mode in the entry whatever host it names; one top directory),
 * bagit.txt, every manifest line and hash, files present but not listed,
 * Payload-Oxum, the tag manifest (which must list every tag file:
 * bagit.txt, bag-info.txt, manifest-sha256.txt), and, when `pubkey` (the
 * text of a minisign public key file) is given, the signature in
 * "<path>.minisig".
 * Reads at most the limits above, streaming.  Each problem is a
 * diagnostic naming the bundle (and the entry).  Returns the number of
 * problems (0: the bundle is intact), or -1 when the file cannot be read
 * as a zip at all (also a diagnostic).
 */
int bundle_verify(const char *path, const char *pubkey, size_t pubkey_len, struct diag *d);

/*
 * Appends the versions of the libraries that shape sircomm's outputs,
 * "libxml2 2.9.14, cmark-gfm 0.29.0.gfm.6, utf8proc 2.8.0, libzip 1.7.3,
 * zlib 1.2.13, SQLite 3.40.1, libsodium 1.0.18": for `sircomm --version`
 * and each bundle's bag-info.txt, so that an auditor re-running a
 * bundle knows which versions gave its bytes.
 */
void bundle_library_versions(struct buf *out);

#endif
