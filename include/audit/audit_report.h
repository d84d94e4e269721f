/*
 * audit_report.h - an audit as text, Markdown, CSV, JSON or an HTML page.
 *
 *     struct buf out = BUF_INIT;
 *     audit_render(au, AUDIT_FORMAT_JSON, false, &out);
 *     fwrite(out.data, 1, out.len, stdout);
 *     buf_reset(&out);
 *     if (audit_render_html(au, &tpl, &out, &d) != 0)   // tpl: --templates DIR
 *             diag_print(&d, stderr);
 *     buf_free(&out);
 *
 * All formats carry the same findings (rule, subject, status, due, met,
 * evidence lines, note), the metrics and the summary; times are RFC 3339
 * UTC.  The text format is for terminals (aligned; colour only when
 * asked); the HTML page is self-contained, with an SVG timeline, and
 * prints on A4.
 */
#ifndef SIRCOMM_AUDIT_REPORT_H
#define SIRCOMM_AUDIT_REPORT_H

#include <stdbool.h>

#include "audit/audit.h"
#include "base/diag.h"
#include "base/util.h"
#include "format/tmpl_set.h"

enum audit_format { AUDIT_FORMAT_TEXT = 0, AUDIT_FORMAT_MD, AUDIT_FORMAT_CSV,
		    AUDIT_FORMAT_JSON, AUDIT_FORMAT_HTML, AUDIT_FORMAT_JSONL };

/* "text", "md", "csv", "json", "html", "jsonl" and back (-1 if unknown).
 * jsonl is the json object on one line, ended by a newline (JSON Lines);
 * a finding with no subject has "subject": null in JSON and an empty
 * field in CSV (text and Markdown show "-"). */
const char *audit_format_name(enum audit_format f);
int audit_format_parse(const char *s);

/* Appends the audit in a format; colour applies to text only (ANSI).
 * html is the page with the built-in audit-page.html. */
void audit_render(const struct audit *au, enum audit_format f, bool colour, struct buf *out);

/*
 * Appends the HTML page (audit_html.c): a self-contained report with the
 * SVG timeline of the communications process, inside the template
 * audit-page.html of tpl (NULL: the built-in one; format/tmpl_set.h).
 * Returns 0, or -1 after adding the template's errors to d
 * (TEMPLATE:LINE), leaving out as it was.
 */
int audit_render_html(const struct audit *au, const struct tmpl_set *tpl, struct buf *out,
		      struct diag *d);

/*
 * The live view (`sircomm status`, docs/status.md), read from the audit's
 * findings and pairs: the deadlines, what is overdue, back-ups to engage
 * now with their titles, what is due next and when (answers, updates,
 * engagements, drafts, deployments), what the next deployment still
 * needs, what is still owed.  f is AUDIT_FORMAT_TEXT (times in the
 * policy's display zone; with colour, ANSI: overdue red, due within 15
 * minutes yellow) or AUDIT_FORMAT_JSON (UTC, never coloured).
 */
void audit_render_status(const struct audit *au, enum audit_format f, bool colour, struct buf *out);

/* A one-line summary: "SIRT-2026-0142: 61 pass, 0 fail, 1 excepted, 3 n/a,
 * 0 pending". */
void audit_summary_line(const struct audit *au, struct buf *out);

#endif
