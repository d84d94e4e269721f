/*
 * tval_int.h - inside the template values, for the renderer (tmpl.c) and
 * tval.c alone: the value's layout and the hashed lookup, so that a name
 * of a template is hashed once when it is parsed, not at every lookup.
 */
#ifndef SIRCOMM_TVAL_INT_H
#define SIRCOMM_TVAL_INT_H

#include <stdint.h>
#include <string.h>

#include "format/tval.h"

struct tval_entry {
	const char *key;
	size_t klen;
	size_t hash;
	struct tval *val;
};

struct tval {
	enum tval_kind kind;
	bool b;                      /* bools */
	size_t len;                  /* string bytes, list items or map keys */
	union {
		const char *s;               /* strings: NUL-terminated */
		struct tval **items;         /* lists */
		struct tval_entry *entries;  /* maps, in insertion order */
	};
	size_t cap;                  /* items or entries allocated */
	struct arena *arena;         /* where lists and maps grow */
	size_t *index;               /* maps: hash slot -> entry + 1, 0 = empty */
	size_t index_cap;            /* a power of two, or 0 for no index */
	uint64_t keys_seen;          /* maps: bit tval_key_bit(hash) of each key's hash */
};

/* A key's bit in a map's keys_seen: a key whose bit is clear is not in
 * the map, known without searching it.  A context sets thousands of new
 * keys a record, and each set first makes sure its key is new. */
static inline uint64_t tval_key_bit(size_t hash)
{
	return UINT64_C(1) << ((uint64_t)hash >> 58);
}

/* The hash tval_find expects of a key of n bytes. */
size_t tval_hash(const char *s, size_t n);

/* The entry of map m (a TVAL_MAP) for the key of klen bytes whose hash is
 * tval_hash(key, klen), or NULL.  Inline: rendering looks names up
 * tens of thousands of times a record. */
static inline const struct tval_entry *tval_find(const struct tval *m, const char *key,
						 size_t klen, size_t hash)
{
	if (m->index) {
		size_t mask = m->index_cap - 1;
		for (size_t i = hash & mask;; i = (i + 1) & mask) {
			size_t e = m->index[i];
			if (!e)
				return NULL;
			const struct tval_entry *en = &m->entries[e - 1];
			if (en->hash == hash && en->klen == klen && memcmp(en->key, key, klen) == 0)
				return en;
		}
	}
	if (!(m->keys_seen & tval_key_bit(hash)))
		return NULL;
	for (size_t i = 0; i < m->len; i++) {
		const struct tval_entry *en = &m->entries[i];
		if (en->hash == hash && en->klen == klen && memcmp(en->key, key, klen) == 0)
			return en;
	}
	return NULL;
}

#endif
