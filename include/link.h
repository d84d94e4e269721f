/*
 * link.h - the links sircomm lets into what customers read.
 *
 * Drafts carry no tracking or redirect links: no link shortener, no
 * tracking parameter (utm_source, fbclid, ...), no parameter that
 * forwards to another address.  The drafts are checked against this rule
 * once rendered (draft), and the policy's texts, which the templates put
 * into drafts, where they are read (policy), so a policy that loads never
 * makes a draft fail.
 *
 *     size_t n;
 *     for (const char *p = text; (p = link_next(p, &n)) != NULL; p += n) {
 *             char *why = link_problem(p, n);
 *             if (why) { report(p, n, why); free(why); }
 *     }
 */
#ifndef SIRCOMM_LINK_H
#define SIRCOMM_LINK_H

#include <stddef.h>

/* The next http:// or https:// address in the NUL-terminated text from
 * s, or NULL; *n gets its length: up to white space or one of < > " ' ) ]
 * with trailing sentence punctuation (. , ; : ! ?) left out. */
const char *link_next(const char *s, size_t *n);

/* What is wrong with the address url[0..n) (inside a NUL-terminated
 * string) for a draft, as a new string the caller frees ("goes through
 * the link shortener bit.ly", "carries the tracking parameter
 * 'utm_source'", "is a redirect to another address"), or NULL when it is
 * fine. */
char *link_problem(const char *url, size_t n);

#endif
