/* link.c - tracking and redirect links, kept out of drafts. */
#include "link.h"

#include <string.h>

#include "util.h"

static const char *const tracking_params[] = {
	"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
	"utm_id", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid",
	"mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "yclid", "igshid",
	"trk", "trkCampaign", "oly_enc_id", "oly_anon_id", "vero_id", "_ke",
};

static const char *const redirect_hosts[] = {
	"t.co", "bit.ly", "lnkd.in", "ow.ly", "buff.ly", "tinyurl.com", "goo.gl",
	"mailchi.mp", "rebrand.ly", "is.gd", "cutt.ly", "shorturl.at",
};

char *link_problem(const char *url, size_t n)
{
	const char *host = url + (strncmp(url, "https://", 8) == 0 ? 8 : 7);
	size_t hn = strcspn(host, "/?#:");
	if (hn > (size_t)(url + n - host))
		hn = (size_t)(url + n - host);
	for (size_t i = 0; i < sizeof(redirect_hosts) / sizeof(redirect_hosts[0]); i++) {
		size_t rn = strlen(redirect_hosts[i]);
		if (hn == rn && strncmp(host, redirect_hosts[i], rn) == 0)
			return xasprintf("goes through the link shortener %s", redirect_hosts[i]);
	}
	const char *q = memchr(url, '?', n);
	while (q && q < url + n) {
		const char *p = q + 1;
		size_t kn = strcspn(p, "=&#");
		if (p + kn > url + n)
			kn = (size_t)(url + n - p);
		for (size_t i = 0; i < sizeof(tracking_params) / sizeof(tracking_params[0]); i++)
			if (strlen(tracking_params[i]) == kn && strncmp(p, tracking_params[i], kn) == 0)
				return xasprintf("carries the tracking parameter '%s'", tracking_params[i]);
		const char *v = p + kn;
		if (*v == '=' && (strncmp(v + 1, "http", 4) == 0 || strncmp(v + 1, "%2F%2F", 6) == 0 ||
				  strncmp(v + 1, "https%3A", 8) == 0 || strncmp(v + 1, "http%3A", 7) == 0))
			return xstrdup("is a redirect to another address");
		q = memchr(v, '&', (size_t)(url + n - v));
	}
	return NULL;
}

const char *link_next(const char *s, size_t *n)
{
	const char *p = s;
	while ((p = strstr(p, "http")) != NULL) {
		if (strncmp(p, "http://", 7) != 0 && strncmp(p, "https://", 8) != 0) {
			p += 4;
			continue;
		}
		size_t k = strcspn(p, " \t\r\n<>\"')]");
		while (k && strchr(".,;:!?", p[k - 1]))
			k--;
		*n = k;   /* at least "http://" */
		return p;
	}
	return NULL;
}
