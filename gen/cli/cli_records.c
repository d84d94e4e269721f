/* cli_records.c - the records of a batch command: read once each, and
 * each incident once per run. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "base/diag.h"
#include "sys/jobs.h"
#include "model/record.h"
#include "sys/stop.h"
#include "model/xmlin.h"

struct cli_record_src {
	const char *path;      /* argv's */
	char *id;              /* seen by the first look; NULL if not */
	long line;
	/* Standard input and other files that cannot be read twice (a pipe)
	 * are read whole by the first look and loaded from memory. */
	bool in_memory;
	char *data;
	size_t len;
	struct diag read_diag; /* why reading it failed, for the load to say */
};

static void copy_diag(struct diag *to, const struct diag *from)
{
	for (size_t k = 0; k < from->n; k++) {
		const struct diag_item *it = &from->items[k];
		diag_add(to, it->level, it->file, it->line, "%s", it->msg);
	}
}

static void look(size_t i, void *ud)
{
	struct cli_records *rs = ud;
	struct cli_record_src *s = &rs->src[i - (size_t)rs->first];
	if (s->in_memory) {
		if (s->data)
			rec_peek_id(s->data, s->len, &s->id, &s->line);
		return;
	}
	/* A file that cannot be opened here is reported by the load. */
	int fd = open(s->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	rec_peek_id_fd(fd, &s->id, &s->line);
	close(fd);
}

/* The same file name, or the name of the same "-". */
static const char *shown_name(const struct cli_record_src *s)
{
	return strcmp(s->path, "-") == 0 ? "<stdin>" : s->path;
}

static int by_id(const void *a, const void *b)
{
	const struct cli_record_src *x = *(const struct cli_record_src *const *)a;
	const struct cli_record_src *y = *(const struct cli_record_src *const *)b;
	int c = strcasecmp(x->id, y->id);
	return c ? c : x < y ? -1 : x > y;
}

int cli_records_open(struct cli_records *rs, char **argv, int first, int end, bool unique,
		     int workers, struct diag *d)
{
	size_t n = (size_t)(end - first);
	rs->first = first;
	rs->unique = unique;
	rs->src = xcalloc(n + 1, sizeof(*rs->src));
	const struct cli_record_src *stdin_src = NULL;
	/* Pipes and standard input are read now, in full; a stop signal ends
	 * the reading (the caller stops before its first record). */
	for (size_t k = 0; k < n; k++) {
		struct cli_record_src *s = &rs->src[k];
		s->path = argv[first + (int)k];
		if (stop_signal())
			continue;
		s->read_diag = (struct diag)DIAG_INIT;
		struct stat st;
		bool is_stdin = strcmp(s->path, "-") == 0;
		if (!is_stdin && (stat(s->path, &st) != 0 || S_ISREG(st.st_mode)))
			continue;
		s->in_memory = true;
		if (is_stdin && stdin_src) {
			/* "-" twice: the same record, read once. */
			if (stdin_src->data) {
				s->data = xmalloc(stdin_src->len + 1);
				memcpy(s->data, stdin_src->data, stdin_src->len + 1);
				s->len = stdin_src->len;
			}
			copy_diag(&s->read_diag, &stdin_src->read_diag);
			continue;
		}
		if (xmlin_read(s->path, &s->read_diag, &s->data, &s->len) != 0)
			s->data = NULL;
		if (is_stdin)
			stdin_src = s;
	}
	if (!unique || stop_signal())
		return 0;

	/* A look at every record's id, on the workers. */
	jobs_run((size_t)first, n, workers, look, rs);
	struct cli_record_src **seen = xcalloc(n + 1, sizeof(*seen));
	size_t m = 0;
	for (size_t k = 0; k < n; k++)
		if (rs->src[k].id)
			seen[m++] = &rs->src[k];
	qsort(seen, m, sizeof(*seen), by_id);
	size_t dups = 0;
	for (size_t k = 1; k < m; k++) {
		size_t f = k;
		while (f > 0 && strcasecmp(seen[f - 1]->id, seen[k]->id) == 0)
			f--;
		if (f == k)
			continue;
		const struct cli_record_src *a = seen[f], *b = seen[k];
		bool same = strcmp(a->id, b->id) == 0;
		if (strcmp(a->path, b->path) == 0) {
			diag_error(d, shown_name(b), b->line, "%s is given twice: a run takes each "
				   "incident once, so nothing was done",
				   strcmp(b->path, "-") == 0 ? "standard input ('-')" : "the record");
			dups++;
			continue;
		}
		diag_error(d, shown_name(b), b->line,
			   "incident '%s' is also in %s:%ld%s%s%s: a run takes each incident once, "
			   "so nothing was done", b->id, shown_name(a), a->line,
			   same ? "" : ", as '", same ? "" : a->id,
			   same ? "" : "' (ids that differ only in case name the same files on some "
				       "file systems)");
		dups++;
	}
	free(seen);
	return dups ? -1 : 0;
}

int cli_records_load(const struct cli_records *rs, int i, const struct policy *pol,
		     struct diag *d, struct record **out)
{
	const struct cli_record_src *s = &rs->src[i - rs->first];
	int rc;
	*out = NULL;
	if (!s->in_memory) {
		rc = rec_load(s->path, pol, d, out);
	} else if (!s->data) {
		copy_diag(d, &s->read_diag);
		rc = -1;
	} else {
		rc = rec_parse(shown_name(s), s->data, s->len, pol, d, out);
	}
	/* The file changed between the first look and now: what was checked
	 * for duplicates is not what would be written. */
	if (rc == 0 && rs->unique && !(s->id && strcmp(s->id, (*out)->id) == 0)) {
		if (s->id)
			diag_error(d, shown_name(s), s->line,
				   "the record changed while sircomm was reading it (its incident id "
				   "was '%s', is now '%s'): run again", s->id, (*out)->id);
		else
			diag_error(d, shown_name(s), 0,
				   "the record changed while sircomm was reading it: run again");
		rec_free(*out);
		*out = NULL;
		rc = -1;
	}
	return rc;
}

void cli_records_close(struct cli_records *rs)
{
	if (!rs || !rs->src)
		return;
	for (struct cli_record_src *s = rs->src; s->path; s++) {
		free(s->id);
		free(s->data);
		diag_free(&s->read_diag);
	}
	free(rs->src);
	rs->src = NULL;
}
