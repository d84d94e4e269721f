/* verify.c - checking an audit bundle without trusting it. */
#include "bundle/bundle.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <zip.h>

#include "bundle/minisig.h"
#include "bundle/sent.h"
#include "sys/output.h"

#define TAG_MAX_BYTES ((size_t)16 << 20)
/* A minisign signature is a few hundred bytes; its comments at most 9 KiB. */
#define SIG_MAX_BYTES ((size_t)64 << 10)

struct entry {
	char *name;        /* below the top directory: "data/x" or "bagit.txt" */
	size_t name_len;
	zip_uint64_t index;
	uint64_t size;     /* bytes actually read */
	char sha256[65];
	bool read_ok;
	bool listed;       /* named by manifest-sha256.txt */
	bool tagged;       /* named by tagmanifest-sha256.txt */
};

struct verifier {
	const char *path;
	struct diag *d;
	int problems;
	zip_t *za;
	struct entry *entries;   /* in the zip's order */
	size_t n;
	struct entry **by_name;  /* the same, sorted by name */
	char *top;
	uint64_t total;
};

static void problem(struct verifier *v, const char *fmt, ...) SC_PRINTF(2, 3);

static void problem(struct verifier *v, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vadd(v->d, DIAG_ERROR, v->path, 0, fmt, ap);
	va_end(ap);
	v->problems++;
}

/* Reads an entry, hashing it; keeps the bytes when keep is set (tag
 * files).  Stops at the limits. */
static int read_entry(struct verifier *v, struct entry *e, struct buf *keep)
{
	zip_file_t *zf = zip_fopen_index(v->za, e->index, 0);
	if (!zf) {
		problem(v, "entry %s/%s cannot be read: %s", v->top, e->name, zip_strerror(v->za));
		return -1;
	}
	crypto_hash_sha256_state st;
	crypto_hash_sha256_init(&st);
	char chunk[65536];
	zip_int64_t n;
	int rc = 0;
	while ((n = zip_fread(zf, chunk, sizeof(chunk))) > 0) {
		e->size += (uint64_t)n;
		v->total += (uint64_t)n;
		if (e->size > BUNDLE_MAX_ENTRY_BYTES || v->total > BUNDLE_MAX_TOTAL_BYTES ||
		    (keep && e->size > TAG_MAX_BYTES)) {
			problem(v, "entry %s/%s expands beyond the %zu MiB sircomm reads (a zip bomb?)",
				v->top, e->name, (keep ? TAG_MAX_BYTES : BUNDLE_MAX_ENTRY_BYTES) >> 20);
			rc = -1;
			break;
		}
		crypto_hash_sha256_update(&st, (const unsigned char *)chunk, (unsigned long long)n);
		if (keep)
			buf_append(keep, chunk, (size_t)n);
	}
	if (n < 0) {
		problem(v, "entry %s/%s is corrupt: %s", v->top, e->name, zip_file_strerror(zf));
		rc = -1;
	}
	zip_fclose(zf);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(e->sha256, sizeof(e->sha256), h, sizeof(h));
	e->read_ok = rc == 0;
	return rc;
}

/* Orders names as strcmp would, from pointer and length (manifest
 * paths are not NUL-terminated). */
static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

