/* statuspage.c - the incident as a status page incident. */
#include "publish/statuspage.h"

#include "base/esc.h"

static const char *impact(const struct record *rec)
{
	if (rec->users == REC_USERS_NONE)
		return "none";
	switch (rec->impact) {
	case POL_IMPACT_CRITICAL: return "critical";
	case POL_IMPACT_HIGH: return "major";
	default: return "minor";
	}
}

void statuspage_write(const struct record *rec, const struct publish_notice *notices, size_t n,
		      struct buf *out)
{
	const struct publish_notice *last = &notices[n - 1];
	buf_puts(out, "{\n  \"incident\": {\n    \"id\": ");
	esc_json(out, rec->id);
	buf_puts(out, ",\n    \"name\": ");
	esc_json(out, rec->title);
	buf_printf(out, ",\n    \"status\": \"%s\",\n    \"impact\": \"%s\",\n    \"created_at\": ",
		   publish_status_name(last->status), impact(rec));
	esc_json_time(out, true, notices[0].at);
	buf_puts(out, ",\n    \"updated_at\": ");
	esc_json_time(out, true, last->at);
	buf_puts(out, ",\n    \"resolved_at\": ");
	esc_json_time(out, last->status == PUBLISH_RESOLVED, last->at);
	buf_puts(out, ",\n    \"components\": [");
	for (size_t i = 0; i < rec->n_services; i++) {
		buf_printf(out, "%s\n      {\"name\": ", i ? "," : "");
		esc_json(out, rec->services[i].name);
		buf_puts(out, "}");
	}
	buf_puts(out, rec->n_services ? "\n    ],\n    \"body\": " : "],\n    \"body\": ");
	struct buf body = BUF_INIT;
	publish_notice_body(last, &body);
	esc_json(out, buf_str(&body));
	buf_puts(out, ",\n    \"incident_updates\": [");
	for (size_t k = n; k-- > 0;) {
		const struct publish_notice *nt = &notices[k];
		buf_printf(out, "%s\n      {\n        \"id\": \"%s-notice-%zu\",\n        \"status\": \"%s\",\n"
			   "        \"body\": ", k + 1 < n ? "," : "", rec->id, nt->number,
			   publish_status_name(nt->status));
		buf_reset(&body);
		publish_notice_body(nt, &body);
		esc_json(out, buf_str(&body));
		buf_puts(out, ",\n        \"created_at\": ");
		esc_json_time(out, true, nt->at);
		buf_puts(out, ",\n        \"display_at\": ");
		esc_json_time(out, true, nt->at);
		buf_printf(out, ",\n        \"published\": %s\n      }", nt->published ? "true" : "false");
	}
	buf_puts(out, "\n    ]\n  }\n}\n");
	buf_free(&body);
}
