/* Unit tests for svg.c and html.c: the pieces the audit page and the
 * compliance report page both write. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/util.h"
#include "format/html.h"
#include "format/svg.h"

/* svg_num(v) as a string; the caller frees it. */
static char *num(double v)
{
	struct buf b = BUF_INIT;
	svg_num(&b, v);
	return buf_detach(&b);
}

static void assert_num(double v, const char *want)
{
	char *got = num(v);
	assert_string_equal(got, want);
	free(got);
}

static void test_num(void **state)
{
	(void)state;
	assert_num(0, "0");
	assert_num(12, "12");
	assert_num(12.5, "12.5");
	assert_num(12.04, "12");
	assert_num(12.25, "12.3");        /* half away from zero */
	assert_num(-3.25, "-3.3");
	assert_num(-0.04, "0");           /* no "-0" */
	assert_num(196.0 + 744.0 / 3, "444");
	assert_num(2e6, "1000000");
	assert_num(-2e6, "-1000000");
	assert_num(NAN, "-1000000");
	assert_num(INFINITY, "1000000");
}

static void test_el(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	svg_el(&b, "line", "class x1 x2 y1 y2", "grid", (const double[]){ 40, 40, 0, 90.25 }, "/>");
	assert_string_equal(buf_str(&b), "<line class=\"grid\" x1=\"40\" x2=\"40\" y1=\"0\" y2=\"90.3\"/>");
	buf_reset(&b);
	svg_el(&b, "rect", "x y width height class", "bar over", (const double[]){ 8, 20.5, 40, 100 }, ">");
	assert_string_equal(buf_str(&b), "<rect x=\"8\" y=\"20.5\" width=\"40\" height=\"100\" class=\"bar over\">");
	buf_reset(&b);
	/* No class: the attribute is left out, the values keep their order. */
	svg_el(&b, "rect", "x class y", NULL, (const double[]){ 1, 2 }, " fill=\"#fff\"/>");
	assert_string_equal(buf_str(&b), "<rect x=\"1\" y=\"2\" fill=\"#fff\"/>");
	buf_free(&b);
}

static void test_text(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	svg_text(&b, 10, 20.5, "lane lane-b", "end");
	assert_string_equal(buf_str(&b), "<text x=\"10\" y=\"20.5\" class=\"lane lane-b\" text-anchor=\"end\">");
	buf_reset(&b);
	svg_text(&b, 1, 2, NULL, NULL);
	assert_string_equal(buf_str(&b), "<text x=\"1\" y=\"2\">");
	buf_free(&b);
}

static void test_html(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	html_stat(&b, "&#8212;", "incidents");
	assert_string_equal(buf_str(&b), "<div class=\"stat\"><b>&#8212;</b><span>incidents</span></div>\n");
	buf_reset(&b);
	buf_puts(&b, HTML_TABLE("<th>Rule</th>") HTML_TABLE_END);
	assert_string_equal(buf_str(&b), "<table>\n<thead><tr><th>Rule</th></tr></thead>\n<tbody>\n"
			    "</tbody>\n</table>\n");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_num),
		cmocka_unit_test(test_el),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_html),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
