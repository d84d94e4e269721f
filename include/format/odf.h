/*
 * odf.h - OpenDocument text (.odt) from Markdown, for the working comms
 * document.
 *
 * The document is built from the same cmark-gfm AST the other renderers
 * use, its XML written with xmlw (xmlw.h: the bytes libxml2's
 * xmlTextWriter would write, several times faster), and zipped with
 * libzip in memory: "mimetype" stored first and uncompressed,
 * then META-INF/manifest.xml, meta.xml, styles.xml and content.xml, every
 * entry with the same fixed mtime, so the same input gives the same bytes.
 * What every document shares is deflated once a process: styles.xml and
 * the manifest whole, and the runs of content.xml and meta.xml that are
 * the same each time (zipw_deflate_parts), the rest with each document.
 * It opens in LibreOffice and imports into Google Docs: headings, para-
 * graphs, emphasis, code, links, bullet and numbered lists (nested),
 * block quotes, tables with a header row, page breaks before level-1
 * headings after the first.
 *
 *     struct odf_meta meta = { "SIRT-2026-0142 communications", mtime };
 *     if (odf_write(doc, &meta, &out, &d) != 0) ...
 */
#ifndef SIRCOMM_ODF_H
#define SIRCOMM_ODF_H

#include <stdint.h>

#include <cmark-gfm.h>

#include "base/diag.h"
#include "base/util.h"

struct odf_meta {
	const char *title;   /* dc:title in meta.xml */
	int64_t mtime;       /* UTC epoch seconds: zip entry times and meta dates */
};

/* Appends the .odt file's bytes to out.  Returns 0, or -1 after adding a
 * diagnostic (libzip or libxml2 failing). */
int odf_write(cmark_node *doc, const struct odf_meta *meta, struct buf *out, struct diag *d);

#endif
