/*
 * social.h - counting a social post the way the platform does.
 *
 * X counts a post's weighted length after Unicode NFC normalisation: code
 * points in U+0000-U+10FF, U+2000-U+200D, U+2010-U+201F and U+2032-U+2037
 * count 1, every other code point (CJK, emoji, ...) counts 2, and every
 * URL counts 23 whatever its length.  The limit is 280.
 */
#ifndef SIRCOMM_SOCIAL_H
#define SIRCOMM_SOCIAL_H

#include <stddef.h>

#define SOCIAL_X_LIMIT 280
#define SOCIAL_X_URL_WEIGHT 23

/* Returns the weighted length of UTF-8 text, or -1 when it is not valid
 * UTF-8.  URLs are http:// and https:// addresses and bare domains with
 * a common top-level domain (example.com/path), ended by white space or
 * by trailing punctuation that is not part of the address. */
long social_weighted_length(const char *text, size_t len);

#endif
