/*
 * svg.h - the SVG of sircomm's HTML pages: the audit's timeline
 * (gen/audit/audit_svg.c) and the compliance report's charts
 * (gen/ledger/report_html.c) draw with these, so a coordinate, a shape
 * and a label are written the same way in both.
 *
 * Markup is text appended to a struct buf, like the rest of a page.
 * Class names and element names are sircomm's own and written as they
 * are; text from a record or a ledger goes through esc_html (base/esc.h),
 * the one escaper of both pages, which keeps each <svg> well-formed XML
 * on its own.  Nothing here depends on the locale.
 *
 *     struct buf o = BUF_INIT;
 *     svg_el(&o, "line", "class x1 x2 y1 y2", "grid", (const double[]){ 40, 40, 0, 90.25 }, "/>");
 *     // <line class="grid" x1="40" x2="40" y1="0" y2="90.3"/>
 *     svg_el(&o, "rect", "x y width height class", "bar", (const double[]){ 8, 20, 40, 100 }, ">");
 *     buf_puts(&o, "<title>12 artifacts</title></rect>");
 *     svg_text(&o, 336, 238, "muted", "middle");
 *     esc_html(&o, group_title);
 *     buf_puts(&o, "</text>");
 *     buf_free(&o);
 */
#ifndef SIRCOMM_SVG_H
#define SIRCOMM_SVG_H

#include "base/util.h"

/* Appends a coordinate or length: at most one decimal ("12", "12.5",
 * "-3.2"), rounded half away from zero, with '.' whatever the locale;
 * values beyond +-1e6 (and NaN) are clamped to +-1e6 so a degenerate
 * scale cannot write an unreadable number. */
void svg_num(struct buf *out, double v);

/*
 * Appends an element with numeric attributes: "<" el, then one attribute
 * per name of `attrs` (names separated by single spaces), in that order.
 * The name "class" takes cls (left out when cls is NULL); every other
 * name takes the next value of v, written with svg_num.  Then `end`, as
 * it is: "/>" for an empty element, ">" for one the caller fills and
 * closes, or further literal attributes before either (" fill=\"#fff\"/>").
 * The attribute order is the caller's, so both pages keep the bytes
 * they have always written.
 */
void svg_el(struct buf *out, const char *el, const char *attrs, const char *cls, const double *v,
	    const char *end);

/* Opens a label: <text x=".." y=".." class="cls" text-anchor="anchor">,
 * with no class when cls is NULL and no anchor (the start) when anchor
 * is NULL.  The caller appends the escaped text and "</text>". */
void svg_text(struct buf *out, double x, double y, const char *cls, const char *anchor);

#endif
