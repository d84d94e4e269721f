/* social.c - a post's weighted length as X counts it: NFC, code point
 * weights and fixed-weight URLs. */
#include "format/social.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "base/util.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* NFC, as utf8proc_NFC() does it, but into a buffer of code points. */
#define NFC_OPTIONS ((utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE))

/* Top-level domains that make a bare "name.tld" a URL: the common generic
 * ones and a small set of country codes seen in incident communications.
 * Kept short on purpose: "file.txt" or "e.g." must stay text. */
static const char *const tlds[] = {
	"com", "org", "net", "io", "dev", "co", "edu", "gov", "app", "info",
	"at", "au", "be", "br", "ca", "ch", "cn", "de", "dk", "es", "eu", "fi",
	"fr", "ie", "in", "it", "jp", "kr", "mx", "nl", "no", "nz", "pl", "pt",
	"se", "uk", "us",
};

static int weight(int32_t c)
{
	if (c <= 0x10ff || (c >= 0x2000 && c <= 0x200d) ||
	    (c >= 0x2010 && c <= 0x201f) || (c >= 0x2032 && c <= 0x2037))
		return 1;
	return 2;
}

static bool is_ascii_alnum(int32_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* True when c is one of the ASCII characters in set (never for NUL). */
static bool in_set(int32_t c, const char *set)
{
	return c > 0 && c < 0x80 && strchr(set, (int)c) != NULL;
}

static int32_t ascii_lower(int32_t c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Letters and digits of any script: a URL never starts or ends inside a
 * word. */
static bool is_word(int32_t c)
{
	if (c < 0x80)
		return is_ascii_alnum(c);
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
	case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
		return true;
	default:
		return false;
	}
}

static bool is_space(int32_t c)
{
	if (c == ' ' || (c >= 0x09 && c <= 0x0d) || c == 0x85)
		return true;
	if (c < 0x80)
		return false;
	utf8proc_category_t cat = utf8proc_category(c);
	return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
	       cat == UTF8PROC_CATEGORY_ZP;
}

/* True when the code points at cp[i..] spell `s` (ASCII, case ignored). */
static bool match_ascii(const int32_t *cp, size_t n, size_t i, const char *s)
{
	for (; *s; s++, i++)
		if (i >= n || ascii_lower(cp[i]) != *s)
			return false;
	return true;
}

/* True when a URL may start at cp[i]: not inside a word, a path, an
 * e-mail address or a hashtag. */
static bool url_may_start(const int32_t *cp, size_t i)
{
	if (i == 0)
		return true;
	int32_t p = cp[i - 1];
	return !is_word(p) && !in_set(p, "-_.@/#$");
}

/*
 * Returns the end of the URL whose address runs over cp[start..end),
 * without trailing punctuation that belongs to the sentence.  A closing
 * parenthesis or bracket stays when the URL opened it
 * ("https://en.wikipedia.org/wiki/Rust_(language)").  Never returns less
 * than `min`.
 */
static size_t trim_url(const int32_t *cp, size_t start, size_t end, size_t min)
{
	size_t parens = 0, close_parens = 0, brackets = 0, close_brackets = 0;
	for (size_t i = start; i < end; i++) {
		parens += cp[i] == '(';
		close_parens += cp[i] == ')';
		brackets += cp[i] == '[';
		close_brackets += cp[i] == ']';
	}
	while (end > min) {
		int32_t c = cp[end - 1];
		if (c == ')') {
			if (close_parens <= parens)
				break;
			close_parens--;
		} else if (c == ']') {
			if (close_brackets <= brackets)
				break;
			close_brackets--;
		} else if (!in_set(c, ".,;:!?'\"")) {
			break;
		}
		end--;
	}
	return end;
}

/* The end of the URL starting at cp[i], or i when none starts there. */
static size_t url_at(const int32_t *cp, size_t n, size_t i)
{
	if (!url_may_start(cp, i))
		return i;

	size_t scheme = match_ascii(cp, n, i, "https://") ? 8 :
			match_ascii(cp, n, i, "http://") ? 7 : 0;
	if (scheme) {
		size_t end = i + scheme;
		while (end < n && !is_space(cp[end]))
			end++;
		end = trim_url(cp, i, end, i + scheme);
		return end > i + scheme ? end : i;
	}

	/* A bare domain: two or more labels of ASCII letters, digits and
	 * hyphens, starting with a letter or digit, the last label a known
	 * top-level domain. */
	if (!is_ascii_alnum(cp[i]))
		return i;
	size_t j = i, labels = 0, tld = i;
	for (;;) {
		size_t label = j;
		while (j < n && (is_ascii_alnum(cp[j]) || cp[j] == '-'))
			j++;
		if (j == label)
			return i;
		labels++;
		tld = label;
		if (j + 1 < n && cp[j] == '.' && is_ascii_alnum(cp[j + 1]))
			j++;
		else
			break;
	}
	if (labels < 2)
		return i;
	bool known = false;
	for (size_t k = 0; k < COUNT(tlds) && !known; k++)
		known = strlen(tlds[k]) == j - tld && match_ascii(cp, n, tld, tlds[k]);
	if (!known)
		return i;
	if (j < n && (is_word(cp[j]) || cp[j] == '_' || cp[j] == '@'))
		return i;

	bool more = j < n && (cp[j] == '/' || cp[j] == '?' || cp[j] == '#' ||
			      (cp[j] == ':' && j + 1 < n && cp[j + 1] >= '0' && cp[j + 1] <= '9'));
	if (!more)
		return j;
	size_t end = j;
	while (end < n && !is_space(cp[end]))
		end++;
	return trim_url(cp, i, end, j);
}

long social_weighted_length(const char *text, size_t len)
{
	if (len == 0)
		return 0;
	if (len > (size_t)PTRDIFF_MAX / sizeof(utf8proc_int32_t))
		return -1;
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;
	size_t ascii = 0;
	while (ascii < len && s[ascii] < 0x80)
		ascii++;
	utf8proc_int32_t *cp;
	utf8proc_ssize_t m;
	if (ascii == len) {
		/* ASCII is its own NFC: its bytes are the code points. */
		cp = xmalloc(len * sizeof(*cp));
		for (size_t i = 0; i < len; i++)
			cp[i] = s[i];
		m = (utf8proc_ssize_t)len;
	} else {
		utf8proc_ssize_t n = utf8proc_decompose(s, (utf8proc_ssize_t)len, NULL, 0, NFC_OPTIONS);
		if (n < 0)
			return -1;
		cp = xmalloc((size_t)n * sizeof(*cp));
		m = utf8proc_decompose(s, (utf8proc_ssize_t)len, cp, n, NFC_OPTIONS);
		if (m >= 0 && m <= n)
			m = utf8proc_normalize_utf32(cp, m, NFC_OPTIONS);
		if (m < 0 || m > n) {
			free(cp);
			return -1;
		}
	}

	long total = 0;
	for (size_t i = 0; i < (size_t)m;) {
		size_t end = url_at(cp, (size_t)m, i);
		if (end > i) {
			total += SOCIAL_X_URL_WEIGHT;
			i = end;
		} else {
			total += weight(cp[i]);
			i++;
		}
	}
	free(cp);
	return total;
}
