/*
 * fuzz_text.c - Markdown: rendered drafts and the record's own text
 * fields go through md_parse and then the plain-text renderer (emails,
 * at the widths drafts use and a narrow one) and the HTML renderer.
 * md_escape, which guards every value a template interpolates, is
 * exercised on the input too.
 */
#include "fuzz.h"
#include "md.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	cmark_node *doc = md_parse(text, size);
	struct buf out = BUF_INIT;
	md_render_text(doc, 20, &out);
	buf_reset(&out);
	md_render_text(doc, 72, &out);
	buf_reset(&out);
	md_render_text(doc, 0, &out);
	buf_reset(&out);
	md_render_html(doc, &out);
	buf_reset(&out);
	cmark_node_free(doc);

	md_escape(&out, text, size);
	/* What md_escape writes must stay plain text when parsed back. */
	doc = md_parse(out.data ? out.data : "", out.len);
	buf_reset(&out);
	md_render_text(doc, 72, &out);
	cmark_node_free(doc);

	md_display_width(text, size);
	buf_free(&out);
	return 0;
}
