/* agree.c - the drafts of one incident agree with each other and with the facts. */
#include "draft/agree.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Reading text --------------------------------------------------- */

/* Each byte of a word (an ASCII letter or digit, or any non-ASCII byte)
 * as a word is compared, in lower case; 0 for the others. */
#define WORD_BYTE(c)                                        \
	(unsigned char)((c) >= 'A' && (c) <= 'Z' ? (c) - 'A' + 'a' \
			: (c) >= 'a' && (c) <= 'z' ? (c)           \
			: (c) >= '0' && (c) <= '9' ? (c)           \
			: (c) >= 0x80 ? (c)                        \
				      : 0)
#define WORD_BYTES4(c) \
	WORD_BYTE(c), WORD_BYTE((c) + 1), WORD_BYTE((c) + 2), WORD_BYTE((c) + 3)
#define WORD_BYTES16(c) \
	WORD_BYTES4(c), WORD_BYTES4((c) + 4), WORD_BYTES4((c) + 8), WORD_BYTES4((c) + 12)
#define WORD_BYTES64(c) \
	WORD_BYTES16(c), WORD_BYTES16((c) + 16), WORD_BYTES16((c) + 32), WORD_BYTES16((c) + 48)

static const unsigned char word_byte[256] = {
	WORD_BYTES64(0), WORD_BYTES64(64), WORD_BYTES64(128), WORD_BYTES64(192),
};

