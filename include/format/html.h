/*
 * html.h - the HTML of sircomm's two report pages, the audit
 * (gen/audit/audit_html.c) and the compliance report
 * (gen/ledger/report_html.c): the page around the content, from a
 * template an organisation may replace (audit-page.html,
 * report-page.html), and the pieces both write, so a table or a key
 * figure looks the same in each.  Their charts draw with svg.h.
 *
 * One escaper serves both pages: esc_html (base/esc.h) for every text
 * that comes from a record, a policy or a ledger, the page template's
 * {{values}} included.  What the pieces take as markup is sircomm's own
 * (fixed words, numbers it formatted, entities).
 *
 *     struct buf body = BUF_INIT;
 *     html_stat(&body, "12", "incidents");
 *     buf_puts(&body, HTML_TABLE("<th>Rule</th><th class=\"n\">Failed findings</th>"));
 *     buf_puts(&body, "<tr><td>");
 *     esc_html(&body, rule);
 *     buf_puts(&body, "</td><td class=\"n\">3</td></tr>\n" HTML_TABLE_END);
 *
 *     struct arena a = ARENA_INIT;
 *     struct tval *ctx = tval_map(&a);
 *     tval_set_str(ctx, "title", "Failures by rule");
 *     struct buf page = BUF_INIT;
 *     if (html_page(set_or_NULL, "report-page.html", ctx, &body, &page, &d) != 0)
 *             diag_print(&d, stderr);          // "tpl/report-page.html:9: error: ..."
 *     buf_free(&page);
 *     arena_free(&a);
 *     buf_free(&body);
 */
#ifndef SIRCOMM_HTML_H
#define SIRCOMM_HTML_H

#include "base/diag.h"
#include "base/util.h"
#include "format/tmpl_set.h"
#include "format/tval.h"

/* The opening of a table up to its first body row, with the header
 * cells `ths` (a string literal of <th> elements), and its end. */
#define HTML_TABLE(ths) "<table>\n<thead><tr>" ths "</tr></thead>\n<tbody>\n"
#define HTML_TABLE_END "</tbody>\n</table>\n"

/*
 * Appends a page: the template `name` of set (NULL: the built-in one)
 * rendered with ctx (a map), after setting its "body" to the text of body
 * without its final newline, for the template's {{{body}}}.  {{x}} is
 * escaped with esc_html, like every other text on the page.  The page
 * may take 16 MiB (TMPL_SET_MAX_OUTPUT) beyond its body.  Returns 0, or
 * -1 after adding diagnostics (TEMPLATE:LINE: an unclosed section, an
 * unknown partial, ...), leaving out as it was.
 */
int html_page(const struct tmpl_set *set, const char *name, struct tval *ctx,
	      const struct buf *body, struct buf *out, struct diag *d);

/* Appends a key figure: <div class="stat"><b>value</b><span>label</span></div>
 * and a newline.  value and label are markup: escape any text from a
 * record first. */
void html_stat(struct buf *out, const char *value, const char *label);

#endif
