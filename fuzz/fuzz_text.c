/*
 * fuzz_text.c - Markdown: rendered drafts and the record's own text
 * fields go through md_parse and then the plain-text renderer (emails,
 * at the widths drafts use and a narrow one) and the HTML renderer.
 * md_escape, which guards every value a template interpolates, is
 * exercised on the input too, and so is md_field, which puts a record's
 * Markdown into a template: after a kind of line a template gives it,
 * the template's text after it must stay a paragraph of its own, and no
 * raw HTML may come out of it.  Every address found in it, read as
 * text, as Markdown and as an HTML page, is judged by link_problem.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "format/link.h"
#include "format/md.h"

static void judge(const char *url, size_t n, void *ud)
{
	(void)ud;
	free(link_problem(url, n));
}

static void check_field(const char *line, const char *text, size_t size)
{
	struct buf md = BUF_INIT;
	buf_puts(&md, line);
	md_field(&md, text, size);
	buf_puts(&md, "\n\nEND\n");
	cmark_node *doc = md_parse(md.data, md.len);
	if (cmark_node_get_type(cmark_node_last_child(doc)) != CMARK_NODE_PARAGRAPH)
		abort();  /* the value swallowed the template's text */
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node_type t = cmark_node_get_type(cmark_iter_get_node(it));
		if (t == CMARK_NODE_HTML_BLOCK || t == CMARK_NODE_HTML_INLINE)
			abort();  /* raw HTML from the value */
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	buf_free(&md);
}

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
	link_each_in_tree(doc, judge, NULL);
	cmark_node_free(doc);
	link_each_in_text(text, size, judge, NULL);
	link_each_in_html(text, size, judge, NULL);

	md_escape(&out, text, size);
	/* What md_escape writes must stay plain text when parsed back. */
	doc = md_parse(out.data ? out.data : "", out.len);
	buf_reset(&out);
	md_render_text(doc, 72, &out);
	cmark_node_free(doc);

	/* The input's length picks the line, so every kind gets explored
	 * at the price of one. */
	static const char *const lines[] = { "", "- ", "> ", "### ", "1. ", "Text: " };
	check_field(lines[size % (sizeof lines / sizeof lines[0])], text, size);

	md_display_width(text, size);
	buf_free(&out);
	return 0;
}
