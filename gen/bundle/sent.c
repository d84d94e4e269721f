/* sent.c - communications as sent, their names, drafts and diffs. */
#include "bundle/sent.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "format/udiff.h"

const char *const sent_artifacts[] = {
	"customer-email", "security-alert", "blog-post", "support-faq",
	"media-statement", "social-post",
};
const size_t sent_n_artifacts = sizeof(sent_artifacts) / sizeof(sent_artifacts[0]);

/* The formats drafts come in, in the order a basis is looked for. */
static const char *const exts[] = { ".txt", ".md", ".eml", ".html" };
#define N_EXTS (sizeof(exts) / sizeof(exts[0]))

/* The artifact index of name (ARTIFACT.EXT), or -1. */
static int artifact(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return -1;
	bool ext_ok = false;
	for (size_t e = 0; e < N_EXTS; e++)
		ext_ok |= strcmp(dot, exts[e]) == 0;
	if (!ext_ok)
		return -1;
	for (size_t i = 0; i < sent_n_artifacts; i++)
		if (strlen(sent_artifacts[i]) == (size_t)(dot - name) &&
		    strncmp(name, sent_artifacts[i], (size_t)(dot - name)) == 0)
			return (int)i;
	return -1;
}

const char *sent_name_problem(const char *name)
{
	if (artifact(name) < 0)
		return "not named ARTIFACT.EXT for a communication sircomm drafts (customer-email, "
		       "security-alert, blog-post, support-faq, media-statement, social-post; "
		       ".txt, .md, .eml or .html)";
	return NULL;
}

size_t sent_artifact_of(const char *name)
{
	int a = artifact(name);
	return a < 0 ? 0 : (size_t)a;
}

int sent_basis(const char *sent_name, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], sent_name) == 0)
			return (int)i;
	int a = artifact(sent_name);
	if (a < 0)
		return -1;
	for (size_t e = 0; e < N_EXTS; e++)
		for (size_t i = 0; i < n; i++) {
			size_t al = strlen(sent_artifacts[a]);
			if (strncmp(names[i], sent_artifacts[a], al) == 0 && strcmp(names[i] + al, exts[e]) == 0)
				return (int)i;
		}
	return -1;
}

int sent_diff(const char *draft_name, const char *draft, size_t dlen,
	      const char *sent_name, const char *sent, size_t slen, struct buf *out)
{
	char *a = xasprintf("drafts/%s", draft_name), *b = xasprintf("sent/%s", sent_name);
	int rc = udiff_write(a, draft, dlen, b, sent, slen, 3, out);
	free(a);
	free(b);
	return rc;
}

void sent_bag_info(const char *const *names, size_t n, struct buf *info)
{
	for (int with = 1; with >= 0; with--) {
		buf_puts(info, with ? "Artifacts-With-Sent-Version:" : "Artifacts-Without-Sent-Version:");
		size_t listed = 0;
		for (size_t a = 0; a < sent_n_artifacts; a++) {
			bool has = false;
			for (size_t i = 0; i < n; i++)
				has |= artifact(names[i]) == (int)a;
			if (has == (bool)with) {
				buf_printf(info, " %s", sent_artifacts[a]);
				listed++;
			}
		}
		buf_puts(info, listed ? "\n" : " none\n");
	}
}