static int by_name_then_index(const void *a, const void *b)
{
	const struct entry *x = *(struct entry *const *)a, *y = *(struct entry *const *)b;
	int c = name_cmp(x->name, x->name_len, y->name, y->name_len);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

static void sort_by_name(struct verifier *v)
{
	free(v->by_name);
	v->by_name = xcalloc(v->n + 1, sizeof(*v->by_name));
	for (size_t i = 0; i < v->n; i++)
		v->by_name[i] = &v->entries[i];
	qsort(v->by_name, v->n, sizeof(*v->by_name), by_name_then_index);
}

/* The entry named by the n bytes at name, by binary search: a hostile
 * manifest of 16 MiB of lines costs a few comparisons a line, not one per
 * entry of the zip. */
static struct entry *find(struct verifier *v, const char *name, size_t n)
{
	size_t lo = 0, hi = v->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct entry *e = v->by_name[mid];
		int c = name_cmp(name, n, e->name, e->name_len);
		if (c == 0)
			return e;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Reports every entry whose name an earlier entry already has, and drops
 * it, so that each name stands for one entry. */
static void drop_duplicates(struct verifier *v)
{
	sort_by_name(v);
	bool *dup = xcalloc(v->n + 1, sizeof(*dup));
	size_t dups = 0;
	for (size_t k = 1; k < v->n; k++) {
		const struct entry *a = v->by_name[k - 1], *b = v->by_name[k];
		if (name_cmp(a->name, a->name_len, b->name, b->name_len) == 0) {
			dup[b - v->entries] = true;
			dups++;
		}
	}
	if (dups) {
		size_t kept = 0;
		for (size_t i = 0; i < v->n; i++) {
			if (dup[i]) {
				problem(v, "entry '%s/%s' appears twice", v->top, v->entries[i].name);
				free(v->entries[i].name);
			} else {
				v->entries[kept++] = v->entries[i];
			}
		}
		v->n = kept;
		sort_by_name(v);
	}
	free(dup);
}

/* Checks a name from the archive; returns false (after a problem) when it
 * could escape or confuse an extraction. */
static bool safe_name(struct verifier *v, const char *name)
{
	if (!*name || name[0] == '/' || strchr(name, '\\') || strstr(name, "//")) {
		problem(v, "entry '%s' has an unsafe name", name);
		return false;
	}
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			problem(v, "entry name has a control character");
			return false;
		}
	}
	const char *s = name;
	while (*s) {
		size_t k = strcspn(s, "/");
		if ((k == 1 && s[0] == '.') || (k == 2 && s[0] == '.' && s[1] == '.')) {
			problem(v, "entry '%s' has a '.' or '..' component: it could write outside the bag", name);
			return false;
		}
		s += k + (s[k] == '/');
	}
	return true;
}

/*
 * What entry i is when it is neither a regular file nor a directory, or
 * NULL.  The file type is in the top bits of the external attributes,
 * read whatever host the entry claims to come from: unzip takes the
 * mode from MS-DOS, VMS, Atari, BeOS and AtheOS entries as well as from
 * Unix ones, and makes a symbolic link of any of them.  No type at all
 * (an MS-DOS entry with no Unix mode) is a plain file.
 */
static const char *special_kind(struct verifier *v, zip_uint64_t i)
{
	zip_uint8_t opsys;
	zip_uint32_t attr;
	if (zip_file_get_external_attributes(v->za, i, 0, &opsys, &attr) != 0)
		return "file of unreadable type";
	switch ((attr >> 16) & S_IFMT) {
	case 0:
	case S_IFREG:
	case S_IFDIR:
		return NULL;
	case S_IFLNK: return "symbolic link";
	case S_IFIFO: return "FIFO";
	case S_IFCHR: return "character device";
	case S_IFBLK: return "block device";
	case S_IFSOCK: return "socket";
	default: return "file of unknown type";
	}
}

static int list_entries(struct verifier *v)
{
	zip_int64_t count = zip_get_num_entries(v->za, 0);
	if (count < 0 || (uint64_t)count > BUNDLE_MAX_ENTRIES) {
		problem(v, "the zip has %lld entries; sircomm reads at most %d", (long long)count,
			BUNDLE_MAX_ENTRIES);
		return -1;
	}
	v->entries = xcalloc((size_t)count + 1, sizeof(*v->entries));
	for (zip_uint64_t i = 0; i < (zip_uint64_t)count; i++) {
		const char *name = zip_get_name(v->za, i, ZIP_FL_ENC_RAW);
		if (!name) {
			problem(v, "entry %llu has no name", (unsigned long long)i);
			continue;
		}
		if (!safe_name(v, name))
			continue;
		const char *kind = special_kind(v, i);
		if (kind) {
			problem(v, "entry '%s' is a %s, not a regular file: a bag holds only files", name, kind);
			continue;
		}
		size_t k = strcspn(name, "/");
		if (!v->top)
			v->top = xstrndup(name, k);
		if (strlen(v->top) != k || strncmp(name, v->top, k) != 0 || !name[k]) {
			problem(v, "entry '%s' is outside the bag directory '%s/'", name, v->top);
			continue;
		}
		const char *rel = name + k + 1;
		size_t rlen = strlen(rel);
		if (!rlen || rel[rlen - 1] == '/')
			continue;   /* a directory entry */
		v->entries[v->n++] = (struct entry){ xstrdup(rel), rlen, i, 0, "", false, false, false };
	}
	if (!v->top) {
		problem(v, "the zip is empty");
		return -1;
	}
	drop_duplicates(v);
	return 0;
}

