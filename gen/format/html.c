/* html.c - what the audit page and the compliance report page both write. */
#include "format/html.h"

#include <stdlib.h>

#include "base/esc.h"

/* {{x}} in a page template: escaped as every other text of the page. */
static void escape(struct buf *out, const char *s, size_t n)
{
	char *copy = xstrndup(s, n);
	esc_html(out, copy);
	free(copy);
}

int html_page(const struct tmpl_set *set, const char *name, struct tval *ctx,
	      const struct buf *body, struct buf *out, struct diag *d)
{
	size_t n = body->len;
	if (n && body->data[n - 1] == '\n')
		n--;
	tval_set_strn(ctx, "body", buf_str(body), n);
	return tmpl_set_render(set, name, ctx, escape, NULL, TMPL_SET_MAX_OUTPUT + n, out, d);
}

void html_stat(struct buf *out, const char *value, const char *label)
{
	buf_printf(out, "<div class=\"stat\"><b>%s</b><span>%s</span></div>\n", value, label);
}
