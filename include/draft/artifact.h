/*
 * artifact.h - the drafts sircomm writes, by number and by id: what the
 * drafting (draft.h) and the checks it runs on the drafts (agree.h) both
 * name, kept apart so that neither calls back into the other.
 */
#ifndef SIRCOMM_DRAFT_ARTIFACT_H
#define SIRCOMM_DRAFT_ARTIFACT_H

/* Which outputs to produce: a bit per draft_artifact. */
enum draft_artifact {
	DRAFT_CUSTOMER_EMAIL = 0, DRAFT_SECURITY_ALERT, DRAFT_BLOG_POST,
	DRAFT_SUPPORT_FAQ, DRAFT_MEDIA_STATEMENT, DRAFT_SOCIAL_POST,
	DRAFT_INTERNAL_UPDATE, DRAFT_APPROVAL_MATRIX, DRAFT_ENGAGEMENT_PLAN,
	DRAFT_COMMS_DOC, DRAFT_COUNT
};

#define DRAFT_ALL ((1u << DRAFT_COUNT) - 1)

/* The artifact id of a draft ("customer-email"); draft.h has the
 * reverse. */
static inline const char *draft_artifact_id(enum draft_artifact a)
{
	static const char *const ids[DRAFT_COUNT] = {
		"customer-email", "security-alert", "blog-post", "support-faq",
		"media-statement", "social-post", "internal-update", "approval-matrix",
		"engagement-plan", "comms-doc",
	};
	return ids[a];
}

#endif
