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

/*
 * An entry's bytes deflated ahead of time (zipw_deflate): an archive
 * written many times with the same member (the .odt's styles) deflates
 * it once, and an entry can be deflated with settings libzip does not
 * offer.
 */
struct zipw_deflated {
	struct buf raw;        /* the raw deflate stream (no zlib header) */
	uint64_t size;         /* the bytes it inflates to */
	uint32_t crc;          /* their CRC-32 */
};

#define ZIPW_DEFLATED_INIT { BUF_INIT, 0, 0 }

struct zipw_entry {
	const char *name;      /* path inside the archive, '/'-separated */
	const void *data;      /* borrowed until zipw_build returns */
	size_t len;
	bool store;            /* stored uncompressed (else deflated) */
	int level;             /* deflate level, 1 to 9; 0: ZIPW_DEFLATE_LEVEL */
	/* If set, the entry is these deflated bytes, written as they are
	 * (data, len, store and level are not read); borrowed until
	 * zipw_build returns. */
	const struct zipw_deflated *deflated;
};

/*
 * Deflates len bytes of data at `level` (libdeflate's, 1 to 12) into
 * *out (initialized with ZIPW_DEFLATED_INIT, or reused: its bytes are
 * replaced), with libdeflate, which takes half zlib's time for a
 * smaller result: the same bytes for the same input and libdeflate
 * version.  Returns 0, or -1 if the result would pass out->raw's cap.
 * The caller frees with zipw_deflated_free.
 */
int zipw_deflate(const void *data, size_t len, int level, struct zipw_deflated *out);
void zipw_deflated_free(struct zipw_deflated *z);

/*
 * Runs of bytes that many entries hold, deflated once: the .odt's
 * content.xml holds 18 KB of automatic styles that are the same in every
 * document, around the few that differ.  zipw_deflate_parts deflates
 * only the bytes between the runs and copies each run's deflated blocks
 * in between: the entry is one deflate stream all the same, and inflates
 * to the very bytes it was given.
 *
 *     static struct zipw_part head = ZIPW_PART_INIT;  (once a process)
 *     zipw_part_make(text, len, &head);
 *     struct zipw_at at[] = { { 0, &head } };
 *     zipw_deflate_parts(xml.data, xml.len, at, 1, 1, &z);
 */
struct zipw_part {
	struct buf text;       /* the bytes */
	struct buf raw;        /* deflated: blocks none of which is final, the
				* last ending on a byte boundary */
};

#define ZIPW_PART_INIT { BUF_INIT, BUF_INIT }

/* zlib's deflate level for parts: they are made once a process. */
#define ZIPW_PART_LEVEL 9

/* Where a part sits in an entry's text. */
struct zipw_at {
	size_t offset;
	const struct zipw_part *part;
};

/* Copies len bytes of data into *out (initialized with ZIPW_PART_INIT, or
 * reused) and deflates them, with zlib (libdeflate cannot leave a stream
 * open for more), at ZIPW_PART_LEVEL.  Returns 0, or -1 past a buffer's
 * cap.  The caller frees with zipw_part_free. */
int zipw_part_make(const void *data, size_t len, struct zipw_part *out);
void zipw_part_free(struct zipw_part *p);

/*
 * Deflates len bytes of data into *out as zipw_deflate does, but for the
 * n parts (`at`, in increasing offsets, not overlapping): their deflated
 * blocks are copied where their text sits.  The bytes between two parts
 * are deflated with zlib at ZIPW_DEFLATE_LEVEL, those after the last with
 * libdeflate at `level` (1 to 12).  Each part's text is compared with the
 * bytes at its offset first; if one is not there, the whole text is
 * deflated as zipw_deflate would, so the entry always inflates to data.
 * Returns 0, or -1 past out->raw's cap.
 */
int zipw_deflate_parts(const void *data, size_t len, const struct zipw_at *at, size_t n,
		       int level, struct zipw_deflated *out);

/*
 * Zips the entries, in order, and appends the archive's bytes to out.
 * `mtime` (UTC epoch seconds, clamped to 1980..2107) is every entry's
 * time.  `what` names the archive in errors ("cannot write the .odt:
 * ...").  Returns 0, or -1 after adding a diagnostic; out is then as it
 * was.
 */
int zipw_build(const struct zipw_entry *entries, size_t n, int64_t mtime,
	       struct buf *out, const char *what, struct diag *d);

/* The versions of libzip, of the zlib it compresses with, and of the
 * libdeflate zipw_deflate uses ("1.7.3", "1.2.13", "1.14"): they shape
 * every zip's bytes. */
const char *zipw_libzip_version(void);
const char *zipw_zlib_version(void);
const char *zipw_libdeflate_version(void);

/* Sets libdeflate's allocator to sircomm's (out of memory: its message
 * and abort), for every user of libdeflate in the process: call once,
 * before any thread starts. */
void zipw_global_init(void);

#endif
