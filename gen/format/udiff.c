/* udiff.c - unified diffs of two texts: Myers' shortest edit script. */
#include "format/udiff.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct line {
	const char *p;
	size_t len;        /* with its "\n", if it has one */
	uint64_t hash;
};

/* Splits text into lines, each with its hash (FNV-1a). */
static struct line *split(const char *s, size_t len, size_t *n)
{
	size_t count = 0;
	for (size_t i = 0; i < len; i++)
		count += s[i] == '\n';
	count += len && s[len - 1] != '\n';
	struct line *l = xcalloc(count + 1, sizeof(*l));
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n')
			continue;
		size_t end = i < len ? i + 1 : i;
		if (end == start)
			break;
		uint64_t h = 1469598103934665603u;
		for (size_t j = start; j < end; j++)
			h = (h ^ (unsigned char)s[j]) * 1099511628211u;
		l[k++] = (struct line){ s + start, end - start, h };
		start = end;
	}
	*n = k;
	return l;
}

static bool same(const struct line *x, const struct line *y)
{
	return x->hash == y->hash && x->len == y->len && memcmp(x->p, y->p, x->len) == 0;
}

enum op { OP_EQ, OP_DEL, OP_INS };

/*
 * The shortest edit script turning a[0..n) into b[0..m), appended to ops
 * (from the start), by Myers' greedy forward search, keeping each round's
 * furthest points to walk back.  Past UDIFF_MAX_EDITS, everything is
 * deleted and inserted.  Returns the number of ops written.
 */
static size_t myers(const struct line *a, size_t n, const struct line *b, size_t m, enum op *ops)
{
	size_t dmax = n + m < UDIFF_MAX_EDITS ? n + m : UDIFF_MAX_EDITS;
	long off = (long)dmax + 1;
	/* trace[d] holds V after round d for k in -d..d: (2d+1) values. */
	int32_t **trace = xcalloc(dmax + 1, sizeof(*trace));
	int32_t *v = xcalloc(2 * (size_t)off + 1, sizeof(*v));
	long found = -1;
	for (long d = 0; d <= (long)dmax && found < 0; d++) {
		for (long k = -d; k <= d; k += 2) {
			long x;
			if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
				x = v[off + k + 1];
			else
				x = v[off + k - 1] + 1;
			long y = x - k;
			while (x < (long)n && y < (long)m && same(&a[x], &b[y])) {
				x++;
				y++;
			}
			v[off + k] = (int32_t)x;
			if (x >= (long)n && y >= (long)m) {
				found = d;
				break;
			}
		}
		trace[d] = xcalloc(2 * (size_t)d + 1, sizeof(**trace));
		for (long k = -d; k <= d; k++)
			trace[d][k + d] = v[off + k];
	}
	size_t count = 0;
	if (found < 0) {
		for (size_t i = 0; i < n; i++)
			ops[count++] = OP_DEL;
		for (size_t j = 0; j < m; j++)
			ops[count++] = OP_INS;
	} else {
		/* Walk back from (n, m), writing the ops from the end. */
		/* n + m = 2 * equal + edits; the ops are the equal lines and
		 * the edits. */
		size_t total = (n + m - (size_t)found) / 2 + (size_t)found;
		count = total;
		size_t at = total;
		long x = (long)n, y = (long)m;
		for (long d = found; d > 0; d--) {
			long k = x - y;
			const int32_t *pv = trace[d - 1];
			long pk;
			if (k == -d || (k != d && pv[k - 1 + (d - 1)] < pv[k + 1 + (d - 1)]))
				pk = k + 1;
			else
				pk = k - 1;
			long px = pv[pk + (d - 1)], py = px - pk;
			long sx = pk == k + 1 ? px : px + 1;   /* where the snake starts */
			while (x > sx) {
				ops[--at] = OP_EQ;
				x--;
				y--;
			}
			ops[--at] = pk == k + 1 ? OP_INS : OP_DEL;
			x = px;
			y = py;
		}
		while (x > 0) {
			ops[--at] = OP_EQ;
			x--;
		}
	}
	for (size_t d = 0; d <= dmax; d++)
		free(trace[d]);
	free(trace);
	free(v);
	return count;
}

