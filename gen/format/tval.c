/* tval.c - the values templates render: constructors, maps indexed by a
 * hash once they grow, and the lookups the renderer and tests use. */
#include "format/tval.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tval_int.h"

/* Maps this large get a hash index beside their ordered entries. */
#define MAP_INDEX_MIN 8
/* Room a map's first key makes: most maps of a context (a moment, an
 * event) hold six to eight keys, so they never grow again. */
#define MAP_FIRST 8

size_t tval_hash(const char *s, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(1099511628211);
	}
	return (size_t)h;
}

/* Stands for a NULL value pushed or set, so lookups never meet NULL.
 * Nulls and booleans are never changed once made, so every one is one
 * of these three, shared: a context holds hundreds of booleans. */
static struct tval null_value = { .kind = TVAL_NULL };
static struct tval false_value = { .kind = TVAL_BOOL, .b = false };
static struct tval true_value = { .kind = TVAL_BOOL, .b = true };

/* The length of the key s and its tval_hash, in one pass. */
static size_t key_hash(const char *s, size_t *len)
{
	uint64_t h = UINT64_C(14695981039346656037);
	const char *p = s;
	for (; *p; p++) {
		h ^= (unsigned char)*p;
		h *= UINT64_C(1099511628211);
	}
	*len = (size_t)(p - s);
	return (size_t)h;
}

static struct tval *new_value(struct arena *a, enum tval_kind kind)
{
	struct tval *v = arena_alloc(a, sizeof(*v));
	v->kind = kind;
	v->arena = a;
	return v;
}

/* Doubles an array kept in an arena (first making room for `first`);
 * the old copy stays in the arena, which at most doubles the memory the
 * array uses. */
static void *grow(struct arena *a, const void *old, size_t n, size_t *cap, size_t size,
		  size_t first)
{
	size_t ncap = *cap ? *cap * 2 : first;
	void *p = arena_alloc(a, ncap * size);
	if (n)
		memcpy(p, old, n * size);
	*cap = ncap;
	return p;
}

struct tval *tval_null(struct arena *a)
{
	(void)a;
	return &null_value;
}

struct tval *tval_bool(struct arena *a, bool b)
{
	(void)a;
	return b ? &true_value : &false_value;
}

struct tval *tval_strn(struct arena *a, const char *s, size_t n)
{
	if (!s)
		return tval_null(a);
	struct tval *v = new_value(a, TVAL_STRING);
	v->s = arena_strndup(a, s, n);
	v->len = n;
	return v;
}

struct tval *tval_str(struct arena *a, const char *s)
{
	return s ? tval_strn(a, s, strlen(s)) : tval_null(a);
}

struct tval *tval_ref(struct arena *a, const char *s)
{
	if (!s)
		return tval_null(a);
	struct tval *v = new_value(a, TVAL_STRING);
	v->s = s;
	v->len = strlen(s);
	return v;
}

struct tval *tval_int(struct arena *a, long long n)
{
	/* Not with "%lld": the context holds thousands of numbers a record. */
	char digits[FMT_INT_SIZE];
	return tval_strn(a, digits, fmt_int((int64_t)n, digits));
}

struct tval *tval_list(struct arena *a)
{
	return new_value(a, TVAL_LIST);
}

struct tval *tval_map(struct arena *a)
{
	return new_value(a, TVAL_MAP);
}

struct tval *tval_push(struct tval *list, struct tval *v)
{
	if (!list || list->kind != TVAL_LIST)
		return list;
	if (list->len == list->cap)
		list->items = grow(list->arena, list->items, list->len, &list->cap, sizeof(*list->items), 4);
	list->items[list->len++] = v ? v : &null_value;
	return list;
}

static void index_insert(struct tval *m, size_t entry)
{
	size_t mask = m->index_cap - 1;
	size_t i = m->entries[entry].hash & mask;
	while (m->index[i])
		i = (i + 1) & mask;
	m->index[i] = entry + 1;
}

/* Keeps the index at most half full, rebuilding it as the map grows. */
static void index_update(struct tval *m)
{
	if (m->len < MAP_INDEX_MIN)
		return;
	if (m->index && m->len * 2 <= m->index_cap) {
		index_insert(m, m->len - 1);
		return;
	}
	size_t cap = m->index_cap ? m->index_cap * 2 : 32;
	while (cap < m->len * 2)
		cap *= 2;
	m->index = arena_alloc(m->arena, cap * sizeof(*m->index));
	m->index_cap = cap;
	for (size_t i = 0; i < m->len; i++)
		index_insert(m, i);
}

