/*
 * xmlw.h - a small XML writer into a growable buffer, for documents
 * sircomm generates (the working document's parts).
 *
 * It writes what libxml2's xmlTextWriter writes for the same calls, byte
 * for byte (an XML declaration, no indentation, "<a/>" for an element with
 * nothing in it, a line feed at the end), at a fraction of the cost: the
 * working document holds every draft, and writing it through libxml2 was
 * the largest single cost of drafting.
 *
 * Text and attribute values may be any bytes: invalid UTF-8 becomes
 * U+FFFD, characters XML 1.0 cannot hold (controls other than tab, line
 * feed and carriage return; U+FFFE, U+FFFF) are dropped, and the rest is
 * escaped ("&amp;", "&lt;", "&gt;", "&quot;"; a carriage return as
 * "&#13;"; in attribute values tab and line feed as "&#9;" and "&#10;",
 * so that they survive attribute value normalisation).  Element and
 * attribute names are the caller's constants and are written as given.
 *
 *     struct xmlw w;
 *     xmlw_begin(&w, &out);
 *     xmlw_open(&w, "office:meta");
 *     xmlw_attr(&w, "office:version", "1.2");
 *     xmlw_text(&w, title, strlen(title));
 *     xmlw_close(&w);
 *     if (xmlw_finish(&w) != 0) ...
 */
#ifndef SIRCOMM_XMLW_H
#define SIRCOMM_XMLW_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

struct xmlw_name {
	const char *s;       /* borrowed */
	size_t len;
};

struct xmlw {
	struct buf *out;
	struct xmlw_name *names; /* the open elements' names */
	size_t depth, cap;
	bool in_tag;         /* a start tag is open: attributes may follow */
	bool failed;         /* a misuse, or out past its cap */
};

/* Starts a document appended to out (borrowed until xmlw_finish), with
 * its XML declaration. */
void xmlw_begin(struct xmlw *w, struct buf *out);

/* Appends n bytes of XML content as they are, after ending a start tag
 * still open: text already escaped, or whole elements (a fragment this
 * writer wrote before, kept to be written again; an empty element such
 * as "<text:tab/>"), never an unbalanced tag.  Inside the root only. */
void xmlw_raw(struct xmlw *w, const char *xml, size_t n);

/* Starts an element.  `name` is borrowed until the element is closed. */
void xmlw_open(struct xmlw *w, const char *name);

/* Adds an attribute to the element just started (before any content);
 * otherwise the writer fails. */
void xmlw_attr(struct xmlw *w, const char *name, const char *value);

/* Adds attributes already written out to the element just started (before
 * any content; otherwise the writer fails): `attrs` is what follows the
 * name in the start tag, a space before each attribute, values escaped
 * as xmlw_attr would (" text:style-name=\"Text_20_body\"").  For the
 * caller's constants, never for text from outside. */
void xmlw_attrs(struct xmlw *w, const char *attrs);

/* Writes n bytes of text; n == 0 still ends the start tag ("<a></a>"). */
void xmlw_text(struct xmlw *w, const char *s, size_t n);

/* Ends the innermost open element; with none open the writer fails. */
void xmlw_close(struct xmlw *w);

/* Ends every open element and the document, and frees the writer's
 * memory.  Returns 0, or -1 when a call was a misuse or the buffer
 * refused to grow. */
int xmlw_finish(struct xmlw *w);

#endif