/* Parses "HEX  PATH" lines; checks each against the entries. */
static void check_manifest(struct verifier *v, const char *file, const char *text, bool payload)
{
	const char *p = text;
	long line = 0;
	while (*p) {
		line++;
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		if (n && p[n - 1] == '\r')
			n--;
		size_t h = strspn(p, "0123456789abcdefABCDEF");
		const char *path = p + h;
		size_t sp = strspn(path, " \t");
		if (n == 0) {
			/* a blank line */
		} else if (h != 64 || sp == 0 || h + sp >= n) {
			problem(v, "%s line %ld is not 'SHA-256  PATH'", file, line);
		} else {
			size_t plen = n - h - sp;
			struct entry *e = find(v, path + sp, plen);
			if (payload && strncmp(path + sp, "data/", 5) != 0) {
				problem(v, "%s line %ld names '%.*s', outside data/", file, line, (int)plen, path + sp);
			} else if (!e) {
				problem(v, "%s line %ld names '%.*s', which is not in the bag", file, line,
					(int)plen, path + sp);
			} else {
				e->listed |= payload;
				e->tagged |= !payload;
				if (e->read_ok && strncasecmp(e->sha256, p, 64) != 0)
					problem(v, "%s: SHA-256 of '%s' does not match %s line %ld (tampered?)",
						v->top, e->name, file, line);
			}
		}
		p += n + (eol ? (size_t)(eol - p) - n + 1 : 0);
		if (!eol)
			break;
	}
}

static const char *tag_value(const char *text, const char *label)
{
	size_t n = strlen(label);
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, label, n) == 0 && p[n] == ':')
			return p + n + 1 + strspn(p + n + 1, " \t");
	return NULL;
}

/* The value of a bag-info line up to its end, as a new string; NULL
 * when the label is absent. */
static char *tag_line(const char *text, const char *label)
{
	const char *v = tag_value(text, label);
	return v ? xstrndup(v, strcspn(v, "\r\n")) : NULL;
}

/* The communications as sent (bundle --sent): each data/sent/NAME has a
 * sent file's name and its data/sent-diff/NAME.diff, each diff its sent
 * file, and bag-info.txt names the artifacts that have one as the bag
 * holds them. */
static void check_sent(struct verifier *v, const char *info)
{
	const char **names = xcalloc(v->n + 1, sizeof(*names));
	size_t n = 0;
	for (size_t i = 0; i < v->n; i++) {
		const char *e = v->entries[i].name;
		if (strncmp(e, "data/sent/", 10) == 0) {
			const char *why = sent_name_problem(e + 10);
			char *diff = xasprintf("data/sent-diff/%s.diff", e + 10);
			if (why)
				problem(v, "%s/%s: %s", v->top, e, why);
			else
				names[n++] = e + 10;
			if (!find(v, diff, strlen(diff)))
				problem(v, "%s/%s has no %s", v->top, e, diff);
			free(diff);
		} else if (strncmp(e, "data/sent-diff/", 15) == 0) {
			size_t len = strlen(e);
			char *sent = len > 20 && strcmp(e + len - 5, ".diff") == 0
					     ? xasprintf("data/sent/%.*s", (int)(len - 20), e + 15) : NULL;
			if (!sent || !find(v, sent, strlen(sent)))
				problem(v, "%s/%s is a diff of no file under data/sent/", v->top, e);
			free(sent);
		}
	}
	char *with = tag_line(info, "Artifacts-With-Sent-Version");
	char *without = tag_line(info, "Artifacts-Without-Sent-Version");
	if (n || with || without) {
		struct buf want = BUF_INIT;
		sent_bag_info(names, n, &want);
		char *want_with = tag_line(buf_str(&want), "Artifacts-With-Sent-Version");
		char *want_without = tag_line(buf_str(&want), "Artifacts-Without-Sent-Version");
		if (!with || !without || strcmp(with, want_with) != 0 || strcmp(without, want_without) != 0)
			problem(v, "bag-info.txt says the artifacts with a sent version are '%s'; "
				"data/sent/ holds '%s'", with ? with : "(not said)", want_with);
		free(want_with);
		free(want_without);
		buf_free(&want);
	}
	free(with);
	free(without);
	free(names);
}