static bool is_alnum(unsigned char c)
{
	return word_byte[c] != 0;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool starts_ci(const char *s, const char *p)
{
	for (; *p; s++, p++)
		if (!*s || lower(*s) != lower(*p))
			return false;
	return true;
}

/* ---- Words and phrases ---------------------------------------------- */

/* A phrase stands in a text only as whole words, so each of its words
 * (a run of letters, digits and non-ASCII bytes) is then a whole word of
 * the text, and each two words next to each other in the phrase are next
 * to each other in the text.  A text keeps the set of its words and of
 * its pairs of neighbouring words as a bitmap, a bit each, filled while
 * it is folded; a phrase with a word or a pair whose bit is clear is not
 * in the text, and is not searched for.  Most phrases looked for are in
 * no draft, so most searches end there, even for phrases of common words
 * ("your account is affected"). */
#define WORD_BITS 8192
/* Words of a phrase whose bits are kept; a longer phrase is tested on
 * its first ones, which still rules it out or lets the search decide. */
#define PHRASE_WORDS 12

static uint64_t word_hash_start(void)
{
	return 0xcbf29ce484222325u;
}

static uint64_t word_hash_add(uint64_t h, unsigned char c)
{
	return (h ^ c) * 0x100000001b3u;
}

/* The key of two words next to each other, from their hashes. */
static uint64_t word_pair(uint64_t first, uint64_t second)
{
	uint64_t x = first * 0x9e3779b97f4a7c15u ^ second;
	x ^= x >> 31;
	return x * 0xbf58476d1ce4e5b9u;
}

/* The bit a key sets. */
static unsigned word_bit(uint64_t k)
{
	return (unsigned)(k >> 51);
}

/* A phrase looked for, and the bits its words need. */
struct phrase {
	const char *key;        /* its address; NULL: a free slot */
	unsigned char in_record; /* 0 not asked yet, 1 not the record's, 2 the record's */
	unsigned char n;        /* bits in bit[] */
	uint16_t bit[2 * PHRASE_WORDS];
};

/* The phrases one check has looked for, by address: every phrase looked
 * for is a literal or an entry of a static list here, so one address is
 * always one phrase, and its bits are worked out once.  The record's
 * answer is kept with it: each draft asks the record's words about the
 * same phrases. */
#define PHRASE_SLOTS 128

struct phrases {
	struct phrase slot[PHRASE_SLOTS];
};

static void phrase_key(struct phrase *p, uint64_t k)
{
	p->bit[p->n++] = (uint16_t)word_bit(k);
}

static void phrase_bits(struct phrase *p, const char *phrase)
{
	p->n = 0;
	const unsigned char *c = (const unsigned char *)phrase;
	uint64_t prev = 0;
	for (size_t words = 0; words < PHRASE_WORDS; words++) {
		while (*c && !word_byte[*c])
			c++;
		if (!*c)
			break;
		uint64_t h = word_hash_start();
		for (; word_byte[*c]; c++)
			h = word_hash_add(h, word_byte[*c]);
		phrase_key(p, h);
		if (words)
			phrase_key(p, word_pair(prev, h));
		prev = h;
	}
}

/* The phrase's entry in the book (NULL: no book), made on its first
 * use; `spare` holds it when the book is full. */
static struct phrase *phrase_get(struct phrases *book, const char *phrase, struct phrase *spare)
{
	if (book) {
		size_t h = ((uintptr_t)phrase >> 3) % PHRASE_SLOTS;
		for (size_t k = 0; k < PHRASE_SLOTS; k++, h = (h + 1) % PHRASE_SLOTS) {
			struct phrase *p = &book->slot[h];
			if (p->key == phrase)
				return p;
			if (!p->key) {
				p->key = phrase;
				phrase_bits(p, phrase);
				return p;
			}
		}
	}
	spare->key = phrase;
	spare->in_record = 0;
	phrase_bits(spare, phrase);
	return spare;
}

/* ---- Texts ---------------------------------------------------------- */

/* A text to read, its copy with ASCII letters in lower case (the same
 * length, so a place in one is the same place in the other: the phrases
 * looked for are found in the copy with strstr, many times faster than
 * comparing at every byte), and the set of its words. */
struct text {
	const char *s;
	char *low;                       /* NULL: not read (s may still be) */
	struct phrases *book;
	uint64_t words[WORD_BITS / 64];
};

static void text_key(struct text *t, uint64_t k)
{
	unsigned b = word_bit(k);
	t->words[b / 64] |= (uint64_t)1 << (b % 64);
}

/* Reads s into t: folds it and sets its words' bits; a NULL s is a
 * text not made. */
static void text_fold(struct text *t, const char *s, struct phrases *book)
{
	t->s = s;
	t->low = NULL;
	t->book = book;
	memset(t->words, 0, sizeof(t->words));
	if (!s)
		return;
	size_t n = strlen(s);
	t->low = xmalloc(n + 1);
	const unsigned char *u = (const unsigned char *)s;
	unsigned char *low = (unsigned char *)t->low;
	uint64_t prev = 0;
	bool first = true;
	size_t i = 0;
	for (;;) {
		/* Between words: bytes that fold to themselves (ASCII capitals
		 * are words' bytes). */
		unsigned char c;
		while (!word_byte[c = u[i]]) {
			low[i] = c;
			if (!c)
				return;
			i++;
		}
		uint64_t h = word_hash_start();
		unsigned char w;
		while ((w = word_byte[u[i]]) != 0) {
			low[i++] = w;
			h = word_hash_add(h, w);
		}
		text_key(t, h);
		if (!first)
			text_key(t, word_pair(prev, h));
		prev = h;
		first = false;
	}
}

static void text_free(struct text *t)
{
	free(t->low);
	t->low = NULL;
}

/* False when a word of the phrase, or a pair of its neighbouring words,
 * is not in the text. */
static bool may_hold(const struct text *t, const struct phrase *p)
{
	for (unsigned i = 0; i < p->n; i++)
		if (!(t->words[p->bit[i] / 64] & ((uint64_t)1 << (p->bit[i] % 64))))
			return false;
	return true;
}

/* The first place at or after `from` (in t->s) where `phrase` (under 64
 * bytes, as every phrase here is) stands as whole words, in any case;
 * NULL when it does not. */
static const char *find_words_at(const struct text *t, const char *from, const char *phrase)
{
	char p[64];
	size_t n = strlen(phrase);
	if (n == 0 || n >= sizeof(p))
		return NULL;
	for (size_t i = 0; i <= n; i++)
		p[i] = lower(phrase[i]);
	const char *text = t->s;
	for (const char *at = strstr(t->low + (from - text), p); at; at = strstr(at + 1, p)) {
		const char *s = text + (at - t->low);
		if ((s == text || !is_alnum((unsigned char)s[-1])) && !is_alnum((unsigned char)s[n]))
			return s;
	}
	return NULL;
}

/* find_words_at, for a text that was read (text_fold), searched only
 * when every word of the phrase is a word of the text. */
static const char *find_words(const struct text *t, const char *from, const char *phrase)
{
	struct phrase spare;
	const struct phrase *p = phrase_get(t->book, phrase, &spare);
	return may_hold(t, p) ? find_words_at(t, from, phrase) : NULL;
}

/* Appends a field as the drafts' text reads it: emphasis and code
 * marks dropped, line breaks and runs of spaces one space; then a line
 * break, between fields.  The field goes in whole and is tidied where
 * it stands: what is kept is never longer than what was read. */
static void put_field(struct buf *out, const char *s)
{
	/* 1: a mark, dropped; 2: white space; 3: the end. */
	static const unsigned char kind[256] = {
		['*'] = 1, ['`'] = 1, [' '] = 2, ['\n'] = 2, ['\t'] = 2, ['\r'] = 2, [0] = 3,
	};
	size_t start = out->len;
	if (buf_append(out, s, strlen(s)) == 0) {
		char *d = out->data;
		size_t r = start, w = start;
		bool space = false;
		for (;;) {
			unsigned char k = kind[(unsigned char)d[r]];
			if (k == 3)
				break;
			if (k) {
				space |= k == 2;
				r++;
				continue;
			}
			if (space && w && d[w - 1] != '\n')
				d[w++] = ' ';
			space = false;
			char c;
			while (!kind[(unsigned char)(c = d[r])]) {
				d[w++] = c;
				r++;
			}
		}
		out->len = w;
		d[w] = '\0';
	}
	buf_putc(out, '\n');
}

/* The record's own words that reach the drafts, one field a line: its
 * title, services and communication (the Markdown fields, steps, FAQ,
 * quote, the action's brief, the links).  The timeline's notes reach no
 * draft a customer reads. */
static void record_words(const struct record *rec, struct buf *out)
{
	const struct rec_comm *c = &rec->comm;
	const char *fields[] = {
		rec->title, c->summary, c->customer_impact, c->response, c->customer_action,
		c->action_brief, c->quote, c->quote_by, c->quote_name, c->blog, c->advisory,
		c->contact,
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i])
			put_field(out, fields[i]);
	for (size_t i = 0; i < rec->n_services; i++)
		put_field(out, rec->services[i].name);
	for (size_t i = 0; i < c->n_mitigation; i++)
		put_field(out, c->mitigation[i]);
	for (size_t i = 0; i < c->n_next_steps; i++)
		put_field(out, c->next_steps[i]);
	for (size_t i = 0; i < c->n_faq; i++) {
		put_field(out, c->faq[i].q);
		put_field(out, c->faq[i].a);
	}
}

