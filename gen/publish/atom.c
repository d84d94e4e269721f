/* atom.c - the incident's public notices as an Atom feed. */
#include "publish/atom.h"

#include <stdlib.h>
#include <string.h>

#include "base/esc.h"
#include "base/ts.h"
#include "format/md.h"

/* Appends a time as RFC 3339 in UTC, as Atom's date constructs want. */
static void put_time(struct buf *out, int64_t t)
{
	char s[TS_BUFSZ];
	ts_format_utc(t, s);
	buf_puts(out, s);
}

static const char *title_word(enum publish_status s)
{
	static const char *const words[] = { "Investigating", "Identified", "Monitoring", "Resolved" };
	return words[s];
}

void atom_write(const struct record *rec, const struct policy *pol,
		const struct publish_notice *notices, size_t n, struct buf *out)
{
	const char *at = strrchr(pol->sender_address, '@');
	char day[TS_BUFSZ];
	ts_format_utc(notices[0].at, day);
	day[10] = '\0';
	struct buf tag = BUF_INIT;
	buf_printf(&tag, "tag:%s,%s:", at ? at + 1 : pol->sender_address, day);
	esc_html(&tag, rec->id);

	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		      "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n  <id>");
	buf_puts(out, buf_str(&tag));
	buf_puts(out, "</id>\n  <title type=\"text\">");
	esc_html(out, rec->title);
	buf_puts(out, "</title>\n  <updated>");
	put_time(out, notices[n - 1].at);
	buf_puts(out, "</updated>\n  <author>\n    <name>");
	esc_html(out, pol->organization);
	buf_puts(out, "</name>\n  </author>\n");
	if (rec->comm.blog && *rec->comm.blog && md_url_is_safe(rec->comm.blog)) {
		buf_puts(out, "  <link rel=\"alternate\" type=\"text/html\" href=\"");
		esc_html(out, rec->comm.blog);
		buf_puts(out, "\"/>\n");
	}
	buf_puts(out, "  <generator>sircomm</generator>\n");
	for (size_t k = n; k-- > 0;) {
		const struct publish_notice *nt = &notices[k];
		buf_printf(out, "  <entry>\n    <id>%s/notice-%zu</id>\n    <title type=\"text\">%s: ",
			   buf_str(&tag), nt->number, title_word(nt->status));
		esc_html(out, rec->title);
		buf_puts(out, "</title>\n    <published>");
		put_time(out, nt->at);
		buf_puts(out, "</published>\n    <updated>");
		put_time(out, nt->at);
		buf_puts(out, "</updated>\n    <content type=\"html\">");
		struct buf body = BUF_INIT;
		publish_notice_body(nt, &body);
		cmark_node *doc = md_parse(buf_str(&body), body.len);
		buf_free(&body);
		struct buf html = BUF_INIT;
		md_render_html(doc, &html);
		cmark_node_free(doc);
		esc_html(out, buf_str(&html));
		buf_free(&html);
		buf_puts(out, "</content>\n  </entry>\n");
	}
	buf_puts(out, "</feed>\n");
	buf_free(&tag);
}
