/* report_render.c - what the report's renderers share: the formats, the
 * way shares, durations and hour buckets are written, and the switch to
 * the renderer of each format. */
#include "ledger/report.h"
#include "report_int.h"

#include <stdio.h>
#include <string.h>

#include "base/ts.h"

/* ---- Formats ----------------------------------------------------------- */

static const char *const format_names[] = { "md", "html", "csv", "json" };

const char *report_format_name(enum report_format f)
{
	return format_names[f];
}

int report_format_parse(const char *s)
{
	return name_index(format_names, 4, s);
}

/* ---- Shared pieces of rendering ------------------------------------- */

/* A share for machines: at most four decimals, trailing zeros dropped
 * but one ("1.0", "0.5", "0.9412"), as sqlite3 prints round(x, 4). */
void report_share_num(struct buf *out, double v)
{
	char s[32];
	snprintf(s, sizeof(s), "%.4f", v);
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '0' && s[n - 2] != '.')
		s[--n] = '\0';
	buf_puts(out, s);
}

/* A share for people: "94.1 %", or `none` when there is no share. */
void report_share_pct(struct buf *out, struct report_real v, const char *none)
{
	if (v.has)
		buf_printf(out, "%.1f %%", v.v * 100.0);
	else
		buf_puts(out, none);
}

/* A duration for people: "3 h 4 min", or `none`. */
void report_dur(struct buf *out, struct report_int v, const char *none)
{
	if (!v.has) {
		buf_puts(out, none);
		return;
	}
	char h[TS_BUFSZ];
	ts_format_human(v.v, h);
	buf_puts(out, h);
}

const char *const report_bucket_label[REPORT_BUCKETS] = {
	"0\xE2\x80\x93" "1 h", "1\xE2\x80\x93" "2 h", "2\xE2\x80\x93" "3 h", "3\xE2\x80\x93" "4 h",
	"4\xE2\x80\x93" "5 h", "5\xE2\x80\x93" "6 h", "6\xE2\x80\x93" "7 h", "7\xE2\x80\x93" "8 h",
	"8 h or more",
};

const char *report_plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* ---- Rendering --------------------------------------------------------- */

void report_render(const struct report *r, enum report_format f, struct buf *out)
{
	switch (f) {
	case REPORT_FORMAT_MD: report_render_md(r, out); break;
	case REPORT_FORMAT_HTML: report_render_html(r, out); break;
	case REPORT_FORMAT_CSV: report_render_csv(r, out); break;
	case REPORT_FORMAT_JSON: report_render_json(r, out); break;
	}
}
