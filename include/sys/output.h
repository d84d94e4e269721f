/*
 * output.h - writing results safely: whole files and whole directories.
 *
 * Besides the command layer, this is the only module that touches the
 * file system for outputs.  Everything it writes appears at once or not
 * at all: a reader (a mail client, a web server, the next sircomm run)
 * never sees a half-written file or directory, and a failure leaves the
 * previous output untouched and no temporary files behind.
 *
 * One file, written to a temporary name beside it, then renamed:
 *
 *     struct diag d = DIAG_INIT;
 *     if (output_write_file("notice.md", b.data, b.len, &d) != 0)
 *             ...;                    // "notice.md: cannot write: ..." is in d
 *
 * A directory, built as a temporary sibling and swapped into place:
 *
 *     struct output_dir *od;
 *     if (output_dir_begin("out/SIRT-2026-0142", &od, &d) != 0)
 *             return -1;
 *     if (output_dir_add(od, "email.eml", eml.data, eml.len, &d) != 0 ||
 *         output_dir_add(od, "web/notice.html", html.data, html.len, &d) != 0) {
 *             output_dir_abort(od);      // removes the temporary directory
 *             return -1;
 *     }
 *     return output_dir_commit(od, &d);  // frees od, success or not
 *
 * Symbolic links: the directories of a path the caller gives are followed
 * like those of any path (the user chose them); the output itself never
 * is: a file replaces a link of its name, a directory refuses one, and
 * output_dir_begin_under also refuses a link anywhere in what it makes
 * below the directory the user chose.
 *
 * Errors are diagnostics added to d, naming the output path and the
 * system's reason ("out/x.md: error: cannot write: Permission denied");
 * nothing here prints or exits.  Files get the mode a plain creation
 * would give them (0666 and directories 0777, less the umask).
 */
#ifndef SIRCOMM_OUTPUT_H
#define SIRCOMM_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "base/util.h"

/* ---- Standard output ------------------------------------------------ */

/*
 * Everything sircomm prints on standard output goes through these, from
 * the main thread only, so a failed write is caught where it happens,
 * with its real reason (ENOSPC for a full disk, EPIPE when the reader of
 * a pipe has gone: the runner ignores SIGPIPE, so that is an error, not
 * a death), and a batch command can stop at the next record once its
 * output goes nowhere.  After the first failure nothing more is written.
 *
 *     output_stdout(b.data, b.len);
 *     output_printf("%s: ok\n", path);
 *     output_stdout_flush();                 // after each record of a batch
 *     if (output_stdout_error()) ...         // stop, as for Ctrl-C
 *
 * The runner ends with output_stdout_close() and turns an error into exit
 * status 3: quietly for EPIPE (the reader chose to stop reading, as with
 * `| head`), with one message for anything else.
 */

/* Writes len bytes; returns 0, or -1 once standard output has failed. */
int output_stdout(const void *data, size_t len);

/* printf to standard output; returns 0 or -1 like output_stdout. */
int output_printf(const char *fmt, ...) SC_PRINTF(1, 2);

/* Prints one line of sircomm's own words that carries names from
 * outside (file names, ids): the whole line is escaped for a terminal
 * (esc_term) so no hostile name can drive it, and the newline added.
 * Returns 0 or -1 like output_stdout. */
int output_line(const char *fmt, ...) SC_PRINTF(1, 2);

/* Pushes what is buffered to the reader; returns 0 or -1. */
int output_stdout_flush(void);

/* The errno of the first failed write, or 0 while all went well. */
int output_stdout_error(void);

/* Flushes and closes standard output; returns the errno of the first
 * failure (of any write, the flush or the close), or 0. */
int output_stdout_close(void);

/* ---- Files ---------------------------------------------------------- */

/*
 * Writes `len` bytes of `data` to `path` atomically: into a new temporary
 * file "<dir>/.<base>.tmp-XXXXXX" in the same directory, flushed to disk
 * with fsync, then renamed over `path`.  An existing file is replaced
 * whole; an existing symbolic link is replaced, not followed.  "-" writes
 * the bytes to standard output instead (output_stdout; a failure there
 * returns -1 with no diagnostic, as the runner reports it once).
 *
 * Returns 0, or -1 after adding an error to d; on failure the temporary
 * file is removed and `path` is as it was.  The data stays the caller's.
 */
int output_write_file(const char *path, const void *data, size_t len, struct diag *d);

