/*
 * fuzz_policy.c - policies (XML): what `sircomm policy check` and every
 * --policy FILE parse.  A policy that loads is shown as Markdown (`policy
 * show`, which walks every table and condition), and then drives the
 * rest of the tool: a generated record valid against it (`sircomm sample
 * --policy`) is loaded and audited under it, as `audit --policy` would.
 */
#include "audit/audit.h"
#include "audit/audit_report.h"
#include "fuzz.h"
#include "model/record.h"
#include "model/sample.h"

static void audit_under(const struct policy *pol)
{
	struct buf xml = BUF_INIT;
	sample_record(pol, 1, 0, &xml);
	struct diag d = DIAG_INIT;
	struct record *rec = NULL;
	if (rec_parse("sample.xml", xml.data, xml.len, pol, &d, &rec) == 0) {
		struct audit *au;
		if (audit_run(rec, pol, AUDIT_AT_RECORD, &au) == 0) {
			struct buf out = BUF_INIT;
			audit_render(au, AUDIT_FORMAT_JSON, false, &out);
			buf_reset(&out);
			audit_render_status(au, AUDIT_FORMAT_TEXT, false, &out);
			buf_free(&out);
			audit_free(au);
		}
	}
	rec_free(rec);
	diag_free(&d);
	buf_free(&xml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = DIAG_INIT;
	struct policy *pol = NULL;
	if (pol_parse("fuzz-policy.xml", (const char *)data, size, &d, &pol) == 0) {
		struct buf out = BUF_INIT;
		pol_show_markdown(pol, &out);
		buf_free(&out);
		audit_under(pol);
	}
	pol_free(pol);
	diag_free(&d);
	return 0;
}
