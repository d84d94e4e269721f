/* report_format.c - the report's formats by name, and the switch to the
 * renderer of each (report_md.c, report_html.c, report_csv.c,
 * report_json.c). */
#include "ledger/report.h"
#include "report_int.h"

#include "base/util.h"

static const char *const format_names[] = { "md", "html", "csv", "json" };

int report_format_parse(const char *s)
{
	return name_index(format_names, sizeof(format_names) / sizeof(format_names[0]), s);
}

void report_render(const struct report *r, enum report_format f, struct buf *out)
{
	switch (f) {
	case REPORT_FORMAT_MD: report_render_md(r, out); break;
	case REPORT_FORMAT_HTML: {
		/* The built-in page renders every report. */
		struct diag d = DIAG_INIT;
		report_render_html(r, NULL, out, &d);
		diag_free(&d);
		break;
	}
	case REPORT_FORMAT_CSV: report_render_csv(r, out); break;
	case REPORT_FORMAT_JSON: report_render_json(r, out); break;
	}
}
