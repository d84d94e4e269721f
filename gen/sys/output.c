/* output.c - atomic writes of output files and directories: temporary
 * names beside the target, fsync, rename. */
#define _GNU_SOURCE  /* renameat2, sync_file_range */
#include "sys/output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/esc.h"
#include "base/util.h"

/* A directory begin created on the way to the output's parent, removed
 * again if the output is abandoned (when still empty). */
struct made_dir {
	int dfd;         /* the directory it is in, open */
	char *name;
};

/* Every system call on the output goes through pfd, the parent opened
 * once: what lies below it is reached by name, never by a path that a
 * symbolic link swapped in meanwhile could redirect. */
struct output_dir {
	char *final;     /* the directory to produce, as the caller named it */
	int pfd;         /* its parent directory, open */
	char *base;      /* its name in pfd */
	char *tmp;       /* the temporary sibling being filled, in pfd */
	int fd;          /* tmp, open; -1 once closed */
	struct made_dir *made;
	size_t nmade;
	/* What was written below tmp and not yet flushed to disk, still
	 * open: the files, then (at commit) their subdirectories.  Syncing
	 * them at commit through these descriptors spares opening each one
	 * again by name. */
	struct unsynced {
		int fd;
		bool dir;
	} *unsynced;
	size_t nunsynced;
};

/* Files held open for the commit's sync at most; past this, a file is
 * flushed as it is added (a set of hundreds would otherwise run into
 * the limit of open files). */
#define OUTPUT_DIR_OPEN_MAX 64

/* ---- Standard output ------------------------------------------------ */

/* The errno of the first failed write to standard output; only the main
 * thread writes there. */
static int stdout_errno;

static int stdout_failed(void)
{
	if (!stdout_errno)
		stdout_errno = errno ? errno : EIO;
	return -1;
}

int output_stdout(const void *data, size_t len)
{
	if (stdout_errno)
		return -1;
	errno = 0;
	if (len > 0 && fwrite(data, 1, len, stdout) != len)
		return stdout_failed();
	return 0;
}

int output_printf(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	int rc = output_stdout(b.data, b.len);
	buf_free(&b);
	return rc;
}

int output_line(const char *fmt, ...)
{
	struct buf b = BUF_INIT, line = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	esc_term(&line, buf_str(&b));
	buf_putc(&line, '\n');
	int rc = output_stdout(line.data, line.len);
	buf_free(&b);
	buf_free(&line);
	return rc;
}

int output_stdout_flush(void)
{
	if (stdout_errno)
		return -1;
	errno = 0;
	if (fflush(stdout) != 0)
		return stdout_failed();
	return 0;
}

int output_stdout_error(void)
{
	return stdout_errno;
}

int output_stdout_close(void)
{
	output_stdout_flush();
	/* A stream that failed earlier may still hold a buffer: fclose must
	 * not report that second failure over the first. */
	errno = 0;
	if (fclose(stdout) != 0 && !stdout_errno)
		stdout_errno = errno ? errno : EIO;
	return stdout_errno;
}

/* ---- Paths ---------------------------------------------------------- */

/* Splits path into its parent directory and last component, trailing
 * slashes ignored: "a" gives "." and "a", "/a" gives "/" and "a", "/"
 * gives "/" and "".  Both are new strings the caller frees. */
static void split_path(const char *path, char **parent, char **base)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t b = n;
	while (b > 0 && path[b - 1] != '/')
		b--;
	*base = xstrndup(path + b, n - b);
	size_t p = b;
	while (p > 1 && path[p - 1] == '/')
		p--;
	*parent = p == 0 ? xstrdup(".") : xstrndup(path, p);
}

/* True when base can be renamed onto: not "", "." or "..". */
static bool is_entry_name(const char *base)
{
	return *base && strcmp(base, ".") != 0 && strcmp(base, "..") != 0;
}

/* Returns "<parent>/<name>" as a new string the caller frees. */
static char *join(const char *parent, const char *name)
{
	size_t n = strlen(parent);
	return xasprintf("%s%s%s", parent, n && parent[n - 1] == '/' ? "" : "/", name);
}

/* Returns "<parent>/.<base><suffix>", a hidden sibling of parent/base, as
 * a new string the caller frees. */
static char *sibling(const char *parent, const char *base, const char *suffix)
{
	char *name = xasprintf(".%s%s", base, suffix);
	char *s = join(parent, name);
	free(name);
	return s;
}

/* ---- System helpers ------------------------------------------------- */

static mode_t current_umask(void)
{
	mode_t m = umask(0);
	umask(m);
	return m;
}

