/*
 * html.h - the HTML of sircomm's two report pages, the audit
 * (gen/audit/audit_html.c) and the compliance report
 * (gen/ledger/report_html.c): the pieces both write, so a table or a
 * key figure looks the same in each.  Their charts draw with svg.h.
 *
 * One escaper serves both pages: esc_html (base/esc.h) for every text
 * that comes from a record, a policy or a ledger.  What these take as
 * markup is sircomm's own (fixed words, numbers it formatted, entities).
 *
 *     struct buf o = BUF_INIT;
 *     html_stat(&o, "12", "incidents");
 *     buf_puts(&o, HTML_TABLE("<th>Rule</th><th class=\"n\">Failed findings</th>"));
 *     buf_puts(&o, "<tr><td>");
 *     esc_html(&o, rule);
 *     buf_puts(&o, "</td><td class=\"n\">3</td></tr>\n" HTML_TABLE_END);
 *     buf_free(&o);
 */
#ifndef SIRCOMM_HTML_H
#define SIRCOMM_HTML_H

#include "base/util.h"

/* The opening of a table up to its first body row, with the header
 * cells `ths` (a string literal of <th> elements), and its end. */
#define HTML_TABLE(ths) "<table>\n<thead><tr>" ths "</tr></thead>\n<tbody>\n"
#define HTML_TABLE_END "</tbody>\n</table>\n"

/* Appends a key figure: <div class="stat"><b>value</b><span>label</span></div>
 * and a newline.  value and label are markup: escape any text from a
 * record first. */
void html_stat(struct buf *out, const char *value, const char *label);

#endif
