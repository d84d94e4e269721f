/* zipw.c - reproducible zip archives in memory, with libzip. */
#include "format/zipw.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libdeflate.h>
#include <zip.h>
#include <zlib.h>

/* The time as MS-DOS fields, read in UTC (zip_file_set_mtime would use
 * the local time zone, and the bytes would depend on TZ); clamped to the
 * years DOS times can hold, 1980 to 2107. */
static void dos_time(int64_t t, zip_uint16_t *dtime, zip_uint16_t *ddate)
{
	const int64_t lo = 315532800;   /* 1980-01-01T00:00:00Z */
	const int64_t hi = 4354819198;  /* 2107-12-31T23:59:58Z */
	time_t tt = (time_t)(t < lo ? lo : t > hi ? hi : t);
	struct tm tm;
	gmtime_r(&tt, &tm);
	*dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	*ddate = (zip_uint16_t)(((tm.tm_year + 1900 - 1980) << 9) | ((tm.tm_mon + 1) << 5) |
				tm.tm_mday);
}

/* ---- Entries deflated ahead of time ----------------------------------- */

void zipw_global_init(void)
{
	/* Out of memory is sircomm's one message and abort, not an error
	 * to carry back. */
	libdeflate_set_memory_allocator(xmalloc, free);
}

/* A compressor takes some 32,000 instructions to set up, as many as
 * deflating 1.5 KB does: each thread keeps one for each level it uses,
 * freed when the thread ends (the main thread's with the process). */
#define LEVELS 12
static _Thread_local struct libdeflate_compressor *compressors[LEVELS + 1];
static pthread_key_t compressors_key;
static pthread_once_t compressors_once = PTHREAD_ONCE_INIT;

static void compressors_free(void *p)
{
	struct libdeflate_compressor **c = p;
	for (int i = 0; i <= LEVELS; i++) {
		if (c[i])
			libdeflate_free_compressor(c[i]);
		c[i] = NULL;
	}
}

static void compressors_key_make(void)
{
	if (pthread_key_create(&compressors_key, compressors_free) != 0)
		abort(); /* out of keys: none is made anywhere else */
}

/* This thread's compressor for `level`. */
static struct libdeflate_compressor *compressor(int level)
{
	if (level < 1 || level > LEVELS)
		abort(); /* the caller's mistake */
	if (!compressors[level]) {
		pthread_once(&compressors_once, compressors_key_make);
		compressors[level] = libdeflate_alloc_compressor(level);
		if (!compressors[level] || pthread_setspecific(compressors_key, compressors) != 0)
			abort(); /* out of memory aborts in xmalloc first */
	}
	return compressors[level];
}

/* Appends len bytes of data to raw, deflated at libdeflate's `level` as a
 * stream that ends with its final block.  Returns 0, or -1 if raw would
 * pass its cap. */
static int deflate_final(const void *data, size_t len, int level, struct buf *raw)
{
	struct libdeflate_compressor *c = compressor(level);
	const void *in = len ? data : "";
	size_t bound = libdeflate_deflate_compress_bound(c, len);
	if (buf_reserve(raw, bound) != 0)
		return -1;
	size_t n = libdeflate_deflate_compress(c, in, len, raw->data + raw->len, bound);
	if (n == 0)
		abort(); /* libdeflate_deflate_compress_bound is a bound */
	raw->len += n;
	raw->data[raw->len] = '\0';
	return 0;
}

int zipw_deflate(const void *data, size_t len, int level, struct zipw_deflated *out)
{
	out->raw.len = 0;
	if (deflate_final(data, len, level, &out->raw) != 0)
		return -1;
	out->size = len;
	out->crc = (uint32_t)libdeflate_crc32(0, len ? data : "", len);
	return 0;
}

void zipw_deflated_free(struct zipw_deflated *z)
{
	if (z)
		buf_free(&z->raw);
}

/* ---- Members deflated in parts ---------------------------------------- */

/* zlib's memory through xmalloc, as libdeflate's (zipw_global_init). */
static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return xmalloc((size_t)items * size);
}

static void z_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	free(p);
}

/*
 * Appends len bytes of data to raw, deflated at zlib's `level` and
 * memory level `mem` (1 to 9) as blocks
 * none of which is final, the last ending on a byte boundary (zlib's
 * sync flush): the start of a stream that more blocks continue.
 * libdeflate cannot leave a stream open; zlib can.  Returns 0, or -1 if
 * raw would pass its cap.
 */
