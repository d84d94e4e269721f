/* facts.c - the facts every draft states, computed once per incident. */
#include "draft/facts.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/ts.h"
#include "base/util.h"
#include "model/timeline.h"

/* ---- Times ---------------------------------------------------------- */

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

/* A string being written into a fixed array, cut to fit as snprintf
 * would cut it.  facts_moment runs for every event of a timeline, and
 * stdio's formatting was a twentieth of drafting's instructions. */
struct fixed {
	char *s;
	size_t size, len;
};

static void fixed_put(struct fixed *f, const char *s, size_t n)
{
	size_t room = f->size - 1 - f->len;
	if (n > room)
		n = room;
	memcpy(f->s + f->len, s, n);
	f->len += n;
	f->s[f->len] = '\0';
}

/* At most max bytes of s, as "%.*s". */
static void fixed_str(struct fixed *f, const char *s, size_t max)
{
	fixed_put(f, s, strnlen(s, max));
}

/* As "%u". */
static void fixed_uint(struct fixed *f, unsigned v)
{
	char digits[FMT_INT_SIZE];
	fixed_put(f, digits, fmt_uint(v, digits));
}

static struct fixed fixed_of(char *s, size_t size)
{
	s[0] = '\0';
	return (struct fixed){ s, size, 0 };
}

/* The number of n digits at s, or -1 when they are not all digits. */
static long digits_at(const char *s, int n)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

void facts_moment(const struct policy *pol, bool has, int64_t t, struct facts_moment *m)
{
	memset(m, 0, sizeof(*m));
	m->has = has;
	if (!has)
		return;
	m->at = t;
	const char *zone = pol_zone_label_at(pol, t);
	int offset_min = pol_zone_offset_at(pol, t);
	ts_format_utc(t, m->utc);
	char iso[TS_BUFSZ];
	ts_format_offset(t, offset_min, iso);
	/* "2026-03-04T10:12:00+01:00": the local date and time. */
	long y = digits_at(iso, 4), mo = -1, d = -1;
	if (y >= 0 && iso[4] == '-' && iso[7] == '-') {
		mo = digits_at(iso + 5, 2);
		d = digits_at(iso + 8, 2);
	}
	if (y < 0 || mo < 1 || mo > 12 || d < 0)
		mo = 1, d = 1, y = 1970;
	const char *month = month_names[mo - 1];
	const char *hm = strlen(iso) > 11 ? iso + 11 : "";

	struct fixed f = fixed_of(m->local, sizeof(m->local));    /* "%.10s %.5s %s" */
	fixed_str(&f, iso, 10);
	fixed_put(&f, " ", 1);
	fixed_str(&f, hm, 5);
	fixed_put(&f, " ", 1);
	fixed_str(&f, zone, SIZE_MAX);
	f = fixed_of(m->day, sizeof(m->day));                     /* "%u %s %u" */
	fixed_uint(&f, (unsigned)d);
	fixed_put(&f, " ", 1);
	fixed_str(&f, month, SIZE_MAX);
	fixed_put(&f, " ", 1);
	fixed_uint(&f, (unsigned)y);
	f = fixed_of(m->shrt, sizeof(m->shrt));                   /* "%u %.3s %.5s" */
	fixed_uint(&f, (unsigned)d);
	fixed_put(&f, " ", 1);
	fixed_str(&f, month, 3);
	fixed_put(&f, " ", 1);
	fixed_str(&f, hm, 5);
	f = fixed_of(m->when, sizeof(m->when));                   /* "%u %s %u at %.5s %s" */
	fixed_put(&f, m->day, strlen(m->day));
	fixed_put(&f, " at ", 4);
	fixed_str(&f, hm, 5);
	fixed_put(&f, " ", 1);
	fixed_str(&f, zone, SIZE_MAX);
}

/* ---- Numbers -------------------------------------------------------- */

void facts_format_count(uint64_t n, char out[32])
{
	char digits[24];
	int len = snprintf(digits, sizeof(digits), "%" PRIu64, n);
	size_t k = 0;
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
}

/* ---- Words ---------------------------------------------------------- */

static const char *const status_labels[] = {
	[REC_STATUS_INVESTIGATING] = "Under investigation",
	[REC_STATUS_MITIGATED] = "Mitigated; investigation continues",
	[REC_STATUS_RESOLVED] = "Resolved",
};

static const char *const status_lines[] = {
	[REC_STATUS_INVESTIGATING] = "Our investigation is ongoing.",
	[REC_STATUS_MITIGATED] = "We have mitigated the issue; our investigation is ongoing.",
	[REC_STATUS_RESOLVED] = "The issue is resolved.",
};

static const char *const users_labels[] = {
	[REC_USERS_NONE] = "No users", [REC_USERS_SOME] = "Some users",
	[REC_USERS_MANY] = "Many users", [REC_USERS_ALL] = "All users",
};

static const char *const populations[] = {
	[REC_USERS_NONE] = NULL, [REC_USERS_SOME] = "some of our customers",
	[REC_USERS_MANY] = "many of our customers", [REC_USERS_ALL] = "all of our customers",
};

/* What each level of <customer-action required> reads as: the line
 * when the record gives no brief, the heading to the reader, the
 * heading about customers. */
static const struct {
	const char *line, *heading, *heading_them;
} action_words[] = {
	[REC_ACTION_UNSTATED] = { NULL, NULL, NULL },
	[REC_ACTION_NONE] = { "No action is required.", "Do you need to do anything?",
			      "Do customers need to do anything?" },
	[REC_ACTION_REQUIRED] = { "Affected customers need to take action.",
				  "What you need to do", "What customers need to do" },
	[REC_ACTION_URGENT] = { "Affected customers need to take action now.",
				"What you need to do now", "What customers need to do now" },
};