/* Writes all of data; returns 0, or -1 with errno set. */
static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Flushes a directory's entries to disk; returns 0, or -1 with errno
 * set.  File systems that cannot sync a directory are not an error. */
static int sync_dir_fd(int fd)
{
	if (fsync(fd) == 0 || errno == EINVAL || errno == ENOTSUP)
		return 0;
	return -1;
}

/* The same for a directory by path, best effort: the rename it makes
 * durable has already happened, so there is nothing to undo. */
static void sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)sync_dir_fd(fd);
		close(fd);
	}
}

/* Fills the new file fd with data, syncs and closes it.  Returns 0 or an
 * errno value; fd is closed either way. */
static int fill_file(int fd, mode_t mode, const void *data, size_t len)
{
	int e = 0;
	if ((mode && fchmod(fd, mode) != 0) || write_all(fd, data, len) != 0 || fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	return e;
}

/*
 * Removes `name` in the directory dfd (AT_FDCWD: the current one) and,
 * when it is a directory, everything under it.  Symbolic links are
 * removed, never followed.  Goes on past failures; returns 0, or -1 with
 * errno set for the first one.  A name already gone is not a failure.
 */
static int remove_at(int dfd, const char *name)
{
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;

	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	int e = 0;
	struct dirent *ent;
	for (errno = 0; (ent = readdir(dir)) != NULL; errno = 0) {
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		if (remove_at(fd, ent->d_name) != 0 && e == 0)
			e = errno;
	}
	if (errno != 0 && e == 0)
		e = errno;
	closedir(dir);
	if (unlinkat(dfd, name, AT_REMOVEDIR) != 0 && e == 0)
		e = errno;
	errno = e;
	return e ? -1 : 0;
}

/* ---- Files ---------------------------------------------------------- */


/* True when renameat2 or its flag is not supported here (an old kernel,
 * a file system without it): the callers fall back to older calls. */
static bool no_renameat2(int e)
{
	return e == EINVAL || e == ENOSYS || e == EOPNOTSUPP;
}

/* Renames tmp to path unless path exists (EEXIST then), in one step.
 * Returns 0 or an errno value; on failure tmp is still there. */
static int rename_new(const char *tmp, const char *path)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (!no_renameat2(errno))
		return errno;
	/* Where renameat2 is missing, link() fails with EEXIST just the same;
	 * then the temporary name goes. */
	if (link(tmp, path) != 0)
		return errno;
	unlink(tmp);
	return 0;
}

/* Writes data to a new temporary file "<parent>/.<base>.tmp-XXXXXX" with
 * the given mode, flushed to disk.  Returns 0 and its name in *tmp (a new
 * string the caller frees), or an errno value (then nothing is left). */
static int write_temp(const char *parent, const char *base, mode_t mode, const void *data,
		      size_t len, char **tmp)
{
	*tmp = sibling(parent, base, ".tmp-XXXXXX");
	int fd = mkstemp(*tmp);
	int e = fd < 0 ? errno : fill_file(fd, mode, data, len);
	if (e) {
		if (fd >= 0)
			unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
	}
	return e;
}

static int write_file_mode(const char *path, const void *data, size_t len, mode_t mode,
			   bool replace, struct diag *d)
{
	char *parent, *base;
	split_path(path, &parent, &base);
	int e = 0;
	if (!is_entry_name(base)) {
		e = EISDIR;
	} else {
		char *tmp;
		e = write_temp(parent, base, mode, data, len, &tmp);
		if (e == 0) {
			e = replace ? (rename(tmp, path) == 0 ? 0 : errno) : rename_new(tmp, path);
			if (e != 0)
				unlink(tmp);
			free(tmp);
		}
	}
	if (e == 0)
		sync_dir(parent);
	else
		diag_error(d, path, 0, "cannot write: %s", strerror(e));
	free(parent);
	free(base);
	errno = e;
	return e ? -1 : 0;
}

int output_write_file(const char *path, const void *data, size_t len, struct diag *d)
{
	if (strcmp(path, "-") == 0)
		return output_stdout(data, len);
	return write_file_mode(path, data, len, 0666 & ~current_umask(), true, d);
}

int output_write_secret(const char *path, const void *data, size_t len, struct diag *d)
{
	return write_file_mode(path, data, len, 0600, true, d);
}

int output_create_file(const char *path, const void *data, size_t len, struct diag *d)
{
	return write_file_mode(path, data, len, 0666 & ~current_umask(), false, d);
}

