/*
 * audit_svg.h - the SVG timeline of the audit's HTML page.  Internal to
 * gen/audit: audit_html.c writes the page around it.
 *
 *     struct buf page = BUF_INIT;
 *     audit_svg_timeline(au, &page);   // <section id="timeline">...</section>
 *     char when[TS_BUFSZ];
 *     audit_svg_time_words(au->audited_at, when);   // "2026-03-04 09:12Z"
 */
#ifndef SIRCOMM_AUDIT_SVG_H
#define SIRCOMM_AUDIT_SVG_H

#include <stdint.h>

#include "audit/audit.h"
#include "base/ts.h"
#include "base/util.h"

/* Appends the timeline section: a heading, the SVG chart of the
 * communications process as of the audit's horizon, with its legend,
 * and a caption that says what the chart leaves out. */
void audit_svg_timeline(const struct audit *au, struct buf *out);

/* A time as the page and its chart write it: "2026-03-04 09:12Z", with
 * ":ss" only when the seconds are not zero. */
void audit_svg_time_words(int64_t t, char out[TS_BUFSZ]);

#endif