static char *arena_printf(struct arena *a, const char *fmt, ...) SC_PRINTF(2, 3);

static char *arena_printf(struct arena *a, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *s = arena_strdup(a, buf_str(&b));
	buf_free(&b);
	return s;
}

/* ---- The quote ------------------------------------------------------ */

/* A one-paragraph quote with its closing full stop made a comma, as a
 * quote followed by its attribution is punctuated ("... investigation,"
 * said ...); a closing question or exclamation mark stays.  Emphasis
 * markers after the stop are kept after the comma.  NULL for a quote of
 * several paragraphs, which the drafts set as a block quote instead. */
static const char *quote_lead(struct arena *a, const char *quote)
{
	if (strstr(quote, "\n\n"))
		return NULL;
	size_t n = strlen(quote);
	while (n && (quote[n - 1] == ' ' || quote[n - 1] == '\n'))
		n--;
	size_t end = n;
	while (end && (quote[end - 1] == '*' || quote[end - 1] == '_'))
		end--;
	if (end && (quote[end - 1] == '?' || quote[end - 1] == '!'))
		return arena_strndup(a, quote, n);
	/* A quote that ends with an ideographic or full-width stop, question
	 * or exclamation mark ("。", "？", "！") is closed in its own script:
	 * a comma after it would be wrong in either. */
	static const char *const wide_stops[] = { "\xE3\x80\x82", "\xEF\xBC\x9F", "\xEF\xBC\x81" };
	for (size_t i = 0; i < 3; i++)
		if (end >= 3 && memcmp(quote + end - 3, wide_stops[i], 3) == 0)
			return arena_strndup(a, quote, n);
	if (end && quote[end - 1] == '.')
		return arena_printf(a, "%.*s,%.*s", (int)(end - 1), quote, (int)(n - end), quote + end);
	return arena_printf(a, "%.*s,", (int)n, quote);
}

/* ---- Commitments ---------------------------------------------------- */

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

/* "Publish the details" -> "We will publish the details": a step that
 * starts (after emphasis markers) with a capitalised word of plain
 * lower-case letters and hyphens, followed by a word that does not
 * start with a capital (so "Example Cloud will ..." and "API keys" are
 * left alone).  A step that already says "We" or "Our", or starts any
 * other way, is returned as written. */
static const char *commitment(struct arena *a, const char *step)
{
	if (strncmp(step, "We ", 3) == 0 || strncmp(step, "We'", 3) == 0 ||
	    strncmp(step, "Our ", 4) == 0)
		return step;
	size_t m = strspn(step, "*_");
	const char *w = step + m;
	if (!is_upper(w[0]))
		return step;
	size_t k = 1;
	while (is_lower(w[k]) || (w[k] == '-' && is_lower(w[k + 1])))
		k++;
	k += strspn(w + k, "*_");
	if (w[k] != ' ' || !is_lower(w[k + 1]))
		return step;
	return arena_printf(a, "We will %.*s%c%s", (int)m, step, (char)(w[0] - 'A' + 'a'), w + 1);
}

/* ---- Building ------------------------------------------------------- */

void facts_build(const struct record *rec, const struct policy *pol, struct arena *a,
		 struct facts *f)
{
	memset(f, 0, sizeof(*f));
	const struct rec_comm *c = &rec->comm;

	f->action = c->customer_action ? c->action : REC_ACTION_UNSTATED;
	f->action_line = c->customer_action && c->action_brief ? c->action_brief
			 : action_words[f->action].line;
	f->action_heading = action_words[f->action].heading;
	f->action_heading_them = action_words[f->action].heading_them;

	f->users = rec->users;
	f->has_count = rec->has_count;
	if (rec->has_count) {
		facts_format_count(rec->count, f->count);
		snprintf(f->users_label, sizeof(f->users_label), "%s (%s known)",
			 users_labels[rec->users], f->count);
	} else {
		snprintf(f->users_label, sizeof(f->users_label), "%s", users_labels[rec->users]);
	}
	f->population = populations[rec->users];
	f->reader_affected = c->email_to_affected;

	f->ongoing = rec->status != REC_STATUS_RESOLVED;
	f->status_label = status_labels[rec->status];
	f->status_line = status_lines[rec->status];
	facts_moment(pol, true, tl_as_of(rec), &f->as_of);
	facts_moment(pol, c->has_next_update, c->next_update, &f->next_update);
	if (f->next_update.has)
		f->update_line = arena_printf(a, "Our next update will be by %s.", f->next_update.when);
	else if (f->ongoing)
		f->update_line = "We will share an update as soon as we know more.";

	f->blog = c->blog;
	f->advisory = c->advisory;
	f->contact = c->contact;
	f->link = c->blog ? c->blog : c->advisory;

	if (c->quote) {
		f->quote = c->quote;
		f->quote_lead = quote_lead(a, c->quote);
		f->quote_by = c->quote_by;
		f->quote_name = c->quote_name;
		f->quote_security = c->quote_security;
		if (c->quote_name) {
			f->quote_who = arena_printf(a, "%s, %s", c->quote_name, c->quote_by);
			f->quote_attribution = arena_printf(a, "%s, %s at %s", c->quote_name,
							    c->quote_by, pol->organization);
		} else {
			f->quote_who = c->quote_by;
			f->quote_attribution = arena_printf(a, "the %s at %s", c->quote_by,
							    pol->organization);
		}
	}

	f->press_name = pol->press_name;
	f->press_address = pol->press_address;

	f->n_commitments = c->n_next_steps;
	f->commitments = arena_alloc(a, (c->n_next_steps + 1) * sizeof(*f->commitments));
	for (size_t i = 0; i < c->n_next_steps; i++)
		f->commitments[i] = commitment(a, c->next_steps[i]);
}
