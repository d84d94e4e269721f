/* svg.c - coordinates, shapes and labels for the SVG of sircomm's pages. */
#include "format/svg.h"

#include <string.h>

void svg_num(struct buf *out, double v)
{
	if (!(v > -1e6))
		v = -1e6;
	if (!(v < 1e6))
		v = 1e6;
	long long t = (long long)(v < 0 ? v * 10 - 0.5 : v * 10 + 0.5);
	if (t < 0) {
		buf_putc(out, '-');
		t = -t;
	}
	buf_printf(out, "%lld", t / 10);
	if (t % 10)
		buf_printf(out, ".%lld", t % 10);
}

void svg_el(struct buf *out, const char *el, const char *attrs, const char *cls, const double *v,
	    const char *end)
{
	buf_printf(out, "<%s", el);
	const char *p = attrs;
	while (*p) {
		size_t n = strcspn(p, " ");
		if (n == 5 && strncmp(p, "class", 5) == 0) {
			if (cls)
				buf_printf(out, " class=\"%s\"", cls);
		} else {
			buf_printf(out, " %.*s=\"", (int)n, p);
			svg_num(out, *v++);
			buf_putc(out, '"');
		}
		p += n;
		p += *p == ' ';
	}
	buf_puts(out, end);
}

void svg_text(struct buf *out, double x, double y, const char *cls, const char *anchor)
{
	svg_el(out, "text", "x y class", cls, (const double[]){ x, y }, "");
	if (anchor)
		buf_printf(out, " text-anchor=\"%s\"", anchor);
	buf_putc(out, '>');
}
