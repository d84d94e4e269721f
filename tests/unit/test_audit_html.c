/* Unit tests for audit_html.c: the page parses, the SVG timeline is XML
 * with the lanes, lines and marks the audit calls for, record text is
 * inert, and the page is the same bytes every time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>

#include "builtin_policy.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "audit/audit.h"
#include "audit/audit_report.h"
#include "base/diag.h"
#include "model/policy.h"
#include "model/record.h"
#include "base/util.h"

/* ---- Helpers -------------------------------------------------------- */

/* The page for the record at `path` (from the source root), audited as
 * of its own horizon; the caller frees it. */
static char *page_of_file(const char *path)
{
	struct diag d = DIAG_INIT;
	struct record *rec = NULL;
	if (rec_load(path, pol, &d, &rec) != 0) {
		diag_print(&d, stderr);
		fail_msg("cannot load %s", path);
	}
	diag_free(&d);
	struct audit *au;
	assert_int_equal(audit_run(rec, pol, AUDIT_AT_RECORD, &au), 0);
	struct buf out = BUF_INIT;
	audit_render(au, AUDIT_FORMAT_HTML, false, &out);
	assert_false(out.overflow);
	audit_free(au);
	rec_free(rec);
	return buf_detach(&out);
}

/* The same for a record given as text. */
static char *page_of_source(const char *src)
{
	struct diag d = DIAG_INIT;
	struct record *rec = NULL;
	if (rec_parse("t.xml", src, strlen(src), pol, &d, &rec) != 0) {
		diag_print(&d, stderr);
		fail_msg("cannot parse the test record");
	}
	diag_free(&d);
	struct audit *au;
	audit_run(rec, pol, AUDIT_AT_RECORD, &au);
	struct buf out = BUF_INIT;
	audit_render(au, AUDIT_FORMAT_HTML, false, &out);
	audit_free(au);
	rec_free(rec);
	return buf_detach(&out);
}

/* A record around a timeline, the way test_record.c builds them. */
static char *record(const char *title, const char *timeline)
{
	return xasprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<incident id=\"SIRT-2026-0900\" version=\"1\">\n"
			 "  <title>%s</title>\n"
			 "  <severity>S1</severity>\n"
			 "  <impact>critical</impact>\n"
			 "  <status>investigating</status>\n"
			 "  <scope users=\"some\" count=\"12\"><service kind=\"production\">CI</service></scope>\n"
			 "  <timeline>\n%s  </timeline>\n"
			 "</incident>\n", title, timeline);
}

static size_t html_errors;
static char html_first_error[512];

/* Counts the parser's errors that matter.  libxml2's HTML parser knows
 * HTML 4 only, so it reports HTML5 and SVG elements (section, svg,
 * time, ...) as unknown: that one is not a fault of the page. */
static void on_html_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	if (e->code == XML_HTML_UNKNOWN_TAG || e->level < XML_ERR_ERROR)
		return;
	if (html_errors++ == 0)
		snprintf(html_first_error, sizeof(html_first_error), "line %d: %s", e->line,
			 e->message ? e->message : "?");
}

/* Parses the page with the HTML parser; fails the test on an error that
 * matters.  The caller frees the document. */
static htmlDocPtr parse_html(const char *page)
{
	html_errors = 0;
	html_first_error[0] = '\0';
	xmlSetStructuredErrorFunc(NULL, on_html_error);
	htmlDocPtr doc = htmlReadMemory(page, (int)strlen(page), "report.html", "UTF-8",
					HTML_PARSE_NONET);
	xmlSetStructuredErrorFunc(NULL, NULL);
	assert_non_null(doc);
	if (html_errors)
		fail_msg("%zu HTML parse errors, the first %s", html_errors, html_first_error);
	return doc;
}

/* Parses the page's "<svg" .. "</svg>" as XML, strictly.  The caller
 * frees the document. */