/* The same for a secret (a private key): the file is created with mode
 * 0600 whatever the umask, and "-" is an ordinary file name. */
int output_write_secret(const char *path, const void *data, size_t len, struct diag *d);

/* The same two, but an existing `path` is never replaced: the rename
 * into place fails if it exists, in one step with the check (so of two
 * processes creating one name, exactly one succeeds).  On failure errno
 * says why, EEXIST when the file exists. */
int output_create_file(const char *path, const void *data, size_t len, struct diag *d);
int output_create_secret(const char *path, const void *data, size_t len, struct diag *d);

/*
 * The same for a file written in pieces (a long report): begin creates
 * the temporary file, write appends (an error is kept and reported at
 * commit), commit flushes and renames it into place, abort removes it.
 * Memory stays flat however long the file.  begin returns 0, or -1 after
 * an error in d; commit returns 0 or -1 after an error (the temporary is
 * then gone); commit and abort free the handle (abort accepts NULL).
 */
struct output_file;
int output_file_begin(const char *path, struct output_file **out, struct diag *d);
void output_file_write(struct output_file *of, const void *data, size_t len);
int output_file_commit(struct output_file *of, struct diag *d);
void output_file_abort(struct output_file *of);

/* ---- A file edited in place ----------------------------------------- */

/*
 * Replaces a file that sircomm reads, changes and writes back (a record
 * that `sircomm log` adds events to), without losing anyone's edit:
 *
 *     struct output_edit *ed;
 *     char *old; size_t n;
 *     if (output_edit_begin("r.xml", 4 << 20, &ed, &old, &n, &d) != 0)
 *             return -1;                     // the reason is in d
 *     ... make `new` from old ...
 *     if (output_edit_commit(ed, new.data, new.len, &d) != 0)
 *             return -1;                     // r.xml is as it was
 *
 * begin follows symbolic links to the file itself (the link stays a
 * link), opens it, takes an exclusive lock on it (flock: two sircomm
 * runs editing one file take turns, each reading what the other wrote)
 * and reads it whole, at most `max` bytes; *data is a new
 * NUL-terminated copy the caller frees.  commit writes the new bytes to
 * a temporary file beside it with the same permissions, then, just
 * before the rename, checks that the file is still the one read and
 * still holds the same bytes: an editor that saved it meanwhile (in
 * place or by renaming a new file over it) makes commit refuse, with
 * the file as the editor left it.  Both return 0, or -1 after an error
 * in d naming the file; commit and abort release the lock and free the
 * handle (abort accepts NULL).
 */
struct output_edit;
int output_edit_begin(const char *path, size_t max, struct output_edit **out, char **data,
		      size_t *len, struct diag *d);
int output_edit_commit(struct output_edit *ed, const void *data, size_t len, struct diag *d);
void output_edit_abort(struct output_edit *ed);

/* ---- Sets of files ------------------------------------------------- */

/*
 * Writes files that belong together (an audit bundle and its signature)
 * into the directory `dir`, as one set: each is first written whole to a
 * temporary name beside it, then, holding an exclusive lock on `dir`
 * (flock), all are renamed into place one after the other.  Of several
 * processes writing the same set at once, each replaces the whole set,
 * so the files left always come from one of them, and a reader that
 * opens them with output_open_set never sees two writers' files mixed.
 * Names are plain file names (no "/"); `dir` is followed if it is a
 * symbolic link, the names are replaced, never followed.  Files of an
 * earlier set that are not in this one are left alone.
 *
 * Returns 0, or -1 after adding an error to d (naming the file that
 * failed).  A failure before the renames leaves the previous set as it
 * was; a rename failing part way (an I/O error) removes the files of
 * this set already renamed, so no mixed set is left.  Temporary files
 * never stay.  The data stays the caller's.
 */
struct output_set_file {
	const char *name;
	const void *data;
	size_t len;
};
int output_write_set(const char *dir, const struct output_set_file *files, size_t n, struct diag *d);

/*
 * Opens the files `paths` (all in one directory) for reading as one set:
 * holding a shared lock on their directory, which output_write_set's
 * exclusive lock excludes, so that all come from the same write.  Sets
 * fds[i] to a new read-only descriptor the caller closes, or to -1 with
 * errs[i] the errno value (errs[i] is 0 when it opened).  Once open, a
 * file reads the same bytes whatever is renamed over its name later.
 * Opening never waits for a writer (a FIFO under a name): the caller
 * checks what kind of file each descriptor is.
 */
