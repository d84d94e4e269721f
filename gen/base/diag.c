/* diag.c - collecting and printing diagnostics. */
#include "base/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/esc.h"

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

/* Everything from outside (a file name, a value from a record, an
 * argument) reaches the terminal escaped: one line per problem, and no
 * control sequence of a hostile file name ever runs. */
void diag_print(const struct diag *d, FILE *out)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_item *it = &d->items[i];
		buf_reset(&b);
		buf_puts(&b, "sircomm: ");
		if (it->file) {
			esc_term(&b, it->file);
			if (it->line > 0)
				buf_printf(&b, ":%ld", it->line);
			buf_puts(&b, ": ");
		}
		buf_printf(&b, "%s: ", level_name(it->level));
		esc_term(&b, it->msg);
		buf_putc(&b, '\n');
		fputs(buf_str(&b), out);
	}
	buf_free(&b);
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

/* Prints "sircomm: PREFIX" then the message, escaped, on one line. */
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	struct buf msg = BUF_INIT, line = BUF_INIT;
	buf_vprintf(&msg, fmt, ap);
	buf_puts(&line, "sircomm: ");
	buf_puts(&line, prefix);
	esc_term(&line, buf_str(&msg));
	buf_putc(&line, '\n');
	fputs(buf_str(&line), stderr);
	buf_free(&msg);
	buf_free(&line);
}

void errorf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
}

void warnf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

static int verbosity;

void diag_set_verbosity(int level)
{
	verbosity = level;
}

int diag_verbosity(void)
{
	return verbosity;
}

void infof(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void verbosef(const char *fmt, ...)
{
	if (verbosity < 1)
		return;
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
}

void diag_vsay(const char *prefix, const char *fmt, va_list ap)
{
	vreport(prefix, fmt, ap);
}
