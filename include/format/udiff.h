/*
 * udiff.h - unified diffs of two texts, line by line.
 *
 * A bundle made with `--sent DIR` holds, beside each communication as it
 * was actually sent, its differences from sircomm's draft in the form
 * every reviewer and `patch` reads: `diff -u` (GNU diffutils) output.
 * The edit script is a shortest one (Myers' O(ND) algorithm), so the
 * diff shows only what the team changed; ties between equally short
 * scripts are broken the same way every time, so the same two texts
 * always give the same bytes.
 *
 *     struct buf out = BUF_INIT;
 *     udiff_write("drafts/customer-email.txt", draft, draft_len,
 *                 "sent/customer-email.txt", sent, sent_len, 3, &out);
 *     // "" when the texts are equal
 */
#ifndef SIRCOMM_UDIFF_H
#define SIRCOMM_UDIFF_H

#include <stddef.h>

#include "base/util.h"

/*
 * Texts whose differences need more than this many inserted and deleted
 * lines (past their common start and end) are not searched for a
 * shortest script: the differing middle is shown as deleted and then
 * inserted whole.  Still a correct diff, in bounded time and memory
 * (about 16 MiB of search state at most) for a hostile or unrelated file.
 */
#define UDIFF_MAX_EDITS 2000

/*
 * Appends to out the unified diff turning a (labelled a_label) into b
 * (b_label), with `context` lines of context around each change, as
 * `diff -u --label A --label B` writes it: "--- A" and "+++ B", hunks
 * "@@ -l,n +l,n @@" (",1" left out), lines prefixed ' ', '-' or '+',
 * within a change the deleted lines before the inserted ones, and
 * "\ No newline at end of file" after a last line without one.  Lines
 * end at "\n"; a "\r" before it is part of the line.  Appends nothing
 * when a and b are equal.  Returns 0, or -1 when out's cap was reached
 * (out->overflow set).
 */
int udiff_write(const char *a_label, const char *a, size_t alen,
		const char *b_label, const char *b, size_t blen, int context, struct buf *out);

#endif
