/* Unit tests for the output module: atomic files and directories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/diag.h"
#include "sys/output.h"
#include "base/util.h"

/* ---- Helpers -------------------------------------------------------- */

/* A fresh directory under /tmp for one test; the caller frees it after
 * rm_tree. */
static char *fresh_dir(void)
{
	char *dir = xstrdup("/tmp/sircomm-test-output-XXXXXX");
	if (!mkdtemp(dir))
		fail_msg("mkdtemp: %s", strerror(errno));
	return dir;
}

static void rm_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		chmod(path, 0700);
		DIR *dir = opendir(path);
		if (dir) {
			struct dirent *e;
			while ((e = readdir(dir)) != NULL) {
				if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
					continue;
				char *sub = xasprintf("%s/%s", path, e->d_name);
				rm_tree(sub);
				free(sub);
			}
			closedir(dir);
		}
		rmdir(path);
	} else {
		unlink(path);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the paths under dir/rel into names, directories with a
 * trailing "/". */
static void collect(const char *dir, const char *rel, char ***names, size_t *n)
{
	char *path = *rel ? xasprintf("%s/%s", dir, rel) : xstrdup(dir);
	DIR *dp = opendir(path);
	assert_non_null(dp);
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *sub = *rel ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
		char *full = xasprintf("%s/%s", dir, sub);
		struct stat st;
		assert_int_equal(lstat(full, &st), 0);
		*names = xrealloc(*names, (*n + 1) * sizeof(**names));
		if (S_ISDIR(st.st_mode)) {
			(*names)[(*n)++] = xasprintf("%s/", sub);
			collect(dir, sub, names, n);
		} else {
			(*names)[(*n)++] = xstrdup(sub);
		}
		free(full);
		free(sub);
	}
	closedir(dp);
	free(path);
}

/* Everything under dir, sorted, one path a line ("" when empty). */
static char *tree(const char *dir)
{
	char **names = NULL;
	size_t n = 0;
	collect(dir, "", &names, &n);
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		buf_printf(&b, "%s\n", names[i]);
		free(names[i]);
	}
	free(names);
	return buf_detach(&b);
}

static void assert_tree(const char *dir, const char *want)
{
	char *got = tree(dir);
	assert_string_equal(got, want);
	free(got);
}

static void assert_file(const char *path, const char *want)
{
	char *data;
	size_t len;
	assert_int_equal(read_file(path, 1 << 20, &data, &len), 0);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(data, want, len);
	free(data);
}

/* Expects exactly one diagnostic, an error on `file` saying `msg`. */
static void assert_one_error(struct diag *d, const char *file, const char *msg)
{
	assert_int_equal(d->n, 1);
	assert_int_equal(d->errors, 1);
	assert_int_equal(d->items[0].level, DIAG_ERROR);
	assert_string_equal(d->items[0].file, file);
	assert_int_equal(d->items[0].line, 0);
	assert_string_equal(d->items[0].msg, msg);
	diag_free(d);
}

static void set_umask(void)
{
	umask(022);
}

/* ---- Files ---------------------------------------------------------- */

static void test_write_read_back(void **state)
{
	(void)state;
	set_umask();
	char *dir = fresh_dir();
	char *path = xasprintf("%s/notice.md", dir);
	struct diag d = DIAG_INIT;
	const char *text = "# Notice\n\nWe are investigating.\n";
	assert_int_equal(output_write_file(path, text, strlen(text), &d), 0);
	assert_int_equal(d.n, 0);
	assert_file(path, text);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_tree(dir, "notice.md\n");

	/* Empty data makes an empty file. */
	char *empty = xasprintf("%s/empty", dir);
	assert_int_equal(output_write_file(empty, "", 0, &d), 0);
	assert_file(empty, "");
	assert_tree(dir, "empty\nnotice.md\n");

	free(empty);
	free(path);
	rm_tree(dir);
	free(dir);
}

static void test_overwrite(void **state)
{
	(void)state;
	char *dir = fresh_dir();
	char *path = xasprintf("%s/email.eml", dir);
	struct diag d = DIAG_INIT;
	struct buf big = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_printf(&big, "line %d of the first version\n", i);
	assert_int_equal(output_write_file(path, big.data, big.len, &d), 0);
	assert_file(path, big.data);

	/* A reader holding the old file keeps reading the old version. */
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(output_write_file(path, "short\n", 6, &d), 0);
	assert_file(path, "short\n");
	char head[5];
	assert_int_equal(read(fd, head, sizeof(head)), 5);
	assert_memory_equal(head, "line ", 5);
	close(fd);

	assert_int_equal(d.n, 0);
	assert_tree(dir, "email.eml\n");
	buf_free(&big);
	free(path);
	rm_tree(dir);
	free(dir);
}