/* True when the record's own words hold the phrase: a statement the
 * record makes is its author's word, not a draft's. */
static bool in_record(const struct text *words, const char *phrase)
{
	if (!words)
		return false;
	struct phrase spare;
	struct phrase *p = phrase_get(words->book, phrase, &spare);
	if (!p->in_record)
		p->in_record = may_hold(words, p) && find_words_at(words, words->s, phrase) ? 2 : 1;
	return p->in_record == 2;
}

static bool sentence_end(const char *s)
{
	return *s == '\n' || ((*s == '.' || *s == '!' || *s == '?') &&
			      (s[1] == ' ' || s[1] == '\n' || s[1] == '\0'));
}

/* The sentence around `at`: from the end of the one before to its own
 * full stop (kept), on one line, at most about 200 bytes. */
static char *sentence(const char *text, const char *at)
{
	const char *b = at;
	while (b > text && !sentence_end(b - 1) && at - b < 200)
		b--;
	while (*b == ' ' || *b == '.' || *b == '!' || *b == '?')
		b++;
	const char *e = at;
	while (*e && !sentence_end(e) && e - at < 200)
		e++;
	if (*e && *e != '\n')
		e++;
	/* Cut at a character boundary. */
	while (b < at && ((unsigned char)*b & 0xC0) == 0x80)
		b++;
	while (e > at && *e && ((unsigned char)*e & 0xC0) == 0x80)
		e--;
	return xstrndup(b, (size_t)(e - b));
}

/* The word just before `at`, in lower case, in out (empty at the start). */
static void word_before(const char *text, const char *at, char out[16])
{
	const char *e = at;
	while (e > text && e[-1] == ' ')
		e--;
	const char *b = e;
	while (b > text && is_alnum((unsigned char)b[-1]) && e - b < 15)
		b--;
	size_t n = (size_t)(e - b);
	for (size_t i = 0; i < n; i++)
		out[i] = lower(b[i]);
	out[n] = '\0';
}

/* True when the sentence up to `at` makes it a condition ("If your
 * organization is affected", "whether your account ..."). */
static bool conditional(const char *text, const char *at)
{
	const char *b = at;
	while (b > text && !sentence_end(b - 1))
		b--;
	for (const char *w = b; w < at; w++)
		if ((w == b || !is_alnum((unsigned char)w[-1])) &&
		    (starts_ci(w, "if ") || starts_ci(w, "whether ") || starts_ci(w, "when ")))
			return true;
	return false;
}

/* The text of a node: its literals, breaks as spaces. */
static void node_text(cmark_node *node, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			buf_puts(out, cmark_node_get_literal(n));
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			buf_putc(out, ' ');
			break;
		default:
			if (out->len && out->data[out->len - 1] != ' ' &&
			    cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH)
				buf_putc(out, ' ');
			break;
		}
	}
	cmark_iter_free(it);
}

/* ---- What a text says ----------------------------------------------- */