static xmlDocPtr parse_svg(const char *page)
{
	const char *a = strstr(page, "<svg");
	assert_non_null(a);
	const char *b = strstr(a, "</svg>");
	assert_non_null(b);
	assert_null(strstr(b + 1, "<svg"));     /* one timeline */
	xmlDocPtr doc = xmlReadMemory(a, (int)(b + 6 - a), "timeline.svg", "UTF-8",
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc)
		fail_msg("the SVG is not well-formed XML: %s",
			 xmlGetLastError() ? xmlGetLastError()->message : "?");
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "svg");
	assert_non_null(root->ns);
	assert_string_equal((const char *)root->ns->href, "http://www.w3.org/2000/svg");
	return doc;
}

/* The string value of an XPath expression over the SVG (prefix s:). */
static char *svg_xpath(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathRegisterNs(ctx, BAD_CAST "s", BAD_CAST "http://www.w3.org/2000/svg");
	xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	assert_non_null(r);
	xmlChar *s = xmlXPathCastToString(r);
	char *out = xstrdup((const char *)s);
	xmlFree(s);
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	return out;
}

static double svg_count(xmlDocPtr doc, const char *expr)
{
	char *full = xasprintf("count(%s)", expr);
	char *s = svg_xpath(doc, full);
	double n = atof(s);
	free(s);
	free(full);
	return n;
}

/* The same over the HTML document (no namespaces). */
static char *html_xpath(htmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	assert_non_null(r);
	xmlChar *s = xmlXPathCastToString(r);
	char *out = xstrdup((const char *)s);
	xmlFree(s);
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(ctx);
	return out;
}

/* Drawn on the chart, not in its legend. */
#define CHART "[not(ancestor::s:g[@class='legend'])]"

/* True when the lane labels include `label`: on one line, or on two
 * lines with the whole title in the tooltip. */
static bool has_lane(xmlDocPtr svg, const char *label)
{
	char *expr = xasprintf("count(//s:text[contains(concat(' ', @class, ' '), ' lane ')]"
			       "[normalize-space(.) = '%s'] | //s:g[s:text[contains(concat(' ', @class, ' '), "
			       "' lane-2 ')]][starts-with(s:title, '%s (')])", label, label);
	char *s = svg_xpath(svg, expr);
	bool yes = atof(s) >= 1;
	free(s);
	free(expr);
	return yes;
}

static void assert_no_script(const char *page)
{
	for (const char *p = page; (p = strchr(p, '<')) != NULL; p++)
		if (strncasecmp(p, "<script", 7) == 0)
			fail_msg("the page has a script element at offset %td", p - page);
}

/* ---- The sample ----------------------------------------------------- */

