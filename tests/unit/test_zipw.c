/* Unit tests for zipw.c: archives with entries deflated ahead of time,
 * read back with libzip (which checks every CRC and both headers). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <zip.h>
#include <zlib.h>

#include "base/diag.h"
#include "base/util.h"
#include "format/zipw.h"

/* 2026-03-04T09:12:00Z */
#define T0 ((int64_t)1772615520)

static zip_t *open_zip(const struct buf *b)
{
	zip_error_t err;
	zip_error_init(&err);
	zip_source_t *src = zip_source_buffer_create(b->data, b->len, 0, &err);
	assert_non_null(src);
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	if (!za)
		fail_msg("cannot open the zip: %s", zip_error_strerror(&err));
	zip_error_fini(&err);
	return za;
}

/* Entry i's bytes, which must be want (len n). */
static void assert_entry(zip_t *za, zip_uint64_t i, const char *name, const void *want, size_t n)
{
	zip_stat_t st;
	assert_int_equal(zip_stat_index(za, i, 0, &st), 0);
	assert_string_equal(st.name, name);
	assert_int_equal(st.size, n);
	zip_file_t *f = zip_fopen_index(za, i, 0);
	assert_non_null(f);
	char *got = xmalloc(n + 1);
	assert_int_equal(zip_fread(f, got, n + 1), (zip_int64_t)n);
	assert_memory_equal(got, want, n);
	assert_int_equal(zip_fclose(f), 0); /* 0: the CRC matched */
	free(got);
}

/* Text that compresses, as an .odt's XML does. */
static char *sample(size_t *len)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < 2000; i++)
		buf_printf(&b, "<text:p text:style-name=\"P%d\">line %d of the draft</text:p>\n",
			   i % 7, i);
	*len = b.len;
	return buf_detach(&b);
}

static void test_deflate(void **state)
{
	(void)state;
	size_t len;
	char *text = sample(&len);
	struct zipw_deflated z = ZIPW_DEFLATED_INIT;
	assert_int_equal(zipw_deflate(text, len, 3, &z), 0);
	assert_int_equal(z.size, len);
	assert_int_equal(z.crc, (uint32_t)crc32(0, (const Bytef *)text, (uInt)len));
	assert_true(z.raw.len > 0 && z.raw.len < len / 4);

	/* A raw stream that inflates back to the text. */
	char *back = xmalloc(len);
	z_stream s;
	memset(&s, 0, sizeof(s));
	assert_int_equal(inflateInit2(&s, -15), Z_OK);
	s.next_in = (Bytef *)z.raw.data;
	s.avail_in = (uInt)z.raw.len;
	s.next_out = (Bytef *)back;
	s.avail_out = (uInt)len;
	assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
	assert_int_equal(s.total_out, len);
	inflateEnd(&s);
	assert_memory_equal(back, text, len);
	free(back);

	/* The same bytes again, reusing the buffer; and nothing deflates
	 * to an empty stream of its own. */
	struct buf first = BUF_INIT;
	buf_append(&first, z.raw.data, z.raw.len);
	assert_int_equal(zipw_deflate(text, len, 3, &z), 0);
	assert_int_equal(z.raw.len, first.len);
	assert_memory_equal(z.raw.data, first.data, first.len);
	assert_int_equal(zipw_deflate(NULL, 0, 3, &z), 0);
	assert_int_equal(z.size, 0);
	assert_int_equal(z.crc, 0);
	assert_true(z.raw.len > 0);

	/* Past the buffer's cap: refused, not truncated. */
	struct zipw_deflated small = ZIPW_DEFLATED_INIT;
	small.raw.max = 16;
	assert_int_equal(zipw_deflate(text, len, 3, &small), -1);
	assert_true(small.raw.overflow);

	buf_free(&first);
	zipw_deflated_free(&small);
	zipw_deflated_free(&z);
	zipw_deflated_free(NULL);
	free(text);
}