/* What a draft can say about customer action. */
enum stance { SAYS_NOTHING, SAYS_NONE, SAYS_NEEDED, SAYS_HEDGED };

static const char *const no_action_phrases[] = {
	"no action is required", "no action is needed", "no action required",
	"no action needed", "do not need to take any action",
	"don't need to take any action", "need not take any action", "need take no action",
	"do not need to do anything", "don't need to do anything", "nothing you need to do",
	NULL,
};

static const char *const needed_phrases[] = {
	"action is required", "action required", "action is needed", "action needed",
	"need to take action", "needs to take action", "must take action", "take action now",
	"what you need to do", "what customers need to do", NULL,
};

static const char *const hedged_phrases[] = {
	"action may be needed", "action may be required", "may need to take action",
	"may need to act", "action might be needed", NULL,
};

/* The first phrase of the list in the text, as whole words and not
 * denied by the word before it ("no action is required" is not "action
 * is required"); with `words`, phrases the record itself holds are
 * skipped.  Returns where it stands, or NULL. */
static const char *first_phrase(const struct text *t, const char *const *list,
				const struct text *words)
{
	const char *text = t->s;
	const char *best = NULL;
	for (size_t i = 0; list[i]; i++) {
		const char *at = find_words(t, text, list[i]);
		if (!at || in_record(words, list[i]))
			continue;
		for (; at; at = find_words(t, at + 1, list[i])) {
			char w[16];
			word_before(text, at, w);
			if (strcmp(w, "no") == 0 || strcmp(w, "not") == 0 || strcmp(w, "never") == 0)
				continue;
			if (!best || at < best)
				best = at;
			break;
		}
	}
	return best;
}

/* ---- Findings ------------------------------------------------------- */

static void add(struct agree_result *out, enum agree_kind kind, enum draft_artifact a,
		bool warning, char *said, const char *other, unsigned agreeing)
{
	out->items = xrealloc(out->items, (out->n + 1) * sizeof(*out->items));
	out->items[out->n++] = (struct agree_finding){
		kind, a, warning, said, other ? xstrdup(other) : NULL, agreeing & ~(1u << a),
	};
}

/* The drafts (of `which`) whose text holds `s`. */
static unsigned holding(const struct text text[DRAFT_COUNT], unsigned which, const char *s)
{
	unsigned m = 0;
	for (int a = 0; s && a < DRAFT_COUNT; a++)
		if ((which & (1u << a)) && text[a].s && strstr(text[a].s, s))
			m |= 1u << a;
	return m;
}

/* The drafts whose text takes a stance from the list (not the record's). */
static unsigned stating(const struct text text[DRAFT_COUNT], unsigned which,
			const char *const *list, const struct text *words)
{
	unsigned m = 0;
	for (int a = 0; a < DRAFT_COUNT; a++)
		if ((which & (1u << a)) && text[a].s && first_phrase(&text[a], list, words))
			m |= 1u << a;
	return m;
}

static void check_action(const struct text *words, const struct facts *f,
			 const struct text text[DRAFT_COUNT], unsigned which, struct agree_result *out)
{
	bool needed = f->action == REC_ACTION_REQUIRED || f->action == REC_ACTION_URGENT;
	const char *fact = f->action_line ? f->action_line
			   : "nothing: the record has no <customer-action>";
	unsigned agreeing = holding(text, which, f->action_line);
	if (f->action == REC_ACTION_NONE)
		agreeing |= stating(text, which, no_action_phrases, words);
	else if (needed)
		agreeing |= stating(text, which, needed_phrases, words);
	for (int a = 0; a < DRAFT_COUNT; a++) {
		if (!(which & (1u << a)) || !text[a].s)
			continue;
		const char *t = text[a].s;
		const char *none = first_phrase(&text[a], no_action_phrases, words);
		const char *need = first_phrase(&text[a], needed_phrases, words);
		const char *hedge = first_phrase(&text[a], hedged_phrases, words);
		const char *bad = NULL;
		enum agree_kind kind = AGREE_ACTION;
		if (f->action == REC_ACTION_UNSTATED)
			bad = none ? none : need ? need : hedge;
		else if (f->action == REC_ACTION_NONE)
			bad = need ? need : hedge, kind = need ? AGREE_ACTION : AGREE_HEDGE;
		else if (none)
			bad = none;
		else if (f->action == REC_ACTION_URGENT && hedge)
			bad = hedge, kind = AGREE_HEDGE;
		if (bad)
			add(out, kind, (enum draft_artifact)a, false, sentence(t, bad), fact, agreeing);
	}
}

