/* diag.c - collecting and printing diagnostics. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *level_name(enum diag_level level)
{
	switch (level) {
	case DIAG_ERROR: return "error";
	case DIAG_WARNING: return "warning";
	case DIAG_NOTE: return "note";
	}
	return "error";
}

static bool same_file(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

void diag_vadd(struct diag *d, enum diag_level level, const char *file,
	       long line, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;
	buf_vprintf(&b, fmt, ap);
	char *msg = buf_detach(&b);
	/* Duplicates come in runs (libxml2 reports some problems twice), so
	 * only the last few items are compared: no quadratic cost on files
	 * with thousands of warnings. */
	for (size_t i = d->n > 8 ? d->n - 8 : 0; i < d->n; i++) {
		struct diag_item *it = &d->items[i];
		if (it->level == level && it->line == line &&
		    same_file(it->file, file) && strcmp(it->msg, msg) == 0) {
			free(msg);
			return;
		}
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 8;
		d->items = xrealloc(d->items, d->cap * sizeof(*d->items));
	}
	d->items[d->n++] = (struct diag_item){
		level, file ? xstrdup(file) : NULL, line, msg,
	};
	if (level == DIAG_ERROR)
		d->errors++;
	else if (level == DIAG_WARNING)
		d->warnings++;
}

void diag_add(struct diag *d, enum diag_level level, const char *file,
	      long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(d, level, file, line, fmt, ap);
	va_end(ap);
}

void diag_print(const struct diag *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_item *it = &d->items[i];
		fputs("sircomm: ", out);
		if (it->file && it->line > 0)
			fprintf(out, "%s:%ld: ", it->file, it->line);
		else if (it->file)
			fprintf(out, "%s: ", it->file);
		fprintf(out, "%s: %s\n", level_name(it->level), it->msg);
	}
}

void diag_free(struct diag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].msg);
	}
	free(d->items);
	*d = (struct diag)DIAG_INIT;
}

static void vreport(const char *level, const char *fmt, va_list ap)
{
	fprintf(stderr, "sircomm: %s: ", level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void errorf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("error", fmt, ap);
	va_end(ap);
}

void warnf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("warning", fmt, ap);
	va_end(ap);
}
