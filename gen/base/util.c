/* util.c - allocation, buffers, arenas and whole-file reads. */
#include "base/util.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
	fputs("sircomm: fatal: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

/* ---- Growable buffer ------------------------------------------------ */

static size_t buf_max(const struct buf *b)
{
	return b->max ? b->max : BUF_DEFAULT_MAX;
}

static int buf_grow(struct buf *b, size_t extra)
{
	if (extra > buf_max(b) - b->len) {
		b->overflow = true;
		return -1;
	}
	size_t need = b->len + extra + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < need)
			cap = cap > SIZE_MAX / 2 ? need : cap * 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	return 0;
}

int buf_reserve(struct buf *b, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	b->data[b->len] = '\0';
	return 0;
}

int buf_append_slow(struct buf *b, const void *data, size_t n)
{
	if (buf_grow(b, n) < 0)
		return -1;
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

size_t fmt_uint(uint64_t v, char *out)
{
	char digits[FMT_INT_SIZE];
	size_t i = sizeof(digits);
	do
		digits[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	size_t n = sizeof(digits) - i;
	memcpy(out, digits + i, n);
	out[n] = '\0';
	return n;
}

size_t fmt_int(int64_t v, char *out)
{
	if (v >= 0)
		return fmt_uint((uint64_t)v, out);
	out[0] = '-';
	return 1 + fmt_uint(0 - (uint64_t)v, out + 1);
}

int buf_put_int(struct buf *b, int64_t v)
{
	char digits[FMT_INT_SIZE];
	return buf_append(b, digits, fmt_int(v, digits));
}

int buf_put_padded(struct buf *b, const char *s, size_t width)
{
	size_t n = strlen(s);
	int rc = buf_append(b, s, n);
	for (; rc == 0 && n < width; n++)
		rc = buf_putc(b, ' ');
	return rc;
}


int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	/* Formatted straight into the room the buffer has, and again only
	 * when it did not fit: formatting twice every time was most of the
	 * cost of the many short appends drafting makes. */
	size_t room = b->data ? b->cap - b->len : 0;
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap2);
	va_end(ap2);
	if (n >= 0 && (size_t)n < room && (size_t)n <= buf_max(b) - b->len) {
		b->len += (size_t)n;
		return 0;
	}
	if (room)
		b->data[b->len] = '\0';
	if (n < 0)
		return -1;
	if (buf_grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->overflow = false;
	if (b->data)
		b->data[0] = '\0';
}

char *buf_detach(struct buf *b)
{
	char *s = b->data ? b->data : xstrdup("");
	size_t max = b->max;
	*b = (struct buf)BUF_INIT;
	b->max = max;
	return s;
}

const char *buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

void buf_free(struct buf *b)
{
	if (!b)
		return;
	free(b->data);
	*b = (struct buf)BUF_INIT;
}

/* ---- Arena ---------------------------------------------------------- */

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

#define ARENA_CHUNK ((size_t)16 << 10)

/* n bytes from the arena, not cleared. */
static void *arena_take(struct arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
		c = xmalloc(sizeof(*c) + size);
		c->used = 0;
		c->size = size;
		if (size == n && a->head) {
			/* A large block: keep the current chunk at the head. */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p = arena_take(a, n);
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	if (!s)
		return NULL;
	char *p = arena_take(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}

/* ---- Files ---------------------------------------------------------- */

static int name_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

int dir_names(const char *dir, char ***names, size_t *n)
{
	*names = NULL;
	*n = 0;
	DIR *dh = opendir(dir);
	if (!dh)
		return -1;
	struct dirent *de;
	while ((de = readdir(dh)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		*names = xrealloc(*names, (*n + 1) * sizeof(**names));
		(*names)[(*n)++] = xstrdup(de->d_name);
	}
	closedir(dh);
	if (*n)
		qsort(*names, *n, sizeof(**names), name_cmp);
	return 0;
}

int read_file(const char *path, size_t max, char **data, size_t *len)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return -1;
	struct buf b = BUF_INIT;
	b.max = max;
	char chunk[65536];
	size_t n;
	int rc = 0;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(&b, chunk, n) < 0) {
			rc = -2;
			break;
		}
	}
	if (rc == 0 && ferror(f)) {
		int e = errno ? errno : EIO;
		rc = -1;
		errno = e;
	}
	if (!is_stdin)
		fclose(f);
	if (rc != 0) {
		int e = errno;
		buf_free(&b);
		errno = e;
		return rc;
	}
	*len = b.len;
	*data = buf_detach(&b);
	return 0;
}

bool ascii_eq_nocase(const char *s, const char *t)
{
	if (!*s)
		return false;
	for (; *s && *t; s++, t++) {
		char a = *s, c = *t;
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (a != c)
			return false;
	}
	return *s == *t;
}

int name_index(const char *const *names, size_t n, const char *s)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}
