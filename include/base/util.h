/*
 * util.h - memory, growable buffers and arenas shared by every module.
 *
 * Out of memory: sircomm has one policy.  xmalloc() and friends print
 * "sircomm: fatal: out of memory" and abort; no caller checks for NULL.
 *
 * Buffers: struct buf is the one growable byte buffer for all text built
 * from untrusted input.  It always keeps a terminating NUL after `len`
 * bytes, and refuses to grow past `max` (0 = BUF_DEFAULT_MAX):
 *
 *     struct buf b = BUF_INIT;
 *     buf_printf(&b, "%s: %d events\n", id, n);
 *     fputs(b.data, stdout);
 *     buf_free(&b);
 *
 * Arenas: a model (a record, a policy) allocates all its strings and
 * arrays from one arena and frees them at once with arena_free().
 */
#ifndef SIRCOMM_UTIL_H
#define SIRCOMM_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define SC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SC_PRINTF(f, a)
#endif

/* Allocation that never returns NULL: aborts with a message instead. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a new string formatted like printf; the caller frees it. */
char *xasprintf(const char *fmt, ...) SC_PRINTF(1, 2);

/* ---- Growable buffer ------------------------------------------------ */

#define BUF_DEFAULT_MAX ((size_t)256 << 20) /* 256 MiB */

struct buf {
	char *data;      /* NUL-terminated once anything was appended */
	size_t len;      /* bytes used, without the NUL */
	size_t cap;      /* bytes allocated */
	size_t max;      /* cap on len; 0 means BUF_DEFAULT_MAX */
	bool overflow;   /* set when an append was refused for the cap */
};

#define BUF_INIT { NULL, 0, 0, 0, false }

/* Appends; each returns 0, or -1 (and sets overflow) past the cap. */
int buf_append_slow(struct buf *b, const void *data, size_t n);
int buf_puts(struct buf *b, const char *s);

/* The common case, room already allocated, inline: text is built a few
 * bytes at a time, and this is the hottest path in drafting. */
static inline int buf_append(struct buf *b, const void *data, size_t n)
{
	if (n && b->data && n < b->cap - b->len && b->len + n <= (b->max ? b->max : BUF_DEFAULT_MAX)) {
		memcpy(b->data + b->len, data, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return buf_append_slow(b, data, n);
}

static inline int buf_putc(struct buf *b, char c)
{
	if (b->data && b->len + 1 < b->cap && b->len < (b->max ? b->max : BUF_DEFAULT_MAX)) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return 0;
	}
	return buf_append_slow(b, &c, 1);
}
/* Writes v in decimal, as "%" PRId64 (or "%" PRIu64) would, to out (room
 * for FMT_INT_SIZE bytes), NUL-terminated, without printf's cost; returns
 * its length. */
#define FMT_INT_SIZE 24
size_t fmt_int(int64_t v, char *out);
size_t fmt_uint(uint64_t v, char *out);
/* Appends v in decimal, as "%" PRId64 would (fmt_int). */
int buf_put_int(struct buf *b, int64_t v);
/* Appends s, then spaces up to `width` bytes, as "%-*s" would. */
int buf_put_padded(struct buf *b, const char *s, size_t width);
int buf_printf(struct buf *b, const char *fmt, ...) SC_PRINTF(2, 3);
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Makes room for n more bytes (and the NUL) without appending them:
 * 0, or -1 (and sets overflow) if len + n would pass the cap. */
int buf_reserve(struct buf *b, size_t n);
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Returns the contents as a string the caller frees ("" when empty) and
 * leaves the buffer empty. */
char *buf_detach(struct buf *b);
/* Returns the contents as a C string, "" when nothing was appended. */
const char *buf_str(const struct buf *b);
/* Frees the memory; the buffer is BUF_INIT again.  NULL is a no-op. */
void buf_free(struct buf *b);

/* ---- Arena ---------------------------------------------------------- */

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
};

#define ARENA_INIT { NULL }

/* Returns n zeroed bytes, aligned for any type, valid until arena_free. */
void *arena_alloc(struct arena *a, size_t n);
/* Returns a copy of s (NULL gives NULL) owned by the arena. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Frees everything the arena handed out.  NULL is a no-op. */
void arena_free(struct arena *a);

/* ---- Files ---------------------------------------------------------- */

/*
 * Reads a whole file ("-" reads standard input) of at most `max` bytes.
 * Returns 0 and a new NUL-terminated buffer in *data (the caller frees it),
 * -1 with errno set on an I/O error, or -2 when the file is larger than
 * max.  Used for inputs only; outputs go through atomic writes.
 */
int read_file(const char *path, size_t max, char **data, size_t *len);

/*
 * The names in directory `dir` that do not start with '.', sorted by
 * strcmp, so that the same directory gives the same order anywhere.
 * Returns 0 with a new array of *n new strings in *names (free each, then
 * the array), or -1 with errno set when dir cannot be read.
 */
int dir_names(const char *dir, char ***names, size_t *n);

/* Index of s in a table of n names, or -1 (also for NULL). */
int name_index(const char *const *names, size_t n, const char *s);

/* True when s is a non-empty ASCII string equal to t, case ignored. */
bool ascii_eq_nocase(const char *s, const char *t);

#endif