static void check_reader(const struct text *words, const struct facts *f,
			 const struct text text[DRAFT_COUNT], unsigned which, struct agree_result *out)
{
	static const char *const phrases[] = {
		"including your account", "affected your account", "affects your account",
		"your account is affected", "your account was affected",
		"your account has been affected", "your organization is affected",
		"your organization was affected", "your organization has been affected",
		"including yours", NULL,
	};
	/* The email may tell its reader so when it goes to affected customers
	 * only; the public drafts never can. */
	static const enum draft_artifact drafts[] = {
		DRAFT_CUSTOMER_EMAIL, DRAFT_SECURITY_ALERT, DRAFT_BLOG_POST,
		DRAFT_SOCIAL_POST, DRAFT_MEDIA_STATEMENT,
	};
	for (size_t i = 0; i < sizeof(drafts) / sizeof(drafts[0]); i++) {
		enum draft_artifact a = drafts[i];
		if (!(which & (1u << a)) || !text[a].s)
			continue;
		if (a == DRAFT_CUSTOMER_EMAIL && f->reader_affected)
			continue;
		for (size_t k = 0; phrases[k]; k++) {
			const char *at = find_words(&text[a], text[a].s, phrases[k]);
			if (at && !in_record(words, phrases[k]) && !conditional(text[a].s, at)) {
				add(out, AGREE_READER, a, false, sentence(text[a].s, at),
				    a == DRAFT_CUSTOMER_EMAIL
					    ? "the email goes to every customer, affected or not"
					    : "it is public: most readers are not affected",
				    0);
				break;
			}
		}
	}
}

static void check_population(const struct text *words, const struct facts *f,
			     const struct text text[DRAFT_COUNT], unsigned which,
			     struct agree_result *out)
{
	static const struct {
		const char *phrase;
		enum rec_users users;
	} shares[] = {
		{ "some of our customers", REC_USERS_SOME }, { "some of our users", REC_USERS_SOME },
		{ "many of our customers", REC_USERS_MANY }, { "many of our users", REC_USERS_MANY },
		{ "all of our customers", REC_USERS_ALL }, { "all of our users", REC_USERS_ALL },
		{ "all our customers", REC_USERS_ALL },
	};
	const char *fact = f->population ? f->population : "no customers are affected";
	unsigned agreeing = f->population ? holding(text, which, f->population) : 0;
	for (int a = 0; a < DRAFT_COUNT; a++) {
		if (!(which & (1u << a)) || !text[a].s)
			continue;
		for (size_t k = 0; k < sizeof(shares) / sizeof(shares[0]); k++) {
			if (shares[k].users == f->users)
				continue;
			const char *at = find_words(&text[a], text[a].s, shares[k].phrase);
			if (at && !in_record(words, shares[k].phrase)) {
				add(out, AGREE_POPULATION, (enum draft_artifact)a, false,
				    sentence(text[a].s, at), fact, agreeing);
				break;
			}
		}
	}
}

/* A number as written ("3,812", "3812") at s, its length in n; false
 * when s does not start one. */
static bool number_at(const char *text, const char *s, uint64_t *value, size_t *n)
{
	if (!(*s >= '0' && *s <= '9') || (s > text && (is_alnum((unsigned char)s[-1]) ||
						       s[-1] == ',' || s[-1] == '.')))
		return false;
	uint64_t v = 0;
	size_t k = 0;
	while ((s[k] >= '0' && s[k] <= '9') ||
	       (s[k] == ',' && s[k + 1] >= '0' && s[k + 1] <= '9' && k)) {
		if (s[k] != ',')
			v = v * 10 + (uint64_t)(s[k] - '0');
		k++;
		if (k > 24)
			return false;
	}
	*value = v;
	*n = k;
	return true;
}

static void check_count(const struct record *rec, const struct text *words, const struct facts *f,
			const struct text text[DRAFT_COUNT], unsigned which, struct agree_result *out)
{
	static const char *const nouns[] = {
		" users", " customers", " customer accounts", " accounts", " known", NULL,
	};
	if (!f->has_count)
		return;
	unsigned agreeing = holding(text, which, f->count);
	size_t count_len = strlen(f->count);
	for (int a = 0; a < DRAFT_COUNT; a++) {
		if (!(which & (1u << a)) || !text[a].s)
			continue;
		const char *t = text[a].s;
		for (const char *s = t + strcspn(t, "0123456789"); *s;
		     s += 1 + strcspn(s + 1, "0123456789")) {
			uint64_t v;
			size_t n;
			if (!number_at(t, s, &v, &n))
				continue;
			bool bad = false;
			if (v == rec->count) {
				/* The count, written another way. */
				bad = n != count_len || memcmp(s, f->count, n) != 0;
			} else {
				/* Another count, unless the record writes it. */
				for (size_t k = 0; nouns[k] && !bad; k++)
					bad = starts_ci(s + n, nouns[k]);
				if (bad) {
					char lit[32];
					memcpy(lit, s, n);
					lit[n] = '\0';
					bad = !strstr(words->s, lit);
				}
			}
			if (bad) {
				add(out, AGREE_COUNT, (enum draft_artifact)a, false, sentence(t, s),
				    f->count, agreeing);
				break;
			}
			s += n - 1;
		}
	}
}

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July", "August",
	"September", "October", "November", "December", NULL,
};