static int deflate_open(const void *data, size_t len, int level, int mem, struct buf *raw)
{
	if (len > UINT32_MAX / 2)
		return -1; /* past any buffer's cap, and past zlib's counts */
	z_stream z;
	memset(&z, 0, sizeof(z));
	z.zalloc = z_alloc;
	z.zfree = z_free;
	/* -15: a raw stream with a 32 KiB window. */
	if (deflateInit2(&z, level, Z_DEFLATED, -15, mem, Z_DEFAULT_STRATEGY) != Z_OK)
		abort(); /* a level outside 1 to 9: the caller's mistake */
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	/* The bound is for a finished stream; a flush adds a few bytes, and
	 * the loop below takes more room if it ever needs it. */
	size_t room = deflateBound(&z, (uLong)len) + 16;
	int rc = 0;
	do {
		if (buf_reserve(raw, room) != 0) {
			rc = -1;
			break;
		}
		z.next_out = (Bytef *)raw->data + raw->len;
		z.avail_out = (uInt)room;
		int zr = deflate(&z, Z_SYNC_FLUSH);
		if (zr != Z_OK && zr != Z_BUF_ERROR)
			abort(); /* zlib's own state broken */
		raw->len += room - z.avail_out;
		raw->data[raw->len] = '\0';
	} while (z.avail_out == 0);
	deflateEnd(&z);
	return rc;
}

int zipw_part_make(const void *data, size_t len, struct zipw_part *out)
{
	out->text.len = 0;
	out->raw.len = 0;
	if (buf_append(&out->text, len ? data : "", len) != 0 ||
	    deflate_open(out->text.data ? out->text.data : "", len, ZIPW_PART_LEVEL, 9, &out->raw) != 0)
		return -1;
	return 0;
}

void zipw_part_free(struct zipw_part *p)
{
	if (p) {
		buf_free(&p->text);
		buf_free(&p->raw);
	}
}

/* True when every part sits where `at` says, in order, within len bytes. */
static bool parts_fit(const char *data, size_t len, const struct zipw_at *at, size_t n)
{
	size_t pos = 0;
	for (size_t i = 0; i < n; i++) {
		const struct buf *t = &at[i].part->text;
		if (at[i].offset < pos || at[i].offset > len || t->len > len - at[i].offset ||
		    (t->len && memcmp(data + at[i].offset, t->data, t->len) != 0))
			return false;
		pos = at[i].offset + t->len;
	}
	return true;
}

int zipw_deflate_parts(const void *data, size_t len, const struct zipw_at *at, size_t n,
		       int level, struct zipw_deflated *out)
{
	const char *s = len ? data : "";
	if (!parts_fit(s, len, at, n))
		return zipw_deflate(s, len, level, out);

	size_t pos = 0;
	out->raw.len = 0;
	for (size_t i = 0; i < n; i++) {
		const struct buf *raw = &at[i].part->raw;
		/* A gap is a few hundred bytes (the .odt's column styles):
		 * memory level 4 halves zlib's set-up (a 4 KiB hash table,
		 * not 64) and compresses them as well as 8 does. */
		if ((at[i].offset > pos &&
		     deflate_open(s + pos, at[i].offset - pos, ZIPW_DEFLATE_LEVEL, 4, &out->raw) != 0) ||
		    buf_append(&out->raw, raw->data ? raw->data : "", raw->len) != 0)
			return -1;
		pos = at[i].offset + at[i].part->text.len;
	}
	/* The rest, even when empty, ends the stream with its final block. */
	if (deflate_final(s + pos, len - pos, level, &out->raw) != 0)
		return -1;
	out->size = len;
	out->crc = (uint32_t)libdeflate_crc32(0, s, len);
	return 0;
}

/* A libzip source that hands over deflated bytes and says so in its
 * stat (method, sizes, CRC): zip_close then copies them as they are
 * instead of compressing. */
struct deflated_src {
	const struct zipw_deflated *z;
	size_t pos;
	zip_error_t error;
};