/* Sets key (klen bytes, hashed) to v, the key copied or borrowed. */
static struct tval *set(struct tval *map, const char *key, size_t klen, size_t hash,
			bool copy, struct tval *v)
{
	if (!v)
		v = &null_value;
	/* Nearly every key set is new, and its bit says so. */
	uint64_t bit = tval_key_bit(hash);
	struct tval_entry *found = map->keys_seen & bit
		? (struct tval_entry *)tval_find(map, key, klen, hash) : NULL;
	if (found) {
		found->val = v;
		return map;
	}
	if (map->len == map->cap)
		map->entries = grow(map->arena, map->entries, map->len, &map->cap, sizeof(*map->entries),
				    MAP_FIRST);
	map->entries[map->len++] = (struct tval_entry){
		copy ? arena_strndup(map->arena, key, klen) : key, klen, hash, v,
	};
	map->keys_seen |= bit;
	index_update(map);
	return map;
}

struct tval *tval_set(struct tval *map, const char *key, struct tval *v)
{
	if (!map || map->kind != TVAL_MAP || !key)
		return map;
	size_t klen, hash = key_hash(key, &klen);
	return set(map, key, klen, hash, true, v);
}

struct tval *tval_put(struct tval *map, const char *key, struct tval *v)
{
	if (!map || map->kind != TVAL_MAP || !key)
		return map;
	size_t klen, hash = key_hash(key, &klen);
	return set(map, key, klen, hash, false, v);
}

void tval_key_init(struct tval_key *k, const char *s)
{
	k->s = s;
	k->hash = key_hash(s, &k->len);
}

struct tval *tval_put_key(struct tval *map, const struct tval_key *k, struct tval *v)
{
	if (!map || map->kind != TVAL_MAP)
		return map;
	return set(map, k->s, k->len, k->hash, false, v);
}

struct tval *tval_put_str(struct tval *map, const char *key, const char *s)
{
	if (!map || map->kind != TVAL_MAP)
		return map;
	return tval_put(map, key, tval_ref(map->arena, s));
}

struct tval *tval_put_bool(struct tval *map, const char *key, bool b)
{
	return tval_put(map, key, b ? &true_value : &false_value);
}

struct tval *tval_put_int(struct tval *map, const char *key, long long n)
{
	if (!map || map->kind != TVAL_MAP)
		return map;
	return tval_put(map, key, tval_int(map->arena, n));
}

struct tval *tval_set_str(struct tval *map, const char *key, const char *s)
{
	if (!map || map->kind != TVAL_MAP)
		return map;
	return tval_set(map, key, tval_str(map->arena, s));
}

struct tval *tval_set_strn(struct tval *map, const char *key, const char *s, size_t n)
{
	if (!map || map->kind != TVAL_MAP)
		return map;
	return tval_set(map, key, tval_strn(map->arena, s, n));
}

struct tval *tval_set_bool(struct tval *map, const char *key, bool b)
{
	return tval_set(map, key, b ? &true_value : &false_value);
}

struct tval *tval_set_int(struct tval *map, const char *key, long long n)
{
	if (!map || map->kind != TVAL_MAP)
		return map;
	return tval_set(map, key, tval_int(map->arena, n));
}

enum tval_kind tval_kind(const struct tval *v)
{
	return v ? v->kind : TVAL_NULL;
}

const char *tval_string(const struct tval *v)
{
	return v && v->kind == TVAL_STRING ? v->s : NULL;
}

bool tval_truthy(const struct tval *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case TVAL_NULL: return false;
	case TVAL_BOOL: return v->b;
	case TVAL_STRING: return v->len > 0;
	case TVAL_LIST: return v->len > 0;
	case TVAL_MAP: return true;
	}
	return false;
}

size_t tval_len(const struct tval *v)
{
	return v && (v->kind == TVAL_LIST || v->kind == TVAL_MAP) ? v->len : 0;
}

const struct tval *tval_at(const struct tval *list, size_t i)
{
	if (!list || list->kind != TVAL_LIST || i >= list->len)
		return NULL;
	return list->items[i];
}

const char *tval_key(const struct tval *map, size_t i)
{
	if (!map || map->kind != TVAL_MAP || i >= map->len)
		return NULL;
	return map->entries[i].key;
}

const struct tval *tval_get(const struct tval *map, const char *key)
{
	if (!map || map->kind != TVAL_MAP || !key)
		return NULL;
	size_t klen, hash = key_hash(key, &klen);
	const struct tval_entry *e = tval_find(map, key, klen, hash);
	return e ? e->val : NULL;
}

const struct tval *tval_get_key(const struct tval *map, const struct tval_key *k)
{
	if (!map || map->kind != TVAL_MAP)
		return NULL;
	const struct tval_entry *e = tval_find(map, k->s, k->len, k->hash);
	return e ? e->val : NULL;
}