/* True when the word at s (n bytes) is a month's name, in any case. */
static bool is_month(const char *s, size_t n)
{
	for (size_t i = 0; months[i]; i++) {
		if (strlen(months[i]) != n)
			continue;
		size_t k = 0;
		while (k < n && lower(s[k]) == lower(months[i][k]))
			k++;
		if (k == n)
			return true;
	}
	return false;
}

/* True when the text names a day: a month's name (as a whole word) or
 * an ISO date.  One pass over the sentence's words, where folding it
 * and searching it for each month cost a dozen. */
static bool names_a_day(const char *s)
{
	for (const char *w = s; *w;) {
		if (!is_alnum((unsigned char)*w)) {
			w++;
			continue;
		}
		const char *e = w;
		while (*e && is_alnum((unsigned char)*e))
			e++;
		if (e - w >= 3 && e - w <= 9 && is_month(w, (size_t)(e - w)))
			return true;
		w = e;
	}
	for (; *s; s++)
		if (s[0] >= '0' && s[0] <= '9' && strlen(s) >= 10 && s[4] == '-' && s[7] == '-')
			return true;
	return false;
}

/* True when the text names a time of day ("18:00"). */
static bool names_a_time(const char *s)
{
	for (; *s && s[1] && s[2] && s[3] && s[4]; s++)
		if (s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] == ':' &&
		    s[3] >= '0' && s[3] <= '9' && s[4] >= '0' && s[4] <= '9')
			return true;
	return false;
}

static void check_update(const struct text *words, const struct facts *f,
			 const struct text text[DRAFT_COUNT], unsigned which, struct agree_result *out)
{
	(void)words;
	const char *fact = f->next_update.has ? f->update_line
			   : "no next update is set (<next-update at> in the record)";
	unsigned agreeing = f->next_update.has ? holding(text, which, f->next_update.day) : 0;
	for (int a = 0; a < DRAFT_COUNT; a++) {
		if (!(which & (1u << a)) || !text[a].s)
			continue;
		for (const char *at = find_words(&text[a], text[a].s, "next update"); at;
		     at = find_words(&text[a], at + 1, "next update")) {
			char *s = sentence(text[a].s, at);
			const struct facts_moment *m = &f->next_update;
			bool right = !names_a_day(s) ||
				     (m->has && (strstr(s, m->when) || strstr(s, m->shrt) ||
						 strstr(s, m->utc) || strstr(s, m->local) ||
						 (strstr(s, m->day) && !names_a_time(s))));
			if (!right) {
				add(out, AGREE_UPDATE, (enum draft_artifact)a, false, s, fact, agreeing);
				break;
			}
			free(s);
		}
	}
}

static void check_status(const struct text *words, const struct facts *f,
			 const struct text text[DRAFT_COUNT], unsigned which, struct agree_result *out)
{
	static const char *const resolved[] = {
		"we have resolved", "has been resolved", "is resolved", "is now resolved",
		"was resolved", "have been resolved", NULL,
	};
	if (!f->ongoing)
		return;
	unsigned agreeing = holding(text, which, f->status_line);
	for (int a = 0; a < DRAFT_COUNT; a++) {
		if (!(which & (1u << a)) || !text[a].s)
			continue;
		const char *at = first_phrase(&text[a], resolved, words);
		if (at)
			add(out, AGREE_STATUS, (enum draft_artifact)a, false, sentence(text[a].s, at),
			    f->status_line, agreeing);
	}
}

/* The scheme, host and first path segment of a URL ("https://x.com/blog/"),
 * its length in *n; false when it has no path. */
static bool url_section(const char *url, size_t *n)
{
	const char *p = strstr(url, "://");
	if (!p)
		return false;
	p = strchr(p + 3, '/');
	if (!p)
		return false;
	const char *q = strchr(p + 1, '/');
	*n = (size_t)((q ? q + 1 : p + 1) - url);
	return true;
}

/* A draft that links another page beside the incident's blog post or
 * advisory (a stale post, a copy-pasted address) sends its readers
 * somewhere the other drafts do not.  Addresses the record itself holds
 * (an older post an FAQ answer cites) are the record's. */
