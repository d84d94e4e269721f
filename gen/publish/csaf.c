/* csaf.c - the incident as a CSAF 2.0 security incident response document. */
#include "publish/csaf.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/esc.h"

/* True when s has something besides white space. */
static bool has_text(const char *s)
{
	return s && s[strspn(s, " \t\r\n")];
}

/* Appends one note, after a comma when it is not the first. */
static void note(struct buf *out, size_t *count, const char *category, const char *title,
		 const char *text)
{
	if (!has_text(text))
		return;
	buf_printf(out, "%s\n      {\n        \"category\": \"%s\",\n        \"text\": ",
		   *count ? "," : "", category);
	esc_json(out, text);
	buf_puts(out, ",\n        \"title\": ");
	esc_json(out, title);
	buf_puts(out, "\n      }");
	(*count)++;
}

/* A list of Markdown steps as one Markdown list. */
static char *steps(const char *const *s, size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		if (has_text(s[i]))
			buf_printf(&b, "%s- %s", b.len ? "\n" : "", s[i]);
	return buf_detach(&b);
}

static void reference(struct buf *out, size_t *count, const char *summary, const char *url)
{
	buf_printf(out, "%s\n      {\n        \"category\": \"external\",\n        \"summary\": ",
		   *count ? "," : "");
	esc_json(out, summary);
	buf_puts(out, ",\n        \"url\": ");
	esc_json(out, url);
	buf_puts(out, "\n      }");
	(*count)++;
}

void csaf_write(const struct record *rec, const struct policy *pol,
		const struct publish_notice *notices, size_t upto, struct buf *out)
{
	const struct rec_comm *c = &rec->comm;
	const char *at = strrchr(pol->sender_address, '@');
	char *ns = xasprintf("https://%s", at ? at + 1 : pol->sender_address);

	/* The published notices make the versions; before any, a draft. */
	size_t published = 0, first = 0, last = 0;
	for (size_t i = 0; i < upto; i++)
		if (notices[i].published) {
			if (!published)
				first = i;
			last = i;
			published++;
		}
	const char *status = !published ? "draft"
			     : notices[last].status == PUBLISH_RESOLVED ? "final" : "interim";

	buf_puts(out, "{\n  \"document\": {\n    \"category\": \"csaf_security_incident_response\",\n"
		      "    \"csaf_version\": \"2.0\",\n    \"lang\": \"en\",\n    \"notes\": [");
	size_t n_notes = 0;
	note(out, &n_notes, "summary", "Summary", notices[upto - 1].summary);
	if (upto > 1) {
		struct buf body = BUF_INIT;
		publish_notice_body(&notices[upto - 1], &body);
		char *title = xasprintf("Update %zu", notices[upto - 1].number);
		note(out, &n_notes, "general", title, buf_str(&body));
		free(title);
		buf_free(&body);
	}
	note(out, &n_notes, "details", "Customer impact", c->customer_impact);
	note(out, &n_notes, "description", "Our response", c->response);
	note(out, &n_notes, "general", "What customers should do", c->customer_action);
	char *mit = steps(c->mitigation, c->n_mitigation), *next = steps(c->next_steps, c->n_next_steps);
	note(out, &n_notes, "general", "Mitigation", mit);
	note(out, &n_notes, "general", "Next steps", next);
	free(mit);
	free(next);
	buf_puts(out, "\n    ],\n    \"publisher\": {\n      \"category\": \"vendor\",\n");
	if (has_text(c->contact)) {
		buf_puts(out, "      \"contact_details\": ");
		esc_json(out, c->contact);
		buf_puts(out, ",\n");
	}
	buf_puts(out, "      \"name\": ");
	esc_json(out, pol->organization);
	buf_puts(out, ",\n      \"namespace\": ");
	esc_json(out, ns);
	buf_puts(out, "\n    },\n    \"references\": [");
	size_t n_refs = 0;
	if (has_text(c->blog))
		reference(out, &n_refs, "Blog post about the incident", c->blog);
	if (has_text(c->advisory))
		reference(out, &n_refs, "Security advisory", c->advisory);
	if (has_text(c->contact)) {
		/* The contact is an email address or a web address. */
		char *url = strstr(c->contact, "://") ? xstrdup(c->contact)
						      : xasprintf("mailto:%s", c->contact);
		reference(out, &n_refs, "Contact for questions about the incident", url);
		free(url);
	}
	if (!n_refs)
		reference(out, &n_refs, "The publisher", ns);
	buf_puts(out, "\n    ],\n    \"title\": ");
	esc_json(out, rec->title);
	buf_puts(out, ",\n    \"tracking\": {\n      \"current_release_date\": ");
	esc_json_time(out, true, notices[published ? last : 0].at);
	buf_puts(out, ",\n      \"generator\": {\n        \"engine\": {\n          \"name\": \"sircomm\"\n"
		      "        }\n      },\n      \"id\": ");
	esc_json(out, rec->id);
	buf_puts(out, ",\n      \"initial_release_date\": ");
	esc_json_time(out, true, notices[published ? first : 0].at);
	buf_puts(out, ",\n      \"revision_history\": [");
	if (!published) {
		buf_puts(out, "\n        {\n          \"date\": ");
		esc_json_time(out, true, notices[0].at);
		buf_puts(out, ",\n          \"number\": \"0\",\n"
			      "          \"summary\": \"Draft: not published yet.\"\n        }");
	}
	size_t number = 0;
	for (size_t i = 0; i < upto; i++) {
		if (!notices[i].published)
			continue;
		number++;
		buf_printf(out, "%s\n        {\n          \"date\": ", number > 1 ? "," : "");
		esc_json_time(out, true, notices[i].at);
		buf_printf(out, ",\n          \"number\": \"%zu\",\n          \"summary\": \"Notice %zu: %s.\"\n"
			   "        }", number, notices[i].number, publish_status_name(notices[i].status));
	}
	buf_printf(out, "\n      ],\n      \"status\": \"%s\",\n      \"version\": \"%zu\"\n    }\n  }\n}\n",
		   status, published);
	free(ns);
}
