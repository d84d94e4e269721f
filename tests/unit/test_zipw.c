/* Unit tests for zipw.c: archives with entries deflated ahead of time,
 * read back with libzip (which checks every CRC and both headers). */
#include <setjmp.h>
#include <stdarg.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deflate),
		cmocka_unit_test(test_archive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