static zip_int64_t deflated_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct deflated_src *s = ud;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		s->pos = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		size_t left = s->z->raw.len - s->pos;
		size_t n = len < left ? (size_t)len : left;
		if (n) {
			memcpy(data, s->z->raw.data + s->pos, n);
			s->pos += n;
		}
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
			    ZIP_STAT_ENCRYPTION_METHOD;
		st->size = s->z->size;
		st->comp_size = s->z->raw.len;
		st->comp_method = ZIP_CM_DEFLATE;
		st->crc = s->z->crc;
		st->encryption_method = ZIP_EM_NONE;
		return sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&s->error, data, len);
	case ZIP_SOURCE_FREE:
		zip_error_fini(&s->error);
		free(s);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ,
						      ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
						      ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&s->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

static zip_source_t *deflated_source(zip_t *za, const struct zipw_deflated *z)
{
	struct deflated_src *s = xcalloc(1, sizeof(*s));
	s->z = z;
	zip_error_init(&s->error);
	zip_source_t *src = zip_source_function(za, deflated_cb, s);
	if (!src) {
		zip_error_fini(&s->error);
		free(s);
	}
	return src;
}

/* ---- Archives ---------------------------------------------------------- */

static int zip_fail(struct diag *d, const char *archive, const char *what, const char *msg)
{
	diag_error(d, NULL, 0, "cannot write %s: %s: %s", archive, what, msg);
	return -1;
}

int zipw_build(const struct zipw_entry *entries, size_t n, int64_t mtime,
	       struct buf *out, const char *archive, struct diag *d)
{
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &err);
	zip_t *za = src ? zip_open_from_source(src, ZIP_TRUNCATE, &err) : NULL;
	if (!za) {
		zip_fail(d, archive, "libzip", zip_error_strerror(&err));
		zip_error_fini(&err);
		if (src)
			zip_source_free(src);
		return -1;
	}
	zip_error_fini(&err);
	zip_source_keep(src); /* the archive's zip_close must not free it */

	zip_uint16_t dtime, ddate;
	dos_time(mtime, &dtime, &ddate);
	for (size_t i = 0; i < n; i++) {
		const struct zipw_deflated *z = entries[i].deflated;
		zip_source_t *s = z ? deflated_source(za, z)
				    : zip_source_buffer(za, entries[i].len ? entries[i].data : "",
							entries[i].len, 0);
		zip_int64_t idx = s ? zip_file_add(za, entries[i].name, s, ZIP_FL_ENC_GUESS) : -1;
		if (idx < 0) {
			if (s)
				zip_source_free(s);
			goto fail;
		}
		bool store = entries[i].store;
		zip_uint64_t u = (zip_uint64_t)idx;
		/* A deflated entry keeps libzip's default method, which takes
		 * the source's deflate as it is. */
		if ((!z && zip_set_file_compression(za, u, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
						    store ? 0 : entries[i].level
						    ? (zip_uint32_t)entries[i].level
						    : ZIPW_DEFLATE_LEVEL) < 0) ||
		    zip_file_set_dostime(za, u, dtime, ddate, 0) < 0 ||
		    zip_file_set_external_attributes(za, u, 0, ZIP_OPSYS_UNIX,
						     (zip_uint32_t)0100644 << 16) < 0)
			goto fail;
	}
	if (zip_close(za) < 0)
		goto fail;

	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0) {
		zip_fail(d, archive, "reading back", zip_error_strerror(zip_source_error(src)));
		zip_source_free(src);
		return -1;
	}
	size_t start = out->len;
	char chunk[16384];
	zip_int64_t k;
	int rc = 0;
	while ((k = zip_source_read(src, chunk, sizeof(chunk))) > 0) {
		if (buf_append(out, chunk, (size_t)k) < 0) {
			diag_error(d, NULL, 0, "cannot write %s: it is too large", archive);
			rc = -1;
			break;
		}
	}
	if (k < 0) {
		rc = zip_fail(d, archive, "reading back", zip_error_strerror(zip_source_error(src)));
	} else if (rc == 0 && (st.valid & ZIP_STAT_SIZE) && out->len - start != st.size) {
		rc = zip_fail(d, archive, "reading back", "short read");
	}
	if (rc != 0) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	zip_source_close(src);
	zip_source_free(src);
	return rc;

fail:
	zip_fail(d, archive, "libzip", zip_strerror(za));
	zip_discard(za);
	zip_source_free(src);
	return -1;
}


const char *zipw_libzip_version(void)
{
	return zip_libzip_version();
}

const char *zipw_zlib_version(void)
{
	return zlibVersion();
}

const char *zipw_libdeflate_version(void)
{
	return LIBDEFLATE_VERSION_STRING;
}