/* A line with its prefix, and the marker after one with no "\n". */
static void put_line(struct buf *out, char prefix, const struct line *l)
{
	buf_putc(out, prefix);
	buf_append(out, l->p, l->len);
	if (l->len == 0 || l->p[l->len - 1] != '\n')
		buf_puts(out, "\n\\ No newline at end of file\n");
}

static void put_range(struct buf *out, char sign, size_t start, size_t count)
{
	/* An empty range names the line before it. */
	if (count == 1)
		buf_printf(out, "%c%zu", sign, start + 1);
	else
		buf_printf(out, "%c%zu,%zu", sign, count ? start + 1 : start, count);
}

int udiff_write(const char *a_label, const char *a, size_t alen,
		const char *b_label, const char *b, size_t blen, int context, struct buf *out)
{
	size_t n, m;
	struct line *la = split(a, alen, &n), *lb = split(b, blen, &m);
	size_t pre = 0, suf = 0;
	while (pre < n && pre < m && same(&la[pre], &lb[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre && same(&la[n - 1 - suf], &lb[m - 1 - suf]))
		suf++;
	enum op *ops = xcalloc(n + m + 1, sizeof(*ops));
	size_t nops = 0;
	for (size_t i = 0; i < pre; i++)
		ops[nops++] = OP_EQ;
	nops += myers(la + pre, n - pre - suf, lb + pre, m - pre - suf, ops + nops);
	for (size_t i = 0; i < suf; i++)
		ops[nops++] = OP_EQ;

	size_t ctx = context > 0 ? (size_t)context : 0;
	size_t start = out->len;
	bool any = false;
	/* ai[i], bi[i]: the lines of a and b before op i. */
	size_t *ai = xcalloc(nops + 1, sizeof(*ai)), *bi = xcalloc(nops + 1, sizeof(*bi));
	for (size_t i = 0; i < nops; i++) {
		ai[i + 1] = ai[i] + (ops[i] != OP_INS);
		bi[i + 1] = bi[i] + (ops[i] != OP_DEL);
	}
	size_t i = 0;
	while (i < nops) {
		if (ops[i] == OP_EQ) {
			i++;
			continue;
		}
		/* A hunk: from ctx equal lines before this change to ctx after
		 * the last change that is at most 2*ctx equal lines from the
		 * one before it. */
		size_t first = i >= ctx ? i - ctx : 0;
		while (first < i && ops[first] != OP_EQ)
			first++;
		size_t last = i;   /* one past the last change */
		for (;;) {
			while (last < nops && ops[last] != OP_EQ)
				last++;
			size_t eq = last;
			while (eq < nops && ops[eq] == OP_EQ)
				eq++;
			if (eq < nops && eq - last <= 2 * ctx)
				last = eq;
			else
				break;
		}
		size_t end = last + ctx < nops ? last + ctx : nops;
		if (!any) {
			buf_printf(out, "--- %s\n+++ %s\n", a_label, b_label);
			any = true;
		}
		buf_puts(out, "@@ ");
		put_range(out, '-', ai[first], ai[end] - ai[first]);
		buf_putc(out, ' ');
		put_range(out, '+', bi[first], bi[end] - bi[first]);
		buf_puts(out, " @@\n");
		for (size_t j = first; j < end;) {
			if (ops[j] == OP_EQ) {
				put_line(out, ' ', &la[ai[j]]);
				j++;
				continue;
			}
			size_t run = j;
			while (run < end && ops[run] != OP_EQ)
				run++;
			for (size_t k = j; k < run; k++)
				if (ops[k] == OP_DEL)
					put_line(out, '-', &la[ai[k]]);
			for (size_t k = j; k < run; k++)
				if (ops[k] == OP_INS)
					put_line(out, '+', &lb[bi[k]]);
			j = run;
		}
		i = end;
	}
	free(ai);
	free(bi);
	free(ops);
	free(la);
	free(lb);
	if (out->overflow) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return -1;
	}
	return 0;
}