int output_create_secret(const char *path, const void *data, size_t len, struct diag *d)
{
	return write_file_mode(path, data, len, 0600, false, d);
}

/* ---- A file edited in place ----------------------------------------- */

struct output_edit {
	char *name;      /* as the caller named it, for messages */
	char *path;      /* the file itself, symbolic links resolved */
	int fd;          /* open on it, holding the lock */
	struct stat st;  /* as read */
	char *data;      /* the bytes read, to compare at commit */
	size_t len;
};

static void edit_free(struct output_edit *ed)
{
	if (ed->fd >= 0)
		close(ed->fd);  /* releases the lock */
	free(ed->name);
	free(ed->path);
	free(ed->data);
	free(ed);
}

/* Reads all of fd from offset 0, at most max bytes, into a new buffer.
 * Returns 0, -1 with errno set, or -2 when it holds more than max. */
static int read_fd_whole(int fd, size_t max, char **data, size_t *len)
{
	struct buf b = BUF_INIT;
	b.max = max;
	char chunk[65536];
	off_t at = 0;
	for (;;) {
		ssize_t n = pread(fd, chunk, sizeof(chunk), at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			buf_free(&b);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		if (buf_append(&b, chunk, (size_t)n) < 0) {
			buf_free(&b);
			return -2;
		}
		at += n;
	}
	*len = b.len;
	*data = b.data ? buf_detach(&b) : xstrdup("");
	return 0;
}

int output_edit_begin(const char *path, size_t max, struct output_edit **out, char **data,
		      size_t *len, struct diag *d)
{
	*out = NULL;
	char *real = realpath(path, NULL);
	if (!real) {
		diag_error(d, path, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	struct output_edit *ed = xcalloc(1, sizeof(*ed));
	ed->name = xstrdup(path);
	ed->path = real;
	ed->fd = -1;
	/* Whoever held the lock before may have renamed a new file over the
	 * name: lock what the name is once the lock is held. */
	for (int tries = 0;; tries++) {
		struct stat now;
		ed->fd = open(real, O_RDONLY | O_CLOEXEC);
		if (ed->fd < 0 || fstat(ed->fd, &ed->st) != 0)
			goto fail;
		if (!S_ISREG(ed->st.st_mode)) {
			errno = EINVAL;
			diag_error(d, path, 0, "cannot edit: not a regular file");
			edit_free(ed);
			return -1;
		}
		while (flock(ed->fd, LOCK_EX) != 0)
			if (errno != EINTR)
				break;
		if (stat(real, &now) != 0)
			goto fail;
		if (now.st_dev == ed->st.st_dev && now.st_ino == ed->st.st_ino)
			break;
		close(ed->fd);
		ed->fd = -1;
		if (tries == 100) {
			diag_error(d, path, 0, "cannot edit: the file keeps being replaced");
			edit_free(ed);
			return -1;
		}
	}
	if (fstat(ed->fd, &ed->st) != 0)
		goto fail;
	int rc = read_fd_whole(ed->fd, max, &ed->data, &ed->len);
	if (rc == -2) {
		diag_error(d, path, 0, "is larger than %zu bytes", max);
		edit_free(ed);
		return -1;
	}
	if (rc != 0)
		goto fail;
	*data = xmalloc(ed->len + 1);
	memcpy(*data, ed->data, ed->len);
	(*data)[ed->len] = '\0';
	*len = ed->len;
	*out = ed;
	return 0;
fail:
	diag_error(d, path, 0, "cannot read: %s", strerror(errno));
	edit_free(ed);
	return -1;
}

/* True when the file at ed->path is still the one read, holding the
 * same bytes. */
static bool edit_unchanged(const struct output_edit *ed)
{
	struct stat now;
	if (stat(ed->path, &now) != 0 || now.st_dev != ed->st.st_dev ||
	    now.st_ino != ed->st.st_ino)
		return false;
	char *cur;
	size_t n;
	if (read_fd_whole(ed->fd, ed->len + 1, &cur, &n) != 0)
		return false;
	bool same = n == ed->len && memcmp(cur, ed->data, n) == 0;
	free(cur);
	return same;
}

int output_edit_commit(struct output_edit *ed, const void *data, size_t len, struct diag *d)
{
	char *parent, *base;
	split_path(ed->path, &parent, &base);
	char *tmp;
	int e = write_temp(parent, base, ed->st.st_mode & 07777, data, len, &tmp);
	if (e == 0) {
		/* Keep the owner when sircomm may (root editing someone's
		 * record); otherwise the file becomes its editor's. */
		if (geteuid() == 0)
			(void)!chown(tmp, ed->st.st_uid, ed->st.st_gid);
		if (!edit_unchanged(ed)) {
			unlink(tmp);
			diag_error(d, ed->name, 0, "changed while sircomm was editing it: nothing "
				   "was written; run the command again");
			e = -1;
		} else if (rename(tmp, ed->path) != 0) {
			e = errno;
			unlink(tmp);
		}
		free(tmp);
	}
	if (e > 0)
		diag_error(d, ed->name, 0, "cannot write: %s", strerror(e));
	if (e == 0)
		sync_dir(parent);
	free(parent);
	free(base);
	edit_free(ed);
	return e ? -1 : 0;
}

void output_edit_abort(struct output_edit *ed)
{
	if (ed)
		edit_free(ed);
}

/* ---- Sets of files ------------------------------------------------- */

/* Takes flock's lock `op` on the directory dfd, waiting through signals.
 * A file system without flock (some network ones) gets no lock: the set
 * is still written, only not guarded against a concurrent writer. */
static void lock_dir(int dfd, int op)
{
	while (flock(dfd, op) != 0 && errno == EINTR)
		;
}

int output_write_set(const char *dir, const struct output_set_file *files, size_t n, struct diag *d)
{
	char **tmp = xcalloc(n + 1, sizeof(*tmp));
	char **paths = xcalloc(n + 1, sizeof(*paths));
	mode_t mode = 0666 & ~current_umask();
	int e = 0;
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		paths[i] = join(dir, files[i].name);
	for (size_t i = 0; e == 0 && i < n; i++) {
		bad = i;
		if (!is_entry_name(files[i].name) || strchr(files[i].name, '/'))
			e = EINVAL;
		else
			e = write_temp(dir, files[i].name, mode, files[i].data, files[i].len, &tmp[i]);
	}
	/* Every file is on disk under its temporary name: now the renames,
	 * which another writer of the set must not come between. */
	int dfd = e ? -1 : open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		lock_dir(dfd, LOCK_EX);
	size_t placed = 0;
	for (size_t i = 0; e == 0 && i < n; i++) {
		bad = i;
		if (rename(tmp[i], paths[i]) != 0)
			e = errno;
		else
			placed++;
	}
	/* Never part of a set: what was renamed before the failure goes. */
	for (size_t i = 0; e != 0 && i < placed; i++)
		unlink(paths[i]);
	if (dfd >= 0) {
		if (e == 0)
			(void)sync_dir_fd(dfd);
		close(dfd);   /* releases the lock */
	} else if (e == 0) {
		sync_dir(dir);
	}
	for (size_t i = 0; i < n; i++) {
		if (tmp[i] && i >= placed)
			unlink(tmp[i]);
		free(tmp[i]);
	}
	if (e)
		diag_error(d, paths[bad], 0, "cannot write: %s", strerror(e));
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(tmp);
	return e ? -1 : 0;
}

void output_open_set(const char *const *paths, size_t n, int *fds, int *errs)
{
	char *parent, *base;
	split_path(n ? paths[0] : ".", &parent, &base);
	int dfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0)
		lock_dir(dfd, LOCK_SH);
	for (size_t i = 0; i < n; i++) {
		/* O_NONBLOCK: a FIFO under the name must not hang the reader. */
		fds[i] = open(paths[i], O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		errs[i] = fds[i] < 0 ? errno : 0;
	}
	if (dfd >= 0)
		close(dfd);
	free(parent);
	free(base);
}

/* ---- Files written in pieces --------------------------------------- */

struct output_file {
	char *path, *tmp, *parent;
	int fd;
	int error;      /* the first write error, reported at commit */
};

int output_file_begin(const char *path, struct output_file **out, struct diag *d)
{
	*out = NULL;
	char *parent, *base;
	split_path(path, &parent, &base);
	if (!is_entry_name(base)) {
		diag_error(d, path, 0, "cannot write: %s", strerror(EISDIR));
		free(parent);
		free(base);
		return -1;
	}
	char *tmp = sibling(parent, base, ".tmp-XXXXXX");
	free(base);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		diag_error(d, path, 0, "cannot write: %s", strerror(errno));
		free(tmp);
		free(parent);
		return -1;
	}
	struct output_file *of = xcalloc(1, sizeof(*of));
	*of = (struct output_file){ xstrdup(path), tmp, parent, fd, 0 };
	*out = of;
	return 0;
}

void output_file_write(struct output_file *of, const void *data, size_t len)
{
	if (of->error == 0 && write_all(of->fd, data, len) != 0)
		of->error = errno;
}

static void out_file_free(struct output_file *of)
{
	free(of->path);
	free(of->tmp);
	free(of->parent);
	free(of);
}

int output_file_commit(struct output_file *of, struct diag *d)
{
	int e = of->error;
	int fd = of->fd;
	if (e == 0 && (fchmod(fd, 0666 & ~current_umask()) != 0 || fsync(fd) != 0))
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (e == 0 && rename(of->tmp, of->path) != 0)
		e = errno;
	if (e != 0) {
		unlink(of->tmp);
		diag_error(d, of->path, 0, "cannot write: %s", strerror(e));
	} else {
		sync_dir(of->parent);
	}
	out_file_free(of);
	return e ? -1 : 0;
}

void output_file_abort(struct output_file *of)
{
	if (!of)
		return;
	close(of->fd);
	unlink(of->tmp);
	out_file_free(of);
}

/* ---- Directories ---------------------------------------------------- */

static void od_free(struct output_dir *od)
{
	for (size_t i = 0; i < od->nunsynced; i++)
		close(od->unsynced[i].fd);
	free(od->unsynced);
	if (od->fd >= 0)
		close(od->fd);
	if (od->pfd >= 0)
		close(od->pfd);
	for (size_t i = 0; i < od->nmade; i++) {
		close(od->made[i].dfd);
		free(od->made[i].name);
	}
	free(od->made);
	free(od->final);
	free(od->base);
	free(od->tmp);
	free(od);
}

int output_check_dir(const char *dir, struct diag *d)
{
	struct stat st;
	if (stat(dir, &st) != 0) {
		if (errno == ENOENT)
			diag_error(d, dir, 0, "output directory does not exist");
		else
			diag_error(d, dir, 0, "cannot use the output directory: %s", strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_error(d, dir, 0, "is not a directory");
		return -1;
	}
	return 0;
}

struct output_made {
	size_t n;
	char **paths;     /* outermost first */
};

int output_make_dir(const char *dir, struct output_made **made, struct diag *d)
{
	*made = NULL;
	struct stat st;
	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		diag_error(d, dir, 0, "is not a directory");
		return -1;
	}
	if (errno != ENOENT) {
		diag_error(d, dir, 0, "cannot use the output directory: %s", strerror(errno));
		return -1;
	}
	struct output_made *m = xcalloc(1, sizeof(*m));
	char *path = xstrdup(dir);
	size_t len = strlen(path);
	int rc = 0;
	/* Each prefix ending before a '/', then the whole path. */
	for (size_t i = 1; i <= len && rc == 0; i++) {
		if (i < len && path[i] != '/')
			continue;
		if (i < len && path[i - 1] == '/')
			continue;
		char saved = path[i];
		path[i] = '\0';
		if (mkdir(path, 0777) == 0) {
			m->paths = xrealloc(m->paths, (m->n + 1) * sizeof(*m->paths));
			m->paths[m->n++] = xstrdup(path);
		} else if (errno != EEXIST) {
			diag_error(d, path, 0, "cannot make the output directory: %s", strerror(errno));
			rc = -1;
		} else if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			diag_error(d, path, 0, "is not a directory");
			rc = -1;
		}
		path[i] = saved;
	}
	free(path);
	if (rc != 0) {
		output_made_end(m, true);
		return -1;
	}
	*made = m;
	return 0;
}

void output_made_end(struct output_made *made, bool undo)
{
	if (!made)
		return;
	for (size_t i = made->n; i-- > 0;) {
		if (undo)
			rmdir(made->paths[i]);
		free(made->paths[i]);
	}
	free(made->paths);
	free(made);
}

/* Creates a new directory "<prefix>XXXXXX" in dfd, X random, mode 0700.
 * Returns 0 and its name in *name (a new string the caller frees), or an
 * errno value. */
static int make_temp_dir(int dfd, const char *prefix, char **name)
{
	static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	for (int tries = 0; tries < 100; tries++) {
		unsigned char r[6];
		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return errno ? errno : EIO;
		char suffix[7];
		for (size_t i = 0; i < 6; i++)
			suffix[i] = chars[r[i] % (sizeof(chars) - 1)];
		suffix[6] = '\0';
		*name = xasprintf("%s%s", prefix, suffix);
		if (mkdirat(dfd, *name, 0700) == 0)
			return 0;
		int e = errno;
		free(*name);
		*name = NULL;
		if (e != EEXIST)
			return e;
	}
	return EEXIST;
}

/* Starts the output base in the open directory pfd (taken over: closed
 * on failure too) with the directories already made on the way. */
static int begin_in(int pfd, const char *base, const char *final_dir, struct made_dir *made,
		    size_t nmade, struct output_dir **out, struct diag *d)
{
	struct output_dir *od = xcalloc(1, sizeof(*od));
	od->unsynced = xcalloc(OUTPUT_DIR_OPEN_MAX, sizeof(*od->unsynced));
	od->final = xstrdup(final_dir);
	od->pfd = pfd;
	od->base = xstrdup(base);
	od->fd = -1;
	od->made = made;
	od->nmade = nmade;
	char *prefix = xasprintf(".%s.tmp-", base);
	int e = make_temp_dir(pfd, prefix, &od->tmp);
	free(prefix);
	if (e == 0 && (od->fd = openat(pfd, od->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				       O_CLOEXEC)) < 0)
		e = errno;
	if (e) {
		diag_error(d, final_dir, 0, "cannot write: %s", strerror(e));
		output_dir_abort(od);
		return -1;
	}
	*out = od;
	return 0;
}

int output_dir_begin(const char *final_dir, struct output_dir **out, struct diag *d)
{
	*out = NULL;
	char *parent, *base;
	split_path(final_dir, &parent, &base);
	if (!is_entry_name(base)) {
		diag_error(d, final_dir, 0, "cannot write: an output directory cannot be "
			   "'/', '.' or '..'");
		free(parent);
		free(base);
		return -1;
	}
	int pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = -1;
	if (pfd < 0)
		diag_error(d, final_dir, 0, "cannot write: parent directory '%s': %s",
			   parent, strerror(errno));
	else
		rc = begin_in(pfd, base, final_dir, NULL, 0, out, d);
	free(parent);
	free(base);
	return rc;
}

static const char *unsafe_name(const char *name);

int output_dir_begin_under(const char *root, const char *rel, struct output_dir **out, struct diag *d)
{
	*out = NULL;
	char *final_dir = join(root, rel);
	const char *why = unsafe_name(rel);
	if (why) {
		diag_error(d, final_dir, 0, "cannot write: refusing the directory name '%s': %s", rel, why);
		free(final_dir);
		return -1;
	}
	int dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		diag_error(d, final_dir, 0, "cannot write: directory '%s': %s", root, strerror(errno));
		free(final_dir);
		return -1;
	}
	struct made_dir *made = NULL;
	size_t nmade = 0;
	const char *p = rel, *slash;
	while ((slash = strchr(p, '/')) != NULL) {
		char *comp = xstrndup(p, (size_t)(slash - p));
		char *path = xstrndup(final_dir, strlen(final_dir) - strlen(rel) + (size_t)(slash - rel));
		bool created = mkdirat(dfd, comp, 0777) == 0;
		int e = created || errno == EEXIST ? 0 : errno;
		bool making = e != 0;
		int next = e ? -1 : openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (!e && next < 0)
			e = errno;
		/* O_NOFOLLOW with O_DIRECTORY answers ENOTDIR for a link. */
		if ((e == ENOTDIR || e == ELOOP) && fstatat(dfd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0)
			e = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
		if (e == ELOOP)
			diag_error(d, path, 0, "cannot write: it is a symbolic link, and sircomm follows "
				   "none below '%s'", root);
		else if (e == ENOTDIR)
			diag_error(d, path, 0, "cannot write: it is not a directory");
		else if (e)
			diag_error(d, path, 0, "cannot %s: %s", making ? "create the directory" : "write",
				   strerror(e));
		free(path);
		if (created) {
			made = xrealloc(made, (nmade + 1) * sizeof(*made));
			made[nmade++] = (struct made_dir){ dfd, comp };
		} else {
			free(comp);
			close(dfd);
		}
		if (e) {
			/* Nothing was written: undo the directories made. */
			while (nmade > 0) {
				nmade--;
				unlinkat(made[nmade].dfd, made[nmade].name, AT_REMOVEDIR);
				close(made[nmade].dfd);
				free(made[nmade].name);
			}
			free(made);
			free(final_dir);
			return -1;
		}
		dfd = next;
		p = slash + 1;
	}
	int rc = begin_in(dfd, p, final_dir, made, nmade, out, d);
	free(final_dir);
	return rc;
}

/* Returns NULL when every "/"-separated component of name is safe, else
 * why not. */
static const char *unsafe_name(const char *name)
{
	if (!*name)
		return "it is empty";
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 0)
			return "it has an empty component";
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return "it has a '.' or '..' component";
		if (p[0] == '.')
			return "a component starts with '.'";
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)p[i];
			if (c == '\\')
				return "it contains a backslash";
			if (c < 0x20 || c == 0x7f)
				return "it contains a control character";
		}
		p += n;
		if (*p == '/' && !*++p)
			return "it has an empty component";
	}
	return NULL;
}