void output_open_set(const char *const *paths, size_t n, int *fds, int *errs);

/* ---- Directories ---------------------------------------------------- */

/*
 * Checks that `dir` is an existing directory to write outputs into, once,
 * before any work: returns 0, or -1 after an error naming it that says
 * what is true ("output directory does not exist", "is not a directory",
 * or the system's reason, such as "Permission denied").
 */
int output_check_dir(const char *dir, struct diag *d);

/*
 * Makes `dir` a directory to write outputs into, as `mkdir -p` would:
 * the directories missing on the way to it, and it, are made (mode 0777
 * less the umask).  Returns 0, or -1 after an error naming it ("is not
 * a directory", or the system's reason).  The directories it made are
 * listed in *made (a new list, NULL when it made none; output_made_end
 * frees it), so that a run that ends up writing nothing in them can
 * remove them again.
 */
struct output_made;
int output_make_dir(const char *dir, struct output_made **made, struct diag *d);

/* Frees the list (NULL is a no-op); with `undo`, first removes the
 * directories output_make_dir made that are still empty, deepest first
 * (for a run that failed: one that wrote something keeps them). */
void output_made_end(struct output_made *made, bool undo);

/* A directory being built; opaque.  Ended by output_dir_commit or
 * output_dir_abort, exactly once. */
struct output_dir;

/*
 * Starts producing the directory `final_dir` by creating an empty
 * temporary sibling "<parent>/.<base>.tmp-XXXXXX".  The parent directory
 * must exist (it is not created); the error names it.  `final_dir` must
 * name a directory entry: "/", "." and ".." are refused.
 *
 * Returns 0 and a new handle in *out that the caller ends with
 * output_dir_commit or output_dir_abort, or -1 after adding an error to d
 * (*out is then NULL and nothing was created).
 */
int output_dir_begin(const char *final_dir, struct output_dir **out, struct diag *d);

/*
 * The same for the directory root/rel ("out" and "SIRT-2026-0142/drafts"),
 * where root is a directory the user chose and rel what sircomm makes
 * below it.  root is followed like any path (it may be a symbolic link
 * the user made); rel is not: each of its components is entered without
 * following symbolic links and created when missing, and one that is a
 * symbolic link (or not a directory) is refused before anything is
 * written, naming it.  The last component, the output itself, is
 * refused at output_dir_commit when it is a symbolic link, as with
 * output_dir_begin.  rel must be a safe relative name (the rules of
 * output_dir_add).  Directories created on the way stay once the output is
 * committed, and are removed again (when empty) if it is aborted or the
 * commit fails.
 */
int output_dir_begin_under(const char *root, const char *rel, struct output_dir **out, struct diag *d);

/*
 * Writes one file of the directory being built (flushed to disk, with
 * everything else in it, by output_dir_commit).  `name`
 * is relative to the directory and may contain "/" to place the file in
 * subdirectories, which are created as needed.  Every component must be
 * a safe name: not empty, not "." or "..", not starting with ".", and
 * without backslashes or control characters; anything else is refused
 * before touching the disk.  Adding the same name twice is an error.
 *
 * Returns 0, or -1 after adding an error to d.  The handle stays valid
 * either way: the caller decides whether to go on or abort.  The data
 * stays the caller's.
 */
int output_dir_add(struct output_dir *od, const char *name, const void *data,
		size_t len, struct diag *d);

/*
 * Puts the directory in place.  When `final_dir` does not exist, the
 * temporary is renamed onto it.  When it exists (a previous run), the old
 * directory is renamed aside to "<parent>/.<base>.old-XXXXXX", the new one
 * renamed into place, and the old one removed (symbolic links inside are
 * removed, never followed).  A reader never sees a half-written
 * directory; a failure before the swap leaves the old one untouched.  An
 * existing `final_dir` that is not a directory (a file, a symbolic link)
 * is refused, never replaced or followed.  If only the removal of the old directory fails, the commit
 * stands and a warning names what was left behind.
 *
 * Returns 0, or -1 after adding an error to d.  Frees od in both cases;
 * on failure the temporary directory is removed too.
 */
int output_dir_commit(struct output_dir *od, struct diag *d);

/* Removes the temporary directory and everything in it, and frees od.
 * NULL is a no-op. */
void output_dir_abort(struct output_dir *od);

#endif
