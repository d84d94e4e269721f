/*
 * zipw.h - writing zip archives in memory, reproducibly.
 *
 * The .odt working document and the audit bundle are zips that must come
 * out byte for byte the same from the same inputs: entries in the order
 * given, every entry with the same fixed time (written as an MS-DOS time
 * read in UTC, so TZ never matters), mode 0644, the same compression.
 *
 *     struct zipw_entry e[] = {
 *             { "mimetype", "application/...", 39, true },
 *             { "content.xml", xml.data, xml.len, false },
 *     };
 *     if (zipw_build(e, 2, mtime, &out, "the .odt", &d) != 0) ...
 */
#ifndef SIRCOMM_ZIPW_H
#define SIRCOMM_ZIPW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/util.h"

/* Deflate level for compressed entries that name none: fixed, as every
 * entry's level is, for reproducibility. */
#define ZIPW_DEFLATE_LEVEL 6

struct zipw_entry {
	const char *name;      /* path inside the archive, '/'-separated */
	const void *data;      /* borrowed until zipw_build returns */
	size_t len;
	bool store;            /* stored uncompressed (else deflated) */
	int level;             /* deflate level, 1 to 9; 0: ZIPW_DEFLATE_LEVEL */
};

/*
 * Zips the entries, in order, and appends the archive's bytes to out.
 * `mtime` (UTC epoch seconds, clamped to 1980..2107) is every entry's
 * time.  `what` names the archive in errors ("cannot write the .odt:
 * ...").  Returns 0, or -1 after adding a diagnostic; out is then as it
 * was.
 */
int zipw_build(const struct zipw_entry *entries, size_t n, int64_t mtime,
	       struct buf *out, const char *what, struct diag *d);

/* The versions of libzip and of the zlib it compresses with, in use
 * ("1.7.3", "1.2.13"): they shape every zip's bytes. */
const char *zipw_libzip_version(void);
const char *zipw_zlib_version(void);

#endif