static void test_missing_directory(void **state)
{
	(void)state;
	char *dir = fresh_dir();
	char *path = xasprintf("%s/missing/notice.md", dir);
	struct diag d = DIAG_INIT;
	assert_int_equal(output_write_file(path, "x", 1, &d), -1);
	char *msg = xasprintf("cannot write: %s", strerror(ENOENT));
	assert_one_error(&d, path, msg);
	assert_tree(dir, "");
	free(msg);
	free(path);
	rm_tree(dir);
	free(dir);
}

static void test_write_over_directory(void **state)
{
	(void)state;
	char *dir = fresh_dir();
	char *path = xasprintf("%s/out", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	struct diag d = DIAG_INIT;
	assert_int_equal(output_write_file(path, "x", 1, &d), -1);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.items[0].file, path);
	assert_non_null(strstr(d.items[0].msg, "cannot write: "));
	diag_free(&d);
	/* The temporary file is gone; the directory is untouched. */
	assert_tree(dir, "out/\n");

	assert_int_equal(output_write_file("/", "x", 1, &d), -1);
	assert_int_equal(d.errors, 1);
	diag_free(&d);
	free(path);
	rm_tree(dir);
	free(dir);
}

/* ---- Sets of files ------------------------------------------------- */

static void test_set(void **state)
{
	(void)state;
	set_umask();
	char *dir = fresh_dir();
	struct diag d = DIAG_INIT;
	struct output_set_file v1[] = { { "b.zip", "zip 1\n", 6 }, { "b.zip.minisig", "sig 1\n", 6 } };
	assert_int_equal(output_write_set(dir, v1, 2, &d), 0);
	assert_int_equal(d.n, 0);
	assert_tree(dir, "b.zip\nb.zip.minisig\n");

	/* A set that fails before its renames leaves the previous one whole,
	 * and no temporary file. */
	struct output_set_file bad[] = { { "b.zip", "zip 2\n", 6 }, { "sub/b.zip.minisig", "sig 2\n", 6 } };
	assert_int_equal(output_write_set(dir, bad, 2, &d), -1);
	char *p = xasprintf("%s/sub/b.zip.minisig", dir);
	char *msg = xasprintf("cannot write: %s", strerror(EINVAL));
	assert_one_error(&d, p, msg);
	free(msg);
	free(p);
	assert_tree(dir, "b.zip\nb.zip.minisig\n");

	/* A second set replaces both; a reader's descriptors opened before
	 * still read the first. */
	char *zip = xasprintf("%s/b.zip", dir), *sig = xasprintf("%s/b.zip.minisig", dir);
	char *missing = xasprintf("%s/none", dir);
	const char *paths[] = { zip, sig, missing };
	int fds[3], errs[3];
	output_open_set(paths, 3, fds, errs);
	assert_true(fds[0] >= 0 && fds[1] >= 0);
	assert_int_equal(errs[0], 0);
	assert_int_equal(fds[2], -1);
	assert_int_equal(errs[2], ENOENT);
	struct output_set_file v2[] = { { "b.zip", "zip 2\n", 6 }, { "b.zip.minisig", "sig 2\n", 6 } };
	assert_int_equal(output_write_set(dir, v2, 2, &d), 0);
	assert_file(zip, "zip 2\n");
	assert_file(sig, "sig 2\n");
	char got[16];
	assert_int_equal(pread(fds[0], got, sizeof(got), 0), 6);
	assert_memory_equal(got, "zip 1\n", 6);
	assert_int_equal(pread(fds[1], got, sizeof(got), 0), 6);
	assert_memory_equal(got, "sig 1\n", 6);
	close(fds[0]);
	close(fds[1]);
	struct stat st;
	assert_int_equal(stat(zip, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_tree(dir, "b.zip\nb.zip.minisig\n");

	free(missing);
	free(sig);
	free(zip);
	rm_tree(dir);
	free(dir);
}

/* ---- Directories ---------------------------------------------------- */

static void test_dir_create(void **state)
{
	(void)state;
	set_umask();
	char *dir = fresh_dir();
	char *final = xasprintf("%s/SIRT-2026-0142", dir);
	struct diag d = DIAG_INIT;
	struct output_dir *od;
	assert_int_equal(output_dir_begin(final, &od, &d), 0);
	assert_non_null(od);
	/* Nothing is visible under the final name before the commit. */
	struct stat st;
	assert_int_equal(stat(final, &st), -1);
	assert_int_equal(output_dir_add(od, "email.eml", "mail\n", 5, &d), 0);
	assert_int_equal(output_dir_add(od, "web/notice.html", "<p>hi</p>\n", 10, &d), 0);
	assert_int_equal(output_dir_add(od, "web/assets/style.css", "p{}\n", 4, &d), 0);
	assert_int_equal(output_dir_add(od, "social/x.txt", "", 0, &d), 0);
	assert_int_equal(stat(final, &st), -1);
	assert_int_equal(output_dir_commit(od, &d), 0);
	assert_int_equal(d.n, 0);

	assert_tree(dir, "SIRT-2026-0142/\n"
			 "SIRT-2026-0142/email.eml\n"
			 "SIRT-2026-0142/social/\n"
			 "SIRT-2026-0142/social/x.txt\n"
			 "SIRT-2026-0142/web/\n"
			 "SIRT-2026-0142/web/assets/\n"
			 "SIRT-2026-0142/web/assets/style.css\n"
			 "SIRT-2026-0142/web/notice.html\n");
	char *p = xasprintf("%s/web/notice.html", final);
	assert_file(p, "<p>hi</p>\n");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(stat(final, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	free(p);
	p = xasprintf("%s/web", final);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	free(p);

	/* A relative path with a trailing slash names the same directory. */
	char *cwd = getcwd(NULL, 0);
	assert_non_null(cwd);
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(output_dir_begin("rel/", &od, &d), 0);
	assert_int_equal(output_dir_add(od, "a", "A", 1, &d), 0);
	assert_int_equal(output_dir_commit(od, &d), 0);
	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	p = xasprintf("%s/rel/a", dir);
	assert_file(p, "A");
	free(p);
	assert_int_equal(d.n, 0);

	free(final);
	rm_tree(dir);
	free(dir);
}

/* The open descriptors of this process. */
static size_t open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	size_t n = 0;
	if (!dir)
		return 0;
	while (readdir(dir))
		n++;
	closedir(dir);
	return n;
}

/* More files than the output holds open until its commit, some in
 * subdirectories: every one is written whole, and every descriptor is
 * closed again, whether the directory is committed or abandoned. */
static void test_dir_many_files(void **state)
{
	(void)state;
	set_umask();
	char *dir = fresh_dir();
	char *final = xasprintf("%s/many", dir);
	struct diag d = DIAG_INIT;
	size_t fds = open_fds();
	for (int round = 0; round < 2; round++) {
		struct output_dir *od;
		assert_int_equal(output_dir_begin(final, &od, &d), 0);
		for (int i = 0; i < 150; i++) {
			char *name = i % 3 == 0 ? xasprintf("sub%d/f%d.txt", i % 4, i)
						: xasprintf("f%d.txt", i);
			char *data = xasprintf("file %d of round %d\n", i, round);
			assert_int_equal(output_dir_add(od, name, data, strlen(data), &d), 0);
			free(name);
			free(data);
		}
		if (round == 0) {
			output_dir_abort(od);
			struct stat st;
			assert_int_equal(stat(final, &st), -1);
		} else {
			assert_int_equal(output_dir_commit(od, &d), 0);
		}
		assert_int_equal(open_fds(), fds);
	}
	assert_int_equal(d.n, 0);
	for (int i = 0; i < 150; i++) {
		char *p = i % 3 == 0 ? xasprintf("%s/sub%d/f%d.txt", final, i % 4, i)
				     : xasprintf("%s/f%d.txt", final, i);
		char *want = xasprintf("file %d of round 1\n", i);
		assert_file(p, want);
		free(p);
		free(want);
	}
	free(final);
	rm_tree(dir);
	free(dir);
}

static void test_dir_replace(void **state)
{
	(void)state;
	char *dir = fresh_dir();
	char *final = xasprintf("%s/out", dir);
	struct diag d = DIAG_INIT;
	struct output_dir *od;

	/* A previous run, with a symbolic link to a file outside it that the
	 * removal must not follow. */
	assert_int_equal(output_dir_begin(final, &od, &d), 0);
	assert_int_equal(output_dir_add(od, "old.txt", "old\n", 4, &d), 0);
	assert_int_equal(output_dir_add(od, "web/index.html", "old\n", 4, &d), 0);
	assert_int_equal(output_dir_add(od, "common.txt", "version 1\n", 10, &d), 0);
	assert_int_equal(output_dir_commit(od, &d), 0);
	char *keep = xasprintf("%s/keep.txt", dir);
	assert_int_equal(output_write_file(keep, "keep\n", 5, &d), 0);
	char *link = xasprintf("%s/web/link", final);
	assert_int_equal(symlink(keep, link), 0);
	char *dirlink = xasprintf("%s/dirlink", final);
	assert_int_equal(symlink(dir, dirlink), 0);

	assert_int_equal(output_dir_begin(final, &od, &d), 0);
	assert_int_equal(output_dir_add(od, "common.txt", "version 2\n", 10, &d), 0);
	assert_int_equal(output_dir_add(od, "new/file.txt", "new\n", 4, &d), 0);
	/* Until the commit, the old directory is whole. */
	char *p = xasprintf("%s/common.txt", final);
	assert_file(p, "version 1\n");
	assert_int_equal(output_dir_commit(od, &d), 0);
	assert_int_equal(d.n, 0);
	assert_file(p, "version 2\n");
	free(p);

	assert_tree(dir, "keep.txt\n"
			 "out/\n"
			 "out/common.txt\n"
			 "out/new/\n"
			 "out/new/file.txt\n");
	assert_file(keep, "keep\n");

	free(dirlink);
	free(link);
	free(keep);
	free(final);
	rm_tree(dir);
	free(dir);
}

static void test_dir_over_file_refused(void **state)
{
	(void)state;
	char *dir = fresh_dir();
	char *final = xasprintf("%s/out", dir);
	struct diag d = DIAG_INIT;
	assert_int_equal(output_write_file(final, "mine\n", 5, &d), 0);
	struct output_dir *od;
	assert_int_equal(output_dir_begin(final, &od, &d), 0);
	assert_int_equal(output_dir_add(od, "a.txt", "a", 1, &d), 0);
	assert_int_equal(output_dir_commit(od, &d), -1);
	char *msg = xasprintf("cannot write: %s", strerror(ENOTDIR));
	assert_one_error(&d, final, msg);
	assert_file(final, "mine\n");
	assert_tree(dir, "out\n");
	free(msg);
	free(final);
	rm_tree(dir);
	free(dir);
}

static void test_dir_abort(void **state)
{
	(void)state;
	char *dir = fresh_dir();
	char *final = xasprintf("%s/out", dir);
	struct diag d = DIAG_INIT;
	struct output_dir *od;
	assert_int_equal(output_dir_begin(final, &od, &d), 0);
	assert_int_equal(output_dir_add(od, "a.txt", "a", 1, &d), 0);
	assert_int_equal(output_dir_add(od, "b/c/d.txt", "d", 1, &d), 0);
	/* The work in progress is a hidden sibling. */
	char *listing = tree(dir);
	assert_true(strncmp(listing, ".out.tmp-", 9) == 0);
	free(listing);
	output_dir_abort(od);
	output_dir_abort(NULL);
	assert_int_equal(d.n, 0);
	assert_tree(dir, "");

	/* Aborting a replacement leaves the previous output as it was. */
	assert_int_equal(output_dir_begin(final, &od, &d), 0);
	assert_int_equal(output_dir_add(od, "v1.txt", "1", 1, &d), 0);
	assert_int_equal(output_dir_commit(od, &d), 0);
	assert_int_equal(output_dir_begin(final, &od, &d), 0);
	assert_int_equal(output_dir_add(od, "v2.txt", "2", 1, &d), 0);
	output_dir_abort(od);
	assert_tree(dir, "out/\nout/v1.txt\n");
	assert_int_equal(d.n, 0);

	free(final);
	rm_tree(dir);
	free(dir);
}

static void test_unsafe_names(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"../x", "a/../b", ".hidden", "a\\b", "", ".", "..", "/abs",
		"a//b", "a/", "dir/.git/config", "tab\there", "esc\x1b[31m", "del\x7f",
	};
	char *dir = fresh_dir();
	char *final = xasprintf("%s/out", dir);
	struct diag d = DIAG_INIT;
	struct output_dir *od;
	assert_int_equal(output_dir_begin(final, &od, &d), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (output_dir_add(od, bad[i], "x", 1, &d) != -1)
			fail_msg("accepted unsafe name '%s'", bad[i]);
		assert_int_equal(d.errors, 1);
		assert_string_equal(d.items[0].file, final);
		assert_true(strncmp(d.items[0].msg, "refusing unsafe file name \"", 27) == 0);
		/* No control character reaches the message. */
		for (const char *m = d.items[0].msg; *m; m++)
			assert_true((unsigned char)*m >= 0x20 && *m != 0x7f);
		diag_free(&d);
	}
	/* Names with dots inside are fine; the same name twice is not. */
	assert_int_equal(output_dir_add(od, "notice.v2.html", "x", 1, &d), 0);
	assert_int_equal(output_dir_add(od, "a..b/c", "x", 1, &d), 0);
	assert_int_equal(output_dir_add(od, "notice.v2.html", "y", 1, &d), -1);
	char *path = xasprintf("%s/notice.v2.html", final);
	char *msg = xasprintf("cannot write: %s", strerror(EEXIST));
	assert_one_error(&d, path, msg);
	free(msg);
	free(path);
	/* A file where a directory is needed. */
	assert_int_equal(output_dir_add(od, "notice.v2.html/x", "y", 1, &d), -1);
	assert_int_equal(d.errors, 1);
	diag_free(&d);

	assert_int_equal(output_dir_commit(od, &d), 0);
	assert_tree(dir, "out/\nout/a..b/\nout/a..b/c\nout/notice.v2.html\n");
	char *p = xasprintf("%s/out/notice.v2.html", dir);
	assert_file(p, "x");
	free(p);

	free(final);
	rm_tree(dir);
	free(dir);
}

/* Below a root the user chose, no symbolic link is followed: not at the
 * incident level, not for the directory itself. */
static void test_dir_under(void **state)
{
	(void)state;
	set_umask();
	char *dir = fresh_dir();
	char *root = xasprintf("%s/root", dir);
	char *rootlink = xasprintf("%s/rootlink", dir);
	char *elsewhere = xasprintf("%s/elsewhere", dir);
	char *keep = xasprintf("%s/elsewhere/drafts/keep.txt", dir);
	assert_int_equal(mkdir(root, 0777), 0);
	assert_int_equal(mkdir(elsewhere, 0777), 0);
	char *p = xasprintf("%s/drafts", elsewhere);
	assert_int_equal(mkdir(p, 0777), 0);
	free(p);
	struct diag d = DIAG_INIT;
	assert_int_equal(output_write_file(keep, "keep\n", 5, &d), 0);
	assert_int_equal(symlink("root", rootlink), 0);
	const char *before = "elsewhere/\nelsewhere/drafts/\nelsewhere/drafts/keep.txt\n";

	/* The levels below the root are created; the root may be a link. */
	struct output_dir *od;
	assert_int_equal(output_dir_begin_under(rootlink, "SIRT-1/drafts", &od, &d), 0);
	assert_int_equal(output_dir_add(od, "a.txt", "a", 1, &d), 0);
	assert_int_equal(output_dir_commit(od, &d), 0);
	assert_int_equal(d.n, 0);
	p = xasprintf("%s/SIRT-1/drafts/a.txt", root);
	assert_file(p, "a");
	free(p);

	/* An incident directory that is a link to another directory: refused
	 * before anything is written, there or here. */
	p = xasprintf("%s/SIRT-2", root);
	assert_int_equal(symlink("../elsewhere", p), 0);
	od = (struct output_dir *)&d;
	assert_int_equal(output_dir_begin_under(root, "SIRT-2/drafts", &od, &d), -1);
	assert_null(od);
	char *msg = xasprintf("cannot write: it is a symbolic link, and sircomm follows none below '%s'", root);
	assert_one_error(&d, p, msg);
	free(msg);
	free(p);

	/* The drafts directory itself a link: refused at the commit, neither
	 * followed nor replaced, and no temporary left. */
	p = xasprintf("%s/SIRT-3", root);
	assert_int_equal(mkdir(p, 0777), 0);
	free(p);
	p = xasprintf("%s/SIRT-3/drafts", root);
	assert_int_equal(symlink("../../elsewhere/drafts", p), 0);
	assert_int_equal(output_dir_begin_under(root, "SIRT-3/drafts", &od, &d), 0);
	assert_int_equal(output_dir_add(od, "keep.txt", "mine", 4, &d), 0);
	assert_int_equal(output_dir_commit(od, &d), -1);
	assert_one_error(&d, p, "cannot write: it is a symbolic link, which sircomm neither follows nor replaces");
	free(p);

	/* A file where the incident directory should be. */
	p = xasprintf("%s/SIRT-4", root);
	assert_int_equal(output_write_file(p, "file\n", 5, &d), 0);
	assert_int_equal(output_dir_begin_under(root, "SIRT-4/drafts", &od, &d), -1);
	assert_one_error(&d, p, "cannot write: it is not a directory");
	free(p);

	/* Directories begin made go again when the output is abandoned. */
	assert_int_equal(output_dir_begin_under(root, "SIRT-5/drafts", &od, &d), 0);
	assert_int_equal(output_dir_add(od, "a.txt", "a", 1, &d), 0);
	output_dir_abort(od);

	/* Names that could climb out are refused. */
	assert_int_equal(output_dir_begin_under(root, "../elsewhere/drafts", &od, &d), -1);
	assert_int_equal(d.errors, 1);
	diag_free(&d);
	assert_int_equal(output_dir_begin_under(root, "/tmp", &od, &d), -1);
	assert_int_equal(d.errors, 1);
	diag_free(&d);

	char *want = xasprintf("%sroot/\nroot/SIRT-1/\nroot/SIRT-1/drafts/\nroot/SIRT-1/drafts/a.txt\n"
			       "root/SIRT-2\nroot/SIRT-3/\nroot/SIRT-3/drafts\nroot/SIRT-4\nrootlink\n", before);
	assert_tree(dir, want);
	free(want);
	assert_file(keep, "keep\n");

	free(keep);
	free(elsewhere);
	free(rootlink);
	free(root);
	rm_tree(dir);
	free(dir);
}

static void test_missing_parent(void **state)
{
	(void)state;
	char *dir = fresh_dir();
	char *parent = xasprintf("%s/nope", dir);
	char *final = xasprintf("%s/out", parent);
	struct diag d = DIAG_INIT;
	struct output_dir *od = (struct output_dir *)&d;
	assert_int_equal(output_dir_begin(final, &od, &d), -1);
	assert_null(od);
	char *msg = xasprintf("cannot write: parent directory '%s': %s", parent, strerror(ENOENT));
	assert_one_error(&d, final, msg);
	free(msg);

	assert_int_equal(output_dir_begin("/", &od, &d), -1);
	assert_int_equal(d.errors, 1);
	diag_free(&d);
	assert_int_equal(output_dir_begin("..", &od, &d), -1);
	assert_int_equal(d.errors, 1);
	diag_free(&d);
	assert_tree(dir, "");

	free(final);
	free(parent);
	rm_tree(dir);
	free(dir);
}

static void test_read_only_parent(void **state)
{
	(void)state;
	char *dir = fresh_dir();
	char *ro = xasprintf("%s/ro", dir);
	char *file = xasprintf("%s/ro/notice.md", dir);
	char *final = xasprintf("%s/ro/out", dir);
	assert_int_equal(mkdir(ro, 0755), 0);
	struct diag d = DIAG_INIT;
	struct output_dir *od;

	/* A previous output that must survive. */
	assert_int_equal(output_write_file(file, "old\n", 4, &d), 0);
	assert_int_equal(chmod(ro, 0555), 0);
	/* As root, permissions are not enforced: nothing to check then. */
	bool enforced = geteuid() != 0 && access(ro, W_OK) != 0;
	if (enforced) {
		char *msg = xasprintf("cannot write: %s", strerror(EACCES));
		assert_int_equal(output_write_file(file, "new\n", 4, &d), -1);
		assert_one_error(&d, file, msg);
		assert_file(file, "old\n");
		assert_int_equal(output_dir_begin(final, &od, &d), -1);
		assert_null(od);
		assert_one_error(&d, final, msg);
		assert_tree(dir, "ro/\nro/notice.md\n");
		free(msg);
	}
	chmod(ro, 0755);
	free(final);
	free(file);
	free(ro);
	rm_tree(dir);
	free(dir);
	if (!enforced)
		skip();
}

/* ---- Files edited in place ------------------------------------------ */

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *got(const char *path)
{
	char *data;
	size_t len;
	assert_int_equal(read_file(path, 1 << 20, &data, &len), 0);
	return data;
}

static void test_edit_commit(void **state)
{
	(void)state;
	char *dir = fresh_dir();
	char *path = xasprintf("%s/r.xml", dir);
	char *link = xasprintf("%s/link.xml", dir);
	put(path, "<a>\n</a>\n");
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(symlink("r.xml", link), 0);
	struct diag d = DIAG_INIT;
	struct output_edit *ed;
	char *data;
	size_t len;
	/* Through a link: the file it points to changes, the link stays. */
	assert_int_equal(output_edit_begin(link, 1 << 20, &ed, &data, &len, &d), 0);
	assert_string_equal(data, "<a>\n</a>\n");
	assert_int_equal(output_edit_commit(ed, "<a><b/>\n</a>\n", 13, &d), 0);
	assert_int_equal(d.n, 0);
	char *now = got(path);
	assert_string_equal(now, "<a><b/>\n</a>\n");
	struct stat st;
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_tree(dir, "link.xml\nr.xml\n");
	free(now);
	free(data);
	free(link);
	free(path);
	rm_tree(dir);
	free(dir);
}

/* A change made after the read, whether in place or by a new file
 * renamed over the name (how editors save), makes the commit refuse and
 * leaves that change as it is. */
static void test_edit_changed_meanwhile(void **state)
{
	(void)state;
	char *dir = fresh_dir();
	char *path = xasprintf("%s/r.xml", dir);
	char *other = xasprintf("%s/other", dir);
	for (int how = 0; how < 2; how++) {
		put(path, "one\n");
		struct diag d = DIAG_INIT;
		struct output_edit *ed;
		char *data;
		size_t len;
		assert_int_equal(output_edit_begin(path, 1 << 20, &ed, &data, &len, &d), 0);
		if (how == 0) {
			put(path, "two\n");
		} else {
			put(other, "one\n");
			assert_int_equal(rename(other, path), 0);
		}
		assert_int_equal(output_edit_commit(ed, "mine\n", 5, &d), -1);
		assert_one_error(&d, path, "changed while sircomm was editing it: nothing was "
				 "written; run the command again");
		char *now = got(path);
		assert_string_equal(now, how == 0 ? "two\n" : "one\n");
		assert_tree(dir, "r.xml\n");
		free(now);
		free(data);
		diag_free(&d);
	}
	free(other);
	free(path);
	rm_tree(dir);
	free(dir);
}

static void test_edit_refused(void **state)
{
	(void)state;
	char *dir = fresh_dir();
	char *path = xasprintf("%s/missing.xml", dir);
	struct diag d = DIAG_INIT;
	struct output_edit *ed;
	char *data;
	size_t len;
	assert_int_equal(output_edit_begin(path, 1 << 20, &ed, &data, &len, &d), -1);
	assert_null(ed);
	char *msg = xasprintf("cannot read: %s", strerror(ENOENT));
	assert_one_error(&d, path, msg);
	free(msg);
	diag_free(&d);
	assert_int_equal(output_edit_begin(dir, 1 << 20, &ed, &data, &len, &d), -1);
	assert_one_error(&d, dir, "cannot edit: not a regular file");
	diag_free(&d);
	put(path, "0123456789");
	assert_int_equal(output_edit_begin(path, 4, &ed, &data, &len, &d), -1);
	assert_one_error(&d, path, "is larger than 4 bytes");
	diag_free(&d);
	output_edit_abort(NULL);
	free(path);
	rm_tree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_read_back),
		cmocka_unit_test(test_overwrite),
		cmocka_unit_test(test_missing_directory),
		cmocka_unit_test(test_write_over_directory),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_dir_create),
		cmocka_unit_test(test_dir_many_files),
		cmocka_unit_test(test_dir_replace),
		cmocka_unit_test(test_dir_over_file_refused),
		cmocka_unit_test(test_dir_abort),
		cmocka_unit_test(test_dir_under),
		cmocka_unit_test(test_unsafe_names),
		cmocka_unit_test(test_missing_parent),
		cmocka_unit_test(test_read_only_parent),
		cmocka_unit_test(test_edit_commit),
		cmocka_unit_test(test_edit_changed_meanwhile),
		cmocka_unit_test(test_edit_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