static void test_page_parses(void **state)
{
	(void)state;
	char *page = page_of_file("samples/s1-silent-approver.xml");
	assert_true(strncmp(page, "<!DOCTYPE html>\n", 16) == 0);
	assert_non_null(strstr(page, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(page, "content=\"default-src 'none'; style-src 'unsafe-inline'; "
				     "img-src data:\""));
	assert_non_null(strstr(page, "@page{size:A4;margin:15mm}"));
	assert_non_null(strstr(page, "thead{display:table-header-group}"));
	assert_no_script(page);
	/* Nothing to fetch: no external URL in an attribute, no link or
	 * import. */
	assert_null(strstr(page, "src=\"http"));
	assert_null(strstr(page, "href=\"http"));
	assert_null(strstr(page, "<link"));
	assert_null(strstr(page, "@import"));

	htmlDocPtr doc = parse_html(page);
	char *title = html_xpath(doc, "string(/html/head/title)");
	assert_non_null(strstr(title, "SIRT-2026-0151"));
	free(title);
	/* Legal's and Investor Relations' back-ups came after the 30
	 * minutes: the plan allows no grace. */
	char *verdict = html_xpath(doc, "normalize-space(//div[contains(@class,'verdict')]/b)");
	assert_string_equal(verdict, "FAIL");
	free(verdict);
	/* The findings table: a row per finding, each with its status. */
	char *rows = html_xpath(doc, "count(//table[@class='findings']/tbody/tr)");
	assert_int_equal(atoi(rows), 86);
	free(rows);
	char *status = html_xpath(doc, "normalize-space(//tr[@id='f-1']/td[1])");
	assert_non_null(strstr(status, "pass"));
	free(status);
	char *rule = html_xpath(doc, "normalize-space(//tr[@id='f-1']/td[2])");
	assert_string_equal(rule, "ENGAGE");
	free(rule);
	/* The header's counts and the policy's digest. */
	assert_non_null(strstr(page, "<b>80</b>"));
	assert_non_null(strstr(page, "<b>6</b>"));
	assert_non_null(strstr(page, pol->sha256_hex));
	/* Metrics and exceptions sections. */
	char *sections = html_xpath(doc, "count(//section[@id='metrics' or @id='exceptions' or "
					 "@id='findings' or @id='timeline'])");
	assert_int_equal(atoi(sections), 4);
	free(sections);
	xmlFreeDoc(doc);
	free(page);
}

static void test_timeline(void **state)
{
	(void)state;
	char *page = page_of_file("samples/s1-silent-approver.xml");
	xmlDocPtr svg = parse_svg(page);
	char *vb = svg_xpath(svg, "string(/s:svg/@viewBox)");
	assert_true(strncmp(vb, "0 0 960 ", 8) == 0);
	free(vb);
	char *width = svg_xpath(svg, "string(/s:svg/@width)");
	assert_string_equal(width, "100%");
	free(width);

	/* A lane per group of the record, and none for the others. */
	assert_true(has_lane(svg, "Communications"));
	assert_true(has_lane(svg, "Incident"));
	static const char *const present[] = {
		"Security", "Legal", "Customer Success", "Support", "Investor Relations",
		"VP of Security", "Designated key approvers", "Developer Relations",
		"Marketing Operations", "Director of Security Operations",
		"Security External Communications", "Corporate Communications",
	};
	for (size_t i = 0; i < sizeof(present) / sizeof(present[0]); i++)
		if (!has_lane(svg, present[i]))
			fail_msg("no lane for %s", present[i]);
	assert_false(has_lane(svg, "Broader e-group"));

	/* The cutoff (20:05+01:00) and the deadline (T0 15:05Z + 6 h). */
	assert_int_equal((int)svg_count(svg, "//s:line[@class='vl-cutoff']" CHART), 1);
	assert_int_equal((int)svg_count(svg, "//s:line[@class='vl-deadline']" CHART), 1);
	assert_int_equal((int)svg_count(svg, "//s:text[normalize-space(.)='cutoff 19:05Z']"), 1);
	assert_int_equal((int)svg_count(svg, "//s:text[starts-with(normalize-space(.),"
					     "'turnaround deadline 21:05Z')]"), 1);

	/* Bars: Investor Relations never answered the final round, so its
	 * bar is open to the audit time; back-ups were engaged twice. */
	assert_int_equal((int)svg_count(svg, "//s:rect[@class='bar-open']" CHART), 1);
	assert_int_equal((int)svg_count(svg, "//s:rect[@class='bar-r']" CHART), 4);
	assert_int_equal((int)svg_count(svg, "//s:rect[@class='bar-f']" CHART), 3);
	assert_int_equal((int)svg_count(svg, "//s:polygon[@class='m-backup']" CHART), 2);
	/* The legend explains them. */
	assert_int_equal((int)svg_count(svg, "//s:g[@class='legend']/s:rect[@class='bar-open']"), 1);
	assert_int_equal((int)svg_count(svg, "//s:g[@class='legend']/s:polygon[@class='m-backup']"), 1);
	/* Two failures marked, each a cross of two lines: Legal's review
	 * window (back-ups engaged 4 minutes after it) and Investor
	 * Relations' final window (3 minutes); the legend explains them. */
	assert_int_equal((int)svg_count(svg, "//s:line[@class='m-fail']" CHART), 4);
	assert_int_equal((int)svg_count(svg, "//s:g[@class='legend']/s:line[@class='m-fail']"), 2);
	/* Hour ticks. */
	assert_true(svg_count(svg, "//s:text[starts-with(@class,'tick')][.='17:00']") >= 1);
	xmlFreeDoc(svg);
	free(page);
}

static void test_deterministic(void **state)
{
	(void)state;
	char *a = page_of_file("samples/s1-silent-approver.xml");
	char *b = page_of_file("samples/s1-silent-approver.xml");
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* Every sample renders, parses and keeps its SVG well-formed. */
static void test_all_samples(void **state)
{
	(void)state;
	static const char *const samples[] = {
		"samples/s1-breach.xml", "samples/s1-in-progress.xml",
		"samples/s1-missed-turnaround.xml", "samples/s1-rce-public.xml",
		"samples/s2-no-turnaround.xml", "samples/s3-medium-out-of-scope.xml",
	};
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		char *page = page_of_file(samples[i]);
		assert_no_script(page);
		xmlFreeDoc(parse_html(page));
		xmlDocPtr svg = parse_svg(page);
		assert_true(has_lane(svg, "Communications"));
		if (strstr(samples[i], "s2-")) {
			/* S2 has no turnaround: no deadline line. */
			assert_int_equal((int)svg_count(svg, "//s:line[@class='vl-deadline']"), 0);
		}
		if (strstr(samples[i], "missed-turnaround")) {
			/* The excepted TURNAROUND finding is marked. */
			assert_true(svg_count(svg, "//s:circle[@class='m-exc-c']" CHART) >= 1);
			assert_non_null(strstr(page, "EX-2026-014"));
		}
		xmlFreeDoc(svg);
		free(page);
	}
}

/* ---- Failures ------------------------------------------------------- */

static void test_failures_marked(void **state)
{
	(void)state;
	/* Legal and the others never answer the review request; the cutoff
	 * comes after it. */
	char *src = record("Silent approvers",
			   "    <event at=\"2026-03-04T09:00:00Z\" type=\"detected\"/>\n"
			   "    <event at=\"2026-03-04T09:05:00Z\" type=\"severity-determined\"/>\n"
			   "    <event at=\"2026-03-04T09:10:00Z\" type=\"comms-started\"/>\n"
			   "    <event at=\"2026-03-04T09:40:00Z\" type=\"draft-ready\" artifacts=\"customer-email\"/>\n"
			   "    <event at=\"2026-03-04T09:50:00Z\" type=\"review-requested\" round=\"review\" "
			   "artifacts=\"customer-email\"/>\n"
			   "    <event at=\"2026-03-04T09:55:00Z\" type=\"cutoff-announced\" "
			   "cutoff=\"2026-03-04T15:10:00Z\"/>\n"
			   "    <event at=\"2026-03-04T10:05:00Z\" type=\"feedback\" group=\"security\" "
			   "by=\"VP of Security\" artifacts=\"customer-email\"/>\n"
			   "    <event at=\"2026-03-04T12:00:00Z\" type=\"note\">still waiting</event>\n");
	char *page = page_of_source(src);
	htmlDocPtr doc = parse_html(page);
	char *verdict = html_xpath(doc, "normalize-space(//div[contains(@class,'verdict')]/b)");
	assert_string_equal(verdict, "FAIL");
	free(verdict);
	char *failed = html_xpath(doc, "count(//tr[contains(@class,'r-fail')])");
	assert_true(atoi(failed) >= 2);
	free(failed);
	/* Failed rows say so in words, not only in colour. */
	char *word = html_xpath(doc, "normalize-space(//tr[contains(@class,'r-fail')][1]/td[1])");
	assert_non_null(strstr(word, "FAIL"));
	free(word);
	char *alert = html_xpath(doc, "count(//section[@class='alert']//li)");
	assert_true(atoi(alert) >= 2);
	free(alert);
	xmlFreeDoc(doc);

	xmlDocPtr svg = parse_svg(page);
	/* A mark for the CUTOFF failure in the Communications lane, one for
	 * REVIEW-RESPONSE on the Legal lane, each linked to its row, and an
	 * unanswered bar for the groups that never answered. */
	assert_true(svg_count(svg, "//s:a[starts-with(@href,'#f-')]") >= 2);
	assert_true(svg_count(svg, "//s:a/s:title[starts-with(.,'FAIL CUTOFF')]") == 1);
	assert_true(svg_count(svg, "//s:a/s:title[starts-with(.,'FAIL REVIEW-RESPONSE legal/')]") == 1);
	assert_true(has_lane(svg, "Legal"));
	assert_true(svg_count(svg, "//s:rect[@class='bar-open']" CHART) >= 2);
	assert_int_equal((int)svg_count(svg, "//s:line[@class='vl-cutoff']" CHART), 1);
	/* The legend has the failure mark now. */
	assert_true(svg_count(svg, "//s:g[@class='legend']/s:line[@class='m-fail']") >= 1);
	xmlFreeDoc(svg);
	free(page);
	free(src);
}

/* A policy may give a group the id of an artifact (a team named after
 * what it writes).  A DRAFTING failure of the artifact is about the
 * artifact, not the group: its mark goes on the Communications lane, and
 * the group, with no event of its own, gets no lane. */
static void test_group_named_like_an_artifact(void **state)
{
	(void)state;
	char *xml;
	size_t len;
	assert_int_equal(read_file("policy/policy.xml", 1 << 20, &xml, &len), 0);
	char *groups = strstr(xml, "<groups>");
	assert_non_null(groups);
	groups += strlen("<groups>");
	char *src = xasprintf("%.*s\n<group id=\"support-faq\" title=\"FAQ editors\"/>%s",
			      (int)(groups - xml), xml, groups);
	struct diag d = DIAG_INIT;
	struct policy *custom;
	if (pol_parse("collide.xml", src, strlen(src), &d, &custom) != 0) {
		diag_print(&d, stderr);
		fail_msg("cannot parse the policy");
	}
	diag_free(&d);
	char *rec_src = record("Late FAQ",
			       "    <event at=\"2026-03-04T09:10:00Z\" type=\"comms-started\"/>\n"
			       "    <event at=\"2026-03-04T12:00:00Z\" type=\"draft-ready\" "
			       "artifacts=\"support-faq\"/>\n");
	struct record *rec;
	if (rec_parse("t.xml", rec_src, strlen(rec_src), custom, &d, &rec) != 0) {
		diag_print(&d, stderr);
		fail_msg("cannot parse the test record");
	}
	diag_free(&d);
	struct audit *au;
	audit_run(rec, custom, AUDIT_AT_RECORD, &au);
	struct buf out = BUF_INIT;
	audit_render(au, AUDIT_FORMAT_HTML, false, &out);
	xmlDocPtr svg = parse_svg(buf_str(&out));
	assert_false(has_lane(svg, "FAQ editors"));
	/* The mark sits in the Communications lane: its y is that lane's middle. */
	char *lane_y = svg_xpath(svg, "string(//s:text[normalize-space(.)='Communications']/@y)");
	char *mark_y = svg_xpath(svg, "string(//s:a[starts-with(s:title,'FAIL DRAFTING support-faq')]"
				      "/s:line[1]/@y1)");
	assert_true(*lane_y && *mark_y);
	/* Lane labels sit 4 below the middle; a fail mark's first stroke
	 * runs from 6 above it. */
	assert_true(atof(mark_y) + 6 == atof(lane_y) - 4);
	free(lane_y);
	free(mark_y);
	xmlFreeDoc(svg);
	buf_free(&out);
	audit_free(au);
	rec_free(rec);
	pol_free(custom);
	free(rec_src);
	free(src);
	free(xml);
}

/* ---- Hostile text --------------------------------------------------- */

static void test_hostile_escaped(void **state)
{
	(void)state;
	char *page = page_of_file("tests/fixtures/hostile.xml");
	assert_no_script(page);
	assert_null(strstr(page, "<img"));
	assert_non_null(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	htmlDocPtr doc = parse_html(page);
	/* The title comes back as the text it was, not as markup. */
	char *h1 = html_xpath(doc, "string(//h1)");
	assert_string_equal(h1, "<script>alert(1)</script> *bold* [x](javascript:alert(1)) # not a heading");
	free(h1);
	char *scripts = html_xpath(doc, "count(//script | //*[@onerror] | //*[@onload])");
	assert_string_equal(scripts, "0");
	free(scripts);
	xmlFreeDoc(doc);
	/* The detected event's text rides in a tooltip of the SVG. */
	xmlDocPtr svg = parse_svg(page);
	assert_int_equal((int)svg_count(svg, "//s:title[contains(., '<script>document.cookie')]"), 1);
	xmlFreeDoc(svg);
	free(page);
}

static void test_title_escaping_in_every_form(void **state)
{
	(void)state;
	/* Quotes, ampersands, a control character the XML parser would not
	 * take from a file but could get from a buffer, and non-ASCII. */
	char *src = record("Quote \" apostrophe ' amp &amp; lt &lt; gt &gt; \xC3\xA9t\xC3\xA9",
			   "    <event at=\"2026-03-04T09:00:00Z\" type=\"detected\" by=\"a&quot;b\"/>\n"
			   "    <event at=\"2026-03-04T09:10:00Z\" type=\"comms-started\"/>\n");
	char *page = page_of_source(src);
	assert_non_null(strstr(page, "Quote &quot; apostrophe &#39; amp &amp; lt &lt; gt &gt; "
				     "\xC3\xA9t\xC3\xA9"));
	xmlFreeDoc(parse_html(page));
	xmlFreeDoc(parse_svg(page));
	free(page);
	free(src);
}

/* ---- Scale ---------------------------------------------------------- */

/* Thousands of events: markers are merged or capped, the SVG stays
 * well-formed and the page stays small. */
static void test_many_events(void **state)
{
	(void)state;
	struct buf tl = BUF_INIT;
	buf_puts(&tl, "    <event at=\"2026-03-04T09:00:00Z\" type=\"severity-determined\"/>\n"
		      "    <event at=\"2026-03-04T09:05:00Z\" type=\"engaged\" group=\"director-secops\"/>\n"
		      "    <event at=\"2026-03-04T09:10:00Z\" type=\"comms-started\"/>\n");
	for (int i = 0; i < 6000; i++) {
		int s = 15 * 60 + i * 7;         /* every 7 seconds for ~11.7 hours */
		if (i % 3)
			buf_printf(&tl, "    <event at=\"2026-03-04T%02d:%02d:%02dZ\" type=\"update\" "
				   "group=\"%s\">update %d</event>\n", 9 + s / 3600, s / 60 % 60, s % 60,
				   i % 2 ? "director-secops" : "vp-security", i);
		else
			buf_printf(&tl, "    <event at=\"2026-03-04T%02d:%02d:%02dZ\" type=\"note\">"
				   "note %d</event>\n", 9 + s / 3600, s / 60 % 60, s % 60, i);
	}
	char *src = record("Many events", buf_str(&tl));
	buf_free(&tl);
	char *page = page_of_source(src);
	assert_true(strlen(page) < (size_t)4 << 20);
	xmlDocPtr svg = parse_svg(page);
	assert_true(svg_count(svg, "//s:g[s:title]") <= 4000 + 50);
	xmlFreeDoc(svg);
	assert_non_null(strstr(page, "merged"));
	free(page);
	free(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_page_parses),
		cmocka_unit_test(test_timeline),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_all_samples),
		cmocka_unit_test(test_failures_marked),
		cmocka_unit_test(test_group_named_like_an_artifact),
		cmocka_unit_test(test_hostile_escaped),
		cmocka_unit_test(test_title_escaping_in_every_form),
		cmocka_unit_test(test_many_events),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
