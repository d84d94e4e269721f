/* udiff-run A B: prints udiff_write's diff of two files, labelled "a" and
 * "b" (as `diff -u --label a --label b A B` labels them), for
 * tests/udiff-check.py.  Exit 0 equal, 1 different, 2 trouble. */
#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"
#include "format/udiff.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: udiff-run A B\n");
		return 2;
	}
	char *a, *b;
	size_t alen, blen;
	if (read_file(argv[1], (size_t)64 << 20, &a, &alen) != 0 ||
	    read_file(argv[2], (size_t)64 << 20, &b, &blen) != 0) {
		perror("udiff-run");
		return 2;
	}
	struct buf out = BUF_INIT;
	if (udiff_write("a", a, alen, "b", b, blen, 3, &out) != 0)
		return 2;
	fwrite(out.data ? out.data : "", 1, out.len, stdout);
	int rc = out.len ? 1 : 0;
	buf_free(&out);
	free(a);
	free(b);
	return rc;
}