static void check_links(const struct text *words, const struct facts *f,
			const struct text text[DRAFT_COUNT], unsigned which, struct agree_result *out)
{
	const char *ours[] = { f->blog, f->advisory };
	for (int a = 0; a < DRAFT_COUNT; a++) {
		if (!(which & (1u << a)) || !text[a].s)
			continue;
		bool found = false;
		for (const char *s = strstr(text[a].s, "http"); s && !found; s = strstr(s + 4, "http")) {
			if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
				continue;
			size_t n = strcspn(s, " \n\t<>()\"'");
			while (n && strchr(".,;:!?", s[n - 1]))
				n--;
			char *url = xstrndup(s, n);
			for (size_t k = 0; k < 2 && !found; k++) {
				size_t sec;
				if (!ours[k] || !url_section(ours[k], &sec))
					continue;
				if (strncmp(url, ours[k], sec) == 0 && strcmp(url, f->blog ? f->blog : "") != 0 &&
				    strcmp(url, f->advisory ? f->advisory : "") != 0 &&
				    !strstr(words->s, url)) {
					add(out, AGREE_OTHER_LINK, (enum draft_artifact)a, false, xstrdup(url),
					    ours[k], holding(text, which, ours[k]));
					found = true;
				}
			}
			free(url);
		}
	}
}

/* Headings that say customers must act, or need not, over text whose
 * first sentence says the opposite; the record's own text counts here, since the
 * heading is the draft's. */
static void check_headings(cmark_node *const tree[DRAFT_COUNT], unsigned which,
			   struct phrases *book, struct agree_result *out)
{
	for (int a = 0; a < DRAFT_COUNT; a++) {
		if (!(which & (1u << a)) || !tree[a])
			continue;
		for (cmark_node *h = cmark_node_first_child(tree[a]); h; h = cmark_node_next(h)) {
			if (cmark_node_get_type(h) != CMARK_NODE_HEADING)
				continue;
			struct buf ht = BUF_INIT;
			node_text(h, &ht);
			const char *htext = buf_str(&ht);
			struct text th;
			text_fold(&th, htext, book);
			/* The stance the body must not contradict, when the
			 * heading takes one; most headings take none, and their
			 * body is not read. */
			const char *const *opposite =
				first_phrase(&th, needed_phrases, NULL) ? no_action_phrases
				: first_phrase(&th, no_action_phrases, NULL) ? needed_phrases : NULL;
			text_free(&th);
			if (opposite) {
				/* The heading's first block of text. */
				struct buf body = BUF_INIT;
				cmark_node *b = cmark_node_next(h);
				if (b && cmark_node_get_type(b) != CMARK_NODE_HEADING)
					node_text(b, &body);
				/* What the heading's text says first: "Admins must
				 * rotate keys.  Everyone else need take no action."
				 * agrees with "What you need to do". */
				char *first = sentence(buf_str(&body), buf_str(&body));
				struct text tf;
				text_fold(&tf, first, book);
				if (first_phrase(&tf, opposite, NULL))
					add(out, AGREE_HEADING, (enum draft_artifact)a, false,
					    xstrdup(htext), first, 0);
				text_free(&tf);
				free(first);
				buf_free(&body);
			}
			buf_free(&ht);
		}
	}
}

static bool blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\t')
			return false;
	return true;
}