static void test_archive(void **state)
{
	(void)state;
	size_t len;
	char *text = sample(&len);
	struct zipw_deflated z = ZIPW_DEFLATED_INIT, empty = ZIPW_DEFLATED_INIT;
	assert_int_equal(zipw_deflate(text, len, 9, &z), 0);
	assert_int_equal(zipw_deflate("", 0, 9, &empty), 0);

	struct zipw_entry e[] = {
		{ "mimetype", "application/x-test", 18, true, 0, NULL },
		{ "ahead.xml", NULL, 0, false, 0, &z },
		{ "plain.xml", text, len, false, 3, NULL },
		{ "empty", NULL, 0, false, 0, &empty },
	};
	struct buf out = BUF_INIT, again = BUF_INIT;
	struct diag d = DIAG_INIT;
	assert_int_equal(zipw_build(e, 4, T0, &out, "the test zip", &d), 0);
	assert_int_equal(zipw_build(e, 4, T0, &again, "the test zip", &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(out.len, again.len);
	assert_memory_equal(out.data, again.data, out.len);

	zip_t *za = open_zip(&out);
	assert_int_equal(zip_get_num_entries(za, 0), 4);
	assert_entry(za, 0, "mimetype", "application/x-test", 18);
	assert_entry(za, 1, "ahead.xml", text, len);
	assert_entry(za, 2, "plain.xml", text, len);
	assert_entry(za, 3, "empty", "", 0);

	/* The entry deflated ahead is written as it was given: its
	 * compressed bytes follow its local header. */
	zip_stat_t st;
	assert_int_equal(zip_stat_index(za, 1, 0, &st), 0);
	assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
	assert_int_equal(st.comp_size, z.raw.len);
	assert_int_equal(st.crc, z.crc);
	const char *hdr = out.data + 30 + 8 + 18; /* past the stored mimetype */
	assert_memory_equal(hdr, "PK\x03\x04", 4);
	size_t name_len = (unsigned char)hdr[26] | (size_t)(unsigned char)hdr[27] << 8;
	size_t extra_len = (unsigned char)hdr[28] | (size_t)(unsigned char)hdr[29] << 8;
	assert_memory_equal(hdr + 30 + name_len + extra_len, z.raw.data, z.raw.len);
	zip_close(za);

	diag_free(&d);
	buf_free(&out);
	buf_free(&again);
	zipw_deflated_free(&z);
	zipw_deflated_free(&empty);
	free(text);
}

/* The raw deflate stream z inflated, which must end where z does and
 * give want (len n). */
static void assert_inflates(const struct zipw_deflated *z, const char *want, size_t n)
{
	char *back = xmalloc(n + 1);
	z_stream s;
	memset(&s, 0, sizeof(s));
	assert_int_equal(inflateInit2(&s, -15), Z_OK);
	s.next_in = (Bytef *)z->raw.data;
	s.avail_in = (uInt)z->raw.len;
	s.next_out = (Bytef *)back;
	s.avail_out = (uInt)n + 1;
	assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
	assert_int_equal(s.avail_in, 0);   /* the final block is the last */
	assert_int_equal(s.total_out, n);
	inflateEnd(&s);
	assert_memory_equal(back, want, n);
	free(back);
	assert_int_equal(z->size, n);
	assert_int_equal(z->crc, (uint32_t)crc32(0, (const Bytef *)want, (uInt)n));
}

/* True when the n bytes at p occur in b. */
static bool holds(const struct buf *b, const char *p, size_t n)
{
	for (size_t i = 0; n <= b->len && i <= b->len - n; i++)
		if (memcmp(b->data + i, p, n) == 0)
			return true;
	return false;
}

static void test_parts(void **state)
{
	(void)state;
	size_t len;
	char *text = sample(&len);
	/* Two runs of the text made parts: one at the start, one inside,
	 * with a gap between them and text after. */
	struct zipw_part head = ZIPW_PART_INIT, mid = ZIPW_PART_INIT;
	const size_t head_len = 20000, mid_at = 20500, mid_len = 30000;
	assert_int_equal(zipw_part_make(text, head_len, &head), 0);
	assert_int_equal(zipw_part_make(text + mid_at, mid_len, &mid), 0);
	assert_int_equal(head.text.len, head_len);
	assert_memory_equal(head.text.data, text, head_len);
	assert_true(head.raw.len > 0 && head.raw.len < head_len / 4);
	/* Not final, and ends on a byte boundary: an empty stored block. */
	assert_memory_equal(head.raw.data + head.raw.len - 4, "\0\0\xff\xff", 4);

	struct zipw_deflated z = ZIPW_DEFLATED_INIT, whole = ZIPW_DEFLATED_INIT;
	struct zipw_at at[] = { { 0, &head }, { mid_at, &mid } };
	assert_int_equal(zipw_deflate_parts(text, len, at, 2, 1, &z), 0);
	assert_inflates(&z, text, len);
	/* The parts' blocks are copied, not made again. */
	assert_memory_equal(z.raw.data, head.raw.data, head.raw.len);
	assert_true(holds(&z.raw, mid.raw.data, mid.raw.len));
	assert_int_equal(zipw_deflate(text, len, 1, &whole), 0);
	assert_true(z.raw.len != whole.raw.len || memcmp(z.raw.data, whole.raw.data, z.raw.len) != 0);

	/* The same bytes again; and a part that ends the text, or fills it. */
	struct zipw_deflated again = ZIPW_DEFLATED_INIT;
	assert_int_equal(zipw_deflate_parts(text, len, at, 2, 1, &again), 0);
	assert_int_equal(again.raw.len, z.raw.len);
	assert_memory_equal(again.raw.data, z.raw.data, z.raw.len);
	struct zipw_at end[] = { { 0, &head }, { mid_at, &mid } };
	assert_int_equal(zipw_deflate_parts(text, mid_at + mid_len, end, 2, 1, &again), 0);
	assert_inflates(&again, text, mid_at + mid_len);
	assert_int_equal(zipw_deflate_parts(text, head_len, at, 1, 1, &again), 0);
	assert_inflates(&again, text, head_len);
	/* No parts: what zipw_deflate writes. */
	assert_int_equal(zipw_deflate_parts(text, len, NULL, 0, 1, &again), 0);
	assert_int_equal(again.raw.len, whole.raw.len);
	assert_memory_equal(again.raw.data, whole.raw.data, whole.raw.len);

	/* A part that is not where it is said to be, or runs past the end,
	 * or parts out of order: the text deflated whole, still right. */
	static const struct { size_t a, b, len; } bad[] = {
		{ 1, mid_at, 0 },             /* head one byte late */
		{ 0, mid_at + 7, 0 },         /* mid not there */
		{ 0, mid_at, 40000 },         /* mid past the end */
		{ mid_at, 0, 0 },             /* out of order */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = bad[i].len ? bad[i].len : len;
		struct zipw_at wrong[] = { { bad[i].a, bad[i].a ? &mid : &head },
					   { bad[i].b, bad[i].b ? &mid : &head } };
		assert_int_equal(zipw_deflate_parts(text, n, wrong, 2, 1, &again), 0);
		assert_inflates(&again, text, n);
		assert_int_equal(zipw_deflate(text, n, 1, &whole), 0);
		assert_int_equal(again.raw.len, whole.raw.len);
		assert_memory_equal(again.raw.data, whole.raw.data, whole.raw.len);
	}

	/* In an archive, libzip reads it back and checks its CRC. */
	assert_int_equal(zipw_deflate_parts(text, len, at, 2, 1, &again), 0);
	struct zipw_entry e[] = { { "content.xml", NULL, 0, false, 0, &again } };
	struct buf out = BUF_INIT;
	struct diag d = DIAG_INIT;
	assert_int_equal(zipw_build(e, 1, T0, &out, "the test zip", &d), 0);
	zip_t *za = open_zip(&out);
	assert_entry(za, 0, "content.xml", text, len);
	zip_close(za);

	/* Past the buffer's cap: refused. */
	struct zipw_deflated small = ZIPW_DEFLATED_INIT;
	small.raw.max = 64;
	assert_int_equal(zipw_deflate_parts(text, len, at, 2, 1, &small), -1);

	diag_free(&d);
	buf_free(&out);
	zipw_deflated_free(&small);
	zipw_deflated_free(&again);
	zipw_deflated_free(&whole);
	zipw_deflated_free(&z);
	zipw_part_free(&head);
	zipw_part_free(&mid);
	zipw_part_free(NULL);
	free(text);
}

/* Deflating in threads of their own: each keeps compressors of its own
 * (freed when it ends, which the sanitizer build checks), and gives the
 * same bytes as the main thread. */
struct job {
	const char *text;
	size_t len;
	struct zipw_deflated z1, z9;
};

static void *deflate_job(void *p)
{
	struct job *j = p;
	for (int i = 0; i < 3; i++) {
		if (zipw_deflate(j->text, j->len, 1, &j->z1) != 0 ||
		    zipw_deflate(j->text, j->len, 9, &j->z9) != 0)
			return p;
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	size_t len;
	char *text = sample(&len);
	struct zipw_deflated z1 = ZIPW_DEFLATED_INIT, z9 = ZIPW_DEFLATED_INIT;
	assert_int_equal(zipw_deflate(text, len, 1, &z1), 0);
	assert_int_equal(zipw_deflate(text, len, 9, &z9), 0);
	assert_true(z9.raw.len < z1.raw.len);

	enum { N = 4 };
	pthread_t th[N];
	struct job jobs[N];
	for (int i = 0; i < N; i++) {
		jobs[i] = (struct job){ text, len, ZIPW_DEFLATED_INIT, ZIPW_DEFLATED_INIT };
		assert_int_equal(pthread_create(&th[i], NULL, deflate_job, &jobs[i]), 0);
	}
	for (int i = 0; i < N; i++) {
		void *failed;
		assert_int_equal(pthread_join(th[i], &failed), 0);
		assert_null(failed);
		assert_int_equal(jobs[i].z1.raw.len, z1.raw.len);
		assert_memory_equal(jobs[i].z1.raw.data, z1.raw.data, z1.raw.len);
		assert_int_equal(jobs[i].z9.raw.len, z9.raw.len);
		assert_memory_equal(jobs[i].z9.raw.data, z9.raw.data, z9.raw.len);
		zipw_deflated_free(&jobs[i].z1);
		zipw_deflated_free(&jobs[i].z9);
	}
	zipw_deflated_free(&z1);
	zipw_deflated_free(&z9);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deflate),
		cmocka_unit_test(test_archive),
		cmocka_unit_test(test_parts),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
