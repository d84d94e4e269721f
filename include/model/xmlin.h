/*
 * xmlin.h - reading untrusted XML safely, with RelaxNG validation.
 *
 * Records and policies come from people in a hurry and, sometimes, from
 * attackers.  xmlin_load() refuses before parsing what no record needs:
 * empty, oversized, binary, UTF-16/32 and DOCTYPE-carrying files (so no
 * entity expansion, external entities or DTD loading can happen), then
 * parses with libxml2 with the network off, and validates against one of
 * the schemas compiled into the binary.  Every problem becomes a
 * diagnostic with the file and the line.
 *
 *     xmlDocPtr doc;
 *     if (xmlin_load("rec.xml", data, len, "record.rng", &d, &doc) != 0)
 *             return -1;        // diagnostics are in d
 *     ...
 *     xmlFreeDoc(doc);
 */
#ifndef SIRCOMM_XMLIN_H
#define SIRCOMM_XMLIN_H

#include <stdbool.h>
#include <stddef.h>
#include <libxml/tree.h>

#include "base/diag.h"

/* The largest record or policy sircomm reads. */
#define XMLIN_MAX_BYTES ((size_t)4 << 20)

/*
 * Reads a file ("-" is standard input) of at most XMLIN_MAX_BYTES.
 * Returns 0 with a new buffer the caller frees, or -1 after adding a
 * diagnostic.
 */
int xmlin_read(const char *path, struct diag *d, char **data, size_t *len);

/*
 * Checks, parses and validates `data` against the built-in schema named
 * `schema` ("record.rng" or "policy.rng").  `path` names the input in
 * diagnostics.  Returns 0 with a new document the caller frees with
 * xmlFreeDoc, or -1 after adding at least one error to d.
 */
int xmlin_load(const char *path, const char *data, size_t len,
	       const char *schema, struct diag *d, xmlDocPtr *out);

/*
 * Reads just far enough into untrusted XML to find an attribute (with no
 * prefix) of its root element, for a quick look at many files before the
 * real work: from an open file, a few KiB at a time (at most
 * XMLIN_MAX_BYTES), or from bytes in memory.  As safe as xmlin_load: no
 * network, no DTD read, no entity expanded (a DOCTYPE ends the look), no
 * message printed.  Returns true with a new string in *value (the caller
 * frees it) and the line xmlin_line gives the root element; false when
 * the input is not well-formed up to the root's start tag, or the
 * attribute is not there.
 */
bool xmlin_peek_root_attr_fd(int fd, const char *name, char **value, long *line);
bool xmlin_peek_root_attr(const char *data, size_t len, const char *name, char **value,
			  long *line);

/*
 * A check of the parsed document that runs before schema validation, for
 * limits that keep validation and everything after it bounded (libxml2's
 * RelaxNG validator slows down on long lists inside an <interleave>).
 * It adds its errors to d and returns 0, or -1 when the document must go
 * no further.
 */
typedef int (*xmlin_check_fn)(const xmlNode *root, const char *path, struct diag *d);

/* xmlin_load with `check` (NULL for none) run on the parsed document
 * first; a document it refuses is not validated, and only its errors
 * are reported. */
int xmlin_load_checked(const char *path, const char *data, size_t len, const char *schema,
		       xmlin_check_fn check, struct diag *d, xmlDocPtr *out);

/* The line of a node, for diagnostics (libxml2 keeps lines past 65535
 * with XML_PARSE_BIG_LINES). */
long xmlin_line(const xmlNode *node);

/* Returns the attribute's value (a new string the caller frees with
 * xmlFree), or NULL when absent. */
char *xmlin_attr(const xmlNode *node, const char *name);

/* Returns the attribute's value copied into the arena, or NULL. */
const char *xmlin_attr_in(const xmlNode *node, const char *name, struct arena *a);

/* Looks up several attributes in one pass over the element's own:
 * values[i] is names[i]'s value copied into the arena, or NULL. */
void xmlin_attrs_in(const xmlNode *node, const char *const *names, size_t count,
		    const char **values, struct arena *a);

/* Returns the element's text content copied into the arena ("" if none). */
const char *xmlin_text_in(const xmlNode *node, struct arena *a);

/* Returns the element's text content ("" if none) without copying it when
 * it is one text node, as it nearly always is: borrowed from the document,
 * or else a copy that *owned also points to, for the caller to free with
 * xmlFree.  Valid while the document is. */
const char *xmlin_text_ref(const xmlNode *node, xmlChar **owned);

/* True when the element's text content holds anything but white space. */
bool xmlin_has_text(const xmlNode *node);

/*
 * The same two, read the way RelaxNG compares an enumerated <value> or an
 * XML Schema number or boolean: as a token, with white space (space, tab,
 * CR, LF) trimmed from both ends and each inner run of it collapsed to one
 * space.  The schema accepts <severity> S2 </severity> as S2, so the code
 * that looks the name up must read it the same way.
 */
const char *xmlin_token_in(const xmlNode *node, const char *name, struct arena *a);
const char *xmlin_text_token_in(const xmlNode *node, struct arena *a);

/* True when node is an element named `name` (any element if NULL). */
bool xmlin_is(const xmlNode *node, const char *name);

/* The first child element named `name` (any if NULL), or NULL; node may
 * be NULL. */
const xmlNode *xmlin_child(const xmlNode *node, const char *name);

/* How many child elements named `name` (any if NULL); node may be NULL. */
size_t xmlin_count(const xmlNode *node, const char *name);

/* Releases the compiled schemas.  Schemas are compiled once per thread
 * (libxml2's compiled RelaxNG is not shared across threads), so every
 * thread that loaded XML calls this before it ends. */
void xmlin_cleanup(void);

/* The version of libxml2 in use, dotted ("2.9.14"), into out. */
void xmlin_libxml2_version(char out[16]);

#endif
