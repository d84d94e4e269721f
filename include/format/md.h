/*
 * md.h - Markdown through cmark-gfm: parsing in safe mode, and the
 * renderers sircomm needs: HTML from cmark-gfm, and plain text written
 * on the AST here.  cmark-gfm has a plain-text renderer
 * (cmark_render_plaintext), but a customer reading its output in an
 * email would lose what matters: links keep their text and drop their
 * URLs, tables come out as Markdown pipes, and quotes lose their marker.
 * md_render_text lays a document out as a well-written plain-text email.
 *
 *     cmark_node *doc = md_parse(text, len);
 *     struct buf out = BUF_INIT;
 *     md_render_text(doc, 72, &out);      // for email bodies
 *     md_render_html(doc, &out);          // fragment, raw HTML suppressed
 *     cmark_node_free(doc);
 *
 * Parsing attaches those of the GFM extensions table, autolink,
 * tasklist and strikethrough that the text could use (the tree is the
 * same as with all of them); HTML is rendered with all four and
 * tagfilter.  Rendering is safe: raw HTML is never
 * passed through, and links or images whose destination is not http:,
 * https: or mailto: (javascript:, data:, vbscript:, file:, relative
 * references, ...) lose their destination and become plain text.
 */
#ifndef SIRCOMM_MD_H
#define SIRCOMM_MD_H

#include <stdbool.h>
#include <stddef.h>

#include <cmark-gfm.h>

#include "base/util.h"

/* Parses Markdown; returns a new document the caller frees with
 * cmark_node_free.  Never fails short of memory exhaustion.  Invalid
 * UTF-8 becomes U+FFFD.  Unsafe links and images (see above) are
 * replaced by their content here: a link by its text, an image by its
 * alt text, so every renderer of the tree, md_ or not, gets them inert. */
cmark_node *md_parse(const char *text, size_t len);

/* The GFM extensions whose syntax text (len bytes) could hold, as a set
 * of MD_EXT_ bits: md_parse attaches only those, since one that cannot
 * match still costs (table tries every paragraph line, autolink and
 * strikethrough split the inline parse at ':', 'w' and '~').  A bit is
 * left out only when the tree cannot differ without the extension:
 *  - table: no '|', ":-", "-:", \v or \f (without them a delimiter row
 *    is a setext underline);
 *  - autolink: no "://", "www.", '&' (an entity can write '@'), nor an
 *    '@' after a letter, digit, '.', '+', '-', '_', ':' (of "mailto:"
 *    or "xmpp:") or backslash, except
 *    inside an autolink "<...>" that nothing before it can cut (no '`',
 *    '|', '\\', quote, bracket, parenthesis or space in it, its '<' not
 *    escaped), which is a link already;
 *  - tasklist: no "[ ", "[x" or "[X";
 *  - strikethrough: no '~'.
 * tagfilter acts only when HTML is rendered, and md_render_html always
 * has it.  Pure: reads text only. */
#define MD_EXT_TABLE         (1u << 0)
#define MD_EXT_AUTOLINK      (1u << 1)
#define MD_EXT_TASKLIST      (1u << 2)
#define MD_EXT_STRIKETHROUGH (1u << 3)
unsigned md_parse_extensions(const char *text, size_t len);

/* True when text (len bytes) is valid UTF-8 with no NUL byte: what
 * md_parse would pass to cmark-gfm unchanged.  md_parse asks cmark-gfm
 * to replace invalid sequences only when this is false. */
bool md_utf8_valid(const char *text, size_t len);

/*
 * A pool for the trees of one unit of work (a record's drafts): between
 * md_pool_begin() and md_pool_end() on one thread, md_parse takes all
 * of a tree's memory from a pool whose free does nothing (cmark-gfm
 * makes thousands of small allocations a record), and md_pool_end
 * releases it at once.  Every tree md_parse returned in between must be
 * freed with cmark_node_free (which then only walks it), or dropped,
 * before md_pool_end: none may outlive it.  Calls nest; the outermost
 * md_pool_end releases.
 *
 *     md_pool_begin();
 *     cmark_node *doc = md_parse(text, len);
 *     ...
 *     cmark_node_free(doc);
 *     md_pool_end();
 */
void md_pool_begin(void);
void md_pool_end(void);

/* A new node, from the pool when one is active: cmark-gfm moves a node
 * only between nodes of one allocator, so a node that is to hold
 * md_parse's nodes (or join its trees) must come from here.  Freed with
 * cmark_node_free, under the rules above. */
cmark_node *md_node_new(cmark_node_type type);

/* Calls fn(node, ud) for every node of doc, doc included, in document
 * order, as the walk enters it.  fn must not change the tree (collect
 * the nodes to change, and change them after the walk). */
void md_each_node(cmark_node *doc, void (*fn)(cmark_node *node, void *ud), void *ud);

/* Appends the document as an HTML fragment (safe mode, GFM tables).  Raw
 * HTML shows as cmark's "<!-- raw HTML omitted -->".  Unsafe links and
 * images are first replaced by their content in doc itself, as md_parse
 * does, for documents that did not come from md_parse. */
void md_render_html(cmark_node *doc, struct buf *out);

