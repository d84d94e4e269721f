/* html.c - what the audit page and the compliance report page both write. */
#include "format/html.h"

void html_stat(struct buf *out, const char *value, const char *label)
{
	buf_printf(out, "<div class=\"stat\"><b>%s</b><span>%s</span></div>\n", value, label);
}