/* Reads the file open at fd from its start, at most max bytes.  Returns
 * 0, -1 with errno set on an I/O error, or -2 when it is larger. */
static int read_fd(int fd, size_t max, struct buf *out)
{
	out->max = max;
	char chunk[65536];
	off_t off = 0;
	for (;;) {
		ssize_t n = pread(fd, chunk, sizeof(chunk), off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		if (buf_append(out, chunk, (size_t)n) < 0)
			return -2;
		off += n;
	}
}

/* Checks the signature (open at sfd, or sfd -1 and errno serr) of the
 * bundle open at zfd: both opened together, so they are one pair. */
static void check_signature(struct verifier *v, const char *pubkey, size_t pubkey_len, int zfd,
			    const char *sigpath, int sfd, int serr)
{
	unsigned char id[8], pk[32];
	const char *why;
	if (minisig_read_public(pubkey, pubkey_len, id, pk, &why) != 0) {
		problem(v, "public key: %s", why);
		return;
	}
	struct buf sig = BUF_INIT, data = BUF_INIT;
	int rc;
	struct stat st;
	if (sfd < 0) {
		problem(v, "no readable signature %s: %s", sigpath, strerror(serr));
	} else if (fstat(sfd, &st) == 0 && !S_ISREG(st.st_mode)) {
		problem(v, "%s is not a regular file: not a signature", sigpath);
	} else if ((rc = read_fd(sfd, SIG_MAX_BYTES, &sig)) != 0) {
		if (rc == -2)
			problem(v, "%s is larger than a minisign signature can be (%zu KiB): not a "
				"signature", sigpath, SIG_MAX_BYTES >> 10);
		else
			problem(v, "cannot read the signature %s: %s", sigpath, strerror(errno));
	} else if ((rc = read_fd(zfd, BUNDLE_MAX_TOTAL_BYTES, &data)) != 0) {
		if (rc == -2)
			problem(v, "the bundle is larger than the %zu MiB sircomm checks a signature over",
				BUNDLE_MAX_TOTAL_BYTES >> 20);
		else
			problem(v, "cannot read the bundle to check its signature: %s", strerror(errno));
	} else {
		char *trusted = NULL;
		if (minisig_verify(sig.data, sig.len, id, pk, data.data, data.len, &trusted, &why) != 0)
			problem(v, "signature: %s", why);
		free(trusted);
	}
	buf_free(&sig);
	buf_free(&data);
}

/* Says why libzip could not open the bundle, in an auditor's terms. */
static void open_problem(struct verifier *v, int code, int sys)
{
	const char *why;
	switch (code) {
	case ZIP_ER_EXISTS:
		why = "two entries have the same name (a bundle holds each file once: was it "
		      "tampered with?)";
		break;
	case ZIP_ER_NOZIP:
		why = "no zip directory at its end: it is truncated, or not a zip at all";
		break;
	case ZIP_ER_INCONS:
		why = "its directory and its entries disagree: it is damaged, truncated or tampered with";
		break;
	case ZIP_ER_MULTIDISK:
		why = "it is split over several files, which a bundle never is";
		break;
	case ZIP_ER_READ:
	case ZIP_ER_SEEK:
	case ZIP_ER_OPEN:
		why = strerror(sys);
		break;
	default: {
		zip_error_t ze;
		zip_error_init_with_code(&ze, code);
		problem(v, "not a readable zip archive: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return;
	}
	}
	problem(v, "not a readable zip archive: %s", why);
}

int bundle_verify(const char *path, const char *pubkey, size_t pubkey_len, struct diag *d)
{
	struct verifier v = { path, d, 0, NULL, NULL, 0, NULL, NULL, 0 };
	/* The zip and its signature are opened together, under the lock
	 * bundle takes to replace them (output_write_set), and read from these
	 * descriptors only: a bundle written meanwhile cannot slip its zip
	 * under another run's signature. */
	char *sigpath = xasprintf("%s.minisig", path);
	const char *paths[2] = { path, sigpath };
	int fds[2] = { -1, -1 }, errs[2] = { 0, 0 };
	output_open_set(paths, pubkey ? 2 : 1, fds, errs);
	struct stat st;
	if (fds[0] < 0) {
		diag_error(d, path, 0, "cannot read the bundle: %s", strerror(errs[0]));
	} else if (fstat(fds[0], &st) == 0 && !S_ISREG(st.st_mode)) {
		diag_error(d, path, 0, "cannot read the bundle: %s",
			   S_ISDIR(st.st_mode) ? "it is a directory" : "it is not a regular file");
	} else {
		/* libzip owns the copy it is given. */
		int err = 0, zfd = dup(fds[0]);
		if (zfd < 0) {
			diag_error(d, path, 0, "cannot read the bundle: %s", strerror(errno));
		} else if (!(v.za = zip_fdopen(zfd, ZIP_CHECKCONS, &err))) {
			int e = errno;
			close(zfd);
			open_problem(&v, err, e);
		}
	}
	if (!v.za) {
		if (fds[0] >= 0)
			close(fds[0]);
		if (fds[1] >= 0)
			close(fds[1]);
		free(sigpath);
		return -1;
	}
	if (list_entries(&v) == 0) {
		static const char *const tagnames[] = {
			"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt",
		};
		struct buf tag[4] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
		for (int t = 0; t < 4; t++) {
			struct entry *e = find(&v, tagnames[t], strlen(tagnames[t]));
			if (!e)
				problem(&v, "%s/%s is missing", v.top, tagnames[t]);
			else
				read_entry(&v, e, &tag[t]);
		}
		for (size_t i = 0; i < v.n; i++)
			if (!v.entries[i].read_ok && strncmp(v.entries[i].name, "data/", 5) == 0)
				read_entry(&v, &v.entries[i], NULL);
		const char *bagit = buf_str(&tag[0]);
		if (tag[0].len && (!strstr(bagit, "BagIt-Version: 1.0") ||
				   !strstr(bagit, "Tag-File-Character-Encoding: UTF-8")))
			problem(&v, "bagit.txt does not declare BagIt 1.0 in UTF-8");
		check_manifest(&v, "manifest-sha256.txt", buf_str(&tag[2]), true);
		check_manifest(&v, "tagmanifest-sha256.txt", buf_str(&tag[3]), false);
		/* Without a key, the tag manifest is all that shows a tag file
		 * unchanged: each must be listed there (and match, above). */
		for (int t = 0; t < 3 && find(&v, tagnames[3], strlen(tagnames[3])); t++) {
			const struct entry *e = find(&v, tagnames[t], strlen(tagnames[t]));
			if (e && !e->tagged)
				problem(&v, "%s/%s is not in tagmanifest-sha256.txt: nothing shows it unchanged",
					v.top, tagnames[t]);
		}
		uint64_t octets = 0;
		size_t files = 0;
		for (size_t i = 0; i < v.n; i++) {
			const struct entry *e = &v.entries[i];
			if (strncmp(e->name, "data/", 5) == 0) {
				octets += e->size;
				files++;
				if (!e->listed)
					problem(&v, "%s/%s is in the bag but not in manifest-sha256.txt", v.top, e->name);
			} else if (strcmp(e->name, "tagmanifest-sha256.txt") != 0) {
				bool tagged = false;
				for (int t = 0; t < 3; t++)
					tagged |= strcmp(e->name, tagnames[t]) == 0;
				if (!tagged)
					problem(&v, "%s/%s is neither payload nor a known tag file", v.top, e->name);
			}
		}
		const char *oxum = tag_value(buf_str(&tag[1]), "Payload-Oxum");
		unsigned long long o_octets, o_files;
		if (tag[1].len && (!oxum || sscanf(oxum, "%llu.%llu", &o_octets, &o_files) != 2))
			problem(&v, "bag-info.txt has no valid Payload-Oxum");
		else if (oxum && (o_octets != octets || o_files != files))
			problem(&v, "Payload-Oxum says %llu bytes in %llu files; the bag holds %llu in %zu",
				o_octets, o_files, (unsigned long long)octets, files);
		check_sent(&v, buf_str(&tag[1]));
		for (int t = 0; t < 4; t++)
			buf_free(&tag[t]);
	}
	zip_discard(v.za);
	if (pubkey)
		check_signature(&v, pubkey, pubkey_len, fds[0], sigpath, fds[1], errs[1]);
	close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	free(sigpath);
	for (size_t i = 0; i < v.n; i++)
		free(v.entries[i].name);
	free(v.entries);
	free(v.by_name);
	free(v.top);
	return v.problems;
}