/*
 * Appends the document as plain text of the quality of a well-written
 * plain-text email, like `pandoc -t plain`: paragraphs wrapped at `width`
 * display columns on UTF-8 character boundaries (wide characters count
 * 2), headings set off by a blank line and underlined (= for level 1,
 * - for level 2 and below), bullet and numbered lists with hanging
 * indents, nested lists indented, block quotes prefixed "> ", code
 * blocks indented four spaces and not wrapped, tables laid out as
 * aligned columns, thematic breaks as a line, links as their text with
 * numbered references "[1]" and the bare URLs listed at the end
 * ("[1] https://..."), autolinks (text equal to the URL) as the bare URL
 * with no reference, code spans between backticks, emphasis as _this_
 * and strong emphasis as *this*, task list items as "[ ]" / "[x]".  The
 * output ends with exactly one newline.
 *
 * In detail, for what the summary leaves open:
 *  - Lines break only at spaces; a word wider than the line stands alone
 *    unbroken.  width <= 0 means no wrapping.  Headings wrap too; their
 *    underline is as wide as their widest line.
 *  - Blocks are separated by one blank line; items of a tight list and
 *    the blocks inside them are not.  Bullets are "- "; numbers keep the
 *    list's start and delimiter ("1." or "1)") and are right-aligned
 *    ("9." under "10."); wrapped lines and further blocks of an item hang
 *    under its text, after the task box if there is one.
 *  - A thematic break is a line of '-' as wide as the text, at most 72.
 *  - Tables: columns two spaces apart, each as wide as its widest cell,
 *    cells aligned as the table says (left by default), the header row
 *    underlined with dashes per column (left out when all its cells are
 *    empty); never wrapped, however wide.
 *  - Links: "text [n]", a number per distinct URL in order of first
 *    appearance, listed after a blank line at the end as "[n] URL".  A
 *    link whose text is its URL (also "www.x" for http://www.x and "a@b"
 *    for mailto:a@b) prints the URL alone; an empty text prints the URL.
 *    Unsafe links print their text only; the tree is not modified.
 *  - Code spans keep backticks, so that a full stop after a command is
 *    not read as part of it: one more backtick than the longest run
 *    inside, padded with a space when the code starts or ends with a
 *    backtick; a code span never breaks across lines.  A code span that
 *    is one web or email address prints bare, as in running text (a mail
 *    client links it, and could take a backtick into the link).
 *    Strikethrough prints its text.
 *  - Images print their alt text; raw HTML is omitted; control
 *    characters other than tabs in code blocks are dropped.
 *  - A document with nothing to print (empty, or only raw HTML) appends
 *    nothing at all, not even a newline.
 *  - No line ends in a space.
 */
void md_render_text(cmark_node *doc, int width, struct buf *out);

/* md_render_text at two widths, into out and out2, for less than twice
 * the work: what does not depend on the width (the inline text of each
 * block, whole tables) is worked out once. */
void md_render_text2(cmark_node *doc, int width, struct buf *out, int width2, struct buf *out2);

/* Escapes text for literal use inside Markdown (a tmpl_escape_fn): what
 * could start markup where the value lands is backslash-escaped, line
 * breaks and control characters become spaces, and white space at
 * either end goes.  So a record's title cannot add a heading, a list, a
 * code block, a link, HTML, or a www. or https:// autolink, while
 * ordinary text ("SIRT-2026-0142", "12:40 UTC") stays as written.  An
 * e-mail address still becomes a mailto: link to itself in HTML. */
void md_escape(struct buf *out, const char *s, size_t n);

/* md_escape of a NUL-terminated string, as a table cell or any other
 * text of a Markdown report; NULL appends nothing. */
void md_escape_str(struct buf *out, const char *s);

/*
 * Puts a record's Markdown into a Markdown template (the tmpl_escape_fn
 * for {{{x}}}): the value stays the text it is and cannot change the
 * template around it.
 *  - Every '<' that could start raw HTML, inline or as a block (a tag,
 *    "</", "<!", "<?": all seven of CommonMark's HTML block starts) is
 *    backslash-escaped, so it shows as text, except inside code, where
 *    the backslash would show (and before a '<' that starts a line inside
 *    a code span: there cmark would start an HTML block).
 *  - The value's lines after the first stay in the containers of the line
 *    it lands on: "- {{{x}}}" indents them under the item, "> {{{x}}}"
 *    quotes them.  In a heading or a table row (a line starting with '#'
 *    or '|'), the value stays on that one line, and in a table row its
 *    '|' is escaped.
 *  - A fenced code block the value leaves open is closed after it.
 * The line it lands on is read from out (what the template rendered so
 * far).  Line breaks become '\n'. */
void md_field(struct buf *out, const char *s, size_t n);

/* True when url starts with a scheme drafts may link to: http:, https:
 * or mailto:, in any case.  Relative references have no scheme and are
 * refused: drafts are read far from where they were written.  The one
 * rule every renderer (HTML, plain text, ODF) applies to links. */
bool md_url_is_safe(const char *url);

/* Display width of a UTF-8 string in columns (wide CJK and emoji count
 * 2, combining marks and control characters 0, invalid bytes 1 each). */
size_t md_display_width(const char *s, size_t n);

/* The versions of cmark-gfm and utf8proc in use ("0.29.0.gfm.6"):
 * they shape every rendered draft. */
const char *md_cmark_version(void);
const char *md_utf8proc_version(void);

#endif