void agree_check(const struct record *rec, const struct facts *f,
		 char *const text[DRAFT_COUNT], cmark_node *const tree[DRAFT_COUNT],
		 unsigned which, struct agree_result *out)
{
	/* The internal drafts of tables (the matrix, the engagement plan)
	 * state none of these facts in sentences. */
	unsigned prose = which & ~((1u << DRAFT_APPROVAL_MATRIX) | (1u << DRAFT_ENGAGEMENT_PLAN) |
				   (1u << DRAFT_COMMS_DOC));
	struct phrases *book = xcalloc(1, sizeof(*book));
	struct buf said = BUF_INIT;
	record_words(rec, &said);
	struct text words;
	text_fold(&words, buf_str(&said), book);
	/* Only the drafts read as prose are folded; the others' text is
	 * only searched for a link or a fact's line. */
	struct text drafts[DRAFT_COUNT];
	for (int a = 0; a < DRAFT_COUNT; a++) {
		if (prose & (1u << a)) {
			text_fold(&drafts[a], text[a], book);
		} else {
			text_fold(&drafts[a], NULL, book);
			drafts[a].s = text[a];
		}
	}
	check_action(&words, f, drafts, prose, out);
	check_reader(&words, f, drafts, prose, out);
	check_population(&words, f, drafts, prose, out);
	check_count(rec, &words, f, drafts, prose, out);
	check_update(&words, f, drafts, prose, out);
	check_status(&words, f, drafts, prose, out);
	check_links(&words, f, drafts, which, out);
	text_free(&words);
	buf_free(&said);
	check_headings(tree, prose, book, out);
	free(book);

	static const enum draft_artifact companions[] = { DRAFT_SOCIAL_POST, DRAFT_SUPPORT_FAQ };
	for (size_t i = 0; i < 2; i++) {
		enum draft_artifact a = companions[i];
		if ((which & (1u << a)) && blank(text[a]))
			add(out, AGREE_EMPTY, a, false, NULL, NULL, 0);
	}
	if ((which & (1u << DRAFT_SOCIAL_POST)) && !blank(text[DRAFT_SOCIAL_POST])) {
		if (!f->link)
			add(out, AGREE_NO_LINK, DRAFT_SOCIAL_POST, true, NULL, NULL, 0);
		else if (!strstr(text[DRAFT_SOCIAL_POST], f->link))
			add(out, AGREE_LINK, DRAFT_SOCIAL_POST, false, NULL, f->link,
			    holding(drafts, which, f->link));
	}
	for (int a = 0; a < DRAFT_COUNT; a++)
		text_free(&drafts[a]);
	if ((which & (1u << DRAFT_SUPPORT_FAQ)) && rec->comm.n_faq == 0)
		add(out, AGREE_NO_FAQ, DRAFT_SUPPORT_FAQ, true, NULL, NULL, 0);
}

/* ---- Words ---------------------------------------------------------- */

static void list_drafts(unsigned mask, struct buf *out)
{
	bool first = true;
	for (int a = 0; a < DRAFT_COUNT; a++) {
		if (!(mask & (1u << a)))
			continue;
		buf_printf(out, "%s%s", first ? "" : ", ", draft_artifact_id((enum draft_artifact)a));
		first = false;
	}
}

void agree_describe(const struct agree_finding *fi, struct buf *out)
{
	const char *id = draft_artifact_id(fi->draft);
	const char *said = fi->said ? fi->said : "";
	const char *other = fi->other ? fi->other : "";
	switch (fi->kind) {
	case AGREE_ACTION:
		buf_printf(out, "%s says \"%s\" where the facts say \"%s\"", id, said, other);
		break;
	case AGREE_HEDGE:
		buf_printf(out, "%s hedges, \"%s\", where the facts say \"%s\"", id, said, other);
		break;
	case AGREE_READER:
		buf_printf(out, "%s tells its reader \"%s\", but %s%s", id, said, other,
			   fi->draft == DRAFT_CUSTOMER_EMAIL
				   ? " (write <communication email-to=\"affected\"> when it goes to "
				     "affected customers only)"
				   : "");
		break;
	case AGREE_POPULATION:
		buf_printf(out, "%s says \"%s\" where the scope says %s", id, said, other);
		break;
	case AGREE_COUNT:
		buf_printf(out, "%s says \"%s\" where the facts write the affected count %s",
			   id, said, other);
		break;
	case AGREE_UPDATE:
		buf_printf(out, "%s says \"%s\" where the facts say \"%s\"", id, said, other);
		break;
	case AGREE_STATUS:
		buf_printf(out, "%s says \"%s\" while the incident is not resolved (\"%s\")", id,
			   said, other);
		break;
	case AGREE_LINK:
		buf_printf(out, "%s does not link %s, which it is there to distribute", id, other);
		break;
	case AGREE_OTHER_LINK:
		buf_printf(out, "%s links %s where the incident's page is %s", id, said, other);
		break;
	case AGREE_HEADING:
		buf_printf(out, "%s has the heading \"%s\" over \"%s\", which says the opposite",
			   id, said, other);
		break;
	case AGREE_EMPTY:
		buf_printf(out, "%s is empty: it is a companion of every external communication",
			   id);
		break;
	case AGREE_NO_LINK:
		buf_printf(out, "%s links nothing: the plan has it distribute the blog post, and "
			   "the record has no blog or advisory link (<links blog>)", id);
		break;
	case AGREE_NO_FAQ:
		buf_printf(out, "%s has no questions and answers: support gets nothing prepared "
			   "(add <faq> items to the record)", id);
		break;
	}
	if (fi->agreeing) {
		buf_puts(out, " (as ");
		list_drafts(fi->agreeing, out);
		/* One draft says, several say. */
		buf_puts(out, fi->agreeing & (fi->agreeing - 1) ? " say)" : " says)");
	}
}

void agree_result_free(struct agree_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->items[i].said);
		free(r->items[i].other);
	}
	free(r->items);
	*r = (struct agree_result)AGREE_RESULT_INIT;
}
