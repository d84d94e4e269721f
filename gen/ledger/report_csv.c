/* report_csv.c - the compliance report as CSV: one row per figure,
 * section,subject,figure,value (docs/ledger.md, "The CSV format"). */
#include "ledger/report.h"
#include "report_int.h"

#include <inttypes.h>

#include "base/esc.h"

/* The start of a row: the section, subject and figure, quoted; the value
 * follows. */
static void csv_head(struct buf *out, const char *section, const char *subject, const char *figure)
{
	esc_csv(out, section);
	buf_putc(out, ',');
	esc_csv(out, subject);
	buf_putc(out, ',');
	esc_csv(out, figure);
	buf_putc(out, ',');
}

/* A figure's row: the value as it is (an integer, a share), nothing
 * for NULL. */
static void csv_fig(struct buf *out, const char *section, const char *subject,
		    const struct report_fig *f)
{
	csv_head(out, section, subject, f->name);
	if (f->kind == REPORT_FIG_SHARE && f->share.has)
		report_share_num(out, f->share.v);
	else if (f->kind != REPORT_FIG_SHARE && f->n.has)
		buf_printf(out, "%" PRId64, f->n.v);
	buf_puts(out, "\r\n");
}

void report_render_csv(const struct report *r, struct buf *out)
{
	const struct report_period *p = &r->period;
	buf_puts(out, "section,subject,figure,value\r\n");
	/* The period: its days ("" when unbounded), then :from and :to. */
	csv_head(out, "period", "", "from");
	esc_csv(out, p->from_day);
	buf_puts(out, "\r\n");
	csv_head(out, "period", "", "to");
	esc_csv(out, p->to_day);
	buf_puts(out, "\r\n");
	csv_head(out, "period", "", "from_epoch");
	buf_printf(out, "%" PRId64 "\r\n", p->from);
	csv_head(out, "period", "", "to_epoch");
	buf_printf(out, "%" PRId64 "\r\n", p->to);

	struct buf subject = BUF_INIT;
	for (int q = 0; q < REPORT_Q_COUNT; q++) {
		for (size_t i = 0; i < report_rows(r, q); i++) {
			struct report_fig figs[REPORT_FIGS_MAX];
			size_t n = report_figures(r, q, i, figs);
			buf_reset(&subject);
			report_subject(r, q, i, &subject);
			for (size_t k = 0; k < n; k++)
				csv_fig(out, report_queries[q].name, buf_str(&subject), &figs[k]);
		}
	}
	buf_free(&subject);
}