/* Appends s in double quotes, control characters, backslashes and quotes
 * escaped, so a hostile name cannot mislead a terminal. */
static void quote(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\x%02x", c);
		else if (c == '\\' || c == '"')
			buf_printf(b, "\\%c", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

/* Opens (creating it if needed) the subdirectory comp of dfd.  Returns the
 * new descriptor, or -1 with errno set. */
static int enter_dir(int dfd, const char *comp)
{
	bool created = mkdirat(dfd, comp, 0777) == 0;
	if (!created && errno != EEXIST)
		return -1;
	if (created && sync_dir_fd(dfd) != 0)
		return -1;
	return openat(dfd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Writes name (already checked) under the directory od->fd.  Returns 0 or
 * an errno value. */
static int add_file(struct output_dir *od, const char *name, const void *data, size_t len)
{
	int dfd = od->fd;
	const char *p = name;
	const char *slash;
	int e = 0;
	while (e == 0 && (slash = strchr(p, '/')) != NULL) {
		char *comp = xstrndup(p, (size_t)(slash - p));
		int next = enter_dir(dfd, comp);
		if (next < 0)
			e = errno;
		free(comp);
		if (dfd != od->fd)
			close(dfd);
		dfd = next;
		p = slash + 1;
	}
	if (e == 0) {
		int fd = openat(dfd, p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd < 0) {
			e = errno;
		} else {
			bool keep = od->nunsynced < OUTPUT_DIR_OPEN_MAX;
			/* Starts writing the data out now, without waiting for
			 * it: the fsync at commit then finds it on its way. */
			if (write_all(fd, data, len) != 0)
				e = errno;
			else if (!keep && fsync(fd) != 0)
				e = errno;
			else if (keep)
				(void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
			if (e == 0 && keep) {
				od->unsynced[od->nunsynced++] = (struct unsynced){ fd, false };
			} else {
				if (close(fd) != 0 && e == 0)
					e = errno;
			}
			if (e)
				unlinkat(dfd, p, 0);
		}
	}
	/* A subdirectory's entries are flushed at commit too, or now when
	 * too many descriptors are held already. */
	if (e == 0 && dfd >= 0 && dfd != od->fd) {
		if (od->nunsynced < OUTPUT_DIR_OPEN_MAX) {
			od->unsynced[od->nunsynced++] = (struct unsynced){ dfd, true };
			dfd = -1;
		} else if (sync_dir_fd(dfd) != 0) {
			e = errno;
		}
	}
	if (dfd >= 0 && dfd != od->fd)
		close(dfd);
	return e;
}

int output_dir_add(struct output_dir *od, const char *name, const void *data,
		size_t len, struct diag *d)
{
	const char *why = unsafe_name(name);
	if (why) {
		struct buf b = BUF_INIT;
		quote(&b, name);
		diag_error(d, od->final, 0, "refusing unsafe file name %s: %s", buf_str(&b), why);
		buf_free(&b);
		return -1;
	}
	int e = add_file(od, name, data, len);
	if (e) {
		char *path = join(od->final, name);
		diag_error(d, path, 0, "cannot write: %s", strerror(e));
		free(path);
		return -1;
	}
	return 0;
}

/* The path of name, a sibling of the output in its parent, for messages.
 * A new string the caller frees. */
static char *sibling_path(const struct output_dir *od, const char *name)
{
	char *parent, *base;
	split_path(od->final, &parent, &base);
	char *path = join(parent, name);
	free(parent);
	free(base);
	return path;
}

/* Without an atomic exchange (a file system that lacks it): the previous
 * output is renamed aside, then the new one into place. */
static int swap_aside(struct output_dir *od, char **old, struct diag *d)
{
	char *prefix = xasprintf(".%s.old-", od->base);
	char *aside;
	int e = make_temp_dir(od->pfd, prefix, &aside);
	free(prefix);
	if (e)
		return e;
	/* aside is an empty directory, which rename() may replace. */
	if (renameat(od->pfd, od->base, od->pfd, aside) != 0) {
		e = errno;
		unlinkat(od->pfd, aside, AT_REMOVEDIR);
		free(aside);
		return e;
	}
	if (renameat(od->pfd, od->tmp, od->pfd, od->base) != 0) {
		e = errno;
		if (renameat(od->pfd, aside, od->pfd, od->base) != 0) {
			char *path = sibling_path(od, aside);
			diag_error(d, path, 0, "the previous contents of '%s' are left here: %s",
				   od->final, strerror(errno));
			free(path);
		}
		free(aside);
		return e;
	}
	*old = aside;
	return 0;
}

/* Swaps the finished temporary directory into place.  Returns 0 or an
 * errno value (ELOOP for a symbolic link in the way); *old is the
 * previous output, now under a temporary name in od->pfd (the caller
 * removes it and frees the string), or NULL.
 *
 * An existing directory is exchanged with the new one in one step, so
 * a reader never finds it missing, and two sircomm processes writing the
 * same directory at once both succeed, the later one's output staying.
 * A missing one is moved in only if it is still missing; when another
 * process got there first, the loop exchanges with its output instead. */
static int swap_in(struct output_dir *od, char **old, struct diag *d)
{
	*old = NULL;
	int pfd = od->pfd;
	for (int tries = 0; tries < 16; tries++) {
		struct stat st;
		if (fstatat(pfd, od->base, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (errno != ENOENT)
				return errno;
			if (renameat2(pfd, od->tmp, pfd, od->base, RENAME_NOREPLACE) == 0)
				return 0;
			if (errno == EEXIST || errno == ENOTEMPTY)
				continue;
			if (!no_renameat2(errno))
				return errno;
			return renameat(pfd, od->tmp, pfd, od->base) == 0 ? 0 : errno;
		}
		if (S_ISLNK(st.st_mode))
			return ELOOP;
		if (!S_ISDIR(st.st_mode))
			return ENOTDIR;
		if (renameat2(pfd, od->tmp, pfd, od->base, RENAME_EXCHANGE) == 0) {
			*old = xstrdup(od->tmp);
			return 0;
		}
		if (errno == ENOENT)
			continue;
		if (!no_renameat2(errno))
			return errno;
		return swap_aside(od, old, d);
	}
	return EBUSY;
}

/* Flushes every file and subdirectory written below od->fd to disk,
 * then od->fd itself, and closes them.  Returns 0 or an errno value.
 *
 * File by file, not with one syncfs: syncfs also waits for every other
 * program's unwritten data on the file system, which takes seconds on a
 * busy machine (a backup, a build, another test beside this one).  Each
 * file's writeback was started when it was added, so these calls mostly
 * wait for what is already on its way; the descriptors were kept open
 * since, so nothing is opened or listed again. */
static int sync_written(struct output_dir *od)
{
	int e = 0;
	for (size_t i = 0; i < od->nunsynced; i++) {
		const struct unsynced *u = &od->unsynced[i];
		if (e == 0 && (u->dir ? sync_dir_fd(u->fd) : fsync(u->fd)) != 0)
			e = errno;
		if (close(u->fd) != 0 && e == 0 && !u->dir)
			e = errno;
	}
	od->nunsynced = 0;
	if (e == 0 && sync_dir_fd(od->fd) != 0)
		e = errno;
	return e;
}

int output_dir_commit(struct output_dir *od, struct diag *d)
{
	int e = 0;
	char *old = NULL;
	/* Everything is on disk before the directory is swapped into place. */
	if (fchmod(od->fd, 0777 & ~current_umask()) != 0)
		e = errno;
	else
		e = sync_written(od);
	if (e == 0)
		e = swap_in(od, &old, d);
	if (e) {
		if (e == ELOOP)
			diag_error(d, od->final, 0, "cannot write: it is a symbolic link, which sircomm "
				   "neither follows nor replaces");
		else
			diag_error(d, od->final, 0, "cannot write: %s", strerror(e));
		output_dir_abort(od);
		return -1;
	}
	(void)sync_dir_fd(od->pfd);
	if (old && remove_at(od->pfd, old) != 0) {
		char *path = sibling_path(od, old);
		diag_warning(d, path, 0, "cannot remove the previous contents of '%s': %s",
			     od->final, strerror(errno));
		free(path);
	}
	free(old);
	od_free(od);
	return 0;
}

void output_dir_abort(struct output_dir *od)
{
	if (!od)
		return;
	if (od->fd >= 0) {
		close(od->fd);
		od->fd = -1;
	}
	if (od->tmp)
		(void)remove_at(od->pfd, od->tmp);
	/* The directories made on the way go too, if nothing else is in
	 * them (another run may be writing there). */
	for (size_t i = od->nmade; i-- > 0;)
		unlinkat(od->made[i].dfd, od->made[i].name, AT_REMOVEDIR);
	od_free(od);
}
