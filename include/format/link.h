/*
 * link.h - the addresses a draft links to or shows, and what is wrong
 * with one: drafts carry no tracking parameters and no link shorteners
 * or redirects (the plan: "no tracking links").
 *
 *     char *why = link_problem("https://BIT.LY/x", 16);
 *     // "goes through the link shortener bit.ly"; the caller frees it
 *     link_each_in_tree(doc, found, &state);   // found(url, n, &state)
 *
 * An address is read the way a browser reads it, so that spelling cannot
 * hide it: the scheme and host in any case, "https:bit.ly" and
 * "https:\\bit.ly" as https://bit.ly, user information before '@'
 * dropped, the host percent-decoded and mapped as IDNA maps it (NFKC,
 * case folded, "。" as "."), a trailing '.' dropped, and subdomains of a
 * shortener counted as the shortener (www.bit.ly).  Parameters are read
 * from the query and from the fragment, split at '&' and ';', names and
 * values percent-decoded ('+' as a space) and names in any case.
 */
#ifndef SIRCOMM_LINK_H
#define SIRCOMM_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

/* What is wrong with url (n bytes) in a draft, as a new string the caller
 * frees ("goes through the link shortener bit.ly", "carries the tracking
 * parameter 'utm_source'", "is a redirect to another address"), or NULL
 * when nothing is.  Only http: and https: addresses (and "//host", as
 * https) are judged; anything else is NULL. */
char *link_problem(const char *url, size_t n);

/* True when a and b are one address spelled two ways in drafts: the
 * same once percent-decoded, a bare "www." counting as "http://www."
 * (an HTML renderer percent-encodes what a Markdown link held as is; an
 * autolink adds the scheme to www.). */
bool link_same(const char *a, size_t an, const char *b, size_t bn);

/* Called with each address found (borrowed, n bytes, not terminated). */
typedef void (*link_fn)(const char *url, size_t n, void *ud);

/* Every address in plain text: from "http://", "https://" (any case) or
 * a "www." that starts a word, up to white space, '<', '>', '"' or a
 * control character, without trailing punctuation (. , ; : ! ? ' ) ] } * _ ~ `,
 * the backtick closing a code span in a plain-text draft).
 * A mail client or a reader turns such text into a link. */
void link_each_in_text(const char *text, size_t n, link_fn fn, void *ud);

/* Every address a Markdown document links to or shows: the destinations
 * of links and images (autolinks included), and addresses written out in
 * its text, code spans and code blocks. */
void link_each_in_tree(cmark_node *doc, link_fn fn, void *ud);

/* Every address in an HTML page, as an HTML parser reads it (entities
 * decoded): the value of every attribute that holds one (href, src,
 * action, ...), and addresses written out in any attribute or text,
 * style and script included. */
void link_each_in_html(const char *html, size_t n, link_fn fn, void *ud);

#endif
